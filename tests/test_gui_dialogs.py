"""Enrolment, export and About dialogs, driven offscreen."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QIODevice, Qt

from tests.voices_fixtures import make_items
from voicearchive.gui.enrol_dialog import EnrolDialog, level_percent, pcm_to_mono
from voicearchive.gui.export_dialog import SCOPE_ALL, SCOPE_FILTERED, SCOPE_FLAGGED, ExportDialog

SAMPLE = Path(__file__).parent / "data" / "enrol" / "3080-5032-0000.flac"


# ------------------------------------------------------------------------------------------- enrol
@pytest.fixture
def wav(tmp_path) -> Path:
    samples, rate = sf.read(SAMPLE, dtype="float32")
    path = tmp_path / "owner sample.wav"
    sf.write(path, samples, rate, subtype="PCM_16")
    return path


def test_enrol_from_a_wav_file_produces_an_embedding(qtbot, wav):
    dialog = EnrolDialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("Simon")
    with qtbot.waitSignal(dialog.enrolled, timeout=30_000) as blocker:
        dialog.enrol_files([wav])
    embeddings, name = blocker.args
    assert name == "Simon" and len(embeddings) == 1
    emb = embeddings[0]
    assert emb.shape == (256,) and emb.dtype == np.float32
    assert np.linalg.norm(emb) == pytest.approx(1.0, abs=1e-3)
    # The same voice from FLAC (the original) gives the same embedding as its WAV copy.
    from voicearchive.voices.features import analyse_audio

    samples, rate = sf.read(SAMPLE, dtype="float32")
    assert float(emb @ analyse_audio(samples, rate).embedding) > 0.99
    assert "Enrolled Simon" in dialog.status.text()
    assert "holds only 3.4 s of speech" in dialog.status.text()  # a short sample enrols, with advice
    assert dialog.choose_file.isEnabled() and dialog.busy.isHidden()


def test_enrolment_is_stored_in_the_case_file(qtbot, wav, tmp_path):
    from voicearchive.case.store import CaseStore

    store = CaseStore(tmp_path / "case.voicearchive")
    dialog = EnrolDialog(store, None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignals([dialog.enrolled, dialog.decisionsChanged], timeout=30_000):
        dialog.enrol_files([wav])
    [(_id, name, emb)] = store.enrolments()
    assert name == "Owner" and emb.shape == (256,)
    from voicearchive.voices.features import model_version

    [(enrolment_id, _emb, version, kept)] = store.enrolment_samples()  # kept, so another model can embed it again
    assert version == model_version() and kept and len(store.enrolment_speech(enrolment_id)) > 16000
    assert [dialog.samples.item(i).text() for i in range(dialog.samples.count())] == ["Owner, sample 1"]
    # A wrong sample can be taken back.
    dialog.show()
    assert not dialog.remove.isEnabled()
    dialog.samples.setCurrentRow(0)
    with qtbot.waitSignal(dialog.decisionsChanged):
        qtbot.mouseClick(dialog.remove, Qt.MouseButton.LeftButton)
    assert store.enrolments() == [] and dialog.samples.count() == 0
    assert dialog.status.text() == "Removed Owner, sample 1."
    store.close()


def test_enrol_reports_unreadable_and_silent_files_calmly(qtbot, tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_bytes(b"this is not audio at all" * 10)
    silent = tmp_path / "silence.wav"
    sf.write(silent, np.zeros(16000 * 3, dtype=np.float32), 16000)
    dialog = EnrolDialog()
    qtbot.addWidget(dialog)
    enrolled = []
    dialog.enrolled.connect(lambda *a: enrolled.append(a))
    with qtbot.waitSignal(dialog.enrolFailed, timeout=30_000) as blocker:
        dialog.enrol_files([bad])
    assert blocker.args[0].startswith("notes.wav is not audio VoiceArchive can read")
    with qtbot.waitSignal(dialog.enrolFailed, timeout=30_000) as blocker:
        dialog.enrol_files([silent])
    assert blocker.args == ["No speech was heard in silence.wav."]
    with qtbot.waitSignal(dialog.enrolFailed, timeout=30_000) as blocker:
        dialog.enrol_files([tmp_path / "gone.wav"])
    assert "gone.wav could not be read" in blocker.args[0]
    assert enrolled == []
    # One bad file among good ones: the good one enrols and the bad one is named.
    samples, rate = sf.read(SAMPLE, dtype="float32")
    good = tmp_path / "good.wav"
    sf.write(good, samples, rate)
    with qtbot.waitSignal(dialog.enrolled, timeout=30_000) as blocker:
        dialog.enrol_files([bad, good])
    assert len(blocker.args[0]) == 1
    assert "Enrolled Owner from 1 sample." in dialog.status.text()
    assert "notes.wav is not audio VoiceArchive can read" in dialog.status.text()


def test_enrol_from_recorded_samples_uses_the_worker(qtbot):
    calls = []

    class Feats:
        embedding = np.ones(256, dtype=np.float32) / 16
        speech_s = 12.0

    def analyse(samples, rate):
        calls.append((samples.shape, rate))
        return Feats()

    dialog = EnrolDialog(analyse=analyse)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.enrolled) as blocker:
        dialog.enrol_samples(np.zeros(16000 * 12, dtype=np.float32), 16000, "the microphone recording")
    assert calls == [((192000,), 16000)]
    assert blocker.args[1] == "Owner" and "only" not in dialog.status.text()


class FakeMicrophone(QIODevice):
    """A sequential PCM stream standing in for QAudioSource.start()'s device."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = bytearray()
        self.open(QIODevice.OpenModeFlag.ReadOnly)

    def feed(self, data: bytes) -> None:
        self._pending += data
        self.readyRead.emit()

    def isSequential(self) -> bool:  # noqa: N802
        return True

    def bytesAvailable(self) -> int:  # noqa: N802
        return len(self._pending) + super().bytesAvailable()

    def readData(self, maxlen: int) -> bytes:  # noqa: N802
        out = bytes(self._pending[:maxlen])
        del self._pending[:maxlen]
        return out

    def writeData(self, data: bytes) -> int:  # noqa: N802
        return -1


