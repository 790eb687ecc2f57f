"""The 2-D map of voices: one dot per recording, coloured by voice group; click a dot to pick it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from voicearchive.gui import pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)
from voicearchive.gui import plain
from voicearchive.gui.voices_data import UNIQUE_GROUP

# Okabe-Ito and friends: distinguishable for most colour-vision deficiencies, on light and dark.
_PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#F0E442", "#8C6BB1", "#1B9E77", "#E7298A", "#A6761D", "#66A61E",
)
UNIQUE_COLOUR = "#9A9A9A"
DOT_SIZE = 7
SELECTED_SIZE = 16


def group_colour(group: int) -> QColor:
    """The colour of a voice group: stable for a group id across refreshes."""
    if group == UNIQUE_GROUP:
        return QColor(UNIQUE_COLOUR)
    return QColor(_PALETTE[group % len(_PALETTE)])


class VoiceMap(pg.PlotWidget):
    """A scatter plot of recordings; emits ``recordingClicked(key)`` when a dot is clicked."""

    recordingClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=parent.palette().color(QPalette.ColorRole.Base) if parent else "w")
        self.setAccessibleName(self.tr("Map of voices"))
        self.setAccessibleDescription(
            self.tr("Each dot is a recording, coloured by voice group; similar voices lie close together.")
        )
        self.setMenuEnabled(False)
        self.hideButtons()
        for axis in ("left", "bottom"):
            self.hideAxis(axis)
        self.setAspectLocked(True)
        self._keys: list[str] = []
        self._points = np.zeros((0, 2), dtype=np.float32)
        self._index: dict[str, int] = {}
        self._items: dict[int, pg.ScatterPlotItem] = {}
        self._selected = pg.ScatterPlotItem(
            size=SELECTED_SIZE, pen=pg.mkPen(self.palette().color(QPalette.ColorRole.Text), width=2), brush=None
        )
        self._selected.setZValue(10)
        self.addItem(self._selected)
        self.selected_key: str | None = None
        self.describe: Callable[[str], str] | None = None  # a dot's tooltip text, from its key

    # ------------------------------------------------------------------------------------------ data
    def set_data(self, keys: Sequence[str], points: np.ndarray, groups: np.ndarray) -> None:
        """Show ``points`` ((n, 2)) for recordings ``keys`` in voice ``groups`` ((n,) int)."""
        for item in self._items.values():
            self.removeItem(item)
        self._items.clear()
        self._keys = list(keys)
        self._points = np.asarray(points, dtype=np.float32).reshape(-1, 2)
        self._index = {k: i for i, k in enumerate(self._keys)}
        # One item per group: a uniform brush is far cheaper than per-dot brushes at 100k dots.
        for gid in np.unique(groups):
            rows = np.flatnonzero(groups == gid)
            colour = group_colour(int(gid))
            item = pg.ScatterPlotItem(
                x=self._points[rows, 0],
                y=self._points[rows, 1],
                data=rows,
                size=DOT_SIZE,
                pen=None,
                brush=pg.mkBrush(colour),
                hoverable=True,
                tip=self._tip,
            )
            item.setZValue(0 if gid == UNIQUE_GROUP else 1)
            item.sigClicked.connect(self._on_clicked)
            self.addItem(item)
            self._items[int(gid)] = item
        if self.selected_key not in self._index:
            self.select(None)
        else:
            self.select(self.selected_key)
        self.autoRange(padding=0.08)

    def point_of(self, key: str) -> QPointF | None:
        """Where the dot of ``key`` lies, in data coordinates."""
        row = self._index.get(key)
        if row is None:
            return None
        x, y = self._points[row]
        return QPointF(float(x), float(y))

    def select(self, key: str | None) -> None:
        """Ring the dot of ``key`` (None clears the ring)."""
        point = self.point_of(key) if key else None
        self.selected_key = key if point is not None else None
        if point is None:
            self._selected.setData([], [])
        else:
            self._selected.setData([point.x()], [point.y()])

    def emphasise(self, group: int | None) -> None:
        """Fade every group except ``group`` (None shows all groups fully)."""
        for gid, item in self._items.items():
            item.setOpacity(1.0 if group is None or gid == group else 0.2)

    # -------------------------------------------------------------------------------------- internals
    def _tip(self, x: float, y: float, data: int) -> str:
        if not 0 <= int(data) < len(self._keys):
            return ""
        key = self._keys[int(data)]
        return plain.tooltip(self.describe(key) if self.describe is not None else key)

    def _on_clicked(self, _item: pg.ScatterPlotItem, points, event) -> None:
        if len(points) == 0:
            return
        # Overlapping dots: take the one nearest to where the click landed.
        where = event.pos()
        nearest = min(points, key=lambda p: (p.pos().x() - where.x()) ** 2 + (p.pos().y() - where.y()) ** 2)
        key = self._keys[int(nearest.data())]
        self.select(key)
        self.recordingClicked.emit(key)
