"""import -> hash/probe -> decode/envelope/embed -> voices, into the case file.

The one engine behind both the command line and the GUI. Every stage is incremental (what the case file
already knows by content hash is not recomputed), resumable (a crash loses at most the current batch) and
cancellable between batches. Progress is reported through a callback; the GUI's worker thread forwards it
as a Qt signal, the CLI prints it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from voicearchive import jobs
from voicearchive.archive import open_archive
from voicearchive.archive.source import Member, Tree
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER, Problem, Recording

READ_IN_MEMORY = 256 * 1024 * 1024  # members up to this size are read once into memory (hash + probe + decode)
BATCH_SECONDS = 0.25  # how often streamed results are committed and reported
JOB_BYTES = 4 * 1024 * 1024  # bytes of audio sent to a worker at once (several short clips batch together)
IN_PROCESS_BYTES = 8 * 1024 * 1024  # below this much audio to analyse, worker processes cost more than they save


NO_TEXT_PREFIXES = ("text not available", "text nicht verfügbar", "transcript not available")


def has_transcript(rec: Recording) -> bool:
    """Whether the vendor kept words for this recording ("Text not available – …" is not a transcript)."""
    text = rec.transcript.strip()
    return bool(text) and not text.lower().startswith(NO_TEXT_PREFIXES)


class Cancelled(Exception):
    """Raised inside the pipeline when the cancel event is set; what was done so far is kept."""


@dataclass
class Progress:
    stage: str  # "listing", "reading", "analysing", "voices", "done"
    done: int = 0
    total: int | None = None
    eta_s: float | None = None
    message: str = ""
    changed_keys: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    source_format: str = ""
    recordings: int = 0
    with_audio: int = 0
    with_transcript: int = 0
    not_for_assistant: int = 0
    by_source: Counter = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


class _Eta:
    """Remaining time from the rate so far; None until there is enough to say."""

    def __init__(self, total: float) -> None:
        self.total, self.start = total, time.monotonic()

    def __call__(self, done: float) -> float | None:
        elapsed = time.monotonic() - self.start
        if done <= 0 or elapsed < 0.5 or self.total <= 0:
            return None
        return max(0.0, elapsed * (self.total - done) / done)


class Pipeline:
    def __init__(
        self,
        paths: Sequence[str | os.PathLike],
        store,
        *,
        on_progress: Callable[[Progress], None] | None = None,
        cancel: threading.Event | None = None,
        workers: int | None = None,
        reader=None,
    ) -> None:
        self.paths = [os.fspath(p) for p in paths]
        self.store = store
        self.on_progress = on_progress or (lambda p: None)
        self.cancel = cancel or threading.Event()
        self.workers = workers or jobs.default_workers()
        self._reader = reader  # an ArchiveReader already opened by the caller, or None to open lazily
        self._owns_reader = reader is None  # close only what this pipeline opened
        self._known: dict = {}  # (container, path) -> what the case file knew of the member
        self._cache_entries: list[tuple] = []

    # ----------------------------------------------------------------------------------------- helpers
    @property
    def reader(self):
        if self._reader is None:
            self._reader = open_archive(self.paths)  # raises ArchiveError for an unreadable archive
        return self._reader

    @property
    def tree(self) -> Tree:
        return self.reader.tree

    def close(self) -> None:
        """Close the archive (its zip handles) if this pipeline opened it; it reopens if used later."""
        if self._reader is not None and self._owns_reader:
            self._reader.close()
            self._reader = None

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled()

    def member_of(self, rec: Recording) -> Member | None:
        return self.tree.member(rec.archive, rec.member_path) if rec.member_path else None

    def read_audio(self, rec: Recording) -> bytes:
        """The original bytes of a recording's audio member (for playback and evidence export)."""
        member = self.member_of(rec)
        if member is None:
            raise FileNotFoundError(f"{rec.member_path or rec.key}: no audio in the archive")
        return self.tree.read(member)

    # ------------------------------------------------------------------------------------------ import
    def import_archive(self) -> ImportSummary:
        """List every item, hash and probe each audio member once, and stream the recordings into the store."""
        t0 = time.monotonic()
        summary = ImportSummary()
        self.on_progress(Progress("listing", message="Listing the archive…"))
        reader = self.reader
        summary.source_format = reader.source_format
        self.store.set_sources(self.paths, self.tree.identity())
        total = len(reader.listing.members)
        # One query for everything the case file already knows of these members (not one per member).
        members = reader.listing.members
        self._known = self.store.cached_members((m.container, m.path, m.fingerprint) for m in members)
        eta = _Eta(total)
        pending: list[Recording] = []
        last_flush = time.monotonic()
        done = 0
        for item in reader.items():
            self._check_cancel()
            if isinstance(item, Problem):
                summary.problems.append(item)
                continue
            self._describe_audio(item)
            pending.append(item)
            summary.recordings += 1
            summary.by_source[item.source_format] += 1
            summary.with_audio += item.has_audio
            summary.with_transcript += has_transcript(item)
            summary.not_for_assistant += item.not_for_assistant
            done += 1
            if time.monotonic() - last_flush > BATCH_SECONDS:
                self._flush(pending, done, total, eta)
                pending, last_flush = [], time.monotonic()
        self._flush(pending, done, done, eta)  # the member count was an estimate; now the total is known
        self.store.set("problems", [[p.archive, p.member_path, p.message] for p in summary.problems])
        summary.seconds = time.monotonic() - t0
        return summary

    def _flush(self, recs: list[Recording], done: int, total: int, eta: _Eta) -> None:
        """Commit a batch: the recordings and what was learnt of their members, in one transaction."""
        with self.store.transaction():
            self.store.cache_members(self._cache_entries)
            self.store.put_recordings(recs)
        self._cache_entries = []
        self.on_progress(
            Progress("reading", done, max(total, done), eta(done), f"Read {done:,} items",
                     changed_keys=[r.key for r in recs])
        )

    def _describe_audio(self, rec: Recording) -> None:
        """Fill sha256, size and audio facts, from the member cache or by reading the member once."""
        member = self.member_of(rec)
        if member is None or rec.problem:
            return
        cached = self._known.get((member.container, member.path))
        if cached is not None:
            rec.sha256, rec.size, rec.audio, problem = cached
            rec.problem = rec.problem or problem
            return
        from voicearchive.audio.decode import DecodeError, probe

        rec.size = member.size
        try:
            digest, head = self._hash_member(member)
            rec.sha256 = digest
            rec.audio = probe(head, size=member.size)
        except DecodeError as exc:
            rec.problem = str(exc)
        except (OSError, ValueError) as exc:
            rec.problem = f"could not read: {exc}"
        self._cache_entries.append((member.container, member.path, member.fingerprint,
                                    rec.sha256, rec.size, rec.audio, rec.problem))

    def _hash_member(self, member: Member) -> tuple[str, bytes]:
        """SHA-256 of the whole member, read once; returns the bytes too (or the first MiB of a huge one)."""
        h = hashlib.sha256()
        if member.size <= READ_IN_MEMORY:
            data = self.tree.read(member)
            h.update(data)
            return h.hexdigest(), data
        head = b""
        with self.tree.open(member) as f:
            while chunk := f.read(1 << 20):
                if not head:
                    head = chunk
                h.update(chunk)
                self._check_cancel()
        return h.hexdigest(), head

    # ---------------------------------------------------------------------------------------- analysis
    def analyse(self) -> object:
        """Decode, envelope and embed every audio the store does not know yet, then group the voices."""
        from voicearchive.voices.features import MODEL_VERSION

        items = [i for i in self.store.items() if i.rec.has_audio and i.rec.sha256]
        todo: dict[str, Recording] = {}
        shas = [i.rec.sha256 for i in items]
        # Analysed = an envelope and features of the current encoder version (a new model redoes the features).
        known = self.store.envelope_shas(shas) & self.store.voice_feature_shas(shas, MODEL_VERSION)
        for i in items:
            if i.rec.sha256 not in known and i.rec.sha256 not in todo:
                todo[i.rec.sha256] = i.rec
        keys_by_sha: dict[str, list[str]] = {}
        for i in items:
            keys_by_sha.setdefault(i.rec.sha256, []).append(i.rec.key)
        if todo:
            self._analyse_audio(list(todo.values()), keys_by_sha, MODEL_VERSION)
        return self.update_voices()

    def _jobs(self, recs: list[Recording]) -> Iterable[tuple[list[tuple[str, bytes]], float]]:
        """Group recordings into jobs of about JOB_BYTES, reading each member's bytes once."""
        blobs: list[tuple[str, bytes]] = []
        size = 0
        for rec in recs:
            self._check_cancel()
            try:
                data = self.read_audio(rec)
            except (OSError, ValueError) as exc:
                self._mark_problems({rec.key: f"could not read: {exc}"})
                continue
            blobs.append((rec.sha256, data))
            size += len(data)
            if size >= JOB_BYTES:
                yield blobs, size
                blobs, size = [], 0
        if blobs:
            yield blobs, size

    def _analyse_audio(self, recs: list[Recording], keys_by_sha: dict[str, list[str]], version: str) -> None:
        total_bytes = sum(max(r.size, 1) for r in recs)
        eta = _Eta(total_bytes)
        done_bytes = 0
        done = 0
        batch: list[jobs.JobResult] = []
        last_flush = time.monotonic()

        def collect(results: list[jobs.JobResult], nbytes: float) -> None:
            nonlocal done_bytes, done, batch, last_flush
            batch.extend(results)
            done += len(results)
            done_bytes += nbytes
            if time.monotonic() - last_flush > BATCH_SECONDS:
                self._store_results(batch, keys_by_sha, version, done, len(recs), eta(done_bytes))
                batch, last_flush = [], time.monotonic()

        self.on_progress(Progress("analysing", 0, len(recs), None, "Analysing voices…"))
        try:
            if total_bytes <= IN_PROCESS_BYTES or self.workers <= 1:
                for blobs, nbytes in self._jobs(recs):
                    collect(jobs.run_job(blobs), nbytes)
            else:
                self._run_pool(recs, collect)
        finally:
            self._store_results(batch, keys_by_sha, version, done, len(recs), None)

    def _run_pool(self, recs: list[Recording], collect) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork a process that may hold a Qt application
        inflight: dict[Future, float] = {}
        # Workers start on demand, at submit time: the one-BLAS-thread environment must hold until the end.
        with _environment(jobs.single_thread_env()):
            pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=jobs.worker_init)
            try:
                for blobs, nbytes in self._jobs(recs):
                    while len(inflight) >= 2 * self.workers:
                        self._drain(inflight, collect)
                    inflight[pool.submit(jobs.run_job, blobs)] = nbytes
                while inflight:
                    self._drain(inflight, collect)
            finally:
                pool.shutdown(wait=not self.cancel.is_set(), cancel_futures=True)

    def _drain(self, inflight: dict[Future, float], collect) -> None:
        finished, _ = wait(list(inflight), timeout=0.5, return_when=FIRST_COMPLETED)
        for fut in finished:
            nbytes = inflight.pop(fut)
            try:
                collect(fut.result(), nbytes)
            except Exception as exc:  # a worker died (out of memory, killed): say so, go on
                self.store.set("last_worker_error", str(exc))
        self._check_cancel()

    def _store_results(self, results, keys_by_sha, version, done, total, eta_s) -> None:
        changed: list[str] = []
        problems: dict[str, str] = {}
        features = []
        with self.store.transaction():
            for r in results:
                keys = keys_by_sha.get(r.sha256, [])
                if r.envelope is not None:
                    self.store.put_envelope(r.sha256, r.envelope)
                if r.features is not None:
                    f = r.features
                    features.append((r.sha256, f.embedding, f.speech_s, f.windows, f.window_starts))
                if r.problem:
                    problems.update((key, r.problem) for key in keys)
                changed.extend(keys)
            self.store.put_voice_features_many(version, features)
            self._mark_problems(problems)
        self.on_progress(Progress("analysing", done, total, eta_s, f"Analysed {done:,} of {total:,} recordings",
                                  changed_keys=changed))

    def _mark_problems(self, problems: dict[str, str]) -> None:
        """Record why some recordings' audio could not be read or decoded (shown in their rows)."""
        if not problems:
            return
        recs = [i.rec for i in self.store.items(problems)]
        for rec in recs:
            rec.problem = problems[rec.key]
        self.store.put_recordings(recs)

    # ------------------------------------------------------------------------------------------ voices
    def decisions(self):
        from voicearchive.case.labels import LabelBook
        from voicearchive.voices.owner import Decisions

        book = LabelBook(self.store)
        owner, household, stranger = set(), set(), set()
        for key, label in book.all().items():
            {ROLE_OWNER: owner, ROLE_HOUSEHOLD: household, ROLE_STRANGER: stranger}.get(label.role, set()).add(key)
        enrolled = [emb for _id, _name, emb in self.store.enrolments()]
        previous = {k: v.group for k, v in self.store.voice_results().items() if v.group >= 0}
        return Decisions(owner_keys=owner, household_keys=household, stranger_keys=stranger,
                         enrolled=enrolled, threshold=self.store.get("threshold"), voice_roles=book.voice_roles(),
                         previous=previous, next_voice_id=int(self.store.voice_meta().get("next_voice_id") or 0))

    def update_voices(self):
        """Group voices, choose the owner and flag, from cached features and the user's decisions (cheap)."""
        from voicearchive.voices.features import MODEL_VERSION, VoiceFeatures
        from voicearchive.voices.owner import analyse_voices

        self.on_progress(Progress("voices", message="Grouping voices…"))
        items = self.store.items()
        feats_by_sha = self.store.voice_features_many({i.rec.sha256 for i in items if i.rec.sha256}, MODEL_VERSION)
        features: dict[str, VoiceFeatures] = {}
        hints: dict[str, str] = {}
        rates = {i.rec.key: i.rec.audio.sample_rate for i in items if i.rec.audio is not None}
        for i in items:
            f = feats_by_sha.get(i.rec.sha256)
            if f is not None:
                features[i.rec.key] = f if isinstance(f, VoiceFeatures) else VoiceFeatures(**f)
            if i.rec.vendor_speaker_hint:
                hints[i.rec.key] = i.rec.vendor_speaker_hint
        report = analyse_voices(features, hints, self.decisions(), rates)
        before = {i.rec.key: i.voice for i in items if i.voice is not None}  # items() already joined them
        save_report(self.store, report)
        # Only the rows whose voice result changed need redrawing (at 100,000 rows this matters).
        changed = [k for k, r in report.results.items() if before.get(k) != r]
        changed += [k for k in before if k not in report.results]
        self.on_progress(Progress("done", len(items), len(items), 0.0, str(report.message or "Analysis complete"),
                                  changed_keys=changed))
        return report

    def enrol(self, name: str, data: bytes) -> None:
        """Enrol the owner from the bytes of an audio file (a sample, or a microphone recording)."""
        from voicearchive.audio.decode import decode
        from voicearchive.voices.features import analyse_audio

        samples, rate, _facts = decode(data)
        feats = analyse_audio(samples, rate)
        if feats.embedding is None:
            raise ValueError(f"{name}: no speech found in this sample")
        self.store.add_enrolment(name, feats.embedding)


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


def save_report(store, report) -> None:
    """Store a VoiceReport: per-recording results, the groups, and the summary the views and the CLI show."""
    from voicearchive.voices.owner import report_groups, report_meta

    store.put_voice_results(list(report.results.values()), report_groups(report), report_meta(report))
