"""import -> hash/probe -> decode/envelope/embed -> voices, into the case file.

The one engine behind both the command line and the GUI. Every stage is incremental (what the case file
already knows by content hash is not recomputed), resumable (a crash loses at most the current batch) and
cancellable between batches. Progress is reported through a callback; the GUI's worker thread forwards it
as a Qt signal, the CLI prints it.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

from voicearchive import jobs
from voicearchive.archive import open_archive
from voicearchive.archive.source import Member, Tree
from voicearchive.archive.verify import read_verified
from voicearchive.messages import Message, MessageError, reason_of
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER, Problem, Recording
from voicearchive.runner import Eta

READ_IN_MEMORY = 256 * 1024 * 1024  # members up to this size are read once into memory (hash + probe + decode)
# When an analysis follows the import, up to this many bytes of members hashed there are kept for it, so that
# they are not read and hashed a second time (about 0.3 ms a four-second WAV); the rest is read again.
KEEP_FOR_ANALYSIS_BYTES = 64 * 1024 * 1024
BATCH_SECONDS = 0.25  # how often streamed results are committed and reported


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
    message: Message | str = ""  # rendered in the user's language by the view (messages.render)
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
    seconds: float = 0.0  # how long listing and hashing took (not audio length)
    gone: int = 0  # recordings of an earlier scan no longer in the archive (kept, marked gone)


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
        executor=None,
        warm_pool=None,
    ) -> None:
        self.paths = [os.fspath(p) for p in paths]
        self.store = store
        self.on_progress = on_progress or (lambda p: None)
        self.cancel = cancel or threading.Event()
        self.workers = workers or jobs.default_workers()
        self.executor = executor  # where analysis jobs run (voicearchive.executors); None: chosen per run
        self.last_run = None  # the runner's figures of the last analyse() (jobs, retries, bytes shipped)
        self.last_transcribe_run = None  # and of the last transcribe()
        self._reader = reader  # an ArchiveReader already opened by the caller, or None to open lazily
        self._owns_reader = reader is None  # close only what this pipeline opened
        self._known: dict = {}  # (container, path) -> what the case file knew of the member
        self._cache_entries: list[tuple] = []
        # worker processes started ahead of the analysis: by the caller (``warm_pool``, a started LocalPool this
        # pipeline then owns), or by import_archive(warm_workers=True)
        self._warm_pool = warm_pool
        self._keep = False  # an analysis follows this import: keep what it hashes for it (bounded)
        self._kept: dict[str, bytes] = {}  # sha256 -> the bytes that were hashed to it at import
        self._kept_bytes = 0

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
        """Close the archive (its zip handles) if this pipeline opened it; it reopens if used later. Workers
        started ahead of an analysis that did not use them are stopped."""
        if self._warm_pool is not None:
            self._warm_pool.shutdown(cancel=True)
            self._warm_pool = None
        self._drop_kept()
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
        """The original bytes of a recording's audio member (for analysis, playback and evidence export),
        checked against the SHA-256 taken at import: ``archive.verify.ContentChanged`` if they differ. The
        bytes an import kept for the analysis that follows it are those it hashed: they are handed out once."""
        kept = self._kept.pop(rec.sha256, None) if rec.sha256 else None
        if kept is not None:
            self._kept_bytes -= len(kept)
            return kept
        member = self.member_of(rec)
        if member is None:
            raise FileNotFoundError(f"{rec.member_path or rec.key}: no audio in the archive")
        return read_verified(self.tree, member, rec.sha256)

    # ------------------------------------------------------------------------------------------ import
    def import_archive(self, *, warm_workers: bool = False) -> ImportSummary:
        """List every item, hash and probe each audio member once, and stream the recordings into the store.

        ``warm_workers``: an analysis follows, so when the listing has more new audio than one process should
        analyse, its worker processes start now and get ready while the members are hashed (``analyse`` then
        runs on them, ``close`` stops them if it does not), and the first ``KEEP_FOR_ANALYSIS_BYTES`` of audio
        read here are kept for it."""
        t0 = time.monotonic()
        self._drop_kept()
        self._keep = warm_workers
        summary = ImportSummary()
        self.on_progress(Progress("listing", message=Message.of("pipeline.listing")))
        reader = self.reader
        summary.source_format = reader.source_format
        roots = [os.path.abspath(p) for p in self.paths]
        self.store.claim(roots, self.tree.identity())  # a case holds one archive: refuse another
        self.store.set_sources(roots, self.tree.identity())
        total = len(reader.listing.members)
        # One query for everything the case file already knows of these members (not one per member).
        members = reader.listing.members
        self._known = self.store.cached_members((m.container, m.path, m.fingerprint) for m in members)
        if warm_workers:
            self._warm_up(sum(m.size for m in members if (m.container, m.path) not in self._known))
        eta = Eta(total)
        pending: list[Recording] = []
        last_flush = time.monotonic()
        done = 0
        seen: set[str] = set()
        for item in reader.items():
            self._check_cancel()
            if isinstance(item, Problem):
                summary.problems.append(item)
                continue
            self._describe_audio(item)
            seen.add(item.key)
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
        self.store.put_problems(summary.problems)
        gone = self.store.mark_gone(seen)  # only after a complete listing: what is not in it has gone
        summary.gone = len(gone)
        if gone:
            self.on_progress(Progress("reading", done, done, None, "", changed_keys=gone))
        summary.seconds = time.monotonic() - t0
        return summary

    def _warm_up(self, new_bytes: int) -> None:
        """Start the local worker processes of the coming analysis (never when an executor was given); stop
        those the caller started ahead when the listing shows too little new audio for them."""
        from voicearchive.executors import LocalPool, wants_pool

        wanted = self.executor is None and wants_pool(new_bytes, self.workers)
        if self._warm_pool is not None and not wanted:
            self._warm_pool.shutdown(cancel=True)
            self._warm_pool = None
        elif self._warm_pool is None and wanted:
            self._warm_pool = LocalPool(self.workers)
            self._warm_pool.start()

    def take_warm_pool(self):
        """The workers started by ``import_archive(warm_workers=True)``, handed over once (or None)."""
        pool, self._warm_pool = self._warm_pool, None
        return pool

    def _flush(self, recs: list[Recording], done: int, total: int, eta: Eta) -> None:
        """Commit a batch: the recordings and what was learnt of their members, in one transaction."""
        from voicearchive.transcripts.rows import recording_transcripts

        with self.store.transaction():
            self.store.cache_members(self._cache_entries)
            self.store.put_recordings(recs)
            self.store.put_transcripts(t for r in recs for t in recording_transcripts(r))  # vendor and PDF rows
        self._cache_entries = []
        self.on_progress(
            Progress("reading", done, max(total, done), eta(done), Message.of("pipeline.read", n=done),
                     changed_keys=[r.key for r in recs])
        )

    def _describe_audio(self, rec: Recording) -> None:
        """Fill sha256, size and audio facts, from the member cache or by reading the member once."""
        member = self.member_of(rec)
        if member is None or rec.problem:
            return
        cached = self._known.get((member.container, member.path))
        if cached is not None and isinstance(cached.problem, str) and cached.problem:
            cached = None  # an older scan's problem as English text: read the member again for a Message
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
            self._keep_for_analysis(digest, head, member.size)
        except DecodeError as exc:  # kept as a Message where the decoder gives one (rendered per language)
            rec.problem = reason_of(exc)
        except (OSError, ValueError) as exc:

            reason = getattr(exc, "reason", None) or str(exc)  # MemberError: the reason without the path
            rec.problem = Message.of("case.could_not_read", reason=reason)
        self._cache_entries.append((member.container, member.path, member.fingerprint,
                                    rec.sha256, rec.size, rec.audio, rec.problem))

    def _keep_for_analysis(self, digest: str, data: bytes, size: int) -> None:
        if self._keep and len(data) == size and self._kept_bytes + size <= KEEP_FOR_ANALYSIS_BYTES:
            if digest not in self._kept:
                self._kept[digest] = data
                self._kept_bytes += size

    def _drop_kept(self) -> None:
        self._kept.clear()
        self._kept_bytes = 0

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
        """Run every declared stage the store lacks (decode, envelope, voice features), then group the voices.

        The stages run on the executor given to the pipeline (a Dask cluster's, say), else on one chosen
        here: in-process for a little audio, local worker processes otherwise (:mod:`voicearchive.runner`).
        """
        from voicearchive.runner import StageRunner

        self._adopt_workers_model_version()
        try:
            self.last_run = StageRunner(self, self.executor).run()
        finally:
            self._keep = False
            self._drop_kept()  # what the runner did not need (cached, or cancelled) is not held on to
        return self.update_voices()

    def _adopt_workers_model_version(self) -> None:
        """Workers started ahead (``import_archive(warm_workers=True)``) loaded the encoder and said which pass
        loaded: this process takes their word for the model version instead of building an encoder of its
        own only to learn it, which held the first job back by 0.1 s."""
        if self._warm_pool is None:
            return
        from voicearchive.voices.features import adopt_model_version

        version = self._warm_pool.voice_model_version()
        if version:
            adopt_model_version(version)

    def _mark_problems(self, problems: dict[str, object]) -> None:  # key -> Message or text
        """Record why some recordings' audio could not be read or decoded (shown in their rows)."""
        if not problems:
            return
        recs = [i.rec for i in self.store.items(problems)]
        for rec in recs:
            rec.problem = problems[rec.key]
        self.store.put_recordings(recs)

    # ------------------------------------------------------------------------------------ speech-to-text
    def transcribe(self, model: str | None = None, language: str | None = None, *, spec=None):
        """Machine transcripts for the recordings without words, after the voice analysis: the ``transcript``
        stage (pass ``stages.TRANSCRIBE``) through the same runner and executor as the voice stages, in jobs
        of its own; cached by (content hash, engine). ``spec`` (an ``asr.EngineSpec``) overrides the model
        and language chosen here. Returns None when done, else the Message saying why it could not run."""
        from voicearchive.messages import Message
        from voicearchive.runner import StageRunner
        from voicearchive.stages import TRANSCRIBE, of_phase
        from voicearchive.transcripts import asr

        if os.environ.get("VOICEARCHIVE_ASR", "").lower() in ("off", "0", "no"):
            return None  # turned off (the test suite does, outside the transcripts tests)
        if spec is None:
            missing = asr.asr_available()
            if missing is not None:
                return missing
            chosen = asr.find_model(model or self.store.get("asr_model"))
            if chosen is None:
                return Message.of("transcripts.asr_no_model")
            spec = asr.engine_spec(chosen, language or self.store.get("asr_language"))
        stages = of_phase(TRANSCRIBE)
        asr.UNAVAILABLE.pop(spec, None)
        self.last_transcribe_run = StageRunner(
            self, self.executor, stages, params={s.id: {"spec": spec} for s in stages}, label="transcribing",
            job_bytes=asr.JOB_BYTES, messages=("transcripts.asr_progress", "transcripts.asr_progress")).run()
        self._check_cancel()
        reason = asr.UNAVAILABLE.pop(spec, None)  # the engine could not load on the workers
        return None if reason is None else Message.of("transcripts.asr_engine_failed", reason=reason)

    # ------------------------------------------------------------------------------------------ voices
    def decisions(self):
        from voicearchive.case.labels import LabelBook
        from voicearchive.voices.enrolment import current_embeddings
        from voicearchive.voices.owner import Decisions

        book = LabelBook(self.store)
        owner, household, stranger = set(), set(), set()
        for key, label in book.all().items():
            {ROLE_OWNER: owner, ROLE_HOUSEHOLD: household, ROLE_STRANGER: stranger}.get(label.role, set()).add(key)
        enrolled = current_embeddings(self.store)  # embedded again where the voice model changed
        previous = {k: v.group for k, v in self.store.voice_results().items() if v.group >= 0}
        return Decisions(owner_keys=owner, household_keys=household, stranger_keys=stranger,
                         enrolled=enrolled, threshold=self.store.get("threshold"), voice_roles=book.voice_roles(),
                         previous=previous, next_voice_id=int(self.store.voice_meta().get("next_voice_id") or 0))

    def update_voices(self):
        """Group voices, choose the owner and flag, from cached features and the user's decisions (cheap)."""
        from voicearchive.stages import voice_model_version
        from voicearchive.voices.features import VoiceFeatures
        from voicearchive.voices.owner import analyse_voices

        self.on_progress(Progress("voices", message=Message.of("pipeline.grouping")))
        items = self.store.items()
        version = voice_model_version()
        feats_by_sha = self.store.voice_features_many({i.rec.sha256 for i in items if i.rec.sha256}, version)
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
        save_report(self.store, report, version)
        # Only the rows whose voice result changed need redrawing (at 100,000 rows this matters).
        changed = [k for k, r in report.results.items() if before.get(k) != r]
        changed += [k for k in before if k not in report.results]
        self.on_progress(Progress("done", len(items), len(items), 0.0, report.message or Message.of("pipeline.complete"),
                                  changed_keys=changed))
        return report

    def enrol(self, name: str, data: bytes) -> None:
        """Enrol the owner from the bytes of an audio file (a sample, or a microphone recording)."""
        from voicearchive.audio.decode import decode
        from voicearchive.voices.enrolment import KEEP_S, analyse_sample

        samples, rate, _facts = decode(data, max_seconds=KEEP_S)
        sample = analyse_sample(samples, rate)
        if sample.features.embedding is None:
            raise EnrolmentError(Message.of("pipeline.enrol_no_speech", name=name))
        self.store.add_enrolment(name, sample.features.embedding, sample.model_version, sample.speech)


class EnrolmentError(MessageError, ValueError):
    """A sample that cannot enrol the owner. ``str(error)`` is English; ``error.message`` the Message."""


def save_report(store, report, model_version: str) -> None:
    """Store a VoiceReport: per-recording results, the groups, and the summary the views and the CLI show
    (with the model version of the embeddings it was made from, which the Voices view reads back)."""
    from voicearchive.voices.owner import report_groups, report_meta

    meta = {**report_meta(report), "model_version": model_version}
    store.put_voice_results(list(report.results.values()), report_groups(report), meta)
