"""Where analysis jobs run: the executors the stage runner is given (``concurrent.futures`` style).

Each has ``submit(fn, *args) -> Future``, ``slots`` (how many jobs it runs at once), ``recover(exc)``
(called after a job failed: rebuild what broke; raise :class:`ExecutorLost` when it cannot go on) and
``shutdown(cancel)``. Three choices: :class:`InProcess` (small scans, tests), :class:`LocalPool` (spawned
worker processes on this machine, one BLAS thread each, ending with their parent) and, only when the user
names a cluster, ``voicearchive.cluster.DaskExecutor``. This module imports no network module.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from voicearchive import jobs

READY_TIMEOUT_S = 30.0  # how long the coordinator waits for a started worker to say its model version
IN_PROCESS_BYTES = 8 * 1024 * 1024  # below this much audio to analyse, worker processes cost more than they save


def wants_pool(audio_bytes: int, workers: int) -> bool:
    """Whether analysing ``audio_bytes`` of audio is worth worker processes (else it runs in this process)."""
    return workers > 1 and audio_bytes > IN_PROCESS_BYTES


def roots_want_pool(paths, workers: int) -> bool:
    """Whether the evidence under ``paths`` holds more than ``IN_PROCESS_BYTES`` (so that its analysis, if none
    of it is cached, runs on worker processes), judged before the archive is even opened: the sizes of regular
    files, walked without following a link and only until the bound is passed (a few dozen entries of a large
    archive, all of a small one). A command-line scan starts its workers on this, before it opens the archive."""
    if workers <= 1:
        return False
    total, stack = 0, [os.fspath(p) for p in paths]
    while stack:
        path = stack.pop()
        try:
            if not os.path.isdir(path) or os.path.islink(path):
                st = os.lstat(path)
                total += st.st_size if stat.S_ISREG(st.st_mode) else 0
            else:
                with os.scandir(path) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            total += entry.stat(follow_symlinks=False).st_size
                        if total > IN_PROCESS_BYTES:
                            return True
        except OSError:
            continue  # unreadable: the listing will name it
        if total > IN_PROCESS_BYTES:
            return True
    return False


def early_pool(paths, workers: int) -> "LocalPool | None":
    """Worker processes started before the archive under ``paths`` is opened, when its evidence is large enough
    for them (:func:`roots_want_pool`), else None. They import the analysis and load the encoder (0.3-0.4 s of
    CPU each) while the caller imports, lists and hashes; give the pool to the ``Pipeline`` (``warm_pool``), which
    stops it if the listing finds too little new audio, or shut it down if the pipeline is never made."""
    if not roots_want_pool(paths, workers):
        return None
    pool = LocalPool(workers)
    pool.start()
    return pool


class ExecutorLost(Exception):
    """The executor cannot run jobs any more (a scheduler that went away). ``message`` is a Message."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class InProcess:
    """Runs each job at submit time, in this thread: no processes, no pickling."""

    slots = 1
    name = "in-process"

    def submit(self, fn, *args) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the runner like a worker's failure
            fut.set_exception(exc)
        return fut

    def recover(self, exc: BaseException) -> None:
        pass

    def shutdown(self, cancel: bool = False) -> None:
        pass


class LocalPool:
    """Worker processes on this machine (spawned: never fork a process that may hold a Qt application).

    A worker that dies (killed, out of memory, a decoder that crashes) breaks a ``ProcessPoolExecutor`` and
    fails every job in it: :meth:`recover` starts a fresh pool so that only the retries are lost. Workers
    start on demand at submit time, so the one-BLAS-thread environment is held until the pool shuts down;
    each worker ends when this process dies, even by ``kill -9`` (:func:`jobs.watch_parent`).
    """

    name = "local"

    def __init__(self, workers: int) -> None:
        self.slots = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._env = None
        self._ready: list[Future] = []  # the start() jobs, whose answers are the workers' model version

    def _ensure(self) -> ProcessPoolExecutor:
        if self._pool is None:
            if self._env is None:
                self._env = _environment(jobs.single_thread_env())
                self._env.__enter__()
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.slots, mp_context=ctx, initializer=jobs.worker_init,
                                             initargs=(os.getpid(),))
        return self._pool

    def start(self) -> None:
        """Start every worker now, ahead of the first job: each imports the analysis and loads the encoder
        (about 0.3 s) while this process is still listing and hashing the archive."""
        self._ready = [self.submit(jobs.ready) for _ in range(self.slots)]

    def voice_model_version(self, timeout: float = READY_TIMEOUT_S) -> str | None:
        """The voice model version the first started worker reported (:meth:`start`), waiting for it at most
        ``timeout`` seconds; None if none was started, none answered in time, or the answer was an error."""
        done, _ = wait(self._ready, timeout=timeout, return_when=FIRST_COMPLETED) if self._ready else ((), ())
        for future in done:
            if not future.cancelled() and future.exception() is None:
                return future.result()
        return None

    def submit(self, fn, *args) -> Future:
        try:
            return self._ensure().submit(fn, *args)
        except BrokenProcessPool:
            self.recover(None)
            return self._ensure().submit(fn, *args)

    def recover(self, exc: BaseException | None) -> None:
        pool = self._pool
        broken = getattr(pool, "_broken", None)  # set by ProcessPoolExecutor when one of its workers died
        if broken is None:  # another Python: judge by the error
            broken = isinstance(exc, BrokenProcessPool)
        if pool is not None and (exc is None or broken):  # never the fresh pool started after a break
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def shutdown(self, cancel: bool = False) -> None:
        """Stop the workers. Never waits for them to exit: after a complete run every job is done and its result
        read (the workers only have to end, 0.1-0.2 s), after a cancel the running jobs' results are not wanted;
        a worker still busy ends with its job or with this process."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._env is not None:
            self._env.__exit__(None, None, None)
            self._env = None


@contextmanager
def _environment(values: dict[str, str]):
    """Set environment variables for the duration of a block, then put back what was there."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
