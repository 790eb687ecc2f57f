"""How the runner cuts recordings into jobs: full jobs first, smaller ones at the end when several workers wait."""

from __future__ import annotations

from types import SimpleNamespace

from voicearchive import runner
from voicearchive.runner import StageRunner


def _jobs(sizes: list[int], slots: int) -> list[int]:
    """The number of recordings in each job the runner makes of recordings of ``sizes`` bytes."""
    r = StageRunner.__new__(StageRunner)
    r.p = SimpleNamespace(_check_cancel=lambda: None)
    r.job_bytes, r.params = None, {}
    r._read = lambda rec: b"x" * rec.size
    recs = [(SimpleNamespace(sha256=f"{i:064x}", size=n), ("voice",)) for i, n in enumerate(sizes)]
    made = [len(w.job.blobs) for w in r._jobs(recs, slots)]
    assert sum(made) == len(sizes)
    return made


def test_one_slot_gets_full_jobs_to_the_end(monkeypatch) -> None:
    monkeypatch.setattr(runner, "JOB_BYTES", 10_000)
    monkeypatch.setattr(runner, "TAIL_JOB_BYTES", 1_000)
    assert _jobs([1_000] * 95, slots=1) == [10] * 9 + [5]


def test_the_last_jobs_shrink_when_several_workers_share_them(monkeypatch) -> None:
    monkeypatch.setattr(runner, "JOB_BYTES", 10_000)
    monkeypatch.setattr(runner, "TAIL_JOB_BYTES", 1_000)
    made = _jobs([1_000] * 95, slots=2)
    assert made[:4] == [10] * 4  # full jobs while plenty is left
    assert made[-1] <= 2 and max(made[-4:]) < 10  # the tail comes in small pieces
    assert len(made) <= 2 * 10  # ... without cutting everything small
