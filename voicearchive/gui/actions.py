"""The one table of user actions and their shortcuts.

``ACTIONS`` declares every command once: its id, menu, text, keys and a description. The same table
builds the menus, installs the key handling (through ``QAction`` shortcuts) and fills the shortcut
help dialog, so the three can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("actions", text)


@dataclass(frozen=True)
class ActionDef:
    id: str
    menu: str  # top-level menu the action appears in
    text: str  # menu text (with & mnemonic)
    keys: tuple[str, ...]  # portable key sequences, first is the primary one
    description: str  # one line for the help dialog and the status tip
    checkable: bool = False


# Menus in display order.
MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("review", "&Review"),
    ("play", "&Playback"),
    ("view", "&View"),
    ("help", "&Help"),
)

ACTIONS: tuple[ActionDef, ...] = (
    ActionDef("open", "file", "&Open Archive or Folder…", ("Ctrl+O",), "Open an export zip, Takeout parts or a folder"),
    ActionDef("open_folder", "file", "Open &Folder…", ("Ctrl+Shift+O",), "Open a folder of recordings"),
    ActionDef("export_csv", "file", "&Export…", ("Ctrl+E",), "Export flagged, filtered or all recordings as CSV or an evidence zip"),
    ActionDef("cancel", "file", "&Stop Analysis", ("Ctrl+.",), "Stop the import or analysis running in the background"),
    ActionDef("resume", "file", "&Resume Analysis", (), "Continue the stopped analysis; what was done is kept"),
    ActionDef("close_archive", "file", "&Close Archive", ("Ctrl+W",), "Close the archive and return to the start screen"),
    ActionDef("quit", "file", "&Quit", ("Ctrl+Q",), "Quit VoiceArchive"),
    ActionDef("next", "review", "&Next Recording", ("J",), "Select the next recording in the list"),
    ActionDef("previous", "review", "&Previous Recording", ("K",), "Select the previous recording in the list"),
    ActionDef("next_flagged", "review", "Next &Flagged Recording", ("Shift+J",), "Jump to the next flagged recording"),
    ActionDef("previous_flagged", "review", "Previous Fla&gged Recording", ("Shift+K",), "Jump to the previous flagged recording"),
    ActionDef("flag", "review", "&Flag", ("F",), "Flag the recording as not the owner's voice"),
    ActionDef("unflag", "review", "&Unflag", ("U",), "Mark the recording as not suspicious"),
    ActionDef("mark_owner", "review", "Mark as &Owner", ("O",), "The owner speaks in this recording"),
    ActionDef("mark_household", "review", "Mark as &Household", ("H",), "Someone of the household speaks in this recording"),
    ActionDef("mark_stranger", "review", "Mark as &Stranger", ("S",), "A stranger speaks in this recording (flags it)"),
    ActionDef("clear_label", "review", "&Clear Decision", ("C",), "Forget the flag and voice decision for this recording"),
    ActionDef("edit_note", "review", "Edit &Note", ("N",), "Write a note about this recording"),
    ActionDef("undo", "review", "U&ndo", ("Ctrl+Z",), "Undo the last decision or note (also after a restart)"),
    ActionDef("redo", "review", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo what was undone"),
    ActionDef("play_pause", "play", "&Play / Pause", ("Space",), "Play or pause the selected recording"),
    ActionDef("seek_back", "play", "&Back 2 Seconds", ("Shift+Left",), "Jump back two seconds"),
    ActionDef("seek_forward", "play", "&Forward 2 Seconds", ("Shift+Right",), "Jump forward two seconds"),
    ActionDef("find", "view", "&Search…", ("Ctrl+F", "/"),
              "Search transcripts, responses, notes, devices, file paths and problems"),
    ActionDef("flagged_only", "view", "&Flagged Only", ("Ctrl+Shift+F",), "Show only flagged recordings", checkable=True),
    ActionDef("clear_filters", "view", "&Clear Filters", ("Ctrl+Shift+C",), "Show every recording again"),
    ActionDef("show_recordings", "view", "&Recordings", ("Ctrl+1",), "Show the list of recordings"),
    ActionDef("show_voices", "view", "&Voices", ("Ctrl+2",), "Show the voice groups and the owner threshold"),
    ActionDef("show_timeline", "view", "&Timeline", ("Ctrl+3",), "Show recordings per day and hour"),
    ActionDef("show_words", "view", "&Words", ("Ctrl+4",), "Show the names, places and numbers that recur in the transcripts"),
    ActionDef("asr_settings", "view", "Speech-to-&Text…", (), "Choose the speech-to-text model and language, or transcribe now"),
    ActionDef("enrol", "view", "&Enrol Owner Voice…", ("Ctrl+Shift+E",), "Teach VoiceArchive the owner's voice from a file or the microphone"),
    ActionDef("shortcuts", "help", "&Keyboard Shortcuts", ("F1", "?"), "List every keyboard shortcut"),
    ActionDef("about", "help", "&About VoiceArchive", (), "Version, licence and credits"),
)

ACTION_IDS = frozenset(a.id for a in ACTIONS)


def action_def(action_id: str) -> ActionDef:
    for entry in ACTIONS:
        if entry.id == action_id:
            return entry
    raise KeyError(action_id)


def build_actions(
    parent: QWidget, handlers: Mapping[str, Callable[[], None]], menubar: QMenuBar | None = None
) -> dict[str, QAction]:
    """Create one QAction per table entry, connect it to ``handlers[id]`` and fill ``menubar``.

    Actions are added to ``parent`` so their shortcuts work wherever focus is in the window; text
    fields still receive the plain letter keys, because Qt lets an editor claim printable keys first.
    """
    menus = {}
    if menubar is not None:
        for menu_id, title in MENUS:
            menus[menu_id] = menubar.addMenu(tr(title))
            menus[menu_id].setObjectName(f"menu_{menu_id}")
    actions: dict[str, QAction] = {}
    for entry in ACTIONS:
        action = QAction(tr(entry.text), parent)
        action.setObjectName(f"action_{entry.id}")
        action.setShortcuts([QKeySequence(k) for k in entry.keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tr(entry.description))
        action.setToolTip(tr(entry.description))
        action.setCheckable(entry.checkable)
        handler = handlers.get(entry.id)
        if handler is not None:
            if entry.checkable:
                action.toggled.connect(lambda _checked, h=handler: h())
            else:
                action.triggered.connect(lambda _checked=False, h=handler: h())
        parent.addAction(action)
        if entry.menu in menus:
            menus[entry.menu].addAction(action)
        actions[entry.id] = action
    return actions


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(keys as shown on this platform, action text, description) for every action with a key."""
    rows = []
    for entry in ACTIONS:
        if not entry.keys:
            continue
        keys = ", ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in entry.keys
        )
        rows.append((keys, tr(entry.text).replace("&", "").rstrip("…"), tr(entry.description)))
    return rows


class ShortcutHelpDialog(QDialog):
    """Lists every shortcut from ``ACTIONS``; generated, never written by hand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Keyboard Shortcuts"))
        self.setAccessibleName(tr("Keyboard shortcuts"))
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setAccessibleName(tr("Shortcut list"))
        self.table.setHorizontalHeaderLabels([tr("Keys"), tr("Action"), tr("What it does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 560)
