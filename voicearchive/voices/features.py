"""What the pipeline calls: one recording's samples in, its ``VoiceFeatures`` out.

``analyse_audio`` reproduces Resemblyzer's ``preprocess_wav`` + ``embed_utterance`` (cosine
>= 0.9999 to Resemblyzer's own embeddings for 1.6 s of speech or more, see tests/test_encoder.py) and also returns the
per-window embeddings used to find a second voice inside a recording.

The windows are Resemblyzer's own partials: 160 mel frames (1.6 s) every 77 frames (0.77 s) of
the *VAD-trimmed* audio. They are computed anyway for the utterance embedding, so reusing them
costs nothing. Each window's start is mapped back to the original recording's time through the
VAD keep-mask (``Trimmed.original_sample``); a window that straddles a cut silence spans more
than 1.6 s of the original recording, which only makes it start later than the previous window.

Long recordings are bounded: at most ``MAX_PARTIALS`` partials (about 6.5 minutes of speech)
are run through the network; beyond that an evenly spaced subset of the partials is used, both
for the utterance embedding and the windows. Up to that length results equal Resemblyzer's.

**Deliberate divergence from Resemblyzer, for speech shorter than one partial (1.6 s).** Resemblyzer
zero-pads such speech to 1.6 s, so the network sees ``speech + silence`` and the embedding depends on how
much of the partial is silence: measured on command-length clips, the owner's shortest third and longest
third of clips had a mean cross cosine of 0.62 against 0.76/0.74 within each third, which split one voice
into groups by clip length. Here the trimmed speech is instead repeated ("tiled") until it fills the
partial, so every partial is all speech whatever its length (cross 0.69 against 0.66/0.74: the split is
gone). Speech of 1.6 s or more is cut exactly as Resemblyzer cuts it (the golden parity test holds there).
``MODEL_VERSION`` names the change, so cached features of the old front end are recomputed.
``model_version()`` is the version this process computes with: the int8 pass's embeddings (``encoder_onnx``,
``VOICEARCHIVE_ENCODER=int8``) are cached under ``MODEL_VERSION_INT8``.

``embed_stream``/``embed_many`` batch the partials of many recordings together (about 32 per
network pass), which is several times faster than one recording at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from voicearchive.messages import Message, MessageError
from voicearchive.voices import frontend
from voicearchive.voices.encoder import SpeakerEncoder, asked_backend
from voicearchive.voices.weights import EMBEDDING

# Names the weights, the front end and the way embeddings are formed. Change it whenever any of
# them would change a stored embedding: the case file caches features by (sha256, model version).
# The float32 passes (numpy, ONNX Runtime float32) give the same embeddings; the int8 pass its own.
MODEL_VERSION = "ge2e-resemblyzer-0.1.4/numpy-2-tiled"
MODEL_VERSION_INT8 = "ge2e-resemblyzer-0.1.4/int8-1-tiled"

MAX_PARTIALS = 512


class UnusableAudio(MessageError, ValueError):
    """Samples the voice analysis cannot use. ``str(error)`` is English; ``error.message`` is the Message
    to render in the user's language."""


@dataclass
class VoiceFeatures:
    """What one recording gives; cached in the case file by (sha256, MODEL_VERSION)."""

    embedding: np.ndarray | None  # (256,) float32, L2-normalised; None when there is no speech
    speech_s: float  # seconds of speech after VAD trimming
    windows: np.ndarray  # (m, 256) float32 embeddings of 1.6 s windows (hop 0.77 s), may be (0, 256)
    window_starts: np.ndarray  # (m,) float32 seconds, in the original recording's time

    @classmethod
    def no_speech(cls) -> "VoiceFeatures":
        return cls(None, 0.0, np.zeros((0, EMBEDDING), np.float32), np.zeros(0, np.float32))


@dataclass(frozen=True)
class PreparedAudio:
    """The front end's output for one recording: everything the network needs, nothing more."""

    speech_s: float
    partials: np.ndarray  # (k, 160, 40) float32 mel partials; k == 0 when there is no speech
    starts_s: np.ndarray  # (k,) float32 start of each partial in the original recording, seconds


