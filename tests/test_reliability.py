"""The reliability verdict says what the evaluation saw: command-length speech from an owner who agrees little
with itself is "poor", and an archive with (almost) nothing outside the owner set says that no flag is no proof.

Measured reasons (benchmarks/RESULTS-voices.md, "Verdicts against what the flags did"): before, "fair" archives of
degraded command-length sets flagged as few as none of their judged strangers.
"""

from __future__ import annotations

import numpy as np

from tests.voice_embeddings import features, real_features
from voicearchive.messages import render
from voicearchive.voices import reliability
from voicearchive.voices.owner import Decisions, analyse_voices

COMMANDS = np.full(30, 0.95)  # median speech of a command-length archive


def test_command_length_speech_from_an_owner_agreeing_little_is_poor() -> None:
    v = reliability.verdict(0.78, COMMANDS, 0.0, 6.0, 30, outside=20)
    assert v.level == "poor"
    assert "an unflagged recording may be someone else's" in render(v.message, "en")
    assert "nicht markierte Aufnahme" in render(v.message, "de")
    # the same owner agreement on long speech is good, and a better-agreeing owner on commands is fair
    assert reliability.verdict(0.78, np.full(30, 3.0), 0.0, 6.0, 30, outside=20).level == "good"
    assert reliability.verdict(0.84, COMMANDS, 0.0, 6.0, 30, outside=20).level == "fair"


def test_nothing_outside_the_owner_set_says_so_instead_of_check_the_flags() -> None:
    v = reliability.verdict(0.85, COMMANDS, 0.0, None, 30, outside=1)
    assert v.message.code == "voices.reliability.one_voice" and v.level == "fair"
    en, de = render(v.message, "en"), render(v.message, "de")
    assert "(1 recording outside it)" in en and "not proof" in en and "check the flags" not in en
    assert "(1 Aufnahme außerhalb)" in de and "kein Beweis" in de
    # a poor archive stays poor, with the same words
    assert reliability.verdict(0.70, COMMANDS, 1.0, None, 30, outside=0).level == "poor"
    # with enough recordings outside, the level's own words
    assert reliability.verdict(0.85, COMMANDS, 0.0, 6.0, 30, outside=3).message.code == "voices.reliability.fair"


def test_an_owner_only_archive_of_real_speech_gets_the_one_voice_verdict() -> None:
    report = analyse_voices(real_features({"1998": 14}), {}, Decisions())
    assert report.reliability.code == "voices.reliability.one_voice"
    assert report.reliability.param("outside") < reliability.MIN_OUTSIDE
    # and an archive with a second recurring voice does not
    mixed = analyse_voices(real_features({"1998": 12, "3080": 12}), {}, Decisions())
    assert mixed.reliability.code != "voices.reliability.one_voice"
    assert mixed.reliability.param("outside") >= reliability.MIN_OUTSIDE

