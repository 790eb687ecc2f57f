"""The main window: start screen, the recordings list with its detail view, voices and timeline.

The window owns the open case (archive reader, case store, label book) and the one background
worker. Everything the user does goes through the action table (``actions.ACTIONS``); the review
commands themselves live in ``review.Review``. Rows stream in from the worker as ``CaseItem``
batches; labels changed by anyone (this window, the voices view, undo) come back through the label
book's subscription and refresh exactly those rows.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from voicearchive.messages import render
from voicearchive.model import CaseItem
from voicearchive.transcripts.rows import machine_words
from voicearchive.transcripts.words import where_matched

from . import pyside_fixes  # noqa: F401 - PySide6 6.12.0 reference leak on Python 3.11
from . import plain, settings
from .actions import build_actions
from .column_fit import ColumnFitter
from .detail_view import DetailView
from .filter_bar import FilterBar
from .i18n import add_language_menu
from .player import Player
from .problems_view import ProblemsView
from .recordings_model import COLUMNS, ItemRole, RecordingsModel, column, group_name
from .recordings_proxy import Filters, RecordingsProxy
from .review import Review
from .start_screen import StartScreen
from .thumbnail_delegate import ThumbnailDelegate
from .timeline_view import TimelineView
from .verdict_panel import VerdictPanel
from .voices_view import VoicesView
from .words_view import WordsView
from .window_audio import AudioAndDialogs
from .workers import FULL, TRANSCRIBE, VOICES, PipelineWorker, format_progress

log = logging.getLogger(__name__)

ROW_HEIGHT = 26
AUDIO_LOAD_DELAY_MS = 60  # holding J/K does not read every recording it passes
VOICES_DELAY_MS = 300  # several marks in a row re-run the voice grouping once
SAVE_DELAY_MS = 1500

# Window shortcuts that work while the search box has focus (a line edit takes Ctrl+E, Ctrl+W... itself).
SEARCH_PASSES = ("export_csv", "close_archive", "open", "open_folder", "enrol", "cancel", "quit", "flagged_only",
                 "clear_filters", "show_recordings", "show_voices", "show_timeline", "show_words")
# Review and Playback items that need an open archive (the review keys themselves: ``Review``).
CASE_ACTIONS = ("export_csv", "close_archive", "enrol", "find", "flagged_only", "clear_filters",
                "show_recordings", "show_voices", "show_timeline", "show_words", "asr_settings", "next", "previous",
                "next_flagged", "previous_flagged")
PLAY_ACTIONS = ("play_pause", "seek_back", "seek_forward")

# Case-file settings written by the window.
CASE_HEADER = "gui.header_state"
CASE_SELECTION = "gui.selection"
CASE_SPLITTER = "gui.splitter_state"
CASE_COLUMNS_BY_HAND = "gui.columns_by_hand"  # the user sized a column: the saved widths are theirs, never fitted


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(AudioAndDialogs, QMainWindow):
    """The VoiceArchive window."""

    caseOpened = Signal()
    analysisFinished = Signal(str)  # "done", "cancelled" or "failed", when no more work is queued
    statusShown = Signal(str)

    def __init__(self, *, workers: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("VoiceArchive")
        self.setAccessibleName(tr("VoiceArchive main window"))
        self.setAcceptDrops(True)
        self.pool_workers = workers
        self.paths: list[str] = []
        self.case_path: str | None = None
        self.store = None
        self.labels = None
        self.reader = None
        self.worker: PipelineWorker | None = None
        self._voices_pending = False
        self._unsubscribe = None
        self._restore_key: str | None = None
        self._last_outcome = ""
        self._report = None  # the last VoiceReport the analysis sent (the verdicts read it)
        self._explicit_case: tuple[list[str], str] | None = None  # (paths, case file) given by --case or a caller
        self.stopped = False  # the last analysis was stopped by the user: Resume continues it
        self._analysed = False  # an analysis of the open case finished (or stopped) in this window

        self.model = RecordingsModel(self)
        self.proxy = RecordingsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.player = Player(self)
        self._build_recordings_page()
        self._build_tabs()
        self.start_screen = StartScreen(self)
        self.start_screen.openArchiveRequested.connect(self.choose_archive)
        self.start_screen.openFolderRequested.connect(self.choose_folder)
        self.start_screen.openPathsRequested.connect(self.open_paths)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.start_screen)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self._build_verdicts()
        self._build_status_bar()

        self.review = Review(self)
        self.actions = build_actions(self, self._handlers(), self.menuBar())
        self.filter_bar.pass_shortcuts([seq for action_id in SEARCH_PASSES
                                        for seq in self.actions[action_id].shortcuts()])
        self.language_actions = add_language_menu(self, self.menuBar(), self.show_status)
        self._wire()
        self._timers()
        self._update_enabled()
        geometry = settings.value(settings.Key.WINDOW_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        plain.plain_labels(self)  # every label shows evidence as plain text (gui/plain.py)

    # ------------------------------------------------------------------------------------ building
    def _build_recordings_page(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("recordings")
        self.table.setAccessibleName(tr("Recordings"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setAccessibleName(tr("Columns: click to sort, drag to reorder"))
        vertical.setAccessibleName(tr("Rows"))
        self.table.setCornerButtonEnabled(False)  # with no row header, "select all" is Ctrl+A
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        metrics = header.fontMetrics()
        for index, col in enumerate(COLUMNS):  # wide enough for its (translated) title
            title = str(self.model.headerData(index, Qt.Orientation.Horizontal) or "")
            header.resizeSection(index, max(col.width, metrics.horizontalAdvance(title) + 14))
        # The key columns in view at any width (1024 px too): the Owner score after the Transcript, which
        # takes the room the others leave (gui/column_fit.py).
        self.column_fit = ColumnFitter(self.table, column)
        self.column_fit.put_after("similarity", "transcript")
        self.delegate = ThumbnailDelegate(self._envelope, self.table)
        self.table.setItemDelegateForColumn(column("waveform"), self.delegate)

        self.filter_bar = FilterBar(self)
        self.detail = DetailView(self)
        self.detail.machine_words = lambda item: machine_words(self.store, item)  # uncertain ones are marked
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setAccessibleName(tr("Recordings and details"))
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([840, 440])

    def _build_tabs(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(tr("Views"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, tr("Recordings"))
        self.voices_view = VoicesView(parent=self)
        self.timeline_view = TimelineView(parent=self)
        self.tabs.addTab(self.voices_view, tr("Voices"))
        self.tabs.addTab(self.timeline_view, tr("Timeline"))
        self.words_view = WordsView(parent=self)  # issue 10: recurring names, places, numbers
        self.tabs.addTab(self.words_view, tr("Words"))
        self.words_view.termActivated.connect(self._term_activated)
        self.problems_view = ProblemsView(parent=self)  # every file that could not be read, searchable
        self.tabs.addTab(self.problems_view, self.problems_view.title())

    def _build_verdicts(self) -> None:
        """The verdicts get a place of their own above the views (a fixed dock without a title bar)."""
        self.verdict_panel = VerdictPanel(self)
        self.verdict_dock = QDockWidget(self)
        self.verdict_dock.setObjectName("verdict_dock")
        self.verdict_dock.setTitleBarWidget(QWidget(self.verdict_dock))
        self.verdict_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.verdict_dock.setAllowedAreas(Qt.DockWidgetArea.TopDockWidgetArea)
        self.verdict_dock.setWidget(self.verdict_panel)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.verdict_dock)
        self.verdict_dock.hide()

    def refresh_verdicts(self) -> None:
        """Say again what the analysis found (after each analysis; the status bar's messages do not touch it)."""
        if self.store is None:
            self.verdict_panel.clear()
            self.verdict_dock.hide()
            return
        try:
            meta = self.store.voice_meta()
            problems = self.store.get("problems") or []
        except Exception as exc:  # noqa: BLE001 - a busy case file: keep what is shown
            log.warning("could not read the verdicts from the case file: %s", exc)
            return
        if not meta and not self._analysed:  # nothing analysed yet: no verdict to give
            self.verdict_dock.hide()
            return
        self.verdict_panel.set_case(meta, self.model.items(), self._report, problems, complete=not self.stopped)
        self.verdict_dock.show()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel("", self)
        self.status_label.setAccessibleName(tr("Status"))
        self.progress_label = QLabel("", self)
        self.progress_label.setAccessibleName(tr("Progress"))
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(tr("Progress of import and analysis"))
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton(tr("Stop"), self)
        self.cancel_button.setAccessibleName(tr("Stop analysis"))
        self.cancel_button.setToolTip(tr("Stop the import or analysis; what is done is kept (Ctrl+.)"))
        self.cancel_button.clicked.connect(self.cancel_work)
        self.resume_button = QPushButton(tr("Resume"), self)
        self.resume_button.setAccessibleName(tr("Resume analysis"))
        self.resume_button.setToolTip(tr("Continue the stopped analysis where it stopped"))
        self.resume_button.clicked.connect(self.resume_work)
        self.resume_button.setVisible(False)
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.progress_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.resume_button)
        self._show_progress(False)

    def _handlers(self) -> dict:
        r = self.review
        return {
            "open": self.choose_archive,
            "open_folder": self.choose_folder,
            "export_csv": self.show_export,
            "cancel": self.cancel_work,
            "resume": self.resume_work,
            "close_archive": self.close_case,
            "quit": self.close,
            "next": lambda: r.move(1),
            "previous": lambda: r.move(-1),
            "next_flagged": lambda: r.move_flagged(1),
            "previous_flagged": lambda: r.move_flagged(-1),
            "flag": lambda: r.set_flag(True),
            "unflag": lambda: r.set_flag(False),
            "mark_owner": lambda: r.set_role("owner"),
            "mark_household": lambda: r.set_role("household"),
            "mark_stranger": lambda: r.set_role("stranger"),
            "clear_label": r.clear,
            "edit_note": self.detail.edit_note,
            "undo": r.undo,
            "redo": r.redo,
            "play_pause": self.play_pause,
            "seek_back": lambda: self.player.skip(-2.0),
            "seek_forward": lambda: self.player.skip(2.0),
            "find": self._find,
            "flagged_only": lambda: self.filter_bar.set_flagged_only(self.actions["flagged_only"].isChecked()),
            "clear_filters": self.filter_bar.clear,
            "show_recordings": lambda: self.tabs.setCurrentIndex(0),
            "show_voices": lambda: self.tabs.setCurrentIndex(1),
            "show_timeline": lambda: self.tabs.setCurrentIndex(2),
            "enrol": self.show_enrol,
            "show_words": lambda: self.tabs.setCurrentWidget(self.words_view),
            "asr_settings": self.show_asr_settings,
            "shortcuts": self.show_shortcuts,
            "about": self.show_about,
        }

    def _wire(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _i: self.play_pause())
        self.filter_bar.filtersChanged.connect(self._filters_changed)
        self.proxy.countsChanged.connect(self.filter_bar.set_counts)
        self.proxy.countsChanged.connect(self._sync_detail)  # a row that left the filter (e.g. unflagged)
        self.detail.seekRequested.connect(self._seek)
        self.detail.playPauseRequested.connect(self.play_pause)
        self.detail.noteCommitted.connect(self.review.set_note)
        self.detail.noteFinished.connect(self.table.setFocus)
        self.player.positionChanged.connect(self.detail.set_position)
        self.player.playingChanged.connect(self.detail.set_playing)
        self.player.errorOccurred.connect(self.show_status)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._save_timer.start())
        self.table.horizontalHeader().sectionMoved.connect(lambda *_: self._save_timer.start())
        self.voices_view.recordingActivated.connect(self.select_key)
        self.voices_view.playRequested.connect(lambda key: self.select_key(key, play=True))
        self.voices_view.thresholdChanged.connect(self._threshold_changed)
        self.voices_view.thresholdReset.connect(self._threshold_reset)
        self.voices_view.decisionsChanged.connect(self.schedule_voices)
        self.timeline_view.recordingActivated.connect(lambda key: self.select_key(key, show=True))
        self.timeline_view.dayActivated.connect(self._day_activated)
        self.timeline_view.rangeActivated.connect(self._range_activated)
        self.problems_view.recordingActivated.connect(lambda key: self.select_key(key, show=True))
        self.problems_view.countChanged.connect(
            lambda _n: self.tabs.setTabText(self.tabs.indexOf(self.problems_view), self.problems_view.title()))

    def _timers(self) -> None:
        self._audio_timer = _single_shot(self, AUDIO_LOAD_DELAY_MS, self._load_audio)
        self._voices_timer = _single_shot(self, VOICES_DELAY_MS, self._start_voices)
        self._save_timer = _single_shot(self, SAVE_DELAY_MS, self.save_case_view)
        self._choices_timer = _single_shot(self, 500, self._refresh_choices)
        self._verdict_timer = _single_shot(self, 300, self.refresh_verdicts)  # marks change the flagged count

    # ------------------------------------------------------------------------------------ opening
    def choose_archive(self) -> None:
        start = str(settings.value(settings.Key.LAST_DIRECTORY, "") or "")
        files, _ = QFileDialog.getOpenFileNames(
            self, tr("Open archive (select every part of a multi-part Takeout)"), start,
            tr("Archives and audio (*.zip *.tgz *.json *.wav *.mp3 *.flac *.ogg *.opus *.m4a);;All files (*)"),
        )
        if files:
            settings.set_value(settings.Key.LAST_DIRECTORY, str(Path(files[0]).parent))
            self.open_paths(files)

    def choose_folder(self) -> None:
        start = str(settings.value(settings.Key.LAST_DIRECTORY, "") or "")
        folder = QFileDialog.getExistingDirectory(self, tr("Open a folder of recordings"), start)
        if folder:
            settings.set_value(settings.Key.LAST_DIRECTORY, folder)
            self.open_paths([folder])

    def open_paths(self, paths: list[str], case_path: str | None = None) -> None:
        """Open an archive (a zip, several Takeout parts, or a folder) and start the analysis."""
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            self.show_status(f"{tr('Not found')}: {', '.join(missing)}")
            return
        resolved = [str(Path(p).resolve()) for p in paths]
        if case_path:
            self._explicit_case = (resolved, str(case_path))
        elif self._explicit_case is not None and self._explicit_case[0] == resolved:
            case_path = self._explicit_case[1]  # the same archive again: the case file it was given
        self.close_case()
        self.paths = resolved
        self.case_path = case_path
        self.stack.setCurrentWidget(self.tabs)
        self.setWindowTitle(f"{plain.line(Path(self.paths[0]).name)} – VoiceArchive")
        settings.set_evidence_roots(self.paths)  # settings are never written inside the evidence
        settings.remember_archive(self.paths)
        self._start_worker(PipelineWorker(self.paths, FULL, case_path=case_path, workers=self.pool_workers))

    def _case_opened(self, reader, store) -> None:
        from voicearchive.case.labels import LabelBook

        self.reader, self.store = reader, store
        self.labels = LabelBook(store)
        self._unsubscribe = self.labels.subscribe(self._labels_changed)
        self._restore_key = store.get(CASE_SELECTION)
        header = store.get(CASE_HEADER)
        if header:
            self.table.horizontalHeader().restoreState(QByteArray.fromBase64(header.encode("ascii")))
        self.column_fit.auto = not (header and store.get(CASE_COLUMNS_BY_HAND))  # the user's widths stay
        self.column_fit.fit()
        splitter = store.get(CASE_SPLITTER)
        if splitter:
            self.splitter.restoreState(QByteArray.fromBase64(splitter.encode("ascii")))
        self.voices_view.set_case(store, self.labels)
        self.filter_bar.set_threshold(store.voice_meta().get("threshold"))
        self.review.update_actions()
        self._update_enabled()
        plain.plain_labels(self)
        self.caseOpened.emit()

    def close_case(self) -> None:
        """Stop the work, remember the view in the case file, and return to the start screen."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()
            self._worker_done()
        self._voices_timer.stop()
        self._voices_pending = False
        if self.store is not None:
            self.save_case_view()
            if self._unsubscribe:
                self._unsubscribe()
            self.voices_view.set_case(None, None)
            self.store.close()
        self.player.release()  # stopped now, not when the event loop next runs: the window may go next
        self.store = self.labels = self.reader = None
        self._unsubscribe = None
        self._report = None
        self.stopped = self._analysed = False
        self.paths = []
        self.refresh_verdicts()
        self._clear_status()  # the start screen says nothing about the archive that was closed
        self.model.clear()
        self.delegate.clear_cache()
        self.detail.show_item(None)
        self.problems_view.set_rows([])
        self.stack.setCurrentWidget(self.start_screen)
        self.start_screen.refresh()
        self.setWindowTitle("VoiceArchive")
        self._update_enabled()

    def save_case_view(self) -> None:
        """Column layout, splitter and selection into the case file (they travel with the case)."""
        if self.store is None:
            return
        try:
            self.store.set(CASE_HEADER, bytes(self.table.horizontalHeader().saveState().toBase64()).decode("ascii"))
            self.store.set(CASE_COLUMNS_BY_HAND, not self.column_fit.auto)
            self.store.set(CASE_SPLITTER, bytes(self.splitter.saveState().toBase64()).decode("ascii"))
            item = self.current_item()
            if item is not None:
                self.store.set(CASE_SELECTION, item.rec.key)
        except Exception as exc:  # noqa: BLE001 - a busy or vanished case file must not stop the window
            log.warning("could not save the view into the case file: %s", exc)

    # ------------------------------------------------------------------------------------ work
    def _start_worker(self, worker: PipelineWorker) -> None:
        self.worker = worker

        def live(slot):
            # Signals still queued from a worker that was stopped (the archive was closed or another
            # opened) must not touch the window any more.
            return lambda *args: slot(*args) if self.worker is worker else None

        worker.opened.connect(live(self._case_opened))
        worker.itemsChanged.connect(live(self._items_arrived))
        worker.progressed.connect(live(self._progressed))
        worker.reported.connect(live(self._reported))
        worker.succeeded.connect(live(lambda mode: self._finished(mode, "done", "")))
        worker.cancelled.connect(live(lambda mode: self._finished(mode, "cancelled", tr("Stopped; what was done is kept"))))
        worker.failed.connect(live(lambda mode, message: self._finished(mode, "failed", message)))
        worker.finished.connect(live(self._worker_done))
        self.stopped = False
        self._show_progress(True)
        self._update_enabled()
        worker.start()

    def _worker_done(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()
        self._show_progress(False)
        self._update_enabled()
        if self._voices_pending and self.store is not None:
            self._voices_timer.start()
        elif self._last_outcome:
            outcome, self._last_outcome = self._last_outcome, ""
            self.analysisFinished.emit(outcome)

    def cancel_work(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.progress_label.setText(tr("Stopping…"))

    def resume_work(self) -> None:
        """Continue a stopped analysis: what was done is in the case file, so only the rest is worked on."""
        if self.worker is not None or self.store is None or not self.paths:
            return
        self._voices_timer.stop()
        self._voices_pending = False
        self._clear_status()
        self._start_worker(PipelineWorker(self.paths, FULL, store=self.store, reader=self.reader,
                                          workers=self.pool_workers))

    def schedule_voices(self) -> None:
        """Re-run the cheap voice grouping soon (after a role, owner or threshold change)."""
        if self.store is None:
            return
        self._voices_pending = True
        if self.worker is None:
            self._voices_timer.start()

    def _start_voices(self) -> None:
        if self.worker is not None or self.store is None or not self._voices_pending:
            return
        self._voices_pending = False
        self._start_worker(PipelineWorker(self.paths, VOICES, store=self.store, reader=self.reader))

    def _progressed(self, stage: str, done: int, total: int, eta: float, message) -> None:
        text = format_progress(stage, done, None if total < 0 else total, None if eta < 0 else eta)
        plain.set_plain(self.progress_label, text, one_line=True)  # a stage's message may name a member
        self.progress.setAccessibleDescription(text)
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)
        if stage == "done":
            # The pipeline's own note (e.g. that no recording matches the owner) is one of the verdicts,
            # which keep it in view; the status bar says that the work is done, in the user's language.
            self.show_status(tr("Analysis complete"))

    def _reported(self, report) -> None:
        self._report = report

    def _finished(self, mode: str, outcome: str, message: str) -> None:
        self._last_outcome = outcome
        self.stopped = outcome == "cancelled"
        self._analysed = True
        if message:
            self.show_status(message)
        if self.store is None:
            return
        self.refresh_verdicts()
        self.filter_bar.set_threshold(self.store.voice_meta().get("threshold"))
        self._refresh_choices()
        self.voices_view.refresh()
        self.timeline_view.set_items(self.model.items())
        self.words_view.set_items(self.model.items())
        self.refresh_problems()
        if self.current_item() is None:
            self.review.select_first()

    def refresh_problems(self) -> None:
        """Show in the Problems tab every file the case knows could not be read."""
        if self.store is None:
            self.problems_view.set_rows([])
            return
        try:
            problems = self.store.problems()
        except Exception as exc:  # noqa: BLE001 - a damaged case file is reported, the window stays
            log.warning("could not read the problems from the case file: %s", exc)
            problems = []
        self.problems_view.set_case(problems, self.model.items())

    def _items_arrived(self, items: list[CaseItem]) -> None:
        self.model.upsert(items)
        current = self.current_item()
        if current is not None:
            fresh = self.model.item_by_key(current.rec.key)
            if fresh is not None:
                self.detail.update_item(fresh)
        if self._restore_key and self.current_item() is None and self.model.row_of(self._restore_key) >= 0:
            key, self._restore_key = self._restore_key, None
            self.select_key(key)
        self._choices_timer.start()
        self._verdict_timer.start()  # a re-opened case shows its verdicts as its rows arrive

    def _labels_changed(self, keys: list[str]) -> None:
        if self.store is None:
            return
        fresh = self.store.items(keys)
        role_changed = any(
            (old := self.model.item_by_key(i.rec.key)) is not None and old.label.role != i.label.role for i in fresh
        )
        self._items_arrived(fresh)
        self.review.update_actions()
        self._verdict_timer.start()
        if role_changed or any(k.startswith("\x1fvoice:") for k in keys):  # a voice's role (voices view)
            self.schedule_voices()

    def _threshold_changed(self, value: float) -> None:
        if self.store is not None:
            self.store.set("threshold", float(value))
            self.schedule_voices()

    def _threshold_reset(self) -> None:
        """Back to the threshold the analysis chooses from the owner's own recordings."""
        if self.store is not None:
            self.store.delete("threshold")
            self.schedule_voices()

    # ------------------------------------------------------------------------------------ selection
    def current_item(self) -> CaseItem | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def selected_keys(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        keys = [index.data(ItemRole).rec.key for index in rows]
        current = self.current_item()
        return keys or ([current.rec.key] if current is not None else [])

    def select_proxy_row(self, row: int) -> None:
        if not 0 <= row < self.proxy.rowCount():
            return
        current = self.table.selectionModel().currentIndex()
        index = self.proxy.index(row, current.column() if current.isValid() else 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def select_key(self, key: str, *, play: bool = False, show: bool = False) -> bool:
        """Select the recording ``key`` (clearing filters that hide it); optionally play it."""
        source_row = self.model.row_of(key)
        if source_row < 0:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not proxy_index.isValid():
            self.filter_bar.clear()
            proxy_index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if show:
            self.tabs.setCurrentIndex(0)
        self.select_proxy_row(proxy_index.row())
        self.voices_view.select_recording(key)
        if play:
            self._load_audio()
            self.player.play()
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ItemRole) if current.isValid() else None
        if self.player.key and (item is None or item.rec.key != self.player.key):
            self.player.unload()
        self.detail.show_item(item, self._envelope(item.rec.sha256) if item and item.rec.sha256 else None)
        self.detail.set_playback_message(self.player.availability_message() if item else "")
        self.detail.set_search(self.proxy.filters.text)
        self._update_play_actions()
        self.review.update_actions()
        if item is not None and item.rec.has_audio:
            self._audio_timer.start()
        self._save_timer.start()
        self._show_match(item)

    def _show_match(self, item) -> None:
        """While a search is active, say in which transcript of the selected recording it matched (issue 10)."""
        needle = self.filter_bar.filters.text
        found = where_matched(item, needle) if item is not None and needle else []
        if found:
            names = {"vendor": tr("vendor transcript"), "pdf": tr("PDF transcript"), "machine": tr("machine transcript")}
            self.show_status("; ".join(f"{tr('Found in the')} {names.get(src, src)}: {text}" for src, text in found))

    def _sync_detail(self, *_args) -> None:
        """After a refilter: the detail shows the list's current row, never one the filters hid."""
        item, shown = self.current_item(), self.detail.item
        if shown is None or (item is not None and item.rec.key == shown.rec.key):
            return
        self._current_changed(self.table.selectionModel().currentIndex(), QModelIndex())
        if item is None:
            self.detail.show_hidden_by_filter()

    def _filters_changed(self, filters: Filters) -> None:
        self.proxy.set_filters(filters)
        self._sync_detail()
        self.detail.set_search(filters.text)
        self.actions["flagged_only"].blockSignals(True)
        self.actions["flagged_only"].setChecked(filters.flagged_only)
        self.actions["flagged_only"].blockSignals(False)
        current = self.table.selectionModel().currentIndex()
        if current.isValid():
            self.table.scrollTo(current)

    def _day_activated(self, day) -> None:
        self._range_activated(day, day)

    def _range_activated(self, first, last) -> None:
        self.filter_bar.date_from.setDate(first)
        self.filter_bar.date_to.setDate(last)
        self.tabs.setCurrentIndex(0)

    def show_asr_settings(self) -> None:
        """Speech-to-text model and language (issue 10); "Transcribe Now" starts it in the background."""
        from .asr_dialog import AsrDialog

        dialog = AsrDialog(self.store, self)
        dialog.transcribeRequested.connect(self._start_transcribe)
        dialog.exec()

    def _start_transcribe(self) -> None:
        if self.worker is None and self.store is not None:
            self._start_worker(PipelineWorker(self.paths, TRANSCRIBE, store=self.store, reader=self.reader))

    def _term_activated(self, term: str, keys: list) -> None:
        """A word of the Words view: list exactly the recordings that said it (the bar says so; clearable)."""
        self.filter_bar.show_only(keys, term)
        self.tabs.setCurrentIndex(0)

    def _refresh_choices(self) -> None:
        items = self.model.items()
        devices = sorted({i.rec.device for i in items if i.rec.device}, key=str.casefold)
        groups = sorted({group_name(i) for i in items} - {""}, key=str.casefold)
        self.filter_bar.set_choices(devices, groups)
        times = [i.rec.recorded_at for i in items if i.rec.recorded_at is not None]
        self.filter_bar.set_date_range(min(times).astimezone().date() if times else None,
                                       max(times).astimezone().date() if times else None, self._recorded_days)

    def _recorded_days(self) -> frozenset:
        """The local days that have recordings (asked for when a calendar opens, not per batch of rows)."""
        return frozenset(i.rec.recorded_at.astimezone().date() for i in self.model.items() if i.rec.recorded_at)

    def _find(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.filter_bar.focus_search()

    # ------------------------------------------------------------------------------------ status
    def show_status(self, message: str) -> None:
        """A calm message in the status bar (never a dialog)."""
        plain.set_plain(self.status_label, message, plain.TOOLTIP_LIMIT)
        self.status_label.setToolTip(plain.tooltip(message))
        self.statusShown.emit(message)

    def _clear_status(self) -> None:
        self.show_status("")
        self.progress_label.setText("")

    def _show_progress(self, on: bool) -> None:
        for widget in (self.progress_label, self.progress, self.cancel_button):
            widget.setVisible(on)
        self.resume_button.setVisible(not on and self.stopped and self.store is not None)
        if on:
            self.progress.setRange(0, 0)
            self.progress_label.setText(tr("Opening…"))

    def _update_enabled(self) -> None:
        has_case = self.store is not None or self.worker is not None
        for action_id in CASE_ACTIONS:
            self.actions[action_id].setEnabled(has_case)
        self.actions["cancel"].setEnabled(self.worker is not None)
        self.actions["resume"].setEnabled(self.worker is None and self.store is not None and self.stopped)
        self.resume_button.setVisible(self.worker is None and self.store is not None and self.stopped)
        self._update_play_actions()
        self.review.update_actions()

    def _update_play_actions(self) -> None:
        """Playback needs a selected recording (one without audio says so in the status bar)."""
        selected = self.store is not None and self.current_item() is not None
        for action_id in PLAY_ACTIONS:
            self.actions[action_id].setEnabled(selected)

    # ------------------------------------------------------------------------------------ events
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if _local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = _local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        settings.set_value(settings.Key.WINDOW_GEOMETRY, self.saveGeometry())
        self.close_case()
        super().closeEvent(event)


def _local_paths(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


def _single_shot(parent, interval_ms: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer

