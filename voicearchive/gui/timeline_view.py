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
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from voicearchive.gui import pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)
from voicearchive.gui.i18n import day_month, month, number, when
from voicearchive.gui.timeline_data import (
    DAY,
    MONTH,
    NIGHT_END,
    NIGHT_START,
    WEEK,
    YEAR,
    TimelineData,
    bins,
    local_zone,
)
from voicearchive.gui.tooltips import plain_tooltip
from voicearchive.model import CaseItem

FLAGGED_COLOUR = "#D55E00"
NORMAL_COLOUR = "#0072B2"
NIGHT_SHADE = (90, 90, 140, 45)


def _clamp_ordinal(value: float) -> int:
    return int(min(max(round(value), 1), date.max.toordinal()))


# Tick steps from a day to fifty years: (kind, count, typical length in days).
_STEPS = (("d", 1, 1), ("d", 2, 2), ("d", 7, 7), ("d", 14, 14), ("m", 1, 30), ("m", 3, 91), ("m", 6, 182),
          ("y", 1, 365), ("y", 2, 730), ("y", 5, 1826), ("y", 10, 3652), ("y", 20, 7305), ("y", 50, 18262))


def day_ticks(low: float, high: float, most: int) -> tuple[int, list[int]]:
    """Ticks on whole days, months or years between ``low`` and ``high`` (ordinals): (step in days, ticks)."""
    first, last = date.fromordinal(_clamp_ordinal(low)), date.fromordinal(_clamp_ordinal(high))
    for kind, count, length in _STEPS:
        if (last - first).days / length > most:
            continue
        ticks = []
        if kind == "d":
            start = first.toordinal() + (-first.toordinal()) % count if count < 7 else \
                first.toordinal() + (-first.weekday()) % 7  # weeks start on Mondays
            ticks = list(range(start, last.toordinal() + 1, count))
        else:
            year, month = first.year, first.month
            while True:
                if kind == "m" and (month - 1) % count == 0 or kind == "y" and month == 1 and year % count == 0:
                    tick = date(year, month, 1)
                    if tick > last:
                        break
                    if tick >= first:
                        ticks.append(tick.toordinal())
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
                if year > last.year:
                    break
        return length, ticks
    return 18262, []


