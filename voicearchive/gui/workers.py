"""Background work: the pipeline runs in a QThread, results stream to the window as signals.

The worker shares the window's :class:`CaseStore` object but, being another thread, uses its own
SQLite connection (the store opens one per thread). It reads the changed rows itself and sends ready
``CaseItem`` batches, so the GUI thread only merges them into the model. Cancelling sets the
pipeline's event; the pipeline stops at its next batch boundary and keeps what it has done.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThread, Signal

from .i18n import number

log = logging.getLogger(__name__)

ITEM_CHUNK = 500  # CaseItems per signal: each merge into the model stays a few milliseconds

# What the worker does.
FULL = "full"  # import, then analyse (decode, envelopes, embeddings, voices)
IMPORT_ONLY = "import"  # list, hash and probe only
VOICES = "voices"  # re-group voices and re-flag after a label, owner or threshold change
TRANSCRIBE = "transcribe"  # speech-to-text only (the user asked for it, e.g. after adding a model)

STAGE_TEXT = {
    "listing": "Listing the archive",
    "reading": "Reading",
    "analysing": "Analysing voices",
    "voices": "Grouping voices",
    "transcribing": "Transcribing",
    "done": "Done",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("workers", text)


def format_seconds(seconds: float) -> str:
    """A remaining time as a person says it: "8 s", "3 min 10 s", "1 h 05 min"."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_progress(stage: str, done: int, total: int | None, eta_s: float | None) -> str:
    """One status line: "Analysing voices 420 of 1,700 (25%) – about 1 min 10 s left" (numbers as the
    language writes them: "1.700" in German)."""
    text = tr(STAGE_TEXT.get(stage, stage.capitalize()))
    if total:
        percent = int(100 * min(done, total) / total)
        text += " " + tr("%1 of %2 (%3%)").replace("%1", number(done)).replace("%2", number(total)).replace(
            "%3", str(percent))
    elif done:
        text += f" {number(done)}"
    if eta_s is not None and stage not in ("done", "listing"):
        text += " – " + tr("about %1 left").replace("%1", format_seconds(eta_s))
    return text


