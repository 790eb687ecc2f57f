"""The main window's audio (play, seek, read what is played, verified by its hash) and its dialogs.

A mixin of :class:`voicearchive.gui.main_window.MainWindow` (kept apart so that neither file grows past what one
reads in a sitting): it uses the window's ``current_item``, ``player``, ``detail``, ``reader``, ``store``,
``labels``, ``model``, ``proxy`` and ``show_status``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt

from voicearchive.messages import render
from voicearchive.model import CaseItem

from . import plain
from .about_dialog import AboutDialog
from .actions import ShortcutHelpDialog
from .enrol_dialog import EnrolDialog
from .export_dialog import ExportDialog


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class AudioAndDialogs:
    # ------------------------------------------------------------------------------------ audio
    def play_pause(self) -> None:
        item = self.current_item()
        if item is None or not item.rec.has_audio:
            self.show_status(tr("This recording has no audio to play"))
            return
        if self.player.key != item.rec.key:
            self._load_audio()
        self.player.toggle()

    def _seek(self, seconds: float) -> None:
        item = self.current_item()
        if item is not None and self.player.key != item.rec.key:
            self._load_audio()
        self.player.seek(seconds)
        self.detail.set_position(seconds)

    def _load_audio(self) -> None:
        """Read the current recording's bytes from the archive into the player and the detail view."""
        self._audio_timer.stop()
        item = self.current_item()
        if item is None or not item.rec.has_audio or self.player.key == item.rec.key:
            return
        data = self.read_audio(item)
        if data is None:
            return
        self.player.load(item.rec.key, data, item.rec.member_path)
        self.detail.load_audio(data)

    def read_audio(self, item: CaseItem) -> bytes | None:
        """The original bytes of a recording, straight from the archive (None with a status message)."""
        if self.reader is None:
            self.show_status(tr("The archive is still being opened"))
            return None
        from voicearchive.archive.verify import ContentChanged, read_verified

        try:
            member = self.reader.tree.member(item.rec.archive, item.rec.member_path)
            if member is None:
                raise FileNotFoundError(tr("no longer in the archive"))
            return read_verified(self.reader.tree, member, item.rec.sha256)  # hashed every time it is read
        except ContentChanged as exc:  # play what is there, and say that it is not what was imported
            self.show_status(f"{item.rec.member_path}: {render(exc.message)}")
            return exc.data
        except (OSError, ValueError) as exc:
            self.show_status(f"{item.rec.member_path}: {exc}")
            return None

    def _open_member(self, rec):
        """A read-only stream of a recording's member (for the evidence export, on its thread)."""
        member = self.reader.tree.member(rec.archive, rec.member_path)
        if member is None:
            raise FileNotFoundError(tr("no longer in the archive"))
        return self.reader.tree.open(member)

    def _envelope(self, sha256: str) -> np.ndarray | None:
        if self.store is None or not sha256:
            return None
        from voicearchive.audio.envelope import envelope_from_bytes

        blob = self.store.envelope(sha256)
        return envelope_from_bytes(blob) if blob else None

    # ------------------------------------------------------------------------------------ dialogs
    def show_shortcuts(self) -> None:
        dialog = ShortcutHelpDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def show_export(self) -> None:
        """The export dialog (non-modal): flagged, filtered or all rows; audio read from the archive."""
        if self.store is None:
            self.show_status(tr("Open an archive first"))
            return
        filtered = [self.proxy.source_item(row) for row in range(self.proxy.rowCount())]
        dialog = ExportDialog(
            self.store, self.labels, self,
            items_all=list(self.model.items()),
            items_filtered=filtered,  # what the list shows now, filtered or not
            open_audio=self._open_member if self.reader is not None else None,
            evidence_roots=self.paths,
            archive_identity=self.reader.tree.identity() if self.reader is not None else None,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exportFinished.connect(self.show_status)
        dialog.exportFailed.connect(self.show_status)
        dialog.show()

    def show_enrol(self) -> None:
        """The enrolment dialog (non-modal); a stored enrolment re-runs the voice grouping."""
        if self.store is None:
            self.show_status(tr("Open an archive first"))
            return
        dialog = EnrolDialog(self.store, self.labels, self)
        plain.plain_labels(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.decisionsChanged.connect(self.schedule_voices)
        dialog.enrolFailed.connect(self.show_status)
        dialog.show()

    def show_about(self) -> None:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
