"""Waveform thumbnails in the recordings table, painted from the cached envelope.

Nothing per row lives in a widget: the delegate paints a pixmap per visible cell. Pixmaps and the
envelopes behind them are kept in small LRU caches keyed by content hash and cell size, so scrolling
through 100,000 rows only ever renders what comes into view, once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from voicearchive.model import CaseItem

from .recordings_model import ItemRole

EnvelopeSource = Callable[[str], "np.ndarray | None"]  # sha256 -> (bins, 2) min/max, or None


class LRU(OrderedDict):
    """A tiny least-recently-used cache."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def get_item(self, key):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return None

    def put(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.capacity:
            self.popitem(last=False)


_MISSING = object()


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a min/max waveform of the recording; a quiet dash while it is not analysed yet."""

    def __init__(self, envelope_source: EnvelopeSource, parent=None, *, capacity: int = 2000) -> None:
        super().__init__(parent)
        self._source = envelope_source
        self._pixmaps: LRU = LRU(capacity)
        self._envelopes: LRU = LRU(capacity)
        self.renders = 0  # pixmaps drawn so far (for the benchmark and tests)

    def set_envelope_source(self, source: EnvelopeSource) -> None:
        self._source = source
        self.clear_cache()

    def clear_cache(self) -> None:
        self._pixmaps.clear()
        self._envelopes.clear()

    def forget(self, sha256: str) -> None:
        """Drop what is cached for one recording (its envelope arrived or changed)."""
        self._envelopes.pop(sha256, None)
        for key in [k for k in self._pixmaps if k[0] == sha256]:
            del self._pixmaps[key]

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return QSize(120, 24)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        item: CaseItem | None = index.data(ItemRole)
        if item is None:
            return
        rect = opt.rect.adjusted(3, 2, -3, -2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        colour = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        envelope = self._envelope(item.rec.sha256) if item.rec.sha256 and not item.rec.problem else None
        if envelope is None:
            painter.save()
            faint = QColor(colour)
            faint.setAlphaF(0.35)
            painter.setPen(faint)
            painter.drawLine(rect.left(), rect.center().y(), rect.right(), rect.center().y())
            painter.restore()
            return
        if rect.width() <= 2 or rect.height() <= 2:
            return
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        cache_key = (item.rec.sha256, rect.width(), rect.height(), colour.rgba(), round(dpr * 100))
        pixmap = self._pixmaps.get_item(cache_key)
        if pixmap is None:
            pixmap = render_envelope(envelope, rect.size(), colour, dpr)
            self._pixmaps.put(cache_key, pixmap)
            self.renders += 1
        painter.drawPixmap(rect.topLeft(), pixmap)
        _shade_other_voices(painter, rect, item)


    def _envelope(self, sha256: str) -> np.ndarray | None:
        cached = self._envelopes.get_item(sha256)
        if cached is _MISSING:
            return None
        if cached is not None:
            return cached
        try:
            envelope = self._source(sha256)
        except Exception:  # a broken cache entry must never break painting
            envelope = None
        if envelope is None or len(envelope) == 0:
            # Not analysed yet: do not remember, the next paint may find it.
            return None
        self._envelopes.put(sha256, np.asarray(envelope, dtype=np.float32))
        return self._envelopes.get_item(sha256)


def render_envelope(envelope: np.ndarray, size: QSize, colour: QColor, dpr: float = 1.0) -> QPixmap:
    """A transparent pixmap of ``size`` with the min/max envelope drawn as a filled band."""
    width = max(1, int(size.width() * dpr))
    height = max(1, int(size.height() * dpr))
    pixmap = QPixmap(width, height)
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    env = np.asarray(envelope, dtype=np.float32).reshape(-1, 2)
    # One min/max pair per device pixel column (reduceat repeats a bin when there are fewer bins).
    starts = np.minimum(np.linspace(0, len(env), width, endpoint=False).astype(int), len(env) - 1)
    lows = np.minimum.reduceat(env[:, 0], starts)
    highs = np.maximum.reduceat(env[:, 1], starts)
    peak = float(max(np.max(np.abs(env)), 1e-6))
    scale = min(1.0 / peak, 4.0)  # fill the cell; quiet clips are lifted at most four times
    mid = size.height() / 2.0
    half = size.height() / 2.0 - 0.5
    xs = np.arange(width, dtype=np.float64) / dpr
    top = [QPointF(x, mid - float(h) * scale * half) for x, h in zip(xs, highs)]
    bottom = [QPointF(x, mid - float(lo) * scale * half) for x, lo in zip(xs[::-1], lows[::-1])]
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    path = QPainterPath()
    path.addPolygon(QPolygonF(top + bottom))
    path.closeSubpath()
    fill = QColor(colour)
    fill.setAlphaF(0.75)
    painter.fillPath(path, fill)
    painter.setPen(QColor(colour.red(), colour.green(), colour.blue(), 60))
    painter.drawLine(QPointF(0, mid), QPointF(size.width(), mid))
    painter.end()
    return pixmap


OTHER_VOICE_COLOUR = "#e67e22"


def _shade_other_voices(painter: QPainter, rect, item: CaseItem) -> None:
    """Where another voice speaks inside the recording, as on the detail view's waveform."""
    spans = item.voice.other_voice_spans if item.voice else []
    duration = item.rec.audio.duration_s if item.rec.audio else 0.0
    if not spans or duration <= 0:
        return
    colour = QColor(OTHER_VOICE_COLOUR)
    colour.setAlphaF(0.45)
    for start, end in spans:
        left = rect.left() + rect.width() * max(0.0, start) / duration
        right = rect.left() + rect.width() * min(duration, end) / duration
        if right > left:
            painter.fillRect(QRectF(left, rect.top(), max(right - left, 1.0), rect.height()), colour)
