"""The window's verdicts, status texts, Resume and case file (issue 11 items 12, 14, 15), and that the German
window shows no English-only text with the demo loaded (item 19)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QMenu, QTabBar, QTableView, QWidget

from voicearchive.gui import i18n
from voicearchive.gui.verdict_panel import verdicts
from voicearchive.model import CaseItem, Label, Recording, VoiceResult
from voicearchive.resources import resource

from .gui_helpers import isolated_settings, make_wav_folder, open_and_wait, wait_idle, window  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DEMO = [str(p) for p in sorted((ROOT / "resources" / "demo").glob("takeout-*.zip"))]


def _item(key: str, sim: float | None, *, flagged=False, group=0, uncertain=False, problem="") -> CaseItem:
    voice = None if sim is None else VoiceResult(key, group=group, owner_similarity=sim, flagged=flagged,
                                                 uncertain=uncertain)
    return CaseItem(Recording(key, "/evidence", f"{key}.wav", "audio-folder", problem=problem), Label(key), voice)


# ------------------------------------------------------------------------------------------ the verdicts
def test_verdicts_say_the_owner_was_not_found_with_the_numbers_behind_it() -> None:
    meta = {"owner_source": "enrolled from 1 sample", "owner_name": "", "owner_group": None, "threshold": 0.8,
            "threshold_source": "automatic: from the owner's own scores",
            "message": "No recording in this archive matches the enrolled owner's voice: these recordings may be "
                       "someone else's"}
    items = [_item("a", 0.62, flagged=True), _item("b", 0.7999, flagged=True), _item("c", 0.3, uncertain=True)]
    found = {v.id: v for v in verdicts(meta, items)}
    assert found["owner"].headline == "Owner not found"
    assert "No recording in this archive matches" in found["owner"].detail
    assert found["owner"].detail.endswith("(best owner score 0.7999, threshold 0.8000)")  # reads true
    assert found["flagged"].headline == "2 of 3 recordings flagged"
    assert "below 0.80 (automatic: from the owner's own scores)" in found["flagged"].detail
    assert found["reliability"].detail == "2 of 3 recordings have enough speech to judge"
    assert found["problems"].headline == "No problems"


def test_verdicts_read_the_reports_reliability_and_name_problems(qapp) -> None:
    class Report:
        reliability = i18n.Message.of("count.recordings", n=2)  # any Message: rendered in the language

    meta = {"owner_source": "largest group", "owner_name": "Voice A", "owner_group": 0, "threshold": 0.75,
            "threshold_source": "set by the user"}
    items = [_item("a", 0.9), _item("b", 0.9), _item("bad", None, problem="not audio")]
    i18n.apply_language(qapp, "de")
    try:
        found = {v.id: v for v in verdicts(meta, items, Report(), [["/evidence", "x.json", "unreadable"]])}
    finally:
        i18n.apply_language(qapp, "en")
    assert found["owner"].text == "Besitzer gefunden: Voice A (größte Gruppe)"
    assert found["reliability"].detail == "2 Aufnahmen"
    assert found["flagged"].detail == "unähnlich dem Besitzer und dem Haushalt: Besitzer-Wert unter 0,75 (vom Benutzer festgelegt)"
    assert found["problems"].headline == "2 Probleme" and "bad.wav: not audio" in found["problems"].detail


def test_the_verdicts_stay_in_view_until_the_archive_closes(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "w", count=3)
    assert open_and_wait(qtbot, window, [folder], tmp_path / "c.vacase") == "done"
    panel = window.verdict_panel
    assert window.verdict_dock.isVisible() and panel.labels["owner"].text()
    shown = {k: label.text() for k, label in panel.labels.items()}
    assert "1 problem" in shown["problems"]  # broken.wav
    window.show_status("Flagged: 1 recording")  # the next key press's message: the status bar only
    window.actions["next"].trigger()
    assert {k: label.text() for k, label in panel.labels.items()} == shown
    window.actions["flag"].trigger()  # a mark changes the count the verdict gives, not the rest
    qtbot.waitUntil(lambda: panel.labels["flagged"].text() != shown["flagged"], timeout=5000)
    assert panel.labels["problems"].text() == shown["problems"]
    wait_idle(qtbot, window)
    assert window.status_label.text() == "Analysis complete" or window.status_label.text()
    window.close_case()
    assert not window.verdict_dock.isVisible() and window.status_label.text() == ""  # item 14: no stale text
    assert window.progress_label.text() == ""


def test_the_verdicts_are_drawn_inside_the_panel_and_never_grow_the_window(window, qtbot, tmp_path):  # noqa: F811
    # A wrapped label's own minimum height (its height at its narrowest) once made the dock grow the window to
    # 1,104 px and placed the text 150 px down, outside the 66 px panel: blank verdicts.
    window.resize(1280, 800)
    window.show()
    folder = make_wav_folder(tmp_path / "w", count=3)
    assert open_and_wait(qtbot, window, [folder], tmp_path / "c.vacase") == "done"
    qtbot.wait(50)
    panel = window.verdict_panel
    assert window.height() <= 800
    shown = [label for label in panel.labels.values() if label.isVisible() and label.text()]
    assert len(shown) >= 3
    for label in shown:
        box = label.geometry()
        assert box.top() >= 0 and box.bottom() <= panel.height(), (label.objectName(), box, panel.height())
        assert label.heightForWidth(box.width()) <= box.height() + 1, label.objectName()  # the text fits


def test_stop_then_resume_finishes_the_analysis_in_the_same_case(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "big", count=3)
    with qtbot.waitSignal(window.analysisFinished, timeout=60_000) as finished:
        window.open_paths([str(folder)], str(tmp_path / "c.vacase"))
        window.actions["cancel"].trigger()
    assert finished.args == ["cancelled"]
    assert window.actions["resume"].isEnabled() and window.resume_button.isVisible()
    assert window.verdict_panel.labels["problems"].text().startswith("⚠ Not finished")  # never "No problems"
    case = window.store.path
    with qtbot.waitSignal(window.analysisFinished, timeout=60_000) as finished:
        window.actions["resume"].trigger()
        assert not window.actions["resume"].isEnabled()
        assert window.status_label.text() == ""  # not "Stopped" next to the progress of the resumed work
    assert finished.args == ["done"] and window.store.path == case
    assert not window.actions["resume"].isEnabled() and not window.resume_button.isVisible()
    assert all(i.voice is not None for i in window.model.items() if i.rec.has_audio)


def test_opening_the_same_archive_again_keeps_the_case_file_it_was_given(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "w", count=2, broken=False)
    case = tmp_path / "given.vacase"
    assert open_and_wait(qtbot, window, [folder], case) == "done"
    with qtbot.waitSignal(window.analysisFinished, timeout=60_000):
        window.open_paths([str(folder)])  # File > Open of the same archive: no case file named
    assert Path(window.store.path) == case and window.case_path == str(case)
    assert window.status_label.text() in ("", "Analysis complete")


def test_undo_of_a_note_reads_right(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "w", count=2, broken=False)
    assert open_and_wait(qtbot, window, [folder], tmp_path / "c.vacase") == "done"
    window.review.select_first()
    window.review.set_note(window.current_item().rec.key, "checked")
    assert window.actions["undo"].text() == "Undo the note edit"
    window.actions["undo"].trigger()
    assert window.status_label.text() == "Undone: the note edit"
    wait_idle(qtbot, window)


# ------------------------------------------------------------------------------------------ German, finished
def _english_sources() -> set[str]:
    """Every GUI text whose German differs: seen in the German window, it was left untranslated."""
    out = set()
    for ctx in ET.parse(resource("translations", "voicearchive_de.ts")).getroot().findall("context"):
        for m in ctx.findall("message"):
            source, german = m.findtext("source") or "", m.findtext("translation") or ""
            if german and german != source and len(source) > 3:
                out.add(source.replace("&", ""))
    return out


# English the window made itself (never evidence: the demo's transcripts are English data).
ENGLISH_ONLY = ("Analysis complete", "Analysing voices", "from the vendor", "(from ", " bytes", "largest group",
                "automatic:", "recordings flagged", "Owner found", "Owner not found", "Reliability", "No problems",
                "marked: ", "Undo ", "What is the threshold", "metadata", "Time from")
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")  # 0.57, 4.2 s (not 16.000 Hz, 02.09.2026)


def _visible_texts(win) -> list[tuple[str, str]]:
    """(where, text) for every text of the window's widgets (and its dialogs'), menus, actions and headers."""
    out: list[tuple[str, str]] = []
    for w in [win, *win.findChildren(QWidget)]:
        where = f"{type(w).__name__}:{w.objectName()}"
        out.append((where + ":tooltip", _unwrapped(w.toolTip())))
        if isinstance(w, QLabel):
            out.append((where, w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((where, w.text()))
        elif isinstance(w, QLineEdit):
            out.append((where + ":placeholder", w.placeholderText()))
        elif isinstance(w, QComboBox):
            out += [(where, w.itemText(i)) for i in range(min(w.count(), 3))]
        elif isinstance(w, QTabBar):
            out += [(where, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QMenu):
            out.append((where, w.title()))
        if isinstance(w, QWidget) and w.isWindow():
            out.append((where + ":title", w.windowTitle()))
        if isinstance(w, QTableView) and w.model() is not None:
            model = w.model()
            out += [(where + ":header", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                    for c in range(model.columnCount())]
    for action in win.findChildren(QAction):
        if type(action.parent()).__name__ == "GraphicsScene":
            continue  # pyqtgraph's "Export..." of plots whose menus are disabled: never shown
        out += [("action:" + action.objectName(), action.text()), ("tip:" + action.objectName(), action.toolTip())]
    return [(where, text.replace("&", "")) for where, text in out if text]


def _unwrapped(text: str) -> str:
    """A tooltip as its reader sees it (gui/plain.py escapes evidence tooltips into literal rich text)."""
    import html

    from voicearchive.gui.plain import TOOLTIP_PREFIX

    if text.startswith(TOOLTIP_PREFIX) and text.endswith("</qt>"):
        return html.unescape(text[len(TOOLTIP_PREFIX):-len("</qt>")].replace("<br>", "\n"))
    return text


def _row_texts(win, columns: tuple[str, ...]) -> list[tuple[str, str]]:
    from voicearchive.gui.recordings_model import column

    model = win.model
    out = [(f"row {r} {c}", str(model.index(r, column(c)).data() or "")) for r in range(model.rowCount())
           for c in columns]
    tips = [(f"tip {r} {c}", _unwrapped(str(model.index(r, c).data(Qt.ItemDataRole.ToolTipRole) or "")))
            for r in range(model.rowCount()) for c in range(model.columnCount())]
    return out + tips


def test_the_german_window_shows_no_english_only_text_with_the_demo(isolated_settings, qtbot, tmp_path, qapp):  # noqa: F811
    i18n.apply_language(qapp, "de")
    try:
        from voicearchive.gui.main_window import MainWindow

        win = MainWindow(workers=1)
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        assert open_and_wait(qtbot, win, DEMO, tmp_path / "demo.vacase") == "done"
        win.review.select_first()
        for tab in range(win.tabs.count()):
            win.tabs.setCurrentIndex(tab)
        with qtbot.waitSignal(win.voices_view.refreshed, timeout=30_000):
            win.voices_view.refresh()
        win.tabs.setCurrentIndex(0)
        for show in (win.show_about, win.show_shortcuts, win.show_enrol, win.show_export):
            show()  # their dialogs are the window's children while they are open
        # The flag reasons are the voices area's (they become Messages there): checked by the test below.
        reasons = {i.flag_reason for i in win.model.items() if i.flag_reason}
        texts = [(w, t) for w, t in _visible_texts(win) + _row_texts(win, ("time", "duration", "similarity"))
                 if t not in reasons]
        sources = _english_sources()
        untranslated = [(w, t) for w, t in texts if t in sources]
        english = [(w, t) for w, t in texts if any(e in t for e in ENGLISH_ONLY)]
        points = [(w, t) for w, t in texts  # (the About text names licences: "CC BY 4.0")
                  if DECIMAL_POINT.search(t) and not t.startswith("<h2>VoiceArchive")]
        assert win.status_label.text() == "Analyse abgeschlossen"
        assert untranslated == [] and english == [], (untranslated, english)
        assert points == [], points[:5]
        assert "Besitzer gefunden" in win.verdict_panel.labels["owner"].text()
        win.close_case()
    finally:
        i18n.apply_language(qapp, "en")


def test_the_flag_reasons_and_voice_names_are_german_too(window, qtbot, tmp_path, qapp):  # noqa: F811
    i18n.apply_language(qapp, "de")
    try:
        assert open_and_wait(qtbot, window, DEMO, tmp_path / "demo.vacase") == "done"
        reasons = [i18n.ui(i.flag_message) for i in window.model.items() if i.flag_message]
        names = {i18n.ui(i.voice.name) for i in window.model.items() if i.voice and i.voice.name}
        assert names
        assert reasons and not any("unlike" in r or DECIMAL_POINT.search(r) for r in reasons)
        assert not any(n.startswith("Voice ") for n in names)
        voiced = next(i for i in window.model.items() if i.voice and i.voice.group >= 0)
        window.detail.show_item(voiced)
        assert window.detail.fields["voice"].text().startswith("Stimme ")  # the details name it as the list does
    finally:
        i18n.apply_language(qapp, "en")


def test_opening_the_next_archive_shows_no_status_of_the_last_one(window, qtbot, tmp_path):  # noqa: F811
    first = make_wav_folder(tmp_path / "one", count=2, broken=False)
    second = make_wav_folder(tmp_path / "two", count=2, broken=False)
    assert open_and_wait(qtbot, window, [first], tmp_path / "one.vacase") == "done"
    assert window.status_label.text() == "Analysis complete"
    with qtbot.waitSignal(window.analysisFinished, timeout=60_000):
        window.open_paths([str(second)], str(tmp_path / "two.vacase"))
        assert window.status_label.text() == ""  # not "Analysis complete" beside the new progress
        assert window.progress_label.text() == "Opening…"
    assert window.status_label.text() == "Analysis complete"