def prepare_audio(samples: np.ndarray, sample_rate: int) -> PreparedAudio:
    """Resample, normalise, trim silences and cut into mel partials (raises ``ValueError`` on bad input)."""
    samples = np.asarray(samples)
    if samples.ndim != 1:
        raise UnusableAudio(Message.of("voices.audio.not_mono", shape=str(samples.shape)))
    if not (isinstance(sample_rate, (int, np.integer)) and sample_rate > 0):
        raise UnusableAudio(Message.of("voices.audio.bad_rate", rate=repr(sample_rate)))
    if not np.issubdtype(samples.dtype, np.floating):
        raise UnusableAudio(Message.of("voices.audio.not_float", dtype=str(samples.dtype)))
    if not np.all(np.isfinite(samples)):
        raise UnusableAudio(Message.of("voices.audio.not_finite"))

    wav = frontend.resample(samples, int(sample_rate))
    gain = frontend.volume_gain(wav)
    if gain is not None:  # in place when the resampler gave us our own copy
        wav = wav * gain if wav is samples else np.multiply(wav, gain, out=wav)
    trimmed = frontend.trim_silences(wav)
    n = trimmed.wav.shape[0]
    if n == 0:
        no_partials = np.zeros((0, frontend.PARTIAL_FRAMES, frontend.N_MELS), np.float32)
        return PreparedAudio(0.0, no_partials, np.zeros(0, np.float32))

    if n < frontend.PARTIAL_SAMPLES:  # short speech: tiled, never zero-padded (see the module's notes)
        mel = frontend.mel_spectrogram(frontend.tile_to_partial(trimmed.wav))
        partials = mel[None, : frontend.PARTIAL_FRAMES]
        starts_s = trimmed.original_sample(np.zeros(1, np.int64)) / frontend.SAMPLE_RATE
        return PreparedAudio(n / frontend.SAMPLE_RATE, partials, starts_s.astype(np.float32))
    starts = frontend.partial_starts(n)
    if starts.shape[0] > MAX_PARTIALS:
        starts = starts[np.unique(np.linspace(0, starts.shape[0] - 1, MAX_PARTIALS).round().astype(int))]
    # Zero-pad so the last partial is complete, and take the mel of exactly that signal.
    needed = (int(starts[-1]) + frontend.PARTIAL_FRAMES) * frontend.HOP
    wav_for_mel = np.pad(trimmed.wav, (0, needed - n)) if needed >= n else trimmed.wav
    mel = frontend.mel_spectrogram(wav_for_mel)
    index = starts[:, None] + np.arange(frontend.PARTIAL_FRAMES)[None, :]
    partials = mel[index]
    starts_s = trimmed.original_sample(starts * frontend.HOP) / frontend.SAMPLE_RATE
    return PreparedAudio(n / frontend.SAMPLE_RATE, partials, starts_s.astype(np.float32))


@lru_cache(maxsize=4)
def _encoder_for(asked: str) -> SpeakerEncoder:  # one per pass asked for; SpeakerEncoder reads the same variable
    return SpeakerEncoder()


def default_encoder() -> SpeakerEncoder:
    """The shipped model, loaded and verified once per process and pass the environment asks for (raises
    ``WeightsError``): the encoder always is the one ``model_version`` names."""
    return _encoder_for(asked_backend())


def version_of(encoder: SpeakerEncoder) -> str:
    """The model version of the embeddings ``encoder`` gives."""
    return MODEL_VERSION_INT8 if encoder.precision == "int8" else MODEL_VERSION


_reported: dict[str, str] = {}  # pass asked for -> the version this install's worker processes said it loads


def adopt_model_version(version: str) -> bool:
    """Take the model version this install's worker processes reported (they loaded the encoder the
    environment asks for, :func:`jobs.ready`) as this process's, so that a coordinator whose own work needs no
    encoder does not build one only to learn which pass loads (0.1 s at the start of every scan). Versions
    that are not a model version are refused (False)."""
    if version not in (MODEL_VERSION, MODEL_VERSION_INT8):
        return False
    _reported[asked_backend()] = version
    return True


