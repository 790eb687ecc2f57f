"""The selected recording: waveform with playhead, spectrogram, facts, transcript and the note.

The waveform shows the cached envelope at once; the spectrogram needs the decoded samples, which a
thread-pool job computes from the member's bytes (stale results are dropped when the selection moved
on). Clicking either plot asks to seek there; stretches where another voice speaks are shaded.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QRectF, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from voicearchive.model import CaseItem

from .i18n import marked_as, number, size, time_basis, ui
from .recordings_model import format_duration, format_time
from .spectrogram import spectrogram


AXIS_WIDTH = 44
LONG_FIELDS = frozenset({"archive", "file", "sha256"})  # exact values shown in scrolling one-line fields


def tr(text: str) -> str:
    return QCoreApplication.translate("DetailView", text)


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


class _JobSignals(QObject):
    done = Signal(int, object, object, float)  # generation, spectrogram dB, envelope or None, duration


class _SpectrogramJob(QRunnable):
    """Decode a member's bytes and compute what the plots need, off the GUI thread."""

    def __init__(self, generation: int, data: bytes, need_envelope: bool) -> None:
        super().__init__()
        self.signals = _JobSignals()
        self.generation, self.data, self.need_envelope = generation, data, need_envelope

    def run(self) -> None:
        try:
            from voicearchive.audio.decode import decode

            samples, rate, _facts = decode(self.data)
            db = spectrogram(samples, rate)
            env = _envelope(samples) if self.need_envelope else None
            self.signals.done.emit(self.generation, (db, rate), env, len(samples) / float(rate))
        except Exception:  # an undecodable member: the row already says why; show no spectrogram
            self.signals.done.emit(self.generation, None, None, 0.0)
        finally:
            self.data = b""


def _envelope(samples: np.ndarray, bins: int = 1000) -> np.ndarray:
    n = len(samples)
    if n == 0:
        return np.zeros((1, 2), np.float32)
    starts = np.minimum(np.linspace(0, n, min(bins, n), endpoint=False).astype(int), n - 1)
    return np.stack([np.minimum.reduceat(samples, starts), np.maximum.reduceat(samples, starts)], axis=1)


