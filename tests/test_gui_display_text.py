"""Evidence text in the window cannot reverse, hide or break a line: control characters, bidi controls
(U+202E makes ``evil\\u202ewav.exe`` read ``evilexe.vaw``) and undecodable bytes are shown as escapes.

End to end: a Takeout zip (tests/archive_fixtures.py) whose member names, device name and transcript
carry a right-to-left override, an escape sequence and a bell, plus a file that only pretends to be
audio with such a name, opened in the real window. Every text the window shows is then walked (labels,
value fields, buttons, combo boxes, tabs, the window title, every item view's cells and tooltips) and
none may hold a raw control or bidi character; the escapes must be there instead. The Qt-free rule itself
(``safe_text.display``) is tested in tests/test_text.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from tests.archive_fixtures import write_zip
from tests.gui_helpers import isolated_settings, open_and_wait, view_cells, window  # noqa: F401 - fixtures
from tests.vendor_fixtures import google_json, wav_bytes
from voicearchive.gui.recordings_model import column
from voicearchive.transcripts.words import Term

RLO = "\u202e"
EVIL_NAME = f"evil{RLO}vaw.exe"  # reads "evilexe.vaw" when shown raw
DEVICE = f"Kitchen{RLO}\x1b[2J speaker"
TRANSCRIPT = f"call Bob{RLO} at home\x07\nsecond line"
NOT_AUDIO = f"bad\x1b]0;TITLE\x07{RLO}txt.wav"
# What must never reach the screen: C0/C1 controls but line breaks and tabs, bidi controls, line separators
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
ONE_LINE_RAW = re.compile(r"[\n\t]")


def hostile_zip(root: Path) -> Path:
    base = "Takeout/My Activity/Assistant"
    items = [
        {"header": "Assistant", "title": TRANSCRIPT, "time": "2018-04-16T11:42:52.739Z",
         "audioFiles": [f"{EVIL_NAME}.wav"], "products": [DEVICE]},
        {"header": "Assistant", "title": "weather", "time": "2018-04-17T11:42:52.739Z",
         "audioFiles": ["2018-04-17_11_42_55_659_UTC.wav"], "products": [DEVICE]},
    ]  # fmt: skip
    root.mkdir(parents=True)
    return write_zip(root / f"takeout-{RLO}piz.zip", {
        f"{base}/MyActivity.json": google_json(items),
        f"{base}/{EVIL_NAME}.wav": wav_bytes(0.5, 220),
        f"{base}/2018-04-17_11_42_55_659_UTC.wav": wav_bytes(0.6, 320),
        f"{base}/{NOT_AUDIO}": b"RIFF\x24\x00\x00\x00WAVEjunk" + bytes(64),
        f"loose/{EVIL_NAME}": wav_bytes(0.4, 260),  # audio under a name that ends in ".exe" when read raw
    })


def shown_texts(root: QWidget) -> list[tuple[str, str, bool]]:
    """Every text ``root`` shows: (where, text, one_line)."""
    out: list[tuple[str, str, bool]] = [("window title", root.windowTitle(), True)]
    for label in root.findChildren(QLabel):
        out.append((f"label {label.objectName()}", label.text(), not label.wordWrap()))
    for field in root.findChildren(QTextEdit) + root.findChildren(QPlainTextEdit):
        if field.isReadOnly():  # the note editor holds the user's own words, edited as they are
            out.append((f"field {field.accessibleName()}", field.toPlainText(), False))
    for button in root.findChildren(QAbstractButton):
        out.append((f"button {button.objectName()}", button.text(), True))
    for combo in root.findChildren(QComboBox):
        out += [(f"combo {combo.objectName()}", combo.itemText(i), True) for i in range(combo.count())]
    for tabs in root.findChildren(QTabWidget):
        out += [("tab", tabs.tabText(i), True) for i in range(tabs.count())]
    for widget in [root, *root.findChildren(QWidget)]:
        out.append((f"tooltip of {widget.objectName() or type(widget).__name__}", widget.toolTip(), False))
    one_line = {Qt.ItemDataRole.DisplayRole: True, Qt.ItemDataRole.ToolTipRole: False}
    for view, row, col, role, value in view_cells(root, one_line):
        if isinstance(value, str):
            out.append((f"{type(view).__name__} {row},{col} role {int(role)}", value, one_line[role]))
    return out


def assert_all_escaped(root: QWidget) -> str:
    """No shown text holds a raw control or bidi character (one-line texts no line break); returns them all."""
    texts = shown_texts(root)
    for where, text, one_line in texts:
        assert not RAW.search(text), f"{where} shows a raw control or bidi character: {text[:120]!r}"
        if one_line and "list" not in where:  # word-wrapped labels and tooltips may have lines
            assert "\n" not in text or where.startswith(("label", "tooltip")), f"{where}: {text[:120]!r}"
    return "\n".join(t for _w, t, _o in texts)


def test_hostile_names_devices_and_words_are_escaped_everywhere_in_the_window(window, qtbot, tmp_path):  # noqa: F811
    archive = hostile_zip(tmp_path / "ev")
    assert open_and_wait(qtbot, window, [archive], tmp_path / "c.vacase") == "done"
    model = window.model
    assert model.rowCount() >= 3
    # the list: every cell one line, escaped; the hostile names are there, as escapes
    cells = [model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "" for r in range(model.rowCount())
             for c in range(model.columnCount())]
    assert not any(RAW.search(c) or ONE_LINE_RAW.search(c) for c in cells)
    assert "evil\\u202evaw.exe" in cells and "evil\\u202evaw.exe.wav" in cells
    assert "Kitchen\\u202e\\x1b[2J speaker" in cells
    assert "call Bob\\u202e at home\\x07 second line" in cells
    row = next(r for r in range(model.rowCount()) if model.item(r).rec.transcript == TRANSCRIPT)
    tip = model.index(row, column("file")).data(Qt.ItemDataRole.ToolTipRole)
    assert RLO not in tip and "evil\\u202evaw.exe.wav" in tip
    # the detail view: title, device, file and transcript (the transcript keeps its line break)
    window.select_key(model.item(row).rec.key)
    QApplication.processEvents()
    detail = window.detail
    assert detail.title.text() == "call Bob\\u202e at home\\x07 second line"
    assert detail.fields["device"].text() == "Kitchen\\u202e\\x1b[2J speaker"
    assert detail.fields["file"].text().endswith("evil\\u202evaw.exe.wav")
    assert "call Bob\\u202e at home\\x07\nsecond line" in detail.fields["transcript"].text()
    # the window title names the archive, escaped
    assert window.windowTitle() == "takeout-\\u202epiz.zip – VoiceArchive"
    # the device filter offers the device, escaped, and still filters on the real name
    combo = window.filter_bar.device
    assert "Kitchen\\u202e\\x1b[2J speaker" in [combo.itemText(i) for i in range(combo.count())]
    assert DEVICE in [combo.itemData(i) for i in range(combo.count())]
    text = assert_all_escaped(window)
    # the Problems view names the file that is not audio, escaped, and so does every other tab
    problems = window.problems_view
    assert problems.count() >= 1
    names = [problems.model.index(r, 2).data(Qt.ItemDataRole.DisplayRole) for r in range(problems.count())]
    assert any(n.endswith("bad\\x1b]0;TITLE\\x07\\u202etxt.wav") for n in names), names
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        text += assert_all_escaped(window)
    assert "evil\\u202evaw.exe" in text
    window.show_status(f"{NOT_AUDIO}: could not be read")
    window.show_export()
    QApplication.processEvents()
    assert_all_escaped(window)
    assert "bad\\x1b]0;TITLE\\x07\\u202etxt.wav" in window.status_label.text()


def test_the_words_view_escapes_terms_and_voices(qtbot):
    from collections import Counter

    from voicearchive.gui.words_view import TermsModel

    model = TermsModel()
    term = Term(text=f"Bob{RLO}eoj", kind="name", keys=["a", "b"],
                voices=Counter({f"Voice{RLO} A": 2}), sources=Counter({"vendor": 2}))
    model.set_terms([term])
    for col in range(model.columnCount()):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            assert RLO not in (model.index(0, col).data(role) or "")
    assert model.index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "Bob\\u202eeoj"
    assert model.index(0, 3).data(Qt.ItemDataRole.DisplayRole) == "Voice\\u202e A (2)"


def test_the_problems_summary_counts_in_the_languages_grammar(qtbot, qapp):
    from voicearchive.gui import i18n
    from voicearchive.gui.problems_view import KIND_AUDIO, KIND_FILE, ProblemRow, ProblemsView

    one = [ProblemRow(KIND_AUDIO, "/ev", f"a{RLO}.wav", "truncated WAV", "k")]
    two = one + [ProblemRow(KIND_FILE, "/ev", "b.wav", "not audio", ""), ProblemRow(KIND_FILE, "/ev", "c.wav", "x", "")]
    i18n.apply_language(qapp, "de")
    try:
        view = ProblemsView()
        qtbot.addWidget(view)
        view.set_rows(one)
        assert view.summary.text() == ("1 Problem: 0 Dateien nicht gelesen, 1 Aufnahme mit fehlerhaftem Ton, "
                                       "0 seit dem letzten Einlesen verschwunden.")
        assert view.model.index(0, 2).data(Qt.ItemDataRole.DisplayRole) == "a\\u202e.wav"
    finally:
        i18n.apply_language(qapp, "en")
    view = ProblemsView()
    qtbot.addWidget(view)
    view.set_rows(two)
    assert view.summary.text() == ("3 problems: 2 files not read, 1 recording with bad audio, "
                                   "0 gone since the last scan.")


def test_the_words_view_writes_counts_as_the_language_does(qtbot):
    from collections import Counter

    from voicearchive import messages
    from voicearchive.gui.words_view import TermsModel

    model = TermsModel()
    model.set_terms([Term(text="Bob", kind="name", keys=[f"k{i}" for i in range(1234)],
                          voices=Counter({"Voice A": 1234}), sources=Counter({"vendor": 1234}))])
    messages.set_language("de")
    try:
        assert model.index(0, 2).data(Qt.ItemDataRole.DisplayRole) == "1.234"
    finally:
        messages.set_language("en")
    assert model.index(0, 2).data(Qt.ItemDataRole.DisplayRole) == "1,234"
