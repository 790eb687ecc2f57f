"""The timeline: when the assistant recorded, day by day and hour by hour, flagged recordings in colour.

The large plot puts each recording at its local day (across) and hour of day (up); the night hours
are shaded, so a stranger's voice at 3 a.m. stands out. Below it, recordings per day; beside it,
recordings per hour of day; flagged ones are stacked in the warning colour. Click a dot to select the
recording, or a day's bar to filter the list to that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from voicearchive.gui import pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)
from voicearchive.gui.i18n import day_month, number, when
from voicearchive.gui.timeline_data import NIGHT_END, NIGHT_START, TimelineData, local_zone
from voicearchive.model import CaseItem

FLAGGED_COLOUR = "#D55E00"
NORMAL_COLOUR = "#0072B2"
NIGHT_SHADE = (90, 90, 140, 45)


class DayAxis(pg.AxisItem):
    """An axis of day ordinals written as dates."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        out = []
        for v in values:
            try:
                day = date.fromordinal(int(round(v)))
                out.append(when(datetime(day.year, day.month, day.day), with_time=False) if spacing >= 60
                           else day_month(day))
            except (ValueError, OverflowError):
                out.append("")
        return out


class HourAxis(pg.AxisItem):
    """An axis of hours of the day, written as 00:00 ... 24:00."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph's names)
        return [(6.0, [0, 6, 12, 18, 24]), (3.0, [3, 9, 15, 21])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802
        return [f"{int(v) % 25:02d}:00" for v in values]


def _plot(parent: QWidget, name: str, axes: dict) -> pg.PlotWidget:
    plot = pg.PlotWidget(parent, background=parent.palette().color(QPalette.ColorRole.Base), axisItems=axes)
    plot.setAccessibleName(name)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def _shade_night(plot: pg.PlotWidget) -> None:
    """Shade the night hours (22:00-06:00) of a plot whose vertical axis is the hour of day."""
    for low, high in ((0, NIGHT_END), (NIGHT_START, 24)):
        band = pg.LinearRegionItem((low, high), orientation="horizontal", movable=False,
                                   brush=pg.mkBrush(*NIGHT_SHADE), pen=pg.mkPen(None))
        band.setZValue(-10)
        plot.addItem(band)


class TimelineView(QWidget):
    recordingActivated = Signal(str)
    dayActivated = Signal(object)  # datetime.date

    def __init__(self, parent: QWidget | None = None, zone: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Timeline"))
        self._zone = zone or local_zone()
        self._items: list[CaseItem] = []
        self._stale = False
        self.data = TimelineData.from_items([], self._zone)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Timeline summary"))

        self.scatter = _plot(self, self.tr("Recordings by day and hour"),
                             {"bottom": DayAxis("bottom"), "left": HourAxis("left")})
        self.scatter.setAccessibleDescription(
            self.tr("Each dot is a recording at its day and hour; flagged recordings are orange, night is shaded.")
        )
        self.scatter.setLimits(yMin=-0.5, yMax=24.5)
        self.scatter.setMouseEnabled(x=True, y=False)
        self.scatter.setYRange(0, 24, padding=0.02)
        _shade_night(self.scatter)
        self._dots = {
            flagged: pg.ScatterPlotItem(size=7, pen=None, hoverable=True, tip=self._tip,
                                        brush=pg.mkBrush(FLAGGED_COLOUR if flagged else NORMAL_COLOUR))
            for flagged in (False, True)
        }
        for flagged, dots in self._dots.items():
            dots.setZValue(2 if flagged else 1)
            dots.sigClicked.connect(self._on_dot_clicked)
            self.scatter.addItem(dots)

        self.per_day = _plot(self, self.tr("Recordings per day"), {"bottom": DayAxis("bottom")})
        self.per_day.setMouseEnabled(x=True, y=False)
        self.per_day.setXLink(self.scatter)
        self.per_day.setLabel("left", self.tr("per day"))
        self.per_day.setMaximumHeight(170)
        self._day_bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=NORMAL_COLOUR, pen=None)
        self._day_flagged = pg.BarGraphItem(x=[], height=[], width=0.8, brush=FLAGGED_COLOUR, pen=None)
        self.per_day.addItem(self._day_bars)
        self.per_day.addItem(self._day_flagged)
        self.per_day.scene().sigMouseClicked.connect(self._on_day_clicked)

        self.per_hour = _plot(self, self.tr("Recordings per hour of day"), {"left": HourAxis("left")})
        self.per_hour.setMouseEnabled(x=False, y=False)
        self.per_hour.setYLink(self.scatter)
        self.per_hour.setMaximumWidth(200)
        self.per_hour.hideAxis("left")
        _shade_night(self.per_hour)
        for plot in (self.scatter, self.per_day):  # equal widths keep the day columns aligned
            plot.getAxis("left").setWidth(56)
        self._hour_bars = pg.BarGraphItem(x0=0, y=[], height=0.8, width=[], brush=NORMAL_COLOUR, pen=None)
        self._hour_flagged = pg.BarGraphItem(x0=0, y=[], height=0.8, width=[], brush=FLAGGED_COLOUR, pen=None)
        self.per_hour.addItem(self._hour_bars)
        self.per_hour.addItem(self._hour_flagged)

        grid = QGridLayout()
        grid.addWidget(self.scatter, 0, 0)
        grid.addWidget(self.per_hour, 0, 1)
        grid.addWidget(self.per_day, 1, 0)
        grid.setRowStretch(0, 3)
        grid.setColumnStretch(0, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)
        self._show()

    # ------------------------------------------------------------------------------------------ API
    def set_items(self, items: Iterable[CaseItem]) -> None:
        """Show ``items`` (drawn now if the view is visible, else when it is next shown)."""
        self._items = list(items)
        self._stale = True
        if self.isVisible():
            self._show()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._show()

    def day_position(self, day: date) -> QPointF:
        """Where the bar of ``day`` sits in the per-day plot (data coordinates), for tests and tours."""
        return QPointF(day.toordinal(), self.data.day_totals.get(day, 0) / 2)

    # ------------------------------------------------------------------------------------ internals
    def _show(self) -> None:
        self._stale = False
        d = self.data = TimelineData.from_items(self._items, self._zone)
        for flagged, dots in self._dots.items():
            rows = np.flatnonzero(d.flagged == flagged)
            dots.setData(x=d.days[rows].astype(float), y=d.hours[rows], data=rows)
        days = sorted(d.day_totals)
        xs = np.array([day.toordinal() for day in days], dtype=float)
        self._day_bars.setOpts(x=xs, height=[d.day_totals[day] for day in days])
        self._day_flagged.setOpts(x=xs, height=[d.day_flagged.get(day, 0) for day in days])
        centres = np.arange(24) + 0.5
        self._hour_bars.setOpts(y=centres, width=d.hour_totals)
        self._hour_flagged.setOpts(y=centres, width=d.hour_flagged)
        if len(xs):
            self.scatter.setXRange(xs.min() - 1, xs.max() + 1, padding=0.02)
        self.scatter.setYRange(0, 24, padding=0.02)
        self.summary.setText(self._summary_text(d))

    def _summary_text(self, d: TimelineData) -> str:
        if not d.keys:
            text = self.tr("No recording has a known time.")
        else:
            text = (
                self.tr("%1 recordings on %2 days, %3 flagged (%4 of them at night, 22:00–06:00).")
                .replace("%1", number(len(d.keys))).replace("%2", number(len(d.day_totals)))
                .replace("%3", number(int(d.flagged.sum()))).replace("%4", number(d.flagged_at_night))
            )
        if d.undated:
            text += " " + self.tr("%1 without a known time are not shown.").replace("%1", number(d.undated))
        return text

    def _tip(self, x: float, y: float, data: int) -> str:
        row = int(data)
        if not 0 <= row < len(self.data.keys):
            return ""
        h = self.data.hours[row]
        return f"{self.data.keys[row]}\n{date.fromordinal(int(x)).isoformat()} {int(h):02d}:{int(h % 1 * 60):02d}"

    def _on_dot_clicked(self, _item, points, event) -> None:
        if len(points) == 0:
            return
        where = event.pos()
        nearest = min(points, key=lambda p: (p.pos().x() - where.x()) ** 2 + (p.pos().y() - where.y()) ** 2)
        self.recordingActivated.emit(self.data.keys[int(nearest.data())])

    def _on_day_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.per_day.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        point = vb.mapSceneToView(event.scenePos())
        day = date.fromordinal(int(round(point.x())))
        if day in self.data.day_totals and 0 <= point.y() <= self.data.day_totals[day] * 1.05 + 0.5:
            self.dayActivated.emit(day)
