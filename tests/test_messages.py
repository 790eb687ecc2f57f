"""The message catalogue: every code in both languages, placeholders kept, values rendered per language."""

from __future__ import annotations

import string
from datetime import datetime

import pytest

from voicearchive.messages import CATALOGUE, Message, format_number, language_from_env, render


def _fields(template: str) -> set[str]:
    return {name.split(".")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_english_and_german_with_the_same_placeholders(code):
    en, de = CATALOGUE[code]
    assert en.strip() and de.strip(), code
    assert _fields(en) == _fields(de), code


def test_plurals_and_numbers_follow_the_language():
    assert render(Message.of("count.recordings", n=1), "en") == "1 recording"
    assert render(Message.of("count.recordings", n=1700), "en") == "1,700 recordings"
    assert render(Message.of("count.recordings", n=1700), "de") == "1.700 Aufnahmen"
    assert format_number(0.62, "de", ".2f") == "0,62"
    assert format_number(0.62, "en", ".2f") == "0.62"


def test_messages_survive_the_case_file_round_trip_with_nested_messages_and_dates():
    when = datetime(2018, 6, 14, 13, 13, 8)
    msg = Message.of("text", text=Message.of("count.recordings", n=2), at=when)
    back = Message.from_json(msg.to_json())
    assert back == msg
    assert render(back, "de") == "2 Aufnahmen"


def test_legacy_strings_and_unknown_codes_render_without_failing():
    assert render(Message.from_json("an old English sentence")) == "an old English sentence"
    assert render(Message.of("no.such.code", n=3)) == "no.such.code(n=3)"
    assert Message.from_json("") is None


def test_language_comes_from_the_environment():
    assert language_from_env({"LANG": "de_DE.UTF-8"}) == "de"
    assert language_from_env({"LANGUAGE": "fr:de", "LANG": "de_DE.UTF-8"}) == "en"
    assert language_from_env({}) == "en"
    assert language_from_env({"VOICEARCHIVE_LANGUAGE": "de", "LANG": "C"}) == "de"