def _speech_like(seconds: float, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
    return (wave * 32767).astype(np.int16).tobytes()


def test_microphone_recording_needs_ten_seconds_and_stops_itself_at_twenty(qtbot):
    from PySide6.QtMultimedia import QAudioFormat

    heard = []

    class Feats:
        embedding = np.ones(256, dtype=np.float32) / 16
        speech_s = 15.0

    dialog = EnrolDialog(analyse=lambda samples, rate: heard.append((samples.size, rate)) or Feats())
    qtbot.addWidget(dialog)
    fmt = QAudioFormat()
    fmt.setSampleRate(16000)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)

    mic = FakeMicrophone()
    dialog.record_from(mic, fmt)
    assert dialog.record.isChecked() and not dialog.choose_file.isEnabled()
    mic.feed(_speech_like(4.0))
    assert dialog.meter.value() > 50  # the level meter follows the voice
    dialog.record.setChecked(False)  # Stop after 4 s
    assert dialog.status.text() == "That was 4.0 s: please record at least 10 seconds."
    assert heard == [] and dialog.choose_file.isEnabled()

    mic = FakeMicrophone()
    dialog.record_from(mic, fmt)
    with qtbot.waitSignal(dialog.enrolled, timeout=10_000) as blocker:
        for _ in range(21):
            mic.feed(_speech_like(1.0))
    assert blocker.args[1] == "Owner"
    assert heard == [(16000 * 21, 16000)]  # everything recorded, at the microphone's rate
    assert not dialog.record.isChecked() and dialog.meter.value() == 0


def test_microphone_section_speaks_calmly_without_a_microphone(qtbot):
    dialog = EnrolDialog()
    qtbot.addWidget(dialog)
    if dialog.microphone_available():
        assert dialog.record.isEnabled()
        assert "read any text aloud" in dialog.mic_note.text()
    else:
        assert not dialog.record.isEnabled()
        assert dialog.mic_note.text() == (
            "No microphone was found on this computer. You can enrol from an audio file instead."
        )


def test_pcm_conversion_and_level_meter():
    from PySide6.QtMultimedia import QAudioFormat

    fmt = QAudioFormat()
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    fmt.setChannelCount(2)
    stereo = np.array([[16384, -16384], [32767, 32767], [-32768, 0]], dtype=np.int16)
    mono = pcm_to_mono(stereo.tobytes() + b"\x01", fmt)  # a torn trailing byte is dropped
    assert mono == pytest.approx([0.0, 32767 / 32768, -0.5])
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Float)
    fmt.setChannelCount(1)
    assert pcm_to_mono(np.array([0.25, -1.0], np.float32).tobytes(), fmt) == pytest.approx([0.25, -1.0])
    assert level_percent(np.zeros(100, np.float32)) == 0
    assert level_percent(np.ones(100, np.float32)) == 100
    assert level_percent(np.full(100, 0.01, np.float32)) == pytest.approx(33, abs=1)  # -40 dBFS


