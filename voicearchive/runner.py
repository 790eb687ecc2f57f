"""The one stage runner: what the case file lacks, computed by an injected executor, written here alone.

It asks every declared stage (:mod:`voicearchive.stages`) which recordings it still needs, reads and hashes
each of those members once (a member whose bytes no longer match its import hash is named, not analysed),
packs their bytes into jobs of about ``JOB_BYTES`` with the ids of the stages they need, and submits them to
the executor (:mod:`voicearchive.executors`: in-process, local processes, or a Dask cluster). Results come
back here, are saved by each stage and committed every ``BATCH_SECONDS``: a crash of a worker, of the
cluster or of this process loses nothing committed, and a re-run does only what is still missing.

Faults: a job that fails (its worker died, was killed, lost its connection) is split into one job per
recording and retried; retries run alone, so a recording that fails again on its own is the one that kills
workers: after its second failure it is named as a problem and the scan goes on. An executor that cannot go
on (a scheduler that went away) stops the scan with :class:`~voicearchive.executors.ExecutorLost`; what was
committed stays. Members larger than ``CHUNKED_BYTES`` are analysed here, in chunks, with bounded memory
(:mod:`voicearchive.long_audio`), never shipped whole.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from dataclasses import dataclass, field
from typing import Iterator

from voicearchive import jobs
from voicearchive.archive.verify import ContentChanged
from voicearchive.executors import ExecutorLost, InProcess, LocalPool, wants_pool
from voicearchive.messages import Message
from voicearchive.model import Recording
from voicearchive import stages as stages_module
from voicearchive.stages import Failed, Stage

BATCH_SECONDS = 0.25  # how often results are committed and reported
JOB_BYTES = 4 * 1024 * 1024  # bytes of audio sent to a worker at once (several short clips batch together)
TAIL_JOB_BYTES = 256 * 1024  # near the end jobs shrink towards this, so no worker idles while one finishes
CHUNKED_BYTES = 64 * 1024 * 1024  # larger members are analysed here in chunks, not read whole
MAX_FAILURES = 2  # a recording whose job failed this often, the last time alone, is named as a problem


@dataclass
class _Work:
    job: jobs.Job
    nbytes: int
    alone: bool = False  # submitted while nothing else ran: a failure is this job's own


@dataclass
class RunStats:
    jobs: int = 0
    retries: int = 0
    shipped_bytes: int = 0  # audio bytes handed to the executor
    recordings: int = 0
    killers: list[str] = field(default_factory=list)  # sha256 of recordings named for killing workers


class StageRunner:
    """Runs the missing stages of one pipeline's recordings on ``executor`` (made here when None)."""

    def __init__(self, pipeline, executor=None, stages: tuple[Stage, ...] | None = None,
                 params: dict[str, dict] | None = None, label: str = "analysing",
                 messages: tuple[str, str] = ("pipeline.analysing_start", "pipeline.analysed"),
                 job_bytes: int | None = None) -> None:
        self.p = pipeline
        self.store = pipeline.store
        # read now: the declared ones (the voice-analysis pass unless told another)
        self.stages = stages if stages is not None else stages_module.of_phase(stages_module.ANALYSIS)
        self.params = params or {}  # stage id -> keyword arguments of its compute, done and save
        self.label, self.messages = label, messages  # Progress.stage, and the start / done message codes
        self.job_bytes = job_bytes  # None: JOB_BYTES (read when the jobs are made)
        self.executor = executor
        self.stats = RunStats()
        self._failures: dict[str, int] = {}

    # ---------------------------------------------------------------------------------------- planning
    def missing(self) -> tuple[dict[str, tuple[Recording, tuple[str, ...]]], dict[str, list[str]]]:
        """{sha256: (a recording with that audio, the stage ids it still needs)} and the keys of each sha."""
        items = [i for i in self.store.items() if i.rec.has_audio and i.rec.sha256]
        keys_by_sha: dict[str, list[str]] = {}
        first: dict[str, Recording] = {}
        recs_by_sha: dict[str, list[Recording]] = {}
        for i in items:
            keys_by_sha.setdefault(i.rec.sha256, []).append(i.rec.key)
            first.setdefault(i.rec.sha256, i.rec)
            recs_by_sha.setdefault(i.rec.sha256, []).append(i.rec)
        need: dict[str, list[str]] = {}
        for stage in self.stages:
            # an audio content is wanted when one of its recordings wants it (copies may differ in words)
            shas = [sha for sha, recs in recs_by_sha.items() if any(stage.wanted(r) for r in recs)]
            done = stage.done(self.store, shas, **self.params.get(stage.id, {}))
            for sha in shas:
                if sha not in done:
                    need.setdefault(sha, []).append(stage.id)
        todo = {sha: (first[sha], tuple(ids)) for sha, ids in need.items()}
        return todo, keys_by_sha

    # ------------------------------------------------------------------------------------------ running
    def run(self) -> RunStats:
        todo, keys_by_sha = self.missing()
        self.keys_by_sha = keys_by_sha
        if not todo:
            return self.stats
        recs = list(todo.values())
        total_bytes = sum(max(r.size, 1) for r, _ in recs)
        self.total, self.done, self.done_bytes = len(recs), 0, 0
        self.eta = Eta(total_bytes)
        self.batch: list[jobs.JobResult] = []
        self.problems: dict[str, Message] = {}
        self.last_flush = time.monotonic()
        self.stats.recordings = len(recs)
        self.p.on_progress(_progress(0, self.total, None, Message.of(
            self.messages[0], n=self.total, done=0, total=self.total), (), self.label))
        long = [(r, s) for r, s in recs if r.size > CHUNKED_BYTES]
        short = [(r, s) for r, s in recs if r.size <= CHUNKED_BYTES]
        executor, owned = self.executor, False
        if executor is None:
            small = not wants_pool(sum(max(r.size, 1) for r, _ in short), self.p.workers)
            executor = InProcess() if small else (self.p.take_warm_pool() or LocalPool(self.p.workers))
            owned = True
        try:
            self._run_jobs(executor, self._jobs(short, getattr(executor, "slots", 1)))
            for rec, stage_ids in long:
                self._run_long(rec, stage_ids)
        finally:
            if owned:
                executor.shutdown(cancel=self.p.cancel.is_set())
            self._flush(final=True)
        return self.stats

    def _jobs(self, recs, slots: int = 1) -> Iterator[_Work]:
        """Jobs of about JOB_BYTES of recordings that need the same stages, reading each member once.

        With several slots, the last jobs are smaller (down to TAIL_JOB_BYTES): once less than two full jobs
        per slot are left, a job takes its share of what is left, so every worker finishes at about the same
        time instead of one idling while another runs a whole last job."""
        expected = jobs.worker_versions()
        open_jobs: dict[tuple[str, ...], _Work] = {}
        left = sum(max(r.size, 1) for r, _ in recs)
        for rec, stage_ids in recs:
            self.p._check_cancel()
            left -= max(rec.size, 1)
            data = self._read(rec)
            if data is None:
                continue
            work = open_jobs.setdefault(stage_ids, _Work(jobs.Job(stage_ids, [], expected, self._params(stage_ids)), 0))
            work.job.blobs.append((rec.sha256, data))
            work.nbytes += len(data)
            limit = self.job_bytes or JOB_BYTES
            if slots > 1:
                limit = min(limit, max(TAIL_JOB_BYTES, (left + work.nbytes) // (2 * slots)))
            if work.nbytes >= limit:
                yield open_jobs.pop(stage_ids)
        yield from open_jobs.values()

    def _params(self, stage_ids: tuple[str, ...]) -> dict[str, dict]:
        return {sid: self.params[sid] for sid in stage_ids if sid in self.params}

    def _read(self, rec: Recording) -> bytes | None:
        """The member's bytes, checked against its import hash as they are read (``read_audio``, hashed once);
        None (and a named problem) otherwise."""
        try:
            return self.p.read_audio(rec)
        except ContentChanged:
            self._problem(rec.sha256, Message.of("pipeline.changed"))
        except (OSError, ValueError) as exc:
            self._problem(rec.sha256, Message.of("pipeline.unreadable", reason=_read_reason(exc)))
        self._count(1, max(rec.size, 1))
        return None

    def _run_jobs(self, executor, work: Iterator[_Work]) -> None:
        inflight: dict[Future, _Work] = {}
        retry: deque[_Work] = deque()
        limit = 2 * max(1, getattr(executor, "slots", 1))
        exhausted = False
        try:
            while True:
                self.p._check_cancel()
                if retry:
                    if not inflight:  # a retry runs alone: if it fails, the failure is its own
                        w = retry.popleft()
                        w.alone = True
                        self._submit(executor, inflight, w)
                elif not exhausted:
                    while len(inflight) < limit:
                        w = next(work, None)
                        if w is None:
                            exhausted = True
                            break
                        self._submit(executor, inflight, w)
                if not inflight:
                    if exhausted and not retry:
                        return
                    continue
                finished, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
                check = getattr(executor, "check", None)
                if check is not None:
                    check()  # raises ExecutorLost when the cluster went away
                for fut in [f for f in inflight if f in finished]:  # in the order they were submitted
                    w = inflight.pop(fut)
                    try:
                        results = fut.result()
                    except jobs.VersionMismatch as exc:
                        raise ExecutorLost(Message.of("pipeline.worker_version", detail=exc.message)) from None
                    except (Exception, CancelledError) as exc:  # noqa: BLE001 - a worker died or was lost
                        executor.recover(exc)  # raises ExecutorLost when it cannot go on
                        self._failed(w, exc, retry)
                        continue
                    self._collect(results, w.nbytes)
        finally:
            for fut, w in inflight.items():  # on cancel, keep what already came back (an in-process job)
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    self._collect(fut.result(), w.nbytes)
                else:
                    fut.cancel()

    def _submit(self, executor, inflight: dict, w: _Work) -> None:
        inflight[executor.submit(jobs.run_job, w.job)] = w
        self.stats.jobs += 1
        self.stats.shipped_bytes += w.nbytes

    def _failed(self, w: _Work, exc: BaseException, retry: deque) -> None:
        """Split a failed job into one retry per recording; name a recording that failed twice, alone."""
        for sha, data in w.job.blobs:
            count = self._failures[sha] = self._failures.get(sha, 0) + 1
            if (count >= MAX_FAILURES and w.alone) or count > 2 * MAX_FAILURES:
                self.stats.killers.append(sha)
                self._problem(sha, Message.of("pipeline.worker_died", n=count, reason=_reason(exc)))
                self._count(1, len(data))
                continue
            self.stats.retries += 1
            retry.append(_Work(jobs.Job(w.job.stages, [(sha, data)], w.job.expected, w.job.params), len(data)))

    # ------------------------------------------------------------------------------------------ results
    def _collect(self, results: list[jobs.JobResult], nbytes: int) -> None:
        self.batch.extend(results)
        self._count(len(results), nbytes)

    def _count(self, n: int, nbytes: int) -> None:
        self.done += n
        self.done_bytes += nbytes
        if time.monotonic() - self.last_flush > BATCH_SECONDS:
            self._flush()

    def _problem(self, sha: str, message: Message) -> None:
        self.problems[sha] = message

    def _flush(self, final: bool = False) -> None:
        by_stage: dict[str, list] = {}
        problems = dict(self.problems)
        changed: list[str] = []
        marks = {s.id: s.failure_is_problem for s in self.stages}
        for r in self.batch:
            if r.problem:
                problems[r.sha256] = r.problem
            for stage_id, output in r.outputs.items():
                if isinstance(output, Failed) and marks.get(stage_id, True):
                    problems.setdefault(r.sha256, output.reason)
                elif output is not None:
                    by_stage.setdefault(stage_id, []).append((r.sha256, output))
            changed.extend(self.keys_by_sha.get(r.sha256, []))
        with self.store.transaction():
            for stage in self.stages:
                if by_stage.get(stage.id):
                    stage.save(self.store, by_stage[stage.id], **self.params.get(stage.id, {}))
            self.p._mark_problems({key: msg for sha, msg in problems.items()  # Messages: rendered per language
                                   for key in self.keys_by_sha.get(sha, [])})
        changed.extend(k for sha in self.problems for k in self.keys_by_sha.get(sha, []))
        self.batch, self.problems, self.last_flush = [], {}, time.monotonic()
        eta = None if final else self.eta(self.done_bytes)
        self.p.on_progress(_progress(self.done, self.total, eta, Message.of(
            self.messages[1], done=self.done, total=self.total), changed, self.label))

    # ---------------------------------------------------------------------------------- long recordings
    def _run_long(self, rec: Recording, stage_ids: tuple[str, ...]) -> None:
        """A member too large to ship whole: read here in chunks (bounded memory), hashing as it is read."""
        from voicearchive import long_audio

        member = self.p.member_of(rec)
        result = jobs.JobResult(rec.sha256)

        def on_chunk(done_s: float, total_s: float) -> None:
            self.p.on_progress(_progress(self.done, self.total, None, Message.of(
                "pipeline.long_chunk", done_s=done_s, total_s=total_s), (), self.label))

        try:
            if member is None:
                raise FileNotFoundError(rec.member_path or rec.key)
            with self.p.tree.open(member) as stream:
                result = long_audio.analyse_stream(stream, member.size, rec.sha256, stage_ids,
                                                   self.p._check_cancel, on_chunk)
        except long_audio.LongAudioError as exc:
            result.problem = exc.message
        except (OSError, ValueError) as exc:
            result.problem = Message.of("pipeline.unreadable", reason=getattr(exc, "reason", None) or str(exc))
        self._collect([result], rec.size)
        self._flush()


def _read_reason(exc: BaseException):
    """Why a member could not be read, as a Message where the error carries one (the OS's common errors too)."""
    from voicearchive.archive.streams import reason as os_reason

    return getattr(exc, "reason", None) or getattr(exc, "message", None) or os_reason(exc)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _progress(done, total, eta, message, changed=(), label="analysing"):
    from voicearchive.pipeline import Progress

    return Progress(label, done, total, eta, message, changed_keys=list(changed))


class Eta:
    """Remaining time from the rate so far; None until there is enough to say."""

    def __init__(self, total: float) -> None:
        self.total, self.start = total, time.monotonic()

    def __call__(self, done: float) -> float | None:
        elapsed = time.monotonic() - self.start
        if done <= 0 or elapsed < 0.5 or self.total <= 0:
            return None
        return max(0.0, elapsed * (self.total - done) / done)
