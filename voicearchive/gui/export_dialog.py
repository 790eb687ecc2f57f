"""File > Export: a CSV of flagged, filtered or all recordings, and the evidence zip of flagged audio.

The writing itself is ``voicearchive.export`` (atomic, private files, never inside the evidence).
The CSV is written at once; the evidence zip copies audio out of the archive, so it runs on a
worker thread with progress and a Cancel button (a cancelled zip leaves no file behind).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from voicearchive.gui import plain, pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)
from voicearchive.gui.background import Job, error_text
from voicearchive.gui.i18n import number
from voicearchive.model import CaseItem, Recording

SCOPE_FLAGGED, SCOPE_FILTERED, SCOPE_ALL = "flagged", "filtered", "all"
OpenAudio = Callable[[Recording], BinaryIO]


class _Cancelled(Exception):
    """Raised inside the export to stop it; the partial zip is removed by the export itself."""


def archive_opener(roots: Sequence[str]) -> OpenAudio:
    """Open recordings straight from the archives at ``roots``, read-only, listing them on first use."""
    lock = threading.Lock()
    tree = None

    def open_audio(rec: Recording) -> BinaryIO:
        nonlocal tree
        from voicearchive.archive.source import ArchiveError, Tree

        with lock:
            if tree is None:
                try:
                    tree = Tree.open(list(roots))
                except ArchiveError as exc:
                    raise OSError(str(exc)) from exc
        member = tree.member(rec.archive, rec.member_path)
        if member is None:
            raise FileNotFoundError("no longer in the archive")
        return tree.open(member)

    return open_audio


class _EvidenceJob(QThread):
    progressed = Signal(int, int)  # recordings copied, recordings to copy
    succeeded = Signal(object)  # export.EvidenceZipReport
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, items: list[CaseItem], path: Path, open_audio: OpenAudio,
                 roots: Sequence[str], identity: str, parent: QWidget, problems: Sequence = (),
                 store=None) -> None:
        super().__init__(parent)
        self._problems = list(problems)
        self._store = store  # the case file: the machine transcripts' word times (words.csv)
        self._items, self._path, self._open, self._roots, self._identity = items, path, open_audio, roots, identity
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        from voicearchive.export import ExportError, write_evidence_zip

        total = sum(1 for i in self._items if i.flagged and i.rec.member_path)
        done = 0

        def counting_open(rec: Recording) -> BinaryIO:
            nonlocal done
            if self._stop.is_set():
                raise _Cancelled()
            self.progressed.emit(done, total)
            done += 1
            return self._open(rec)

        from voicearchive.transcripts.rows import machine_transcript
        from voicearchive.voices.summary import case_voice_lines

        store = self._store
        words = (lambda item: machine_transcript(store, item)) if store is not None else None
        meta = store.voice_meta() if store is not None else {}
        voice_model = str(meta.get("model_version") or "")
        # how the flags were made; none before any analysis, when the flags are the user's
        summary = case_voice_lines(store, self._items, "en", meta) if meta else []
        try:
            report = write_evidence_zip(self._items, self._path, counting_open, evidence_roots=self._roots,
                                        archive_identity=self._identity, problems=self._problems,
                                        transcript_of=words, voice_model=voice_model, voice_summary=summary)
        except _Cancelled:
            self.cancelled.emit()
            return
        except ExportError as exc:
            self.failed.emit(error_text(exc))
            return
        except Exception as exc:  # never a traceback for the user
            self.failed.emit(str(exc) or exc.__class__.__name__)
            return
        finally:
            if store is not None and hasattr(store, "close_thread"):
                store.close_thread()  # this thread's connection to the case file
        self.progressed.emit(total, total)
        self.succeeded.emit(report)


class ExportDialog(QDialog):
    exportFinished = Signal(str)  # a message saying what was written where
    exportFailed = Signal(str)

    def __init__(
        self,
        store=None,
        labels=None,
        parent: QWidget | None = None,
        *,
        items_all: Sequence[CaseItem] | None = None,
        items_filtered: Sequence[CaseItem] | None = None,
        open_audio: OpenAudio | None = None,
        evidence_roots: Sequence[str | os.PathLike[str]] | None = None,
        archive_identity: str | None = None,
        problems: Sequence | None = None,
    ) -> None:
        """Export from ``store`` (a CaseStore) or from the items given.

        ``items_filtered`` are the rows the list shows (without them that choice is unavailable).
        ``evidence_roots`` default to the case's sources, and audio is then read from them;
        ``labels`` is accepted so every review dialog is built alike. ``problems`` (default: the
        case's) are the files that could not be read: a row each in the CSV and the evidence package.
        """
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.setAccessibleName(self.tr("Export recordings"))
        self.setMinimumWidth(480)
        sources = store.sources() if store is not None else None
        self._store = store
        self._all = list(items_all) if items_all is not None else (store.items() if store is not None else [])
        self._filtered = list(items_filtered) if items_filtered is not None else None
        self._roots = [os.fspath(p) for p in (evidence_roots if evidence_roots is not None
                                              else (sources.paths if sources else []))]
        self._identity = archive_identity if archive_identity is not None else (sources.identity if sources else "")
        self._open_audio = open_audio or (archive_opener(self._roots) if self._roots else None)
        self._job: _EvidenceJob | None = None
        self._working = False
        if problems is None:
            try:
                problems = store.problems() if store is not None else []
            except Exception:  # noqa: BLE001 - a damaged case file: export what can be read
                problems = []
        self._problems = list(problems)

        counts = {
            SCOPE_FLAGGED: sum(1 for i in self._all if i.flagged),
            SCOPE_FILTERED: len(self._filtered) if self._filtered is not None else 0,
            SCOPE_ALL: len(self._all),
        }
        texts = {
            SCOPE_FLAGGED: self.tr("&Flagged recordings (%1)"),
            SCOPE_FILTERED: self.tr("Recordings the list &shows now (%1)"),
            SCOPE_ALL: self.tr("&All recordings (%1)"),
        }
        self.scope_buttons: dict[str, QRadioButton] = {}
        self._scope_group = QButtonGroup(self)
        csv_box = QGroupBox(self.tr("CSV table"), self)
        csv_layout = QVBoxLayout(csv_box)
        for scope in (SCOPE_FLAGGED, SCOPE_FILTERED, SCOPE_ALL):
            button = QRadioButton(texts[scope].replace("%1", number(counts[scope])), csv_box)
            button.setAccessibleName(texts[scope].replace("&", "").replace(" (%1)", ""))
            self.scope_buttons[scope] = button
            self._scope_group.addButton(button)
            csv_layout.addWidget(button)
        self.scope_buttons[SCOPE_FILTERED].setEnabled(self._filtered is not None)
        self.scope_buttons[SCOPE_FLAGGED].setChecked(True)
        self.save_csv = QPushButton(self.tr("Save &CSV…"), csv_box)
        self.save_csv.setAccessibleName(self.tr("Save CSV"))
        self.save_csv.clicked.connect(self._choose_csv)
        csv_layout.addWidget(self.save_csv)

        zip_box = QGroupBox(self.tr("Evidence package"), self)
        zip_layout = QVBoxLayout(zip_box)
        explain = QLabel(
            self.tr("A zip of the %1 flagged recordings' original audio, with the CSV, a SHA-256 manifest "
                    "and a README naming where each file came from: for a newsroom or a lawyer.")
            .replace("%1", number(counts[SCOPE_FLAGGED])),
            zip_box,
        )
        explain.setWordWrap(True)
        self.save_zip = QPushButton(self.tr("Save &Evidence Zip…"), zip_box)
        self.save_zip.setAccessibleName(self.tr("Save evidence zip"))
        self.save_zip.clicked.connect(self._choose_zip)
        self.save_zip.setEnabled(self._open_audio is not None and counts[SCOPE_FLAGGED] > 0)
        self.progress = QProgressBar(zip_box)
        self.progress.setAccessibleName(self.tr("Evidence export progress"))
        self.progress.hide()
        self.cancel = QPushButton(self.tr("Cancel Export"), zip_box)
        self.cancel.setAccessibleName(self.tr("Cancel the evidence export"))
        self.cancel.clicked.connect(self.cancel_export)
        self.cancel.hide()
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel)
        zip_layout.addWidget(explain)
        zip_layout.addWidget(self.save_zip)
        zip_layout.addLayout(row)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Export status"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(csv_box)
        layout.addWidget(zip_box)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        plain.plain_labels(self)  # status texts name evidence files: never rich text

    # ------------------------------------------------------------------------------------------ API
    def scope(self) -> str:
        return next(s for s, b in self.scope_buttons.items() if b.isChecked())

    def export_csv(self, path: str | os.PathLike[str], scope: str | None = None) -> int | None:
        """Write the CSV of ``scope`` (default: the chosen one) to ``path`` now; rows written, or None."""
        from voicearchive.export import ExportError

        try:
            rows = self._write_csv(path, scope or self.scope())
        except (ExportError, OSError) as exc:
            self._say_failed(error_text(exc))
            return None
        self._csv_written((rows, os.fspath(path)))
        return rows

    def start_csv_export(self, path: str | os.PathLike[str], scope: str | None = None) -> None:
        """Write the CSV on a worker thread (100,000 rows take about a second); a signal follows."""
        scope = scope or self.scope()
        self.save_csv.setEnabled(False)
        plain.set_plain(self.status, self.tr("Writing the CSV…"))
        job = Job(lambda: (self._write_csv(path, scope), os.fspath(path)))
        job.succeeded.connect(self._csv_written)
        job.failed.connect(self._say_failed)
        job.finished.connect(self._csv_job_ended)
        job.start()

    def export_evidence(self, path: str | os.PathLike[str]) -> None:
        """Start writing the evidence zip to ``path``; ``exportFinished`` or ``exportFailed`` follows."""
        if self._open_audio is None or self._working:
            return
        if self._job is not None:
            self._job.wait()  # it has reported already; let its thread end before the next
        self._job = _EvidenceJob(self._all, Path(path), self._open_audio, self._roots, self._identity, self,
                                 self._problems, self._store)
        self._job.progressed.connect(self._on_progress)
        self._job.succeeded.connect(self._on_zip_done)
        self._job.failed.connect(self._say_failed)
        self._job.cancelled.connect(self._on_cancelled)
        self._job.finished.connect(self._job_ended)
        self._working = True
        self.progress.setValue(0)
        self.progress.show()
        self.cancel.show()
        self.save_zip.setEnabled(False)
        plain.set_plain(self.status, self.tr("Copying the flagged recordings…"))
        self._job.start()

    def cancel_export(self) -> None:
        if self._job is not None:
            self._job.cancel()

    # ------------------------------------------------------------------------------------ internals
    def _write_csv(self, path: str | os.PathLike[str], scope: str) -> int:
        from voicearchive.export import write_csv

        items = {SCOPE_FLAGGED: self._all, SCOPE_ALL: self._all, SCOPE_FILTERED: self._filtered or []}[scope]
        return write_csv(items, path, flagged_only=scope == SCOPE_FLAGGED, evidence_roots=self._roots,
                         problems=self._problems)

    def _csv_written(self, result: tuple[int, str]) -> None:
        rows, path = result
        text = self.tr("Wrote 1 row to %2.") if rows == 1 else self.tr("Wrote %1 rows to %2.")
        message = text.replace("%1", number(rows)).replace("%2", path)
        plain.set_plain(self.status, message)
        self.exportFinished.emit(message)

    def _csv_job_ended(self) -> None:
        self.save_csv.setEnabled(True)

    def _choose_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save CSV"), "voicearchive.csv",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.start_csv_export(path)

    def _choose_zip(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Evidence Zip"), "voicearchive-evidence.zip",
                                              self.tr("Zip files (*.zip)"))
        if path:
            self.export_evidence(path)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_zip_done(self, report) -> None:
        wrote = (self.tr("Wrote 1 recording and the CSV to %2.") if report.audio_files == 1
                 else self.tr("Wrote %1 recordings and the CSV to %2."))
        parts = [wrote.replace("%1", number(report.audio_files)).replace("%2", os.fspath(report.path))]
        if report.mismatches:
            changed = (self.tr("WARNING: 1 recording no longer matches the hash taken at import; the README "
                               "inside names it.") if len(report.mismatches) == 1
                       else self.tr("WARNING: %1 recordings no longer match the hash taken at import; "
                                    "the README inside names them."))
            parts.append(changed.replace("%1", number(len(report.mismatches))))
        if report.missing:
            unread = (self.tr("1 recording could not be read now; the README inside names it.")
                      if len(report.missing) == 1
                      else self.tr("%1 recordings could not be read now; the README inside lists them."))
            parts.append(unread.replace("%1", number(len(report.missing))))
        message = " ".join(parts)
        plain.set_plain(self.status, message)
        self.exportFinished.emit(message)

    def _on_cancelled(self) -> None:
        plain.set_plain(self.status, self.tr("The evidence export was cancelled; no file was left behind."))
        self.exportFailed.emit(self.status.text())

    def _say_failed(self, message: str) -> None:
        text = self.tr("The export failed: %1").replace("%1", message)
        plain.set_plain(self.status, text)
        self.exportFailed.emit(text)

    def _job_ended(self) -> None:
        self._working = False
        self.progress.hide()
        self.cancel.hide()
        self.save_zip.setEnabled(True)

    def done(self, result: int) -> None:
        if self._job is not None and self._job.isRunning():
            self._job.cancel()
            self._job.wait()
        super().done(result)