# ------------------------------------------------------------------------------------------ export
@pytest.fixture
def evidence(tmp_path):
    """Case items whose audio lives in a folder on disk, with true SHA-256s."""
    items, _ = make_items()
    folder = tmp_path / "evidence"
    for it in items:
        data = f"RIFF fake audio of {it.rec.key}".encode()
        path = folder / it.rec.member_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        it.rec.archive = str(folder)
        it.rec.sha256 = hashlib.sha256(data).hexdigest()
    items[0].rec.transcript = "=HYPERLINK(\"http://x\")"  # formula-like: neutralised in the CSV

    def open_audio(rec):
        return open(Path(rec.archive) / rec.member_path, "rb")

    return items, folder, open_audio


def _rows(path: Path) -> list[dict]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_for_each_scope(qtbot, tmp_path, evidence):
    items, folder, open_audio = evidence
    dialog = ExportDialog(items_all=items, items_filtered=items[:5], open_audio=open_audio,
                          evidence_roots=[folder])
    qtbot.addWidget(dialog)
    flagged = [it for it in items if it.flagged]
    assert dialog.scope_buttons[SCOPE_FLAGGED].text() == f"&Flagged recordings ({len(flagged)})"
    out = tmp_path / "out"
    out.mkdir()
    assert dialog.export_csv(out / "flagged.csv", SCOPE_FLAGGED) == len(flagged)
    assert [r["member_path"] for r in _rows(out / "flagged.csv")] == [it.rec.member_path for it in flagged]
    assert dialog.export_csv(out / "filtered.csv", SCOPE_FILTERED) == 5
    with qtbot.waitSignal(dialog.exportFinished) as blocker:
        dialog.scope_buttons[SCOPE_ALL].setChecked(True)
        assert dialog.export_csv(out / "all.csv") == len(items)
    assert "Wrote 28 rows" in blocker.args[0]
    rows = _rows(out / "all.csv")
    assert rows[0]["transcript"].startswith("'=HYPERLINK")
    assert {r["sha256"] for r in rows} == {it.rec.sha256 for it in items}
    # Never inside the evidence.
    with qtbot.waitSignal(dialog.exportFailed) as blocker:
        assert dialog.export_csv(folder / "inside.csv", SCOPE_ALL) is None
    assert "The export failed" in blocker.args[0]
    assert not (folder / "inside.csv").exists()
    # What the Save button does: the same file, written off the GUI thread.
    with qtbot.waitSignal(dialog.exportFinished) as blocker:
        dialog.start_csv_export(out / "threaded.csv", SCOPE_ALL)
    assert "Wrote 28 rows" in blocker.args[0]
    assert (out / "threaded.csv").read_bytes() == (out / "all.csv").read_bytes()
    qtbot.waitUntil(dialog.save_csv.isEnabled)
    with qtbot.waitSignal(dialog.exportFailed):
        dialog.start_csv_export(folder / "inside.csv", SCOPE_ALL)
    one = ExportDialog(items_all=items, items_filtered=items[:1], open_audio=open_audio, evidence_roots=[folder])
    qtbot.addWidget(one)
    with qtbot.waitSignal(one.exportFinished) as blocker:
        assert one.export_csv(out / "one.csv", SCOPE_FILTERED) == 1
    assert "Wrote 1 row to" in blocker.args[0]  # not "1 rows"


def test_filtered_scope_is_unavailable_without_the_lists_rows(qtbot, evidence):
    items, folder, open_audio = evidence
    dialog = ExportDialog(items_all=items, open_audio=open_audio, evidence_roots=[folder])
    qtbot.addWidget(dialog)
    assert not dialog.scope_buttons[SCOPE_FILTERED].isEnabled()


def test_export_evidence_zip_in_a_thread(qtbot, tmp_path, evidence):
    items, folder, open_audio = evidence
    dialog = ExportDialog(items_all=items, open_audio=open_audio, evidence_roots=[folder])
    qtbot.addWidget(dialog)
    dialog.show()
    flagged = [it for it in items if it.flagged]
    progress = []
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000) as blocker:
        dialog.export_evidence(tmp_path / "evidence.zip")
        dialog._job.progressed.connect(lambda d, t: progress.append((d, t)))
    assert f"Wrote {len(flagged)} recordings" in blocker.args[0]
    qtbot.waitUntil(lambda: not dialog.progress.isVisible())
    assert progress[-1] == (len(flagged), len(flagged))
    with zipfile.ZipFile(tmp_path / "evidence.zip") as zf:
        names = zf.namelist()
        sums = zf.read("SHA256SUMS").decode("ascii").splitlines()
        for line in sums:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        assert len(_rows_from(zf.read("recordings.csv"))) == len(flagged)
    audio = [n for n in names if n not in ("SHA256SUMS", "recordings.csv", "README.txt")]
    assert len(audio) == len(flagged)
    assert {hashlib.sha256((folder / it.rec.member_path).read_bytes()).hexdigest() for it in flagged} == {
        line.split("  ")[0] for line in sums if line.split("  ")[1] in audio
    }


