"""The window as a careful new user found it (issue 11): what the detail shows, filters, keys, menus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import isolated_settings, make_wav_folder, open_and_wait, window  # noqa: F401
from voicearchive.model import VoiceResult


@pytest.fixture
def opened(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "evidence", count=3)
    assert open_and_wait(qtbot, window, [folder], tmp_path / "case.vacase") == "done"
    return window, folder


def _curve_points(detail) -> int:
    x, _y = detail._upper.getData()
    return 0 if x is None else len(x)


def test_a_recording_without_audio_shows_why_not_the_last_waveform(opened, qtbot):
    win, folder = opened
    win.select_key(f"{folder.name}/clip-02.wav")
    qtbot.waitUntil(lambda: win.detail._image.image is not None and _curve_points(win.detail) > 0, timeout=10_000)
    assert win.detail.empty_text() == ""
    broken = win.model.item_by_key(f"{folder.name}/broken.wav")
    win.select_key(broken.rec.key)  # J from a recording with audio onto one without
    assert _curve_points(win.detail) == 0 and win.detail._image.image is None
    assert win.detail._fill.path().isEmpty()
    assert str(broken.rec.problem) in win.detail.empty_text()
    win.close_case()
    assert _curve_points(win.detail) == 0
    assert "Select a recording" in win.detail.empty_text()


def test_plots_have_plain_axes_before_anything_is_drawn(window):  # noqa: F811
    from voicearchive.gui.threshold_histogram import ThresholdHistogram

    assert not any(window.detail._form.isRowVisible(f) for f in window.detail.fields.values()), "no empty rows"

    for plot in (window.detail.waveform, window.detail.spectrogram):
        for name in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(name)
            assert not axis.autoSIPrefix and "x0.001" not in axis.labelString()
    histogram = ThresholdHistogram()
    histogram.set_scores([])  # after Stop: no score yet
    assert histogram.empty_note.isVisible() and "appears here" in histogram.empty_note.toPlainText()
    assert "x0.001" not in histogram.plot.getPlotItem().getAxis("left").labelString()
    assert not histogram.plot.getPlotItem().getAxis("left").style["showValues"], "no 0.2 recordings"
    histogram.set_scores([0.4, 0.9])
    assert not histogram.empty_note.isVisible()
    assert histogram.plot.getPlotItem().getAxis("left").style["showValues"]
    histogram.set_scores([0.41, 0.42, 0.9])  # two in one bin: the counts axis reads 0, 1, 2, never 0.5
    ticks = [v for _, values in histogram.plot.getPlotItem().getAxis("left").tickValues(0.0, 2.1, 200) for v in values]
    assert ticks and all(float(v).is_integer() for v in ticks), ticks
    histogram.set_scores([0.5] * 40)  # many: pyqtgraph's own (whole) steps again
    ticks = [v for _, values in histogram.plot.getPlotItem().getAxis("left").tickValues(0.0, 42.0, 200) for v in values]
    assert ticks and all(float(v).is_integer() for v in ticks), ticks


def test_detail_values_wrap_and_copy_whole_in_a_small_window(opened, qtbot):
    win, folder = opened
    win.resize(1024, 700)
    win.select_key(f"{folder.name}/clip-01.wav")
    QApplication.processEvents()
    item = win.current_item()
    for field_id in ("sha256", "file", "archive"):
        field = win.detail.fields[field_id]
        assert field.isVisible()
        assert field.height() >= field.document().size().height(), f"{field_id} is clipped"
    sha = win.detail.fields["sha256"]
    assert sha.text() == item.rec.sha256
    sha.selectAll()
    sha.copy()
    assert QApplication.clipboard().text() == item.rec.sha256, "copied whole, no break inserted"
    QApplication.clipboard().clear()
    win.detail.fields["file"].copy_value()  # the context menu's "Copy the Whole Value"
    assert QApplication.clipboard().text() == item.rec.member_path
    assert win.detail.spectrogram.height() >= 130, "the spectrogram is not squashed"
    assert win.width() <= 1024, "the window fits a 1024-pixel screen"


def test_the_detail_lets_go_of_a_recording_the_search_hides(opened, qtbot):
    win, folder = opened
    win.select_key(f"{folder.name}/clip-01.wav")
    win.filter_bar.search.setText("no-such-words")
    win.filter_bar._emit()
    assert win.proxy.rowCount() == 0
    assert win.detail.item is None and "hidden by the filters" in win.detail.empty_text()
    win.filter_bar.clear()
    win.select_key(f"{folder.name}/clip-01.wav")
    win.filter_bar.search.setText("clip-01")
    win.filter_bar._emit()
    assert win.detail.item.rec.key == f"{folder.name}/clip-01.wav", "a row the search keeps stays shown"
    assert "file path" in win.detail.fields["match"].text()
    tip = win.proxy.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "found in: file path" in tip


def test_ctrl_e_in_the_search_box_opens_the_export_counting_the_list(opened, qtbot):
    from voicearchive.gui.export_dialog import SCOPE_FILTERED, ExportDialog

    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    win, _folder = opened
    # On X11 a line edit claims Ctrl+E ("end of line") in its ShortcutOverride; the filter bar keeps it
    # from doing so for the window's own shortcuts (offscreen Qt has no such binding to show it).
    override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert win.filter_bar.eventFilter(win.filter_bar.search, override) is True
    plain = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert win.filter_bar.eventFilter(win.filter_bar.search, plain) is False, "Ctrl+A still selects the text"
    win.filter_bar.focus_search()
    assert win.filter_bar.search.hasFocus()
    qtbot.keyClick(win.filter_bar.search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog) and w.isVisible()]
    assert dialogs, "Ctrl+E opened the export with the search box focused"
    button = dialogs[0].scope_buttons[SCOPE_FILTERED]
    assert button.isEnabled() and f"({win.proxy.rowCount()})" in button.text()
    for d in dialogs:
        d.close()


def test_review_and_playback_items_wait_for_an_archive(window, qtbot, tmp_path):  # noqa: F811
    for action_id in ("next", "previous", "next_flagged", "flag", "mark_owner", "play_pause", "seek_back",
                      "seek_forward", "export_csv"):
        assert not window.actions[action_id].isEnabled(), action_id
    folder = make_wav_folder(tmp_path / "e", count=2, broken=False)
    open_and_wait(qtbot, window, [folder], tmp_path / "c.vacase")
    for action_id in ("next", "flag", "play_pause", "seek_forward"):
        assert window.actions[action_id].isEnabled(), action_id
    window.close_case()
    assert not window.actions["play_pause"].isEnabled() and not window.actions["next"].isEnabled()


def test_another_voice_is_marked_in_the_row_and_on_the_spectrogram(opened):
    from voicearchive.gui.recordings_model import column

    win, folder = opened
    key = f"{folder.name}/clip-02.wav"
    item = win.model.item_by_key(key)
    item.voice = VoiceResult(key, group=0, group_name="Voice A", other_voice_spans=[(0.1, 0.3)])
    win.model.upsert([item])
    win.select_key(key)
    index = win.model.index(win.model.row_of(key), column("voice"))
    assert "another voice" in index.data()
    assert "0.1 s–0.3 s" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert [r.getRegion() for r in win.detail._spec_spans] == [(0.1, 0.3)]


def test_typed_dates_filter_and_the_calendar_opens_at_the_archive(opened, qtbot):
    from datetime import date

    win, _folder = opened
    field = win.filter_bar.date_from
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, "2026-09-10")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert win.proxy.filters.date_from == date(2026, 9, 10)
    field.setDate(None)
    assert win.proxy.filters.date_from is None
    first = min(i.rec.recorded_at for i in win.model.items() if i.rec.recorded_at).astimezone().date()
    field._open_page()
    assert (field.calendar.yearShown(), field.calendar.monthShown()) == (first.year, first.month)
    from PySide6.QtCore import QDate
    from PySide6.QtGui import QFont

    weight = field.calendar.dateTextFormat(QDate(first.year, first.month, first.day)).fontWeight()
    assert weight == QFont.Weight.Bold, "days with recordings are bold"


def test_a_months_bar_on_the_timeline_lists_that_month(opened):
    from datetime import date

    win, _folder = opened
    win.tabs.setCurrentIndex(2)
    win.timeline_view.rangeActivated.emit(date(2026, 9, 1), date(2026, 9, 30))
    assert (win.proxy.filters.date_from, win.proxy.filters.date_to) == (date(2026, 9, 1), date(2026, 9, 30))
    assert win.tabs.currentIndex() == 0
    assert win.filter_bar.date_to.edit.text(), "the field shows the date it filters by"
