"""The start screen: open an archive or a folder, reopen a recent one, or drop files on the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voicearchive.safe_text import display

from . import settings
from .i18n import number
from .tooltips import plain_tooltip

PATHS_ROLE = Qt.ItemDataRole.UserRole + 1


def tr(text: str) -> str:
    return QCoreApplication.translate("StartScreen", text)


def describe_paths(paths: list[str]) -> str:
    """How a recent archive reads in the list: its name and how many parts it had, then (second line)
    the folder it is in, so two archives of the same name are told apart."""
    first = Path(paths[0]).name or paths[0]
    more = len(paths) - 1
    if more == 1:
        first += " " + tr("(+1 more part)")
    elif more > 1:
        first += " " + tr("(+%1 more parts)").replace("%1", number(more))
    return f"{first}\n{tr('in %1').replace('%1', _folder(paths[0]))}"


def _folder(path: str) -> str:
    """The folder holding ``path``, with the home folder written as ~."""
    parent = Path(path).parent
    try:
        return str(Path("~") / parent.relative_to(Path.home()))
    except ValueError:
        return str(parent)


class StartScreen(QWidget):
    """What the window shows with no archive open."""

    openArchiveRequested = Signal()  # File > Open (zip files or Takeout parts)
    openFolderRequested = Signal()
    openPathsRequested = Signal(list)  # a recent archive: its paths

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Start"))
        title = QLabel(tr("VoiceArchive"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(tr("VoiceArchive"))
        intro = QLabel(
            tr("See what a voice assistant kept of your home. Open an Amazon Alexa or Google Takeout export, "
               "Home Assistant or Mycroft recordings, or any folder or zip of audio. Nothing leaves this "
               "computer and the archive is never changed."),
            self,
        )
        intro.setWordWrap(True)
        intro.setAccessibleName(tr("About VoiceArchive"))

        self.open_archive = QPushButton(tr("Open Archive…"), self)
        self.open_archive.setAccessibleName(tr("Open archive"))
        self.open_archive.setToolTip(tr("A zip export, or several Takeout parts at once (Ctrl+O)"))
        self.open_archive.clicked.connect(self.openArchiveRequested)
        self.open_folder = QPushButton(tr("Open Folder…"), self)
        self.open_folder.setAccessibleName(tr("Open folder"))
        self.open_folder.setToolTip(tr("A folder of recordings or an unpacked export (Ctrl+Shift+O)"))
        self.open_folder.clicked.connect(self.openFolderRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_archive)
        buttons.addWidget(self.open_folder)
        buttons.addStretch(1)

        recent_title = QLabel(tr("Recent archives"), self)
        recent_title.setAccessibleName(tr("Recent archives"))
        self.recent = QListWidget(self)
        self.recent.setAccessibleName(tr("Recent archives"))
        self.recent.itemActivated.connect(self._activated)
        self.recent.setAlternatingRowColors(True)  # each archive (name, then folder) reads as one block
        self.recent.setSpacing(2)
        self.drop_hint = QLabel(tr("…or drop a zip, Takeout parts or a folder anywhere on this window."), self)
        self.drop_hint.setAccessibleName(tr("Drop hint"))

        panel = QFrame(self)
        panel.setMaximumWidth(720)
        column = QVBoxLayout(panel)
        column.addSpacing(48)
        column.addWidget(title)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(recent_title)
        column.addWidget(self.recent)
        column.addWidget(self.drop_hint)
        column.addStretch(1)
        self.recent.setMaximumHeight(340)  # two lines an archive: its name, then its folder
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 4)
        outer.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the recent archives from the settings (missing paths are shown greyed out)."""
        self.recent.clear()
        for paths in settings.recent_archives():
            item = QListWidgetItem(display(describe_paths(paths), multiline=True))  # names on disk: escaped
            item.setData(PATHS_ROLE, paths)
            item.setToolTip(plain_tooltip("\n".join(paths)))
            if not all(Path(p).exists() for p in paths):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(plain_tooltip("\n".join(paths) + "\n" + tr("(no longer there)")))
            self.recent.addItem(item)
        if self.recent.count() == 0:
            placeholder = QListWidgetItem(tr("Nothing opened yet"))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(placeholder)

    def _activated(self, item: QListWidgetItem) -> None:
        paths = item.data(PATHS_ROLE)
        if paths:
            self.openPathsRequested.emit(list(paths))