def _rows_from(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_evidence_export_can_be_cancelled_and_leaves_nothing(qtbot, tmp_path, evidence):
    items, folder, open_audio = evidence
    dialog = ExportDialog(items_all=items, open_audio=lambda rec: (dialog.cancel_export(), open_audio(rec))[1],
                          evidence_roots=[folder])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.exportFailed, timeout=30_000) as blocker:
        dialog.export_evidence(tmp_path / "cancelled.zip")
    assert "cancelled" in blocker.args[0]
    qtbot.waitUntil(lambda: dialog.save_zip.isEnabled())
    assert list(tmp_path.glob("cancelled.zip*")) == [] and list(tmp_path.glob(".cancelled.zip*")) == []


def _case_of(evidence, tmp_path):
    """A case file holding the evidence fixture's recordings and voice results, its sources set."""
    from voicearchive.case.store import CaseStore

    items, folder, _ = evidence
    store = CaseStore(tmp_path / "case.voicearchive")
    store.put_recordings([it.rec for it in items])
    store.put_voice_results([it.voice for it in items], [], {})
    store.set_sources([folder], "test-identity")
    return items, store


def test_export_reads_audio_from_the_case_sources(qtbot, tmp_path, evidence):
    items, store = _case_of(evidence, tmp_path)
    store.put_voice_results([it.voice for it in items], [], {"model_version": "ge2e-test/int8-9"})
    dialog = ExportDialog(store, None)
    qtbot.addWidget(dialog)
    assert dialog.save_zip.isEnabled()
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000):
        dialog.export_evidence(tmp_path / "from-store.zip")
    with zipfile.ZipFile(tmp_path / "from-store.zip") as zf:
        readme = zf.read("README.txt").decode()
        assert "test-identity" in readme
        assert "owner scores from the speaker model ge2e-test/int8-9" in readme  # the report's own version
        audio = [n for n in zf.namelist() if n not in ("SHA256SUMS", "recordings.csv", "README.txt")]
    assert len(audio) == sum(1 for it in items if it.flagged)
    store.close()


def test_the_evidence_zip_says_how_the_case_flagged_its_recordings(qtbot, tmp_path, evidence):
    """The README carries the case's voice lines: the owner and how it was found, the owner line's warning, the
    threshold and the reliability verdict, as the scan's summary prints them."""
    from voicearchive.messages import Message

    items, store = _case_of(evidence, tmp_path)
    name = lambda letter: Message.of("voices.group.name", letters=letter)  # noqa: E731
    meta = {"model_version": "ge2e-test/int8-9", "threshold": 0.43,
            "owner_source": Message.of("voices.owner.set", n=10, seed=10).to_json(),
            "owner_name": name("A").to_json(), "owner_group": 0,
            "threshold_source": Message.of("voices.threshold.auto").to_json(),
            "owner_doubt": Message.of("voices.owner.rival", name=name("B"), n=9, owner=name("A"),
                                      owner_n=10).to_json(),
            "reliability": Message.of("voices.reliability.fair", agreement=0.7, speech=0.9, narrowband=100,
                                      separation=3.0, n=10, outside=9).to_json()}
    groups = [{"id": 0, "name": name("A").to_json(), "size": 10, "role": "owner"},
              {"id": 1, "name": name("B").to_json(), "size": 9, "role": None}]
    store.put_voice_results([it.voice for it in items], groups, meta)
    dialog = ExportDialog(store, None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000):
        dialog.export_evidence(tmp_path / "flags.zip")
    with zipfile.ZipFile(tmp_path / "flags.zip") as zf:
        readme = zf.read("README.txt").decode().split("\r\n")
    store.close()
    at = readme.index("How the recordings were flagged")
    section = readme[at + 2 : readme.index("Archives") - 1]
    assert section[0] == "Voices: 2 groups: Voice A (10, owner), Voice B (9)"
    assert "  Owner: Voice A, the 10 recordings most like each other, grown from the largest group (10 recordings)." \
        in section
    assert "  Voice B is heard often too (9 recordings against 10 in Voice A): the owner is taken to be the voice " \
           "heard most, so check it; if Voice B is the owner's, mark it as the owner's in the Voices view" in section
    assert "  threshold: 0.430 (automatic: from the owner's own scores)" in section
    assert any(line.startswith("  reliability: Voices are told apart only fairly here") for line in section)
    assert section[-1] == f"Flagged: {sum(it.flagged for it in items)} recordings unlike the owner and household"


