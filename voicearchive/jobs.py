"""The per-recording work of analysis, run in worker processes (or in-process for small jobs).

A job gets the bytes of a few audio members (the parent read them once, hashing as it read) and returns, per
member, the waveform envelope and the voice features, or the reason it could not decode them. It keeps nothing:
samples are dropped as soon as the features are computed. Workers run one BLAS thread each (multi-threaded
OpenBLAS collapses when the other core is busy), set through the environment before numpy is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ENVELOPE_BINS = 1000


@dataclass
class JobResult:
    sha256: str
    envelope: bytes | None = None
    features: object | None = None  # voicearchive.voices.features.VoiceFeatures
    problem: str = ""
    audio_s: float = 0.0


def worker_init() -> None:
    """Process initializer: warm up the encoder once per worker so the first job is not slow."""
    from voicearchive.voices import features

    features.analyse_audio  # noqa: B018 - importing loads and verifies the weights


def single_thread_env() -> dict[str, str]:
    """Environment for worker processes: one BLAS/OpenMP thread each."""
    env = {}
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    return env


def run_job(blobs: list[tuple[str, bytes]]) -> list[JobResult]:
    """Decode, envelope and embed each (sha256, bytes). Never raises for a bad file."""
    from voicearchive.audio.decode import DecodeError, decode
    from voicearchive.audio.envelope import envelope, envelope_to_bytes
    from voicearchive.voices.features import analyse_audio

    out: list[JobResult] = []
    for sha, data in blobs:
        try:
            samples, rate, _facts = decode(data)
        except DecodeError as exc:
            out.append(JobResult(sha, problem=str(exc)))
            continue
        except Exception as exc:  # a decoder bug must not take the whole archive down
            out.append(JobResult(sha, problem=f"could not decode: {exc}"))
            continue
        del data
        result = JobResult(sha, audio_s=len(samples) / float(rate) if rate else 0.0)
        result.envelope = envelope_to_bytes(envelope(samples, ENVELOPE_BINS))
        try:
            result.features = analyse_audio(samples, rate)
        except Exception as exc:
            result.problem = f"voice analysis failed: {exc}"
        out.append(result)
    return out


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
