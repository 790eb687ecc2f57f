"""A one-line label whose text never changes the layout: too long, it is shortened in the middle (…).

The whole text stays in the tooltip and is what ``text()`` returns; it is shown as plain text, on one line
with control characters and bidi controls escaped (``safe_text.display``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from voicearchive.safe_text import display

from .tooltips import plain_tooltip


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # its width is the layout's
        self.setMinimumWidth(1)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        self._full = text
        self.setToolTip(plain_tooltip(text))
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), self.fontMetrics().height() + 4)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(display(self._full), Qt.TextElideMode.ElideMiddle, max(self.width(), 1))
        super().setText(shown)
