"""The recordings list at 1024 px: flag, time, device, duration, waveform, transcript and owner score in view
without scrolling, in English and German; the transcript takes the room the pane has, until the user sizes
a column by hand (then the widths are theirs, and travel with the case)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import isolated_settings, open_and_wait  # noqa: F401 - fixtures
from voicearchive.gui import i18n
from voicearchive.gui.column_fit import FIT_COLUMNS, MIN_TRANSCRIPT
from voicearchive.gui.recordings_model import column

DEMO = sorted((Path(__file__).resolve().parents[1] / "resources" / "demo").glob("takeout-*.zip"))


def _out_of_view(win) -> list[str]:
    header = win.table.horizontalHeader()
    width = win.table.viewport().width()
    return [c for c in FIT_COLUMNS
            if header.sectionViewportPosition(column(c)) < 0
            or header.sectionViewportPosition(column(c)) + header.sectionSize(column(c)) > width]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_key_columns_fit_at_1024_px(isolated_settings, qtbot, tmp_path, qapp, lang):  # noqa: F811
    if not DEMO:
        pytest.skip("demo archive not present")
    i18n.apply_language(qapp, lang)
    try:
        from voicearchive.gui.main_window import MainWindow

        win = MainWindow(workers=1)
        qtbot.addWidget(win)
        win.resize(1024, 700)
        win.show()
        qtbot.waitExposed(win)
        assert open_and_wait(qtbot, win, DEMO, tmp_path / "demo.vacase") == "done"
        QApplication.processEvents()
        header = win.table.horizontalHeader()
        assert _out_of_view(win) == [], (lang, win.table.viewport().width())
        assert win.table.horizontalScrollBar().value() == 0
        assert header.sectionSize(column("transcript")) >= MIN_TRANSCRIPT
        narrow = header.sectionSize(column("transcript"))
        win.resize(1400, 800)  # a wider window: the transcript gets the room
        QApplication.processEvents()
        assert header.sectionSize(column("transcript")) > narrow and _out_of_view(win) == []
        header.resizeSection(column("transcript"), 222)  # by hand: kept, whatever the width
        win.resize(1100, 760)
        QApplication.processEvents()
        assert header.sectionSize(column("transcript")) == 222
        win.close_case()
    finally:
        i18n.apply_language(qapp, "en")