class _Field(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(80)  # long values (paths, hashes) wrap instead of widening the pane


class _LongField(QLineEdit):
    """A value that must stay exact when copied (a path, a hash): one line, scrolls, never wraps."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrame(False)
        self.setAccessibleName(name)
        self.setMinimumWidth(80)
        self.setStyleSheet("QLineEdit { background: transparent; }")

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        super().setText(text)
        self.setCursorPosition(0)
        self.setToolTip(text)


class DetailView(QWidget):
    """Everything about one recording; emits requests, holds no state of the case."""

    seekRequested = Signal(float)
    playPauseRequested = Signal()
    noteCommitted = Signal(str, str)  # key, note
    noteFinished = Signal()

    FIELDS = (
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
        self._generation = 0
        self._duration = 0.0
        self._has_envelope = False
        self._spans: list[pg.LinearRegionItem] = []

        self.title = QLabel(tr("No recording selected"), self)
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

        self.waveform = pg.PlotWidget(self)
        self.waveform.setAccessibleName(tr("Waveform; click to seek"))
        self.spectrogram = pg.PlotWidget(self)
        self.spectrogram.setAccessibleName(tr("Spectrogram; click to seek"))
        for plot in (self.waveform, self.spectrogram):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setMinimumHeight(90)
            plot.scene().sigMouseClicked.connect(lambda ev, p=plot: self._clicked(p, ev))
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
        self._playheads = [pg.InfiniteLine(pos=0, angle=90, movable=False) for _ in range(2)]
        self.waveform.addItem(self._playheads[0])
        self.spectrogram.addItem(self._playheads[1])

        self.fields: dict[str, _Field | _LongField] = {}
        self._form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field_id, name in self.FIELDS:
            label = (_LongField if field_id in LONG_FIELDS else _Field)(tr(name), self)
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
        info.setLayout(form)
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
        layout.addWidget(self.title)
        layout.addWidget(self.waveform, 3)
        layout.addWidget(self.spectrogram, 4)
        layout.addLayout(controls)
        layout.addWidget(self.playback_message)
        layout.addWidget(scroll, 6)
        self.apply_palette()

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
        job = _SpectrogramJob(self._generation, data, need_envelope=not self._has_envelope)
        job.signals.done.connect(self._audio_ready, Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(job)

    def set_position(self, seconds: float) -> None:
        for line in self._playheads:
            line.setValue(seconds)
        total = format_duration(self._duration) if self._duration else ""
        self.position_label.setText(f"{format_duration(seconds)} / {total}" if total else "")

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText(tr("Pause") if playing else tr("Play"))

    def set_playback_message(self, message: str) -> None:
        self.playback_message.setText(message)
        self.playback_message.setVisible(bool(message))

    def edit_note(self) -> None:
        if self._item is not None:
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.note.moveCursor(self.note.textCursor().MoveOperation.End)

    # --- internals --------------------------------------------------------------------------------
    def _fill_fields(self, item: CaseItem | None) -> None:
        if item is None:
            self.title.setText(tr("No recording selected"))
            for label in self.fields.values():
                label.setText("")
                self._form.setRowVisible(label, False)
            return
        rec, voice = item.rec, item.voice
        self.title.setText(rec.transcript.strip()[:120] or rec.member_path.rsplit("/", 1)[-1] or rec.key)
        when = format_time(rec.recorded_at)
        if when and rec.time_basis:
            when += f"  ({time_basis(rec.time_basis)})"
        voice_text = ""
        if voice is not None:
            voice_text = ui(voice.group_name) or (tr("unique voice") if voice.group < 0 else f"#{voice.group}")
            if voice.owner_similarity is not None:
                voice_text += f"; {tr('owner similarity')} {number(voice.owner_similarity, '.2f')}"
            if voice.uncertain:
                voice_text += f"; {tr('too little speech to judge')}"
            if voice.other_voice_spans:
                voice_text += f"; {tr('another voice in')} {len(voice.other_voice_spans)} {tr('stretch(es)')}"
        if item.label.role:
            voice_text = marked_as(item.label.role) + (f" ({voice_text})" if voice_text else "")
        audio = ""
        if rec.audio is not None:
            a = rec.audio
            audio = f"{a.codec}, {number(a.sample_rate)} Hz, {a.channels} ch, {format_duration(a.duration_s)}, {size(rec.size)}"
        values = {
            "transcript": _shown_transcript(item) or (tr("(not meant for the assistant)") if rec.not_for_assistant else ""),
            "response": rec.assistant_response,
            "time": when,
            "device": rec.device,
            "voice": voice_text,
            "flag": ui(item.flag_reason) if item.flagged else tr("not flagged"),
            "audio": audio,
            "hint": rec.vendor_speaker_hint,
            "archive": rec.archive,
            "file": rec.member_path,
            "sha256": rec.sha256,
            "problem": ui(rec.problem),
        }
        for field_id, text in values.items():
            self.fields[field_id].setText(text)
            self.fields[field_id].setAccessibleDescription(text)
            self._form.setRowVisible(self.fields[field_id], bool(text))  # no empty "Device:" rows

    def _set_envelope(self, envelope: np.ndarray | None) -> None:
        if envelope is None or len(envelope) == 0 or self._duration <= 0:
            self._upper.setData([], [])
            self._lower.setData([], [])
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
        for region in self._spans:
            self.waveform.removeItem(region)
        self._spans = []
        spans = item.voice.other_voice_spans if item and item.voice else []
        colour = QColor("#e67e22")
        colour.setAlphaF(0.25)
        for start, end in spans:
            region = pg.LinearRegionItem(values=(start, end), movable=False, brush=pg.mkBrush(colour))
            region.setToolTip(tr("Another voice speaks here"))
            self.waveform.addItem(region)
            self._spans.append(region)

    def _audio_ready(self, generation: int, spec, envelope, duration: float) -> None:
        if generation != self._generation or spec is None:
            return
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

    def _note_committed(self, text: str) -> None:
        if self._item is not None:
            self.noteCommitted.emit(self._item.rec.key, text)


def _shown_transcript(item) -> str:
    """The shown words with their source (issue 10): machine words are marked, PDF words say where."""
    from voicearchive.transcripts.rows import SOURCE_MACHINE, SOURCE_PDF, shown

    s = shown(item.rec, item.machine)
    if s.source == SOURCE_MACHINE:
        mark = tr("machine transcript, uncertain") if s.low_confidence else tr("machine transcript")
        return f"{s.text}  ({mark}: {getattr(item.machine, 'engine', '')})"
    pdf = item.rec.extra.get("pdf") if isinstance(item.rec.extra, dict) else None
    if s.source == SOURCE_PDF and isinstance(pdf, dict):
        return f"{s.text}  ({tr('from')} {pdf.get('file', '')}, {tr('page')} {pdf.get('page', '')})"
    return s.text
