"""Issue 9 items 2, 11 and 19 in the window: evidence text is plain text everywhere, every file that could
not be read is in the Problems tab, and a 1 MB transcript is shown cut short.

The archive is a Takeout whose transcript, answer, device and speaker hint are HTML (``<img src=...>``,
``<b>``, ``<span style=...>``) plus a file that only pretends to be audio, named like markup. The test
walks every QLabel, every widget's tooltip and every item view's tooltips of the main window and its
views and dialogs: a new widget that forgets ``gui/plain.py`` fails it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.gui_helpers import isolated_settings, open_and_wait, view_cells, window  # noqa: F401 - fixtures
from tests.vendor_fixtures import assistant_folder, wav_bytes
from voicearchive.gui import plain
from voicearchive.gui.recordings_model import column

HOSTILE_TITLE = 'Said <img src="/nonexistent/outside.png"> x <b>bold</b>'
HIDDEN = "<span style='color:transparent'>HIDDEN</span>"
MARKERS = ("<img", "<b>", "<span", "<i>")
LONG = "Said " + "long words " * 100_000  # a little over 1 MB


def hostile_takeout(root: Path) -> Path:
    items = [
        {"header": "Assistant", "title": HOSTILE_TITLE, "time": "2018-04-16T11:42:52.739Z",
         "audioFiles": ["2018-04-16_11_42_55_659_UTC.wav"], "products": [f"<b>Kitchen</b> {HIDDEN}"],
         "subtitles": [{"name": f"{HIDDEN} answer"}], "details": [{"name": "<i>From unrecognized speaker</i>"}]},
        {"header": "Assistant", "title": LONG, "time": "2018-04-17T11:42:52.739Z",
         "audioFiles": ["2018-04-17_11_42_55_659_UTC.wav"], "products": ["Assistant"]},
    ]  # fmt: skip
    folder = assistant_folder(root, items)
    (folder / "2018-04-16_11_42_55_659_UTC.wav").write_bytes(wav_bytes(0.5, 220))
    (folder / "2018-04-17_11_42_55_659_UTC.wav").write_bytes(wav_bytes(0.6, 320))
    (folder / "<b>bad<i>.wav").write_bytes(b"<img src='/nonexistent.png'> not audio")
    return root


def _tooltip_is_safe(tip: str) -> bool:
    """A tooltip Qt would take for rich text must be one gui/plain.py escaped (markup shown literally)."""
    if not tip:
        return True
    if tip.startswith(plain.TOOLTIP_PREFIX):
        return not any(m in tip[len(plain.TOOLTIP_PREFIX):] for m in MARKERS)
    return not QtGui_Qt.mightBeRichText(tip) and not any(m in tip for m in MARKERS)


def assert_nothing_rich(root: QWidget) -> None:
    for label in root.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText or plain.is_rich_allowed(label), (
            f"QLabel {label.objectName() or label.accessibleName()!r} may show rich text: {label.text()[:80]!r}")
    for widget in [root, *root.findChildren(QWidget)]:
        assert _tooltip_is_safe(widget.toolTip()), (widget, widget.toolTip()[:80])
    for view, row, col, _role, tip in view_cells(root, (Qt.ItemDataRole.ToolTipRole,)):
        assert tip is None or _tooltip_is_safe(str(tip)), (view.objectName(), row, col, str(tip)[:80])

def test_evidence_text_is_never_rich_text_anywhere(window, qtbot, tmp_path):  # noqa: F811
    ev = hostile_takeout(tmp_path / "ev")
    assert open_and_wait(qtbot, window, [ev], tmp_path / "c.vacase") == "done"
    assert window.proxy.rowCount() == 2
    seen_hostile = False
    for row in range(window.proxy.rowCount()):
        window.select_proxy_row(row)
        QApplication.processEvents()
        if HOSTILE_TITLE.removeprefix("Said ") in window.detail.title.text():
            seen_hostile = True
            assert "HIDDEN" in window.detail.fields["device"].text()  # shown, literally, not hidden
        assert_nothing_rich(window)
    assert seen_hostile
    for index in range(window.tabs.count()):  # the voices, timeline and problems views, filled
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert_nothing_rich(window)
    timeline = window.timeline_view
    if len(timeline.data.keys):
        assert _tooltip_is_safe(timeline._tip(737_000.0, 0.0, 0))
    window.show_export()
    window.show_about()
    window.show_shortcuts()
    window.show_enrol()
    window.show_status(f"{HOSTILE_TITLE}: could not be read")
    QApplication.processEvents()
    assert_nothing_rich(window)


def test_a_megabyte_transcript_is_shown_cut_short(window, qtbot, tmp_path):  # noqa: F811
    ev = hostile_takeout(tmp_path / "ev")
    assert open_and_wait(qtbot, window, [ev], tmp_path / "c.vacase") == "done"
    model = window.model
    row = next(r for r in range(model.rowCount()) if len(model.item(r).rec.transcript) > 1_000_000)
    item = model.item(row)
    cell = model.index(row, column("transcript"))
    assert len(cell.data(Qt.ItemDataRole.DisplayRole)) <= plain.LIST_LIMIT
    assert len(cell.data(Qt.ItemDataRole.ToolTipRole)) < plain.TOOLTIP_LIMIT + 200
    window.select_key(item.rec.key)
    QApplication.processEvents()
    shown = window.detail.fields["transcript"].text()
    assert len(shown) < plain.LABEL_LIMIT + 100 and "more characters" in shown
    assert len(window.detail.fields["transcript"].accessibleDescription()) < plain.LABEL_LIMIT + 100
    assert len(window.detail.title.text()) <= 120


def test_every_file_not_read_is_in_the_problems_tab(window, qtbot, tmp_path):  # noqa: F811
    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "good.wav").write_bytes(wav_bytes(0.4, 200))
    for i in range(12):
        (ev / f"note-{i:02d}.wav").write_bytes(f"text {i}\n".encode())
    assert open_and_wait(qtbot, window, [ev], tmp_path / "c.vacase") == "done"
    view = window.problems_view
    assert window.proxy.rowCount() == 1 and view.count() == 12
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "Problems (12)"
    assert "12 problems: 12 files not read" in view.summary.text()
    view.search.setText("note-07")
    assert view.proxy.rowCount() == 1
    assert "Showing 1" in view.summary.text()
    view.search.clear()
    assert view.proxy.rowCount() == 12
    window.close_case()
    assert view.count() == 0


def test_the_window_refuses_a_case_inside_the_evidence_or_of_another_archive(window, qtbot, tmp_path):  # noqa: F811
    """Items 3 and 10 through the window: the worker checks the case file like the command line."""
    from tests.archive_fixtures import tree_digest

    first, second = tmp_path / "one", tmp_path / "two"
    for folder, pitch in ((first, 200), (second, 300)):
        folder.mkdir()
        (folder / "a.wav").write_bytes(wav_bytes(0.4, pitch))
    before = tree_digest(first)
    messages: list[str] = []
    window.statusShown.connect(messages.append)
    assert open_and_wait(qtbot, window, [first], first / "case.vacase") == "failed"
    assert "inside the evidence" in messages[-1] and tree_digest(first) == before
    case = tmp_path / "c.vacase"
    assert open_and_wait(qtbot, window, [first], case) == "done"
    window.close_case()
    assert open_and_wait(qtbot, window, [second], case) == "failed"
    assert "belongs to another archive" in messages[-1]
    assert window.model.rowCount() == 0


def test_a_damaged_case_is_named_in_the_window(window, qtbot, tmp_path):  # noqa: F811
    """Item 8 through the window: a case with corrupt pages gives a message saying so, no traceback."""
    from voicearchive.case.store import CaseStore

    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "a.wav").write_bytes(wav_bytes(0.4, 200))
    case = tmp_path / "c.vacase"
    assert open_and_wait(qtbot, window, [ev], case) == "done"
    window.close_case()
    with CaseStore(case) as store:
        store.set("padding", ["x" * 200] * 400)
    data = bytearray(case.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(2 * page, len(data), page):
        data[start : start + page] = b"\xa5" * page
    case.write_bytes(bytes(data))
    messages: list[str] = []
    window.statusShown.connect(messages.append)
    assert open_and_wait(qtbot, window, [ev], case) == "failed"
    assert "is damaged (" in messages[-1] and "internal error" not in messages[-1]
