"""The keyboard review loop: move through the list, decide, write notes, undo and redo.

Decisions go to the case file's :class:`~voicearchive.case.labels.LabelBook` (one committed, undoable
action each, also across restarts); the window refreshes the touched rows when the label book says
they changed. This class holds no state of its own beyond the window it drives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from .actions import action_def
from .actions import tr as action_tr
from .i18n import history_text

if TYPE_CHECKING:
    from .main_window import MainWindow

REVIEW_ACTIONS = ("flag", "unflag", "mark_owner", "mark_household", "mark_stranger", "clear_label", "edit_note")


def tr(text: str) -> str:
    return QCoreApplication.translate("Review", text)


class Review:
    def __init__(self, window: MainWindow) -> None:
        self.w = window

    # --- moving -----------------------------------------------------------------------------------
    def move(self, step: int) -> None:
        """Select the next (+1) or previous (-1) row of the filtered, sorted list."""
        rows = self.w.proxy.rowCount()
        if rows == 0:
            return
        current = self.w.table.selectionModel().currentIndex()
        row = current.row() + step if current.isValid() else (0 if step > 0 else rows - 1)
        self.w.select_proxy_row(min(max(row, 0), rows - 1))

    def move_flagged(self, step: int) -> None:
        """Jump to the next (+1) or previous (-1) flagged row, wrapping around once."""
        proxy = self.w.proxy
        rows = proxy.rowCount()
        if rows == 0:
            return
        current = self.w.table.selectionModel().currentIndex()
        start = current.row() if current.isValid() else (-1 if step > 0 else rows)
        for offset in range(1, rows + 1):
            row = (start + step * offset) % rows
            if proxy.source_item(row).flagged:
                self.w.select_proxy_row(row)
                return
        self.w.show_status(tr("No flagged recording in this list"))

    def select_first(self) -> None:
        """Select the first flagged row, else the first row (after opening)."""
        proxy = self.w.proxy
        for row in range(min(proxy.rowCount(), 5000)):
            if proxy.source_item(row).flagged:
                self.w.select_proxy_row(row)
                return
        self.w.select_proxy_row(0)

    # --- deciding ---------------------------------------------------------------------------------
    def set_flag(self, value: bool | None) -> None:
        keys = self._keys()
        if keys:
            self._report(self.w.labels.set_flag(keys, value), keys,
                         tr("Flagged") if value else tr("Unflagged") if value is False else tr("Flag cleared"))

    def set_role(self, role: str | None) -> None:
        keys = self._keys()
        if keys:
            self._report(self.w.labels.set_role(keys, role), keys, tr("Marked as") + f" {role}")

    def clear(self) -> None:
        """Give the selected recordings back to the automatic analysis (flag and role)."""
        keys = self._keys()
        if keys:
            self._report(self.w.labels.clear(keys), keys, tr("Decision cleared"))

    def set_note(self, key: str, text: str) -> None:
        if self.w.labels is not None:
            self.w.labels.set_note(key, text)
            self.w.show_status(tr("Note saved"))

    def undo(self) -> None:
        if self.w.labels is not None:
            action = self.w.labels.undo_action()
            done = self.w.labels.undo()
            self.w.show_status(history_text(action, True, done=True) if done and action else tr("Nothing to undo"))

    def redo(self) -> None:
        if self.w.labels is not None:
            action = self.w.labels.redo_action()
            done = self.w.labels.redo()
            self.w.show_status(history_text(action, False, done=True) if done and action else tr("Nothing to redo"))

    # --- state of the actions ---------------------------------------------------------------------
    def update_actions(self) -> None:
        """Enable what makes sense now; undo/redo say what they would do."""
        actions = getattr(self.w, "actions", None)
        if not actions:
            return
        labels = self.w.labels
        has_item = self.w.current_item() is not None and labels is not None
        for action_id in REVIEW_ACTIONS:
            actions[action_id].setEnabled(has_item)
        undo_action = labels.undo_action() if labels is not None else None
        redo_action = labels.redo_action() if labels is not None else None
        actions["undo"].setEnabled(undo_action is not None)
        actions["redo"].setEnabled(redo_action is not None)
        # "Undo flagging 3 recordings", built here in the user's language (never the core's English)
        actions["undo"].setText(history_text(undo_action, True) if undo_action else action_tr(action_def("undo").text))
        actions["redo"].setText(history_text(redo_action, False) if redo_action else action_tr(action_def("redo").text))

    # --- internals --------------------------------------------------------------------------------
    def _keys(self) -> list[str]:
        if self.w.labels is None:
            return []
        return self.w.selected_keys()

    def _report(self, changed: int, keys: list[str], what: str) -> None:
        if changed:
            count = f"{len(keys)} {tr('recordings')}" if len(keys) > 1 else tr("1 recording")
            self.w.show_status(f"{what}: {count}")
        else:
            self.w.show_status(tr("Nothing changed"))