def model_version() -> str:
    """The model version this process computes with. The numpy and ONNX float32 passes give the float32
    embeddings, so the encoder is only loaded (and ``WeightsError`` raised) when the default or int8 pass is
    asked for, to learn whether int8 loaded here (it falls back to float32 where ONNX Runtime refuses it),
    unless this install's workers already said (:func:`adopt_model_version`)."""
    asked = asked_backend()
    if asked in ("numpy", "onnx"):
        return MODEL_VERSION
    return _reported.get(asked) or version_of(default_encoder())


def features_from_partials(prepared: PreparedAudio, partial_embeddings: np.ndarray) -> VoiceFeatures:
    """Utterance embedding = L2-normalised mean of the partial embeddings (as Resemblyzer)."""
    if prepared.partials.shape[0] == 0:
        return VoiceFeatures.no_speech()
    mean = partial_embeddings.mean(axis=0, dtype=np.float64)
    embedding = (mean / np.linalg.norm(mean)).astype(np.float32)
    return VoiceFeatures(embedding, prepared.speech_s, partial_embeddings, prepared.starts_s)


def analyse_audio(
    samples: np.ndarray, sample_rate: int, encoder: SpeakerEncoder | None = None
) -> VoiceFeatures:
    """Voice features of one recording.

    Raises ``ValueError`` (with a message for the user) for unusable samples and ``WeightsError``
    when the shipped model is missing or altered. Batch many recordings with ``embed_stream``.
    """
    prepared = prepare_audio(samples, sample_rate)
    if prepared.partials.shape[0] == 0:
        return VoiceFeatures.no_speech()
    encoder = encoder or default_encoder()
    return features_from_partials(prepared, encoder.embed_partials(prepared.partials))


def embed_stream(
    prepared: Iterable[PreparedAudio], encoder: SpeakerEncoder | None = None
) -> Iterator[VoiceFeatures]:
    """Features for each prepared recording, in order, running the network on full batches.

    Only the mel partials of recordings still waiting for a batch are held in memory (at most
    about ``batch_size + MAX_PARTIALS`` partials, 25.6 KB each).
    """
    encoder = encoder or default_encoder()
    pending: list[PreparedAudio] = []
    n_pending = 0
    for item in prepared:
        pending.append(item)
        n_pending += item.partials.shape[0]
        if n_pending >= encoder.batch_size:
            yield from _embed_pending(pending, encoder)
            pending, n_pending = [], 0
    yield from _embed_pending(pending, encoder)


def embed_many(
    recordings: Sequence[tuple[np.ndarray, int]], encoder: SpeakerEncoder | None = None
) -> list[VoiceFeatures]:
    """``analyse_audio`` for many ``(samples, sample_rate)`` at once, batching partials across them.

    A recording whose samples are unusable raises ``ValueError`` like ``analyse_audio``; call
    ``prepare_audio`` per recording and ``embed_stream`` to handle such errors one by one.
    """
    return list(embed_stream((prepare_audio(s, r) for s, r in recordings), encoder))


def _embed_pending(pending: list[PreparedAudio], encoder: SpeakerEncoder) -> Iterator[VoiceFeatures]:
    if not pending:
        return
    counts = [p.partials.shape[0] for p in pending]
    if sum(counts):
        embeddings = encoder.embed_partials(np.concatenate([p.partials for p in pending]))
    else:
        embeddings = np.zeros((0, EMBEDDING), np.float32)
    offset = 0
    for item, count in zip(pending, counts):
        yield features_from_partials(item, embeddings[offset : offset + count])
        offset += count


__all__ = [
    "MAX_PARTIALS",
    "MODEL_VERSION",
    "MODEL_VERSION_INT8",
    "PreparedAudio",
    "VoiceFeatures",
    "analyse_audio",
    "default_encoder",
    "model_version",
    "version_of",
    "embed_many",
    "embed_stream",
    "features_from_partials",
    "prepare_audio",
]
