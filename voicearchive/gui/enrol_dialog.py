"""Enrol the owner's voice from an audio file or from the microphone.

Either way the samples are decoded and embedded (``voices.features.analyse_audio``) on a worker
thread. With a case store the embeddings are added to its enrolments and ``decisionsChanged`` asks
the main window to re-run the voice analysis; ``enrolled(embeddings, name)`` reports them either way.
Nothing else is written, and no audio is kept. With no microphone the dialog says so and offers the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QIODevice, Qt, QTimer, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voicearchive.gui import pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)
from voicearchive.gui import plain
from voicearchive.gui.background import Job
from voicearchive.gui.i18n import number, ui

MIN_SECONDS = 10.0  # a microphone recording shorter than this is not enough to learn a voice
MAX_SECONDS = 20.0  # recording stops by itself here
GOOD_SPEECH_S = 5.0  # less speech than this in a sample still enrols, with advice
METER_FLOOR_DB = -60.0

Analyse = Callable[[np.ndarray, int], object]  # samples, rate -> VoiceFeatures


def pcm_to_mono(data: bytes, fmt: QAudioFormat) -> np.ndarray:
    """Raw interleaved PCM from QAudioSource as float32 mono in [-1, 1]."""
    kinds = {
        QAudioFormat.SampleFormat.UInt8: (np.uint8, 128.0, 128.0),
        QAudioFormat.SampleFormat.Int16: (np.int16, 0.0, 32768.0),
        QAudioFormat.SampleFormat.Int32: (np.int32, 0.0, 2147483648.0),
        QAudioFormat.SampleFormat.Float: (np.float32, 0.0, 1.0),
    }
    dtype, offset, scale = kinds[fmt.sampleFormat()]
    channels = max(fmt.channelCount(), 1)
    frame = np.dtype(dtype).itemsize * channels
    raw = np.frombuffer(data, dtype=dtype, count=(len(data) // frame) * channels)  # whole frames only
    samples = (raw.astype(np.float32) - offset) / scale
    return samples.reshape(-1, channels).mean(axis=1).astype(np.float32)


def level_percent(samples: np.ndarray) -> int:
    """Loudness of a chunk for the level meter: RMS in dBFS mapped onto 0-100."""
    if samples.size == 0:
        return 0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    db = 20.0 * np.log10(max(rms, 1e-9))
    return int(round(100 * min(max((db - METER_FLOOR_DB) / -METER_FLOOR_DB, 0.0), 1.0)))


class EnrolDialog(QDialog):
    enrolled = Signal(list, str)  # list of (256,) float32 embeddings, the name given
    enrolFailed = Signal(str)
    decisionsChanged = Signal()  # an enrolment was stored in the case file

    def __init__(self, store=None, labels=None, parent: QWidget | None = None, *,
                 analyse: Analyse | None = None) -> None:
        """``store`` (a CaseStore) receives the enrolments; ``labels`` is not needed here and is
        accepted so every review dialog is built alike; ``analyse`` replaces ``analyse_audio``."""
        super().__init__(parent)
        self._store = store
        self.setWindowTitle(self.tr("Enrol the Owner's Voice"))
        self.setAccessibleName(self.tr("Enrol the owner's voice"))
        self.setMinimumWidth(480)
        self._analyse = analyse
        self._working = False
        self._source: QAudioSource | None = None
        self._stream: QIODevice | None = None
        self._chunks: list[bytes] = []
        self._format = QAudioFormat()

        intro = QLabel(
            self.tr(
                "VoiceArchive learns the owner's voice from 10 to 20 seconds of speech: a recording of "
                "the owner, or the owner reading aloud to the microphone. Nothing leaves this computer."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("Owner"))
        self.name.setAccessibleName(self.tr("Name of the person enrolled"))

        self.choose_file = QPushButton(self.tr("Choose &Audio File…"), self)
        self.choose_file.setAccessibleName(self.tr("Choose an audio file of the owner's voice"))
        self.choose_file.clicked.connect(self._choose_files)
        file_box = QGroupBox(self.tr("From an audio file"), self)
        QVBoxLayout(file_box).addWidget(self.choose_file)

        self.devices = QComboBox(self)
        self.devices.setAccessibleName(self.tr("Microphone"))
        self.record = QPushButton(self.tr("&Record"), self)
        self.record.setCheckable(True)
        self.record.setAccessibleName(self.tr("Record from the microphone"))
        self.record.toggled.connect(self._on_record_toggled)
        self.meter = QProgressBar(self)
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName(self.tr("Microphone level"))
        self.elapsed = QLabel(self)
        self.elapsed.setAccessibleName(self.tr("Recorded time"))
        self.mic_note = QLabel(self)
        self.mic_note.setWordWrap(True)
        self.mic_note.setAccessibleName(self.tr("Microphone status"))
        mic_box = QGroupBox(self.tr("From the microphone"), self)
        mic = QFormLayout(mic_box)
        mic.addRow(self.tr("&Microphone:"), self.devices)
        row = QHBoxLayout()
        row.addWidget(self.record)
        row.addWidget(self.meter, 1)
        row.addWidget(self.elapsed)
        mic.addRow(row)
        mic.addRow(self.mic_note)

        self.samples = QListWidget(self)
        self.samples.setAccessibleName(self.tr("Enrolled samples"))
        self.samples.setMaximumHeight(90)
        self.samples.itemSelectionChanged.connect(self._samples_selected)
        self.remove = QPushButton(self.tr("Remo&ve Sample"), self)
        self.remove.setAccessibleName(self.tr("Remove the selected enrolled sample"))
        self.remove.clicked.connect(self.remove_selected_sample)
        self.remove.setEnabled(False)
        samples_box = QGroupBox(self.tr("Enrolled in this case"), self)
        samples_layout = QHBoxLayout(samples_box)
        samples_layout.addWidget(self.samples, 1)
        samples_layout.addWidget(self.remove)
        samples_box.setVisible(store is not None)

        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Analysing"))
        self.busy.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Enrolment status"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(file_box)
        layout.addWidget(mic_box)
        layout.addWidget(samples_box)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self._tick = QTimer(self)
        self._tick.setInterval(100)
        self._tick.timeout.connect(self._on_tick)
        self._list_microphones()
        self._list_samples()

    # ------------------------------------------------------------------------------------------ API
    def enrol_files(self, paths: Sequence[str | Path]) -> None:
        """Decode and embed each file on a worker thread; ``enrolled`` or ``enrolFailed`` follows."""
        files = [Path(p) for p in paths]
        if files:
            what = ", ".join(p.name for p in files)
            self._run(lambda: [self._try_file(p) for p in files], what)

    def enrol_samples(self, samples: np.ndarray, rate: int, what: str) -> None:
        """Embed samples already in memory (the microphone's) on a worker thread."""
        self._run(lambda: [(self._embed(samples, rate), what, "")], what)

    def remove_selected_sample(self) -> None:
        """Forget the selected enrolment (a wrong sample, someone else's voice)."""
        item = self.samples.currentItem()
        if self._store is None or item is None:
            return
        try:
            self._store.remove_enrolment(item.data(Qt.ItemDataRole.UserRole))
        except Exception as exc:  # the case file is damaged or read-only: say so, keep going
            plain.set_plain(self.status, self.tr("The sample could not be removed: %1").replace("%1", str(exc)))
            return
        plain.set_plain(self.status, self.tr("Removed %1.").replace("%1", item.text()))
        self._list_samples()
        self.decisionsChanged.emit()

    def microphone_available(self) -> bool:
        return self.devices.count() > 0

    # ------------------------------------------------------------------------------- file and work
    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Choose Audio of the Owner's Voice"), "",
            self.tr("Audio (*.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aac);;All files (*)"),
        )
        self.enrol_files(paths)

    def _try_file(self, path: Path) -> tuple[object | None, str, str]:
        """(an enrolment.Sample, file name, "") or (None, file name, what was wrong): one bad file stops no other."""
        try:
            return self._embed_file(path), path.name, ""
        except ValueError as exc:  # a Message when the voice analysis refused the samples (UnusableAudio)
            from voicearchive.messages import reason_of, render

            return None, path.name, render(reason_of(exc))

    def _embed_file(self, path: Path) -> object:
        from voicearchive.audio.decode import DecodeError, decode
        from voicearchive.messages import render
        from voicearchive.voices.enrolment import KEEP_S, MAX_SAMPLE_BYTES

        try:
            size = path.stat().st_size
            if size > MAX_SAMPLE_BYTES:
                raise ValueError(self.tr("%1 is too large for a voice sample.").replace("%1", path.name))
            data = path.read_bytes()
        except OSError as exc:
            raise ValueError(self.tr("%1 could not be read: %2").replace("%1", path.name)
                             .replace("%2", exc.strerror or str(exc))) from exc
        try:
            samples, rate, _facts = decode(data, max_seconds=KEEP_S)
        except DecodeError as exc:
            raise ValueError(self.tr("%1 is not audio VoiceArchive can read: %2")
                             .replace("%1", path.name).replace("%2", render(exc.message))) from exc
        return self._embed(samples, rate)

    def _embed(self, samples: np.ndarray, rate: int) -> object:
        """An ``enrolment.Sample``: the features, and the speech and model version the case file keeps."""
        from voicearchive.voices.enrolment import analyse_sample
        from voicearchive.voices.features import analyse_audio

        return analyse_sample(samples, rate, self._analyse or analyse_audio)

    def _run(self, work: Callable[[], list[tuple[object | None, str, str]]], what: str) -> None:
        if self._working:
            return  # one sample at a time
        plain.set_plain(self.status, self.tr("Listening to %1…").replace("%1", what))
        self._working = True
        self.busy.show()
        self._set_inputs_enabled(False)
        job = Job(work)
        job.succeeded.connect(self._on_analysed)
        job.failed.connect(self._on_failed)
        job.start()

    def _on_analysed(self, results: list[tuple[object | None, str, str]]) -> None:
        self._work_done()
        notes: list[str] = []
        kept: list[object] = []  # the enrolment.Sample of each sample that gave an embedding
        for sample, what, problem in results:
            if problem:
                notes.append(ui(problem))
                continue
            feats = getattr(sample, "features", None)
            emb = getattr(feats, "embedding", None)
            speech = float(getattr(feats, "speech_s", 0.0))
            if emb is None:
                notes.append(self.tr("No speech was heard in %1.").replace("%1", what))
                continue
            kept.append(sample)
            if speech < GOOD_SPEECH_S:
                notes.append(
                    self.tr("%1 holds only %2 s of speech; 10 s or more gives a surer match.")
                    .replace("%1", what).replace("%2", number(speech, ".1f"))
                )
        if not kept:
            self._on_failed(" ".join(notes) or self.tr("No speech was heard."))
            return
        embeddings = [np.asarray(sample.features.embedding, dtype=np.float32) for sample in kept]
        name = self.name.text().strip() or self.tr("Owner")
        done = (self.tr("Enrolled %1 from 1 sample.") if len(embeddings) == 1
                else self.tr("Enrolled %1 from %2 samples.")).replace("%1", name).replace("%2", number(len(embeddings)))
        if self._store is not None:
            try:
                for emb, sample in zip(embeddings, kept):
                    self._store.add_enrolment(name, emb, sample.model_version, sample.speech)
            except Exception as exc:  # the case file is damaged or read-only: say so, keep going
                self._on_failed(self.tr("The enrolment could not be saved: %1").replace("%1", str(exc)))
                return
        plain.set_plain(self.status, " ".join([done, *notes]))
        self._list_samples()
        self.enrolled.emit(embeddings, name)
        if self._store is not None:
            self.decisionsChanged.emit()

    def _list_samples(self) -> None:
        self.samples.clear()
        if self._store is None:
            return
        for number, (enrolment_id, name, _embedding) in enumerate(self._store.enrolments(), 1):
            item = QListWidgetItem(self.tr("%1, sample %2").replace("%1", plain.line(name)).replace("%2", str(number)))
            item.setData(Qt.ItemDataRole.UserRole, enrolment_id)
            self.samples.addItem(item)
        self._samples_selected()

    def _samples_selected(self) -> None:
        self.remove.setEnabled(self.samples.currentItem() is not None and bool(self.samples.selectedItems()))

    def _on_failed(self, message: str) -> None:
        self._work_done()
        plain.set_plain(self.status, message)
        self.enrolFailed.emit(message)

    def _work_done(self) -> None:
        self._working = False
        self.busy.hide()
        self._set_inputs_enabled(True)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        self.choose_file.setEnabled(enabled)
        self.record.setEnabled(enabled and self.microphone_available())

    # ---------------------------------------------------------------------------------- microphone
    def _list_microphones(self) -> None:
        devices = QMediaDevices.audioInputs()
        default = QMediaDevices.defaultAudioInput()
        for device in devices:
            self.devices.addItem(plain.line(device.description()), device)
            if device.id() == default.id():
                self.devices.setCurrentIndex(self.devices.count() - 1)
        if not devices:
            self.devices.setPlaceholderText(self.tr("No microphone"))
            self.devices.setEnabled(False)
            self.mic_note.setText(
                self.tr("No microphone was found on this computer. You can enrol from an audio file instead.")
            )
        else:
            self.mic_note.setText(
                self.tr("Press Record and read any text aloud for 10 to 20 seconds, in a quiet room.")
            )
        self.record.setEnabled(bool(devices))
        self._show_elapsed(0.0)

    def _on_record_toggled(self, on: bool) -> None:
        if on:
            self._start_recording()
        else:
            self._stop_recording()

    def _start_recording(self) -> None:
        device: QAudioDevice = self.devices.currentData()
        if device is None:
            self._abandon_recording(self.tr("No microphone"))
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(16000)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not device.isFormatSupported(fmt):
            fmt = device.preferredFormat()
        self._source = QAudioSource(device, fmt, self)
        stream = self._source.start()
        if stream is None:
            self._abandon_recording(self.tr("The microphone could not be opened."))
            return
        self.record_from(stream, fmt)

    def record_from(self, stream: QIODevice, fmt: QAudioFormat) -> None:
        """Take PCM audio from ``stream`` (the microphone's) until Stop is pressed or 20 s are in."""
        self._format = fmt
        self._chunks = []
        self._stream = stream
        stream.readyRead.connect(self._on_audio)
        self.record.blockSignals(True)
        self.record.setChecked(True)
        self.record.blockSignals(False)
        self.record.setText(self.tr("&Stop"))
        self.choose_file.setEnabled(False)
        plain.set_plain(self.status, self.tr("Recording… read aloud now."))
        self._tick.start()

    def _on_audio(self) -> None:
        if self._stream is None:
            return
        data = bytes(self._stream.readAll().data())
        if data:
            self._chunks.append(data)
            self.meter.setValue(level_percent(pcm_to_mono(data, self._format)))

    def _recorded_seconds(self) -> float:
        frame = max(self._format.bytesPerFrame(), 1)
        rate = max(self._format.sampleRate(), 1)
        return sum(len(c) for c in self._chunks) / frame / rate

    def _on_tick(self) -> None:
        seconds = self._recorded_seconds()
        self._show_elapsed(seconds)
        if seconds >= MAX_SECONDS:
            self.record.setChecked(False)

    def _show_elapsed(self, seconds: float) -> None:
        self.elapsed.setText(self.tr("%1 s of 10–20 s").replace("%1", number(seconds, "4.1f")))

    def _stop_recording(self) -> None:
        self._tick.stop()
        self._on_audio()
        if self._source is not None:
            self._source.stop()
        seconds = self._recorded_seconds()
        self._source, self._stream = None, None
        self.record.setText(self.tr("&Record"))
        self.meter.setValue(0)
        self.choose_file.setEnabled(True)
        if seconds < MIN_SECONDS:
            self._abandon_recording(
                self.tr("That was %1 s: please record at least 10 seconds.").replace("%1", number(seconds, ".1f"))
            )
            return
        samples = pcm_to_mono(b"".join(self._chunks), self._format)
        self._chunks = []
        self.enrol_samples(samples, self._format.sampleRate(), self.tr("the microphone recording"))

    def _abandon_recording(self, message: str) -> None:
        self._tick.stop()
        self._chunks = []
        if self._source is not None:
            self._source.stop()
        self._source, self._stream = None, None
        self.record.blockSignals(True)
        self.record.setChecked(False)
        self.record.setText(self.tr("&Record"))
        self.record.blockSignals(False)
        plain.set_plain(self.status, message)

    def done(self, result: int) -> None:
        if self._stream is not None:
            self._abandon_recording("")
        super().done(result)