def test_the_evidence_zip_carries_the_machine_words_with_their_times(qtbot, tmp_path, evidence):
    """The word times of speech-to-text are in the case file; the zip exported from the window carries them."""
    from voicearchive.transcripts.rows import SOURCE_MACHINE, Transcript, sha_subject

    items, store = _case_of(evidence, tmp_path)
    flagged = [it for it in items if it.flagged]
    engine = "faster-whisper 1.2.1 / tiny.en 0123456789ab"
    words = [(0.12, 0.48, 0.91, "turn"), (0.5, 0.7, 0.35, "=on"), (0.72, 1.1, 0.88, "lights")]
    store.put_transcripts([Transcript(sha_subject(flagged[0].rec.sha256), SOURCE_MACHINE, engine,
                                      text="turn =on lights", words=words, language="en", confidence=0.71)])
    dialog = ExportDialog(store, None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000):
        dialog.export_evidence(tmp_path / "words.zip")
    with zipfile.ZipFile(tmp_path / "words.zip") as zf:
        rows = _rows_from(zf.read("words.csv"))
        sums = dict(reversed(line.split("  ", 1)) for line in zf.read("SHA256SUMS").decode().splitlines())
        readme = zf.read("README.txt").decode()
        audio_names = set(zf.namelist())
        assert hashlib.sha256(zf.read("words.csv")).hexdigest() == sums["words.csv"]
    assert [(r["word_index"], r["start_s"], r["end_s"], r["probability"], r["word"]) for r in rows] == [
        ("1", "0.12", "0.48", "0.910", "turn"), ("2", "0.50", "0.70", "0.350", "'=on"),  # formula-safe
        ("3", "0.72", "1.10", "0.880", "lights")]
    assert {r["transcript_source"] for r in rows} == {"machine"} and {r["engine"] for r in rows} == {engine}
    assert {r["sha256"] for r in rows} == {flagged[0].rec.sha256} and {r["language"] for r in rows} == {"en"}
    assert "How the recordings were flagged" not in readme  # no voice report in this case: the flags are the user's
    assert rows[0]["audio_file"] in audio_names and rows[0]["member_path"] == flagged[0].rec.member_path
    assert "3 word(s) with their times in words.csv" in readme
    store.close()


# ------------------------------------------------------------------------------------------- about
def test_about_names_model_licences_version_and_no_network(qtbot):
    from voicearchive import __version__
    from voicearchive.gui.about_dialog import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.plain_text()
    for needle in ("GE2E", "Resemblyzer 0.1.4", "Apache License 2.0", "LibriSpeech", "CC BY 4.0",
                   f"VoiceArchive {__version__}", "VoiceArchive never uses the network."):
        assert needle in text


def test_every_dialog_control_has_an_accessible_name(qtbot):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QProgressBar

    from voicearchive.gui.about_dialog import AboutDialog

    for dialog in (EnrolDialog(), ExportDialog(items_all=make_items()[0]), AboutDialog()):
        qtbot.addWidget(dialog)
        for cls in (QAbstractButton, QComboBox, QLineEdit, QProgressBar):
            for w in dialog.findChildren(cls):
                assert w.accessibleName(), (dialog, w)


def test_enrol_names_an_unreadable_file_in_the_apps_language(qtbot, tmp_path):
    """The decoder's reason (a Message) was pasted in English into the dialog's sentence."""
    from voicearchive.audio.decode import DecodeError, decode
    from voicearchive.messages import language, render, set_language

    bad = tmp_path / "notes.wav"
    bad.write_bytes(b"this is not audio at all" * 10)
    with pytest.raises(DecodeError) as caught:
        decode(bad.read_bytes())
    dialog = EnrolDialog()
    qtbot.addWidget(dialog)
    before = language()
    set_language("de")
    try:
        _features, _name, why = dialog._try_file(bad)
    finally:
        set_language(before)
    assert render(caught.value.message, "de") in why and render(caught.value.message, "en") not in why, why