class PipelineWorker(QThread):
    """Runs one pipeline job; every signal is delivered to the GUI thread (queued).

    Given no ``reader``/``store`` it first opens the archive and its case file here, off the GUI
    thread (listing a large archive takes a while), emits ``opened(reader, store)`` and sends what the
    case file already knows, so a re-opened archive shows its rows before the import re-checks them.
    """

    opened = Signal(object, object)  # ArchiveReader, CaseStore
    progressed = Signal(str, int, int, float, object)  # stage, done, total (-1), eta_s (-1), message: str or Message
    itemsChanged = Signal(list)  # list[CaseItem] fresh from the case file
    reported = Signal(object)  # the VoiceReport of the analysis (before succeeded), for the verdicts
    succeeded = Signal(str)  # mode
    cancelled = Signal(str)
    failed = Signal(str, str)  # mode, a message for the user

    def __init__(self, paths: list[str], mode: str = FULL, *, store=None, reader=None,
                 case_path: str | None = None, workers: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.paths = list(paths)
        self.store = store
        self.case_path = case_path
        self.mode = mode
        self.workers = workers
        self.reader = reader
        self._cancel = threading.Event()
        self.started_at = 0.0

    def cancel(self) -> None:
        self._cancel.set()
        self.requestInterruption()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        from voicearchive.pipeline import Cancelled, Pipeline

        self.started_at = time.monotonic()
        _yield_to_the_window()
        pipeline = None
        pool = None
        try:
            pool = self._early_pool()
            if self.store is None or self.reader is None:
                self._open()
            pipeline = Pipeline(self.paths, self.store, on_progress=self._on_progress, cancel=self._cancel,
                                workers=self.workers, reader=self.reader, warm_pool=pool)
            pool = None  # the pipeline owns it now
            report = None
            if self.mode == VOICES:
                report = pipeline.update_voices()
            elif self.mode == TRANSCRIBE:
                why = pipeline.transcribe()
                if why is not None:
                    from voicearchive.transcripts.asr import AsrUnavailable

                    raise AsrUnavailable(why)
            else:
                pipeline.import_archive(warm_workers=self.mode == FULL)
                if self.mode == FULL:
                    report = pipeline.analyse()
                    if report is not None:  # the voices are shown before speech-to-text starts
                        self.reported.emit(report)
                    report = None
                    pipeline.transcribe()  # issue 10: machine words for recordings without any (None if not installed)
            if report is not None:
                self.reported.emit(report)
            self.succeeded.emit(self.mode)
        except Cancelled:
            self.cancelled.emit(self.mode)
        except Exception as exc:  # noqa: BLE001 - reported calmly; the window stays usable
            log.exception("background %s job failed", self.mode)
            self.failed.emit(self.mode, _user_message(exc, getattr(self.store, "path", None)))
        finally:
            if pool is not None:  # started early, then the archive or its case file could not be opened
                pool.shutdown(cancel=True)
            if pipeline is not None:
                pipeline.close()  # workers started for an analysis that did not need them
            if self.store is not None:
                self.store.close_thread()

    def _early_pool(self):
        """For a full analysis of large evidence, worker processes that get ready while the archive is listed
        and hashed here (``executors.early_pool``, as a command-line scan does); None otherwise."""
        if self.mode != FULL:
            return None
        from voicearchive.executors import early_pool
        from voicearchive.jobs import default_workers

        return early_pool(self.paths, self.workers or default_workers())

    def _open(self) -> None:
        from voicearchive.archive import open_archive
        from voicearchive.case.paths import default_case_path
        from voicearchive.case.store import CaseStore

        self.progressed.emit("listing", 0, -1, -1.0, "")
        if self.reader is None:
            self.reader = open_archive(self.paths)
        if self.store is None:
            path = self.case_path or default_case_path(self.reader.tree.identity(), Path(self.paths[0]).name,
                                                       evidence_roots=self.paths)
            store = CaseStore(path, evidence_roots=self.paths)  # never a case file inside the evidence
            try:
                store.claim(self.paths, self.reader.tree.identity())  # nor another archive's case
            except Exception:
                store.close()
                raise
            self.store = store
        self.opened.emit(self.reader, self.store)
        known = self.store.items()
        for start in range(0, len(known), ITEM_CHUNK):
            self.itemsChanged.emit(known[start:start + ITEM_CHUNK])

    def _on_progress(self, p) -> None:
        keys = list(getattr(p, "changed_keys", None) or [])
        for start in range(0, len(keys), ITEM_CHUNK):
            self.itemsChanged.emit(self.store.items(keys[start:start + ITEM_CHUNK]))
        total = -1 if p.total is None else int(p.total)
        eta = -1.0 if p.eta_s is None else float(p.eta_s)
        from voicearchive.messages import render

        self.progressed.emit(p.stage, int(p.done), total, eta, render(p.message or ""))


def _yield_to_the_window(niceness: int = 10) -> None:
    """Give this thread, and the analysis processes it starts (they inherit it), a lower CPU priority.

    On two busy cores the window's thread must win the CPU whenever it has something to draw. Linux
    keeps a nice value per thread; elsewhere this does nothing (QThread priorities have no effect on
    ordinary scheduling policies)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except OSError:
        pass


def _user_message(exc: BaseException, case_path=None) -> str:
    """What the user reads when a background job fails: the reason, never a traceback."""
    name = type(exc).__name__
    if name in ("ArchiveError", "CaseError", "AsrUnavailable", "InsideEvidenceError"):
        from voicearchive.messages import reason_of, render

        return render(reason_of(exc))  # a Message where the core gives one
    if name == "ExecutorLost":  # the cluster went away: its message says what is kept and what to do
        from voicearchive.messages import render

        return render(exc.message)
    import sqlite3

    if isinstance(exc, sqlite3.DatabaseError):  # the case file went bad under us: say what is wrong with it
        from voicearchive.case.store import describe_error

        return str(describe_error(case_path or "", exc))
    return f"{tr('The analysis stopped because of an internal error')}: {exc}"