class DayAxis(pg.AxisItem):
    """An axis of day ordinals written as dates: days, months or years, as the range needs (locale names)."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph's names)
        if maxVal <= minVal:
            return []
        step, ticks = day_ticks(minVal, maxVal, max(2, int(size / 90)))
        return [(float(step), [float(t) for t in ticks])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        days = [date.fromordinal(_clamp_ordinal(v)) for v in values]
        if spacing < 30:
            return [day_month(day) for day in days]  # "02 Sep" / "2. Sept."
        if spacing < 365:
            return [f"{month(day.month)} {day.year}" for day in days]
        return [str(day.year) for day in days]


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


def _swatch(colour: QColor, round_dot: bool) -> QLabel:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 0))
    painter.setBrush(colour)
    if round_dot:
        painter.drawEllipse(2, 2, 10, 10)
    else:
        painter.drawRect(0, 2, 14, 10)
    painter.end()
    label = QLabel()
    label.setPixmap(pixmap)
    return label


class TimelineView(QWidget):
    recordingActivated = Signal(str)
    dayActivated = Signal(object)  # datetime.date: a day's bar was clicked
    rangeActivated = Signal(object, object)  # first, last day (inclusive): a week's, month's or year's bar

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
        self.bins = bins(self.data)
        self.legend = QHBoxLayout()
        self.legend.setSpacing(4)
        for colour, round_dot, text in (
            (QColor(NORMAL_COLOUR), True, self.tr("recording, not flagged")),
            (QColor(FLAGGED_COLOUR), True, self.tr("flagged")),
            (QColor(*NIGHT_SHADE[:3], 110), False, self.tr("night (22:00–06:00)")),
        ):
            self.legend.addWidget(_swatch(colour, round_dot))
            caption = QLabel(text, self)
            caption.setAccessibleName(self.tr("Legend: %1").replace("%1", text))
            self.legend.addWidget(caption)
            self.legend.addSpacing(14)
        self.bars_caption = QLabel(self)
        self.bars_caption.setAccessibleName(self.tr("What the bars count"))
        self.legend.addWidget(self.bars_caption)
        self.legend.addStretch(1)

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
        for plot in (self.per_day, self.scatter):
            plot.getAxis("left").enableAutoSIPrefix(False)
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
        layout.addLayout(self.legend)
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
        """Where the bar holding ``day`` sits in the bars plot (data coordinates), for tests and tours."""
        i = self.bins.at(day)
        if i < 0:
            return QPointF(day.toordinal(), 0)
        centre = (self.bins.starts[i].toordinal() + self.bins.lasts[i].toordinal()) / 2
        return QPointF(centre, self.bins.totals[i] / 2)

    # ------------------------------------------------------------------------------------ internals
    def _show(self) -> None:
        self._stale = False
        d = self.data = TimelineData.from_items(self._items, self._zone)
        for flagged, dots in self._dots.items():
            rows = np.flatnonzero(d.flagged == flagged)
            dots.setData(x=d.days[rows].astype(float), y=d.hours[rows], data=rows)
        b = self.bins = bins(d)
        starts = np.array([s.toordinal() for s in b.starts], dtype=float)
        lengths = np.array([last.toordinal() - s.toordinal() + 1 for s, last in zip(b.starts, b.lasts)], dtype=float)
        xs = starts + (lengths - 1) / 2
        self._day_bars.setOpts(x=xs, height=b.totals, width=lengths * 0.8)
        self._day_flagged.setOpts(x=xs, height=b.flagged, width=lengths * 0.8)
        self.per_day.setLabel("left", self._per_text(b.unit))
        self.bars_caption.setText(self._bars_text(b.unit))
        centres = np.arange(24) + 0.5
        self._hour_bars.setOpts(y=centres, width=d.hour_totals)
        self._hour_flagged.setOpts(y=centres, width=d.hour_flagged)
        if len(starts):
            self.scatter.setXRange(starts.min() - 1, (starts + lengths).max(), padding=0.02)
        else:  # nothing dated: a quiet month around today, not ordinals near zero
            today = date.today().toordinal()
            self.scatter.setXRange(today - 15, today + 15, padding=0)
        self.scatter.setYRange(0, 24, padding=0.02)
        self.summary.setText(self._summary_text(d))

    def _per_text(self, unit: str) -> str:
        return {DAY: self.tr("per day"), WEEK: self.tr("per week"), MONTH: self.tr("per month"),
                YEAR: self.tr("per year")}[unit]

    def _bars_text(self, unit: str) -> str:
        return {DAY: self.tr("Bars: recordings per day (click one to list that day)"),
                WEEK: self.tr("Bars: recordings per week (click one to list that week)"),
                MONTH: self.tr("Bars: recordings per month (click one to list that month)"),
                YEAR: self.tr("Bars: recordings per year (click one to list that year)")}[unit]

    def _summary_text(self, d: TimelineData) -> str:
        if not d.keys:
            text = self.tr("No recording has a known time.")
        else:
            n, days = len(d.keys), len(d.day_totals)
            recordings = self.tr("1 recording") if n == 1 else self.tr("%1 recordings").replace("%1", number(n))
            on_days = self.tr("on 1 day") if days == 1 else self.tr("on %1 days").replace("%1", number(days))
            text = (
                self.tr("%1 %2, %3 flagged (%4 of them at night, 22:00–06:00).")
                .replace("%1", recordings).replace("%2", on_days)
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
        day = date.fromordinal(int(x))
        moment = datetime(day.year, day.month, day.day, int(h) % 24, int(h % 1 * 60))
        return plain_tooltip(f"{self.data.keys[row]}\n{when(moment)}")

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
        day = date.fromordinal(_clamp_ordinal(point.x()))
        i = self.bins.at(day)
        if i < 0 or not 0 <= point.y() <= self.bins.totals[i] * 1.05 + 0.5:
            return
        if self.bins.unit == DAY:
            self.dayActivated.emit(day)
        else:
            self.rangeActivated.emit(self.bins.starts[i], self.bins.lasts[i])
