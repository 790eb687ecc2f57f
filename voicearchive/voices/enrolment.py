"""An owner's voice sample as the case file keeps it: its embedding, the voice model version that made it, and
the speech itself, so that the owner's enrolled voice follows the voice model.

Embeddings of different model versions are not comparable as they are: the int8 and float32 passes agree to a
cosine of about 0.999, a changed front end (the tiling of short speech) moved embeddings much more. A sample
enrolled under one version and compared with the archive's recordings under another would decide owner presence
on a mixture. So each sample keeps its speech, resampled to 16 kHz (the encoder's rate) as 16-bit PCM, at most
``KEEP_S`` seconds (3.8 MB); when the analysis runs under another version, :func:`current_embeddings` embeds the
kept speech again with the model in use and stores the result. Samples enrolled before their speech was kept
(schema 5) are used as they were: nothing could embed them again. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicearchive.voices import frontend
from voicearchive.voices.features import VoiceFeatures, analyse_audio, model_version

KEEP_S = 120.0  # the longest sample the enrol dialog reads (its decoder stops there too)
MAX_SAMPLE_BYTES = 200 * 1024 * 1024  # a larger file is refused before it is read (the window and the CLI)
_FULL_SCALE = 32768.0


@dataclass(frozen=True)
class Sample:
    """What enrolling one sample gives: its voice features, its speech as kept, the model version."""

    features: VoiceFeatures
    speech: bytes  # 16 kHz mono, 16-bit little-endian PCM, at most KEEP_S seconds
    model_version: str


def analyse_sample(samples: np.ndarray, rate: int, analyse=analyse_audio) -> Sample:
    """The voice features of an owner sample (``analyse(samples, rate)``, raises as ``analyse_audio`` does) and
    its speech to keep."""
    features = analyse(samples, rate)
    return Sample(features, speech_of(samples, rate), model_version())


def speech_of(samples: np.ndarray, rate: int) -> bytes:
    """``samples`` at 16 kHz as 16-bit PCM, cut at ``KEEP_S`` seconds (before resampling, so no more is read)."""
    head = np.asarray(samples, dtype=np.float32)[: int(KEEP_S * rate)]
    wav = frontend.resample(head, int(rate))
    return np.clip(np.round(wav * _FULL_SCALE), -_FULL_SCALE, _FULL_SCALE - 1).astype("<i2").tobytes()


def embed_speech(speech: bytes) -> VoiceFeatures:
    """The voice features of kept speech, by the model in use."""
    wav = np.frombuffer(speech, dtype="<i2").astype(np.float32) / _FULL_SCALE
    return analyse_audio(wav, frontend.SAMPLE_RATE)


def current_embeddings(store) -> list[np.ndarray]:
    """Every enrolled sample's embedding under the model in use, oldest first: a sample made by another model
    version is embedded again from its kept speech (and stored so), one enrolled before speech was kept is
    used as it is."""
    out = []
    version = None
    for enrolment_id, embedding, made_with, kept in store.enrolment_samples():
        version = version or model_version()
        speech = store.enrolment_speech(enrolment_id) if kept and made_with != version else None
        if speech:
            features = embed_speech(speech)
            if features.embedding is not None:
                embedding = features.embedding
                store.update_enrolment(enrolment_id, embedding, version)
        out.append(embedding)
    return out


__all__ = ["KEEP_S", "MAX_SAMPLE_BYTES", "Sample", "analyse_sample", "current_embeddings", "embed_speech", "speech_of"]
