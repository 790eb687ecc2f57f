"""The owner threshold as a slider on a histogram of owner scores (the numbers the threshold decides on).

Dragging the line on the histogram or the slider below it emits ``thresholdMoved`` continuously
(for the live count of flagged recordings) and ``thresholdCommitted`` once the drag ends; keyboard
steps commit after a short pause, so arrow keys do not re-run the analysis per step.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from voicearchive.gui import pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)
from voicearchive.gui.i18n import number

LOW, HIGH = -1.0, 1.0  # the score range the slider covers (contrast scores run from -1 to 1)
STEPS = 400  # slider positions: 0.005 per step
BINS = 40
COMMIT_DELAY_MS = 400
FLAGGED_COLOUR = "#D55E00"
KEPT_COLOUR = "#0072B2"


def slider_value(threshold: float) -> int:
    t = min(max(threshold, LOW), HIGH)
    return round((t - LOW) / (HIGH - LOW) * STEPS)


def slider_threshold(value: int) -> float:
    return round(LOW + (HIGH - LOW) * value / STEPS, 4)


class ThresholdHistogram(QWidget):
    thresholdMoved = Signal(float)
    thresholdCommitted = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        palette = self.palette()
        self.plot = pg.PlotWidget(self, background=palette.color(QPalette.ColorRole.Base))
        self.plot.setAccessibleName(self.tr("Histogram of owner scores"))
        self.plot.setAccessibleDescription(
            self.tr("How many recordings have each owner score; left of the line is flagged.")
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setLabel("bottom", self.tr("Owner score (against the owner or the closest household voice)"))
        self.plot.setLabel("left", self.tr("Recordings"))
        self.plot.setXRange(LOW, HIGH, padding=0.02)
        self.plot.setYRange(0, 1, padding=0.05)
        self.plot.setMinimumHeight(120)
        for axis in ("left", "bottom"):
            self.plot.getPlotItem().getAxis(axis).enableAutoSIPrefix(False)  # never "Recordings (x0.001)"
        # Before any recording has a score, the plot says what it will show.
        self.empty_note = pg.TextItem(
            self.tr("Each recording's owner score appears here once the voices are analysed."),
            anchor=(0.5, 0.5), color=palette.color(QPalette.ColorRole.Text),
        )
        self.empty_note.setPos((LOW + HIGH) / 2, 0.5)
        self.empty_note.textItem.setTextWidth(340)
        self.plot.addItem(self.empty_note, ignoreBounds=True)
        self.plot.getPlotItem().getAxis("left").setStyle(showValues=False)  # until there are counts
        self._bars = pg.BarGraphItem(x0=[], x1=[], height=[], brushes=[])
        self.plot.addItem(self._bars)
        self._owner = pg.PlotDataItem(stepMode="center", pen=pg.mkPen(palette.color(QPalette.ColorRole.Text), width=1.5,
                                                                     style=Qt.PenStyle.DashLine))
        self.plot.addItem(self._owner)
        self.legend = QLabel(self.tr("Bars: the recordings the threshold decides (orange = flagged); "
                                     "your own decisions are counted apart. Dashed: the owner's own recordings."), self)
        self.legend.setAccessibleName(self.tr("Histogram legend"))
        self.legend.setWordWrap(True)
        self._line = pg.InfiniteLine(
            pos=0.75, angle=90, movable=True, bounds=(LOW, HIGH),
            pen=pg.mkPen(palette.color(QPalette.ColorRole.Text), width=2),
            hoverPen=pg.mkPen(QColor(FLAGGED_COLOUR), width=3),
        )
        self._line.sigPositionChanged.connect(self._on_line_moved)
        self._line.sigPositionChangeFinished.connect(self._on_line_released)
        self.plot.addItem(self._line)

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, STEPS)
        self.slider.setSingleStep(1)
        self.slider.setPageStep(10)
        self.slider.setAccessibleName(self.tr("Owner threshold"))
        self.slider.setToolTip(self.tr("Recordings less similar to the owner than this are flagged"))
        self.slider.valueChanged.connect(self._on_slider_changed)
        self.slider.sliderReleased.connect(self._commit)
        self.value_label = QLabel(self)
        self.value_label.setAccessibleName(self.tr("Threshold value"))
        self.value_label.setMinimumWidth(48)

        self._commit_timer = QTimer(self)
        self._commit_timer.setSingleShot(True)
        self._commit_timer.setInterval(COMMIT_DELAY_MS)
        self._commit_timer.timeout.connect(self._commit)

        row = QHBoxLayout()
        caption = QLabel(self.tr("&Threshold:"), self)
        caption.setBuddy(self.slider)
        row.addWidget(caption)
        row.addWidget(self.slider, 1)
        row.addWidget(self.value_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        layout.addLayout(row)

        self._threshold = 0.75
        self._committed: float | None = None
        self.set_threshold(self._threshold)

    # ------------------------------------------------------------------------------------------- API
    def threshold(self) -> float:
        return self._threshold

    def set_scores(self, scores: np.ndarray, owner_scores: np.ndarray | None = None) -> None:
        """Draw the histogram of ``scores`` and, dashed, of the owner's own ``owner_scores``.

        Values outside [-1, 1] are clipped to its ends.
        """
        edges = np.linspace(LOW, HIGH, BINS + 1)
        self._counts, _ = np.histogram(np.clip(np.asarray(scores, dtype=np.float64), LOW, HIGH), bins=edges)
        self._edges = edges
        owner = np.asarray(owner_scores if owner_scores is not None else [], dtype=np.float64)
        if owner.size:
            counts, _ = np.histogram(np.clip(owner, LOW, HIGH), bins=edges)
            used = np.flatnonzero(counts)
            first, last = used[0], used[-1] + 1  # outline only where the owner's scores are
            self._owner.setData(edges[first : last + 1], counts[first:last])
        else:
            self._owner.setData([], [])
        top = int(self._counts.max()) if self._counts.size else 0
        if owner.size:
            top = max(top, int(counts.max()))
        self.empty_note.setVisible(top == 0)
        left = self.plot.getPlotItem().getAxis("left")
        left.setStyle(showValues=top > 0)  # no "0.2 recordings"
        if 0 < top < 10:
            left.setTickSpacing(1, 1)  # counts: whole recordings, never "1.5"
        else:
            left.setTickSpacing()  # pyqtgraph's own steps (whole numbers from 10 up)
        self.plot.enableAutoRange(axis="y", enable=top > 0)
        if top == 0:
            self.plot.setYRange(0, 1, padding=0.05)
        self._paint_bars()

    def set_threshold(self, threshold: float) -> None:
        """Move the line and the slider without emitting anything (a refresh from the case file)."""
        self._threshold = min(max(float(threshold), LOW), HIGH)
        self._committed = self._threshold
        self._commit_timer.stop()
        self._place(self._threshold, from_line=False, from_slider=False)

    # ------------------------------------------------------------------------------------ internals
    def _place(self, threshold: float, *, from_line: bool, from_slider: bool) -> None:
        if not from_slider:
            self.slider.blockSignals(True)
            self.slider.setValue(slider_value(threshold))
            self.slider.blockSignals(False)
        if not from_line:
            self._line.blockSignals(True)
            self._line.setValue(threshold)
            self._line.blockSignals(False)
        self.value_label.setText(number(threshold, ".3f"))
        self._paint_bars()

    def _paint_bars(self) -> None:
        if not hasattr(self, "_counts"):
            return
        centres = (self._edges[:-1] + self._edges[1:]) / 2
        flagged, kept = pg.mkBrush(FLAGGED_COLOUR), pg.mkBrush(KEPT_COLOUR)
        self._bars.setOpts(
            x0=self._edges[:-1], x1=self._edges[1:], height=self._counts,
            brushes=[flagged if c < self._threshold else kept for c in centres], pen=None,
        )

    def _moved(self, threshold: float, *, from_line: bool, from_slider: bool) -> None:
        self._threshold = threshold
        self._place(threshold, from_line=from_line, from_slider=from_slider)
        self.thresholdMoved.emit(threshold)

    def _on_line_moved(self) -> None:
        self._moved(round(float(self._line.value()), 4), from_line=True, from_slider=False)

    def _on_line_released(self) -> None:
        self._commit()

    def _on_slider_changed(self, value: int) -> None:
        self._moved(slider_threshold(value), from_line=False, from_slider=True)
        if not self.slider.isSliderDown():
            self._commit_timer.start()  # keyboard or wheel: commit once the steps pause

    def _commit(self) -> None:
        self._commit_timer.stop()
        if self._committed is None or abs(self._threshold - self._committed) > 1e-9:
            self._committed = self._threshold
            self.thresholdCommitted.emit(self._threshold)
