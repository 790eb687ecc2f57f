"""The selected recording: waveform with playhead, spectrogram, facts, transcript and the note.

The waveform shows the cached envelope at once; the spectrogram needs the decoded samples, which a
thread-pool job computes from the member's bytes (stale results are dropped when the selection moved
on). Clicking either plot asks to seek there; stretches where another voice speaks are shaded.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QRectF, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QPainterPath, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from voicearchive.model import CaseItem

from . import plain
from .detail_fields import NoteEdit, ValueField, flag_text, no_audio_text
from .i18n import marked_as, number, size, time_basis, ui
from .recordings_model import format_duration, format_time
from .search_text import match_text
from .spectrogram import spectrogram


AXIS_WIDTH = 44
LONG_FIELDS = frozenset({"archive", "file", "sha256"})  # exact values that wrap anywhere (paths, hashes)
TEXT_FIELDS = frozenset({"match", "transcript", "response", "problem"})  # several lines; the rest is one line
DEFAULT_KHZ = 8.0  # the frequency axis before a recording's rate is known
OTHER_VOICE_COLOUR = "#e67e22"


def tr(text: str) -> str:
    return QCoreApplication.translate("DetailView", text)


class _JobSignals(QObject):
    done = Signal(int, object, object, float)  # generation, spectrogram dB, envelope or None, duration


class _SpectrogramJob(QRunnable):
    """Decode a member's bytes and compute what the plots need, off the GUI thread.

    It reports through ``relay``, the view's own QObject, which lives in the GUI thread as long as the view.
    A QObject of the job's own (as before) was destroyed by PySide in the pool's thread once ``run`` returned,
    though it belonged to the GUI thread, and a result still on its way was lost with it
    (``tests/test_gui_detail_jobs.py``)."""

    def __init__(self, generation: int, data: bytes, need_envelope: bool, relay: _JobSignals) -> None:
        super().__init__()
        self.relay = relay
        self.generation, self.data, self.need_envelope = generation, data, need_envelope

    def run(self) -> None:
        result = (self.generation, None, None, 0.0)  # an undecodable member: the row already says why
        try:
            from voicearchive.audio.decode import decode

            samples, rate, _facts = decode(self.data)
            db = spectrogram(samples, rate)
            env = _envelope(samples) if self.need_envelope else None
            result = (self.generation, (db, rate), env, len(samples) / float(rate))
        except Exception:  # noqa: BLE001 - show no spectrogram
            pass
        finally:
            self.data = b""
        try:
            self.relay.done.emit(*result)
        except RuntimeError:  # the view went away meanwhile: no one waits for this
            pass


def _envelope(samples: np.ndarray, bins: int = 1000) -> np.ndarray:
    n = len(samples)
    if n == 0:
        return np.zeros((1, 2), np.float32)
    starts = np.minimum(np.linspace(0, n, min(bins, n), endpoint=False).astype(int), n - 1)
    return np.stack([np.minimum.reduceat(samples, starts), np.maximum.reduceat(samples, starts)], axis=1)


class DetailView(QWidget):
    """Everything about one recording; emits requests, holds no state of the case."""

    seekRequested = Signal(float)
    playPauseRequested = Signal()
    noteCommitted = Signal(str, str)  # key, note
    noteFinished = Signal()

    FIELDS = (
        ("match", "Search"),
        ("transcript", "Transcript"),
        ("response", "Assistant's response"),
        ("time", "Time"),
        ("device", "Device"),
        ("voice", "Voice"),
        ("flag", "Flag"),
        ("audio", "Audio"),
        ("hint", "Vendor's speaker hint"),
        ("archive", "Archive"),
        ("file", "File"),
        ("sha256", "SHA-256"),
        ("problem", "Problem"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Selected recording"))
        self.setMinimumWidth(340)
        self._item: CaseItem | None = None
        # item -> its machine words [(start, end, probability, word)] from the case file (set by the window)
        self.machine_words: Callable[[CaseItem], list] | None = None
        self._search = ""
        self._generation = 0
        self._duration = 0.0
        self._relay = _JobSignals(self)  # the background jobs' results, delivered in this (the GUI) thread
        self._relay.done.connect(self._audio_ready, Qt.ConnectionType.QueuedConnection)
        self._has_envelope = False
        self._spans: list[pg.LinearRegionItem] = []

        self.title = QLabel(tr("No recording selected"), self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName(tr("Recording title"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)

        self.play_button = QPushButton(tr("Play"), self)
        self.play_button.setAccessibleName(tr("Play or pause"))
        self.play_button.setToolTip(tr("Play or pause (Space)"))
        self.play_button.clicked.connect(self.playPauseRequested)
        self.play_button.setEnabled(False)
        self.position_label = QLabel("", self)
        self.position_label.setAccessibleName(tr("Playback position"))
        self.playback_message = QLabel("", self)
        self.playback_message.setAccessibleName(tr("Playback status"))
        self.playback_message.setWordWrap(True)
        self.playback_message.setTextFormat(Qt.TextFormat.PlainText)

        self.plots = QWidget(self)
        self.waveform = pg.PlotWidget(self.plots)
        self.waveform.setAccessibleName(tr("Waveform; click to seek"))
        self.spectrogram = pg.PlotWidget(self.plots)
        self.spectrogram.setAccessibleName(tr("Spectrogram; click to seek"))
        for plot in (self.waveform, self.spectrogram):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.scene().sigMouseClicked.connect(lambda ev, p=plot: self._clicked(p, ev))
            for axis in ("left", "bottom"):
                plot.getPlotItem().getAxis(axis).enableAutoSIPrefix(False)  # never "kHz (x0.001)"
        self.waveform.setMinimumHeight(60)
        self.spectrogram.setMinimumHeight(130)  # a small window shrinks the details, never this
        self.waveform.setYRange(-1.05, 1.05, padding=0)
        self.waveform.hideAxis("bottom")  # the spectrogram's time axis below serves both
        self.waveform.getPlotItem().getAxis("left").setStyle(showValues=False, tickLength=0)
        for plot in (self.waveform, self.spectrogram):  # equal axis widths keep the two time axes aligned
            plot.getPlotItem().getAxis("left").setWidth(AXIS_WIDTH)
        self.spectrogram.setXLink(self.waveform)
        self.spectrogram.setLabel("bottom", tr("seconds"))
        self.spectrogram.setLabel("left", tr("kHz"))
        self._upper = pg.PlotDataItem()
        self._lower = pg.PlotDataItem()
        self._fill = pg.FillBetweenItem(self._upper, self._lower)
        self.waveform.addItem(self._upper)
        self.waveform.addItem(self._lower)
        self.waveform.addItem(self._fill)
        self._image = pg.ImageItem()
        self._image.setColorMap(pg.colormap.get("viridis"))
        self.spectrogram.addItem(self._image)
        # What the spectrogram is waiting for, written inside it (reading, or why there is none).
        self.spectrogram_note = pg.TextItem("", anchor=(0.5, 0.5))
        self.spectrogram_note.textItem.setTextWidth(260)
        self.spectrogram.addItem(self.spectrogram_note, ignoreBounds=True)
        plots_layout = QVBoxLayout(self.plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.addWidget(self.waveform, 3)
        plots_layout.addWidget(self.spectrogram, 4)
        # With nothing to draw the plots give way to a sentence that says why.
        self.empty_state = QLabel("", self)
        self.empty_state.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setAccessibleName(tr("Why there is no waveform"))
        self.empty_state.setMinimumHeight(80)
        self.empty_state.setFrameShape(QFrame.Shape.StyledPanel)
        self.plot_stack = QStackedWidget(self)
        self.plot_stack.addWidget(self.plots)
        self.plot_stack.addWidget(self.empty_state)
        self._playheads = [pg.InfiniteLine(pos=0, angle=90, movable=False) for _ in range(2)]
        self._spec_spans: list[pg.LinearRegionItem] = []
        self.waveform.addItem(self._playheads[0])
        self.spectrogram.addItem(self._playheads[1])

        self.fields: dict[str, ValueField] = {}
        self._form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow panel puts values under names
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for field_id, name in self.FIELDS:
            label = ValueField(tr(name), self, anywhere=field_id in LONG_FIELDS)
            self.fields[field_id] = label
            form.addRow(tr(name) + ":", label)
        self.note = NoteEdit(self)
        self.note.setAccessibleName(tr("Note"))
        self.note.setMaximumHeight(90)
        self.note.setEnabled(False)
        self.note.committed.connect(self._note_committed)
        self.note.finished.connect(self.noteFinished)
        form.addRow(tr("Note") + ":", self.note)
        info = QWidget(self)
        info_layout = QVBoxLayout(info)
        info_layout.addLayout(form)
        info_layout.addStretch(1)  # rows keep their height; the space left stays below them
        scroll = QScrollArea(self)
        scroll.setWidget(info)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(tr("Recording details"))

        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.position_label)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        scroll.setMinimumHeight(120)
        layout.addWidget(self.title)
        layout.addWidget(self.plot_stack, 5)
        layout.addLayout(controls)
        layout.addWidget(self.playback_message)
        layout.addWidget(scroll, 6)
        self.apply_palette()
        self._fill_fields(None)  # no empty "Device:" rows before the first selection
        self._show_empty(tr("Select a recording to see its waveform, spectrogram and details here."))

    # --- showing ----------------------------------------------------------------------------------
    @property
    def item(self) -> CaseItem | None:
        return self._item

    def apply_palette(self) -> None:
        """Take the colours of the current (light or dark) palette."""
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        accent = pal.color(QPalette.ColorRole.Highlight)
        for plot in (self.waveform, self.spectrogram):
            plot.setBackground(base)
            for axis in ("bottom", "left"):
                plot.getPlotItem().getAxis(axis).setTextPen(text)
                plot.getPlotItem().getAxis(axis).setPen(text)
        self.waveform.getPlotItem().getAxis("left").setPen(pg.mkPen(None))  # kept only for alignment
        wave = QColor(text)
        wave.setAlphaF(0.7)
        self._upper.setPen(pg.mkPen(wave, width=1))
        self._lower.setPen(pg.mkPen(wave, width=1))
        self._fill.setBrush(pg.mkBrush(wave))
        for line in self._playheads:
            line.setPen(pg.mkPen(accent, width=2))
        self.spectrogram_note.setColor(text)

    def show_item(self, item: CaseItem | None, envelope: np.ndarray | None = None) -> None:
        """Show ``item``: texts at once, the waveform from ``envelope`` if known (else when decoded)."""
        same = item is not None and self._item is not None and item.rec.key == self._item.rec.key
        self._item = item
        self._fill_fields(item)
        if same:
            return
        self._generation += 1
        self.note.set_saved_text(item.label.note if item else "")
        self.note.setEnabled(item is not None)
        self.play_button.setEnabled(bool(item and item.rec.has_audio))
        self._duration = item.rec.audio.duration_s if item and item.rec.audio else 0.0
        self._image.clear()
        self._set_envelope(envelope)
        self._set_spans(item)
        self._reset_axes()
        if item is None:
            self._show_empty(tr("Select a recording to see its waveform, spectrogram and details here."))
        elif not item.rec.has_audio:
            self._show_empty(no_audio_text(item))
        else:
            self.plot_stack.setCurrentWidget(self.plots)
            self.spectrogram_note.setText(tr("Reading the audio…"))
        self.set_position(0.0)

    def update_item(self, item: CaseItem) -> None:
        """Refresh texts of the shown recording (a label or analysis result changed)."""
        if self._item is not None and item.rec.key == self._item.rec.key:
            self._item = item
            self._fill_fields(item)
            self._set_spans(item)
            if not self.note.hasFocus():
                self.note.set_saved_text(item.label.note)

    def load_audio(self, data: bytes) -> None:
        """Decode ``data`` in the background and draw its spectrogram (and waveform, if none yet)."""
        job = _SpectrogramJob(self._generation, data, not self._has_envelope, self._relay)
        QThreadPool.globalInstance().start(job)

    def set_search(self, text: str) -> None:
        """The list's search text: the details say where it was found in this recording."""
        if text != self._search:
            self._search = text
            self._fill_fields(self._item)

    def show_hidden_by_filter(self) -> None:
        """The recording that was shown is no longer in the list: show none, and say why."""
        self.show_item(None)
        self._show_empty(tr("The recording you had selected is hidden by the filters. Select one in the list, "
                            "or clear the filters (Ctrl+Shift+C) to see it again."))

    def set_position(self, seconds: float) -> None:
        for line in self._playheads:
            line.setValue(seconds)
        total = format_duration(self._duration) if self._duration else ""
        self.position_label.setText(f"{format_duration(seconds)} / {total}" if total else "")

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText(tr("Pause") if playing else tr("Play"))

    def set_playback_message(self, message: str) -> None:
        self.playback_message.setText(plain.text(message))  # it may name the member
        self.playback_message.setVisible(bool(message))

    def edit_note(self) -> None:
        if self._item is not None:
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.note.moveCursor(self.note.textCursor().MoveOperation.End)

    # --- internals --------------------------------------------------------------------------------
    def _fill_fields(self, item: CaseItem | None) -> None:
        self._form.setRowVisible(self.note, item is not None)
        if item is None:
            self.title.setText(tr("No recording selected"))
            for label in self.fields.values():
                label.setText("")
                self._form.setRowVisible(label, False)
            return
        rec, voice = item.rec, item.voice
        self.title.setText(plain.line(" ".join(rec.transcript[:120].split()) or rec.member_path.rsplit("/", 1)[-1] or rec.key))
        when = format_time(rec.recorded_at)
        if when and rec.time_basis:
            when += f"  ({time_basis(rec.time_basis)})"
        voice_text = ""
        if voice is not None:
            voice_text = ui(voice.name or voice.group_name) or (tr("unique voice") if voice.group < 0 else f"#{voice.group}")
            if voice.deciding_score is not None:
                voice_text += f"; {tr('owner score')} {number(voice.deciding_score, '.2f')}"
            if voice.score is not None and voice.owner_similarity is not None:
                voice_text += f" ({tr('similarity to the owner')} {number(voice.owner_similarity, '.2f')})"
            if voice.uncertain:
                voice_text += f"; {tr('too little speech to judge')}"
            if voice.other_voice_spans:
                n = len(voice.other_voice_spans)
                voice_text += "; " + (tr("another voice in 1 stretch") if n == 1
                                      else tr("another voice in %1 stretches").replace("%1", number(n)))
        if item.label.role:
            voice_text = marked_as(item.label.role) + (f" ({voice_text})" if voice_text else "")
        audio = ""
        if rec.audio is not None:
            a = rec.audio
            audio = f"{a.codec}, {number(a.sample_rate)} Hz, {a.channels} ch, {format_duration(a.duration_s)}, {size(rec.size)}"
            if getattr(a, "note", None):  # truncated, or decoded in part: said where the facts are
                audio += f"; {ui(a.note)}"
        values = {
            "match": match_text(item, self._search),
            "transcript": _shown_transcript(item, self._machine_words(item)) or (tr("(not meant for the assistant)") if rec.not_for_assistant else ""),
            "response": rec.assistant_response,
            "time": when,
            "device": rec.device,
            "voice": voice_text,
            "flag": flag_text(item),
            "audio": audio,
            "hint": rec.vendor_speaker_hint,
            "archive": rec.archive,
            "file": rec.member_path,
            "sha256": rec.sha256,
            "problem": ui(rec.problem),
        }
        for field_id, text in values.items():
            # a 1 MB transcript must not stall the layout; controls and bidi escaped (names on one line)
            limit = 1 << 62 if field_id in LONG_FIELDS else plain.LABEL_LIMIT
            text = plain.text(text, limit) if field_id in TEXT_FIELDS else plain.line(text, limit)
            self.fields[field_id].setText(text)
            self.fields[field_id].setAccessibleDescription(text)
            self._form.setRowVisible(self.fields[field_id], bool(text))  # no empty "Device:" rows

    def empty_text(self) -> str:
        """The sentence shown instead of the plots ("" while the plots are shown)."""
        return self.empty_state.text() if self.plot_stack.currentWidget() is self.empty_state else ""

    def _show_empty(self, text: str) -> None:
        self.empty_state.setText(plain.text(text))  # it may quote the archive's problem
        self.plot_stack.setCurrentWidget(self.empty_state)

    def _reset_axes(self) -> None:
        """Axes that make sense before anything is drawn: the recording's length, 0 to 8 kHz."""
        self.waveform.setXRange(0, self._duration if self._duration > 0 else 1.0, padding=0)
        self.spectrogram.setYRange(0, DEFAULT_KHZ, padding=0)
        self._place_note()

    def _place_note(self) -> None:
        self.spectrogram_note.setPos((self._duration if self._duration > 0 else 1.0) / 2, DEFAULT_KHZ / 2)

    def _set_envelope(self, envelope: np.ndarray | None) -> None:
        if envelope is None or len(envelope) == 0 or self._duration <= 0:
            self._upper.setData([], [])
            self._lower.setData([], [])
            self._fill.setPath(QPainterPath())  # the fill keeps its old shape otherwise
            self._has_envelope = False
            return
        env = np.asarray(envelope, dtype=np.float32).reshape(-1, 2)
        x = np.linspace(0.0, self._duration, len(env))
        peak = max(float(np.abs(env).max()), 1e-6)
        self._upper.setData(x, env[:, 1] / peak)
        self._lower.setData(x, env[:, 0] / peak)
        self.waveform.setXRange(0, self._duration, padding=0)
        self._has_envelope = True

    def _set_spans(self, item: CaseItem | None) -> None:
        """Shade where another voice speaks, on the waveform and (outlined) on the spectrogram."""
        for region in self._spans:
            self.waveform.removeItem(region)
        for region in self._spec_spans:
            self.spectrogram.removeItem(region)
        self._spans, self._spec_spans = [], []
        spans = item.voice.other_voice_spans if item and item.voice else []
        colour = QColor(OTHER_VOICE_COLOUR)
        colour.setAlphaF(0.25)
        for start, end in spans:
            region = pg.LinearRegionItem(values=(start, end), movable=False, brush=pg.mkBrush(colour))
            region.setToolTip(tr("Another voice speaks here"))
            self.waveform.addItem(region)
            self._spans.append(region)
            on_spec = pg.LinearRegionItem(values=(start, end), movable=False, brush=pg.mkBrush(None),
                                          pen=pg.mkPen(OTHER_VOICE_COLOUR, width=2))
            on_spec.setZValue(5)  # above the image
            on_spec.setToolTip(tr("Another voice speaks here"))
            self.spectrogram.addItem(on_spec)
            self._spec_spans.append(on_spec)

    def _audio_ready(self, generation: int, spec, envelope, duration: float) -> None:
        if generation != self._generation:
            return
        if spec is None:
            self.spectrogram_note.setText(tr("The audio could not be decoded, so there is no spectrogram."))
            return
        self.spectrogram_note.setText("")
        db, rate = spec
        if self._duration <= 0:
            self._duration = duration
        if envelope is not None:
            self._set_envelope(envelope)
        self._image.setImage(db, autoLevels=False, levels=(-80.0, 0.0))
        self._image.setRect(QRectF(0.0, 0.0, self._duration, rate / 2000.0))
        self.spectrogram.setYRange(0, rate / 2000.0, padding=0)
        self.waveform.setXRange(0, self._duration, padding=0)
        self.set_position(self._playheads[0].value())

    def _clicked(self, plot: pg.PlotWidget, event) -> None:
        if self._item is None or self._duration <= 0 or event.button() != Qt.MouseButton.LeftButton:
            return
        point = plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.seekRequested.emit(float(min(max(point.x(), 0.0), self._duration)))

    def _machine_words(self, item: CaseItem) -> list:
        if self.machine_words is None or getattr(item, "machine", None) is None:
            return []
        try:
            return list(self.machine_words(item) or [])
        except Exception:  # noqa: BLE001 - a busy case file: the text without its marks
            return []

    def _note_committed(self, text: str) -> None:
        if self._item is not None:
            self.noteCommitted.emit(self._item.rec.key, text)


def _shown_transcript(item, words=()) -> str:
    """The shown words with their source (issue 10): machine words are marked, uncertain ones in ⟨ ⟩ (plain
    text: never rich text for words from evidence), PDF words say where."""
    from voicearchive.transcripts.rows import SOURCE_MACHINE, SOURCE_PDF, marked_words, shown

    s = shown(item.rec, item.machine)
    if s.source == SOURCE_MACHINE:
        text, uncertain = marked_words(words) if words else (s.text, 0)
        mark = tr("machine transcript, uncertain") if s.low_confidence else tr("machine transcript")
        mark = f"{mark}: {getattr(item.machine, 'engine', '')}"
        if uncertain:
            mark += "; " + (tr("1 uncertain word in ⟨ ⟩") if uncertain == 1 else
                            tr("%1 uncertain words in ⟨ ⟩").replace("%1", number(uncertain)))
        return f"{text or s.text}  ({mark})"
    pdf = item.rec.extra.get("pdf") if isinstance(item.rec.extra, dict) else None
    if s.source == SOURCE_PDF and isinstance(pdf, dict):
        return f"{s.text}  ({tr('from')} {pdf.get('file', '')}, {tr('page')} {pdf.get('page', '')})"
    return s.text
