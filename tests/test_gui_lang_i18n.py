"""The window's language (issue 11 items 13, 14, 19): one helper renders any text, numbers and dates follow
the language, comparisons read true, undo texts read right, the language is a setting."""

from __future__ import annotations

from datetime import datetime

import pytest

from voicearchive import messages
from voicearchive.case.labels import Action
from voicearchive.gui import i18n
from voicearchive.messages import Message

from .gui_helpers import isolated_settings  # noqa: F401


@pytest.fixture
def german(qapp):
    i18n.apply_language(qapp, "de")
    yield qapp
    i18n.apply_language(qapp, "en")


def test_ui_renders_messages_stored_messages_and_plain_strings() -> None:
    msg = Message.of("count.recordings", n=3)
    assert i18n.ui(msg) == "3 recordings"
    assert i18n.ui(msg.to_json()) == "3 recordings"  # a Message kept as JSON in the case file
    assert i18n.ui({"code": "count.recordings", "params": {"n": 1}}) == "1 recording"
    assert i18n.ui("plain words") == "plain words" and i18n.ui(None) == ""
    assert i18n.ui('{"code" is not json') == '{"code" is not json'


def test_ui_numbers_and_dates_follow_the_language(german) -> None:
    assert i18n.ui(Message.of("count.recordings", n=1700)) == "1.700 Aufnahmen"
    assert i18n.number(0.62, ".2f") == "0,62" and i18n.number(12636) == "12.636"
    assert i18n.when(datetime(2026, 10, 3, 12, 0, 5)) == "03.10.2026 12:00:05"
    assert i18n.month(10) == "Okt." and i18n.size(12636) == "12.636 Byte"
    assert i18n.time_basis("metadata") == "aus den Metadaten des Anbieters"
    assert i18n.marked_as("stranger") == "eingestuft als fremde Person"


def test_progress_reads_in_german(german) -> None:
    from voicearchive.gui.workers import format_progress

    assert format_progress("analysing", 425, 1700, 70.0) == \
        "Stimmen werden analysiert 425 von 1.700 (25 %) – noch etwa 1 min 10 s"


@pytest.mark.parametrize("value, limit, shown", [
    (0.797, 0.80, ("0.797", "0.800")),  # once "0.80 < 0.80"
    (0.7999, 0.80, ("0.7999", "0.8000")),
    (0.62, 0.80, ("0.62", "0.80")),
    (0.80, 0.80, ("0.80", "0.80")),
    (0.8049, 0.80, ("0.805", "0.800")),
])
def test_a_comparison_shows_enough_digits_to_read_true(value, limit, shown) -> None:
    assert i18n.comparison(value, limit) == shown


def test_undo_texts_read_right_in_both_languages(german) -> None:
    note, flag = Action(1, "note", None, 1), Action(2, "flag", True, 3)
    assert i18n.history_text(note, True) == "Rückgängig: Bearbeiten der Notiz"
    assert i18n.history_text(flag, False, done=True) == "Wiederholt: Markieren von 3 Aufnahmen"
    i18n.apply_language(german, "en")
    assert i18n.history_text(note, True) == "Undo the note edit"
    assert i18n.history_text(Action(3, "role", "stranger", 1), True) == "Undo marking 1 recording as a stranger"
    assert i18n.history_text(flag, True, done=True) == "Undone: flagging 3 recordings"


def test_the_analysis_older_english_sentences_are_given_in_german(german) -> None:
    assert i18n.legacy_core_text("largest group") == "größte Gruppe"
    assert i18n.legacy_core_text("enrolled from 2 samples") == "aus 2 Proben angelernt"
    assert i18n.legacy_core_text("something else") == "something else"


def test_the_language_is_a_setting_applied_at_the_next_start(qapp, isolated_settings) -> None:  # noqa: F811
    from voicearchive.gui.main_window import MainWindow

    assert i18n.chosen_setting() == i18n.SYSTEM
    win = MainWindow()
    try:
        notes: list[str] = []
        win.statusShown.connect(notes.append)
        before = messages.language()
        win.language_actions["de" if before == "en" else "en"].trigger()
        assert i18n.chosen_setting() in ("de", "en") and i18n.chosen_setting() != before
        assert "neu starten" in notes[-1] and "start it again" in notes[-1]  # said in both languages
        assert win.language_actions[i18n.chosen_setting()].isChecked()
        assert messages.language() == before  # Qt built the widgets' texts already: applied at the next start
        i18n.apply_language(qapp)  # what the next start does
        assert messages.language() == i18n.chosen_setting()
    finally:
        i18n.apply_language(qapp, "en")
        win.deleteLater()


def test_plot_axes_write_numbers_in_the_language(german) -> None:
    import pyqtgraph as pg

    axis = pg.AxisItem("bottom")
    assert axis.tickStrings([0.5, 1.0], 1.0, 0.5) == ["0,5", "1,0"]
    i18n.apply_language(german, "en")
    assert axis.tickStrings([0.5, 1.0], 1.0, 0.5) == ["0.5", "1.0"]


def test_a_catalogue_text_can_show_a_comparison_that_reads_true(monkeypatch) -> None:
    """The core's way to the same: a nested format spec with ``comparison_places`` (Qt-free)."""
    from voicearchive.messages.numbers import comparison_places

    monkeypatch.setitem(messages.CATALOGUE, "test.compare", ("{s:.{p}f} < {t:.{p}f}", "{s:.{p}f} < {t:.{p}f}"))
    msg = Message.of("test.compare", s=0.797, t=0.8, p=comparison_places(0.797, 0.8))
    assert messages.render(msg, "en") == "0.797 < 0.800" and messages.render(msg, "de") == "0,797 < 0,800"
