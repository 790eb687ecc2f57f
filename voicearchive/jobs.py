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


def worker_init() -> None:
    """Process initializer: load and verify the encoder's weights once, before the first job."""
    from voicearchive.voices.features import default_encoder

    default_encoder()


def single_thread_env() -> dict[str, str]:
    """Environment for worker processes: one BLAS/OpenMP thread each."""
    return {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def run_job(blobs: list[tuple[str, bytes]]) -> list[JobResult]:
    """Decode, envelope and embed each (sha256, bytes). Never raises for a bad file.

    Each recording is decoded and cut into mel partials on its own, its samples dropped at once; the
    network then runs on the partials of all the job's recordings together (full batches are about
    twice as fast as one recording at a time).
    """
    from voicearchive.audio.decode import DecodeError, decode
    from voicearchive.audio.envelope import envelope, envelope_to_bytes
    from voicearchive.voices.features import embed_stream, prepare_audio
    from voicearchive.voices.weights import WeightsError

    out: list[JobResult] = []
    waiting: list[tuple[JobResult, object]] = []  # results whose partials wait for the network
    for sha, data in blobs:
        try:
            samples, rate, _facts = decode(data)
        except DecodeError as exc:
            out.append(JobResult(sha, problem=str(exc)))
            continue
        except Exception as exc:  # a decoder bug must not take the whole archive down
            out.append(JobResult(sha, problem=f"could not decode: {exc}"))
            continue
        result = JobResult(sha)
        result.envelope = envelope_to_bytes(envelope(samples, ENVELOPE_BINS))
        out.append(result)
        try:
            waiting.append((result, prepare_audio(samples, rate)))
        except ValueError as exc:
            result.problem = f"voice analysis failed: {exc}"
        del samples
    try:
        for (result, _), features in zip(waiting, embed_stream(p for _, p in waiting)):
            result.features = features
    except WeightsError as exc:
        for result, _ in waiting:
            result.problem = str(exc)
    return out


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
