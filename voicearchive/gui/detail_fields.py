"""The pieces of the detail view's text: the note editor, a value field, and the Flag and no-audio lines."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QGuiApplication, QKeyEvent, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QTextEdit, QWidget

from voicearchive.model import CaseItem

from .i18n import ui


def tr(text: str) -> str:
    return QCoreApplication.translate("DetailView", text)  # one context with the detail view


class NoteEdit(QPlainTextEdit):
    """The note editor: saves on Ctrl+Return or when focus leaves; Escape puts the saved text back."""

    committed = Signal(str)
    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved = ""
        self.setTabChangesFocus(True)
        self.setPlaceholderText(tr("Your note about this recording (N to edit, Ctrl+Return to save)"))

    def set_saved_text(self, text: str) -> None:
        self._saved = text
        self.setPlainText(text)

    def commit(self) -> None:
        text = self.toPlainText().strip()
        if text != self._saved:
            self._saved = text
            self.committed.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.commit()
            self.finished.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.setPlainText(self._saved)
            self.finished.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.commit()
        super().focusOutEvent(event)


def flag_text(item: CaseItem) -> str:
    """The Flag line: the reason, or why there is none (not analysed yet, no audio, not flagged)."""
    if item.flagged:
        return ui(item.flag_reason)
    decided = item.label.flag is not None or item.label.role is not None
    if not decided and not item.rec.has_audio:
        return tr("not analysed: no audio")
    if not decided and item.voice is None:
        return tr("not analysed yet")
    return tr("not flagged")


def no_audio_text(item: CaseItem) -> str:
    """Why a recording has no waveform: the archive's problem with it, or that only its text was kept."""
    if item.rec.problem:
        return tr("No audio to show: %1").replace("%1", ui(item.rec.problem))
    return tr("No audio to show: the archive holds only the text of this recording.")


class ValueField(QTextEdit):
    """One value of the recording: plain text, selectable and copied whole, wrapped to the panel's width.

    Paths and hashes (``anywhere``) break at any character, so they are never cut off; the field is
    as tall as its text, so the panel scrolls instead of clipping a second line.
    """

    def __init__(self, name: str, parent: QWidget | None = None, *, anywhere: bool = False) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere if anywhere
                             else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes from the list to the note, not through every value
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(170)  # narrower, the form puts the value under its name (long values wrap)
        self.document().setDocumentMargin(1)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextEdit { background: transparent; }")
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's name, kept for callers)
        self.setPlainText(text)  # evidence is data: never rich text
        self.setToolTip("")
        self._fit()

    def copy_value(self) -> None:
        """Put the whole value on the clipboard (no selection needed)."""
        QGuiApplication.clipboard().setText(self.toPlainText())

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        menu = self.createStandardContextMenu()
        whole = QAction(tr("Copy the Whole Value"), menu)
        whole.triggered.connect(self.copy_value)
        menu.insertAction(menu.actions()[0] if menu.actions() else None, whole)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _fit(self) -> None:
        height = int(self.document().size().height() + 0.999) + 2 * self.frameWidth()
        if height != self.height():
            self.setFixedHeight(max(height, self.fontMetrics().height()))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()
