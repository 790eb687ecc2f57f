"""The per-recording work of analysis, as it runs on a worker (a local process, a Dask worker, or in-process).

A :class:`Job` carries the bytes of a few audio members (the coordinator read them once, hashing as it read),
the ids of the stages they still need and the versions the coordinator expects. :func:`run_job` decodes each
recording once, runs every stage on it and returns, per member, each stage's output or the reason it could
not decode. It keeps nothing and writes nothing: samples are dropped once the stages are done, the case
file is the coordinator's alone. Workers run one BLAS thread each (multi-threaded OpenBLAS collapses when
the other core is busy), set through the environment before numpy is imported.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from voicearchive.messages import Message, reason_of

ENVELOPE_BINS = 1000


@dataclass
class Job:
    stages: tuple[str, ...]
    blobs: list[tuple[str, bytes]]  # (sha256, the member's bytes)
    expected: dict[str, str] = field(default_factory=dict)  # versions the coordinator computes with
    params: dict[str, dict] = field(default_factory=dict)  # stage id -> keyword arguments of its compute


@dataclass
class JobResult:
    sha256: str
    outputs: dict[str, Any] = field(default_factory=dict)  # stage id -> output (or stages.Failed)
    problem: Any = ""  # a Message (or legacy str): the audio could not be decoded, no stage ran


class VersionMismatch(Exception):
    """This worker would compute with another VoiceArchive or model version than the coordinator."""

    def __init__(self, mine: dict[str, str], expected: dict[str, str]) -> None:
        super().__init__(mine, expected)
        self.mine, self.expected = mine, expected

    @property
    def message(self) -> Message:
        """What differs, as a Message ("voice: worker X, here Y; ..."), rendered in the user's language."""
        diff = [Message.of("pipeline.version_item", name=k, theirs=self.mine.get(k, "-"), ours=v)
                for k, v in self.expected.items() if self.mine.get(k) != v]
        if not diff:
            return Message.of("text", text="")
        out = diff[-1]
        for item in reversed(diff[:-1]):
            out = Message.of("pipeline.version_items", first=item, rest=out)
        return out

    def __str__(self) -> str:
        return str(self.message)


def worker_versions() -> dict[str, str]:
    """What a worker computes with: the VoiceArchive version and each stage's version."""
    from voicearchive import __version__
    from voicearchive.stages import versions

    return {"voicearchive": __version__, **versions()}


def worker_init(parent_pid: int | None = None) -> None:
    """Process initializer: exit with the parent, then load and verify the encoder's weights once."""
    if parent_pid:
        watch_parent(parent_pid)
    from voicearchive.voices.features import default_encoder

    default_encoder()


def ready() -> str:
    """A job that starts a worker ahead of work (its initializer loaded the encoder) and answers the voice model
    version it computes with, which the coordinator then need not learn by building an encoder of its own."""
    from voicearchive.stages import voice_model_version

    return voice_model_version()


def watch_parent(parent_pid: int, interval: float = 0.5) -> None:
    """End this process as soon as ``parent_pid`` is gone (killed with -9 too): no orphan holds stdout.

    On Linux the kernel sends SIGKILL when the parent exits (PR_SET_PDEATHSIG); everywhere a daemon thread
    checks every ``interval`` seconds that the parent is still this process's parent."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(3)
            time.sleep(interval)

    if os.getppid() != parent_pid:
        os._exit(3)
    threading.Thread(target=watch, name="voicearchive-parent-watch", daemon=True).start()


def single_thread_env() -> dict[str, str]:
    """Environment for worker processes: one BLAS/OpenMP thread each."""
    return {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def run_job(job: Job) -> list[JobResult]:
    """Decode each (sha256, bytes) once and run the job's stages on it. Never raises for a bad file.

    Raises :class:`VersionMismatch` when this worker's versions differ from those the job expects.
    """
    from voicearchive.stages import by_id

    if job.expected:
        mine = worker_versions()
        if any(mine.get(k) != v for k, v in job.expected.items()):
            raise VersionMismatch(mine, job.expected)
    stages = by_id(job.stages)
    out: list[JobResult] = []
    decoded = []
    for sha, data in job.blobs:
        result = JobResult(sha)
        out.append(result)
        item = decode_blob(sha, data, result)
        if item is not None:
            decoded.append((result, item))
    for stage in stages:
        if not decoded:
            break
        try:
            outputs = stage.compute([d for _, d in decoded], **job.params.get(stage.id, {}))
        except Exception as exc:  # a stage's bug must not take the whole archive down
            from voicearchive.stages import Failed

            reason = reason_of(exc)
            outputs = [Failed(Message.of("pipeline.stage_failed", stage=stage.id, reason=reason))] * len(decoded)
        for (result, _), output in zip(decoded, outputs):
            result.outputs[stage.id] = output
    return out


def decode_blob(sha: str, data: bytes, result: JobResult):
    """The Decoded audio of one member, or None with ``result.problem`` saying why."""
    from voicearchive.audio.decode import DecodeError, decode
    from voicearchive.stages import Decoded

    try:
        samples, rate, facts = decode(data)
    except DecodeError as exc:
        result.problem = exc.message  # a catalogue Message: rendered in the user's language
        return None
    except Exception as exc:  # a decoder bug must not take the whole archive down
        result.problem = Message.of("pipeline.decode_failed", reason=str(exc))
        return None
    return Decoded(sha, samples, rate, facts.duration_s)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
