"""The case file: one private SQLite database holding everything derived and every user label.

Concurrency: a :class:`CaseStore` may be shared by several threads (the GUI thread and the pipeline's
worker); each thread gets its own connection on first use (``check_same_thread`` stays on; a worker
calls :meth:`CaseStore.close_thread` when done). The file is in WAL mode, so readers never block the
writer and vice versa. Writers of one process queue on a lock, then take SQLite's lock with
``BEGIN IMMEDIATE`` (no deadlock on a read-to-write upgrade; other processes wait up to
``busy_timeout_s``). Write transactions must be short: the pipeline commits a batch every fraction of
a second, so a label the user makes in the GUI waits at most for one batch.

Durability: every connection runs with ``synchronous=FULL``, so a committed transaction is on disk
when ``commit`` returns: labels survive a kill or a power cut. That costs about 1-3 ms per label
action on this machine (0.06 ms with NORMAL, see ``benchmarks/bench_store.py``), which a user never
notices; caches are written in batches, one fsync per batch, so a separate, weaker setting for them
would buy little and would add a second connection per thread.

Privacy: the file, its ``-wal`` and ``-shm`` are created with mode 0600 (umask 077 while creating) and
checked afterwards.

Evidence: given ``evidence_roots``, a case path that lies inside the evidence (or is an evidence file
itself) is refused before anything is created (``case.paths.check_case_path``).

Errors: every failure is a :class:`CaseError` whose ``message`` (a ``voicearchive.messages.Message``)
says what is wrong: not an SQLite file, another program's database, truncated, damaged, read-only,
in a read-only folder, busy, too new. SQLite errors met later (a page found corrupt while writing)
are turned into the same messages by :meth:`CaseStore.transaction` and :func:`describe_error`.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, NamedTuple

import numpy as np

from voicearchive.case import schema
from voicearchive.case.enrolments import EnrolmentRows
from voicearchive.case.paths import InsideEvidenceError, check_case_path, private_umask
from voicearchive.case.rows import (
    LABEL_COLUMNS,
    REC_COLUMNS,
    VOICE_COLUMNS,
    CachedMember,
    f32_array,
    f32_blob,
    facts_columns,
    facts_from,
    from_json,
    label_from,
    message_text,
    message_value,
    note_text,
    now_text,
    recording_from,
    recording_row,
    to_json,
    voice_from,
    voice_row,
)
from voicearchive.messages import Message
from voicearchive.model import AudioFacts, CaseItem, Problem, Recording, VoiceResult
from voicearchive.transcripts.rows import Transcript

__all__ = ["CaseError", "CaseStore", "CachedMember", "Sources", "describe_error"]

# Host parameters per statement: well under SQLite's limit (32766 since 3.32, 999 before).
_CHUNK = 500

_REC_SELECT = ", ".join(f"r.{c}" for c in REC_COLUMNS)
_ITEM_SELECT = (
    f"SELECT {_REC_SELECT}, "
    + ", ".join(f"l.{c}" for c in LABEL_COLUMNS)
    + ", v.key, "
    + ", ".join(f"v.{c}" for c in VOICE_COLUMNS)
    + " FROM recordings r LEFT JOIN labels l ON l.key = r.key LEFT JOIN voice_results v ON v.key = r.key"
)
# Recordings of unknown time come last; ties broken by key so the order is stable.
_ORDER = " ORDER BY r.recorded_at IS NULL, r.recorded_at, r.key"
_UPSERT_RECORDING = (
    f"INSERT INTO recordings ({', '.join(REC_COLUMNS)}) VALUES ({', '.join('?' * len(REC_COLUMNS))}) "
    "ON CONFLICT (key) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in REC_COLUMNS[1:])
)


class CaseError(Exception):
    """The case file cannot be used (not a case file, from a newer version, unreadable, closed, or
    kept busy by another writer for too long). The message is written for the user and names the file;
    ``message`` is the same as a :class:`Message` (``str(exc)`` is its English text)."""

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else Message.of("text", text=str(message))
        super().__init__(str(self.message))


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _folder_writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def describe_error(path: str | os.PathLike[str], exc: BaseException) -> Message:
    """What an error met while using the case file at ``path`` means, for the user."""
    path = Path(path)
    if isinstance(exc, CaseError):
        return exc.message
    text = str(exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low or isinstance(exc, PermissionError):
        if not _folder_writable(path.parent) and not os.access(path, os.W_OK):
            return Message.of("case.read_only", path=str(path), detail=text)
        if not _folder_writable(path.parent):
            return Message.of("case.folder_read_only", path=str(path), folder=str(path.parent))
        return Message.of("case.read_only", path=str(path), detail=text)
    if "unable to open" in low and not _folder_writable(path.parent):
        return Message.of("case.folder_read_only", path=str(path), folder=str(path.parent))
    if "malformed" in low or "corrupt" in low:
        return Message.of("case.damaged", path=str(path), detail=text)
    if "not a database" in low:
        return Message.of("case.not_sqlite", path=str(path))
    if "locked" in low or "busy" in low:
        return Message.of("case.busy_locked", path=str(path), detail=text)
    return Message.of("case.cannot_open", path=str(path), reason=text)


def _is_file_error(exc: BaseException) -> bool:
    """An SQLite error about the file (damaged, read-only, locked, disk full), not about a statement."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.DataError)
    )


def _inspect(path: Path) -> None:
    """Refuse, before SQLite touches it, what cannot be a usable case file: not SQLite, cut short,
    read-only, or in a folder where SQLite cannot keep its journal. An empty file is a new case."""
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):  # a new case (or an impossible place: said later)
        return
    if not stat.S_ISREG(st.st_mode):
        raise CaseError(Message.of("case.missing", path=str(path)))
    if st.st_size == 0:
        return
    with open(path, "rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise CaseError(Message.of("case.not_sqlite", path=str(path)))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]  # the header's page count is current (SQLite 3.7.0+)
    if valid and pages and st.st_size < page_size * pages:
        raise CaseError(Message.of("case.truncated", path=str(path), size=st.st_size, expected=page_size * pages))
    if not os.access(path, os.R_OK | os.W_OK):
        raise CaseError(Message.of("case.read_only", path=str(path), detail=Message.of("case.no_write_permission")))
    if not _folder_writable(path.parent) and not Path(f"{path}-wal").exists():
        raise CaseError(Message.of("case.folder_read_only", path=str(path), folder=str(path.parent)))


class Sources(NamedTuple):
    """The archives a case was opened from, and the identity of that set (see ``Tree.identity``)."""

    paths: list[str]
    identity: str


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: Path) -> threading.Lock:
    """The lock every writer to this file in this process takes (shared by all its CaseStores)."""
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(os.path.realpath(path), threading.Lock())


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while building many acyclic objects: its repeated
    passes over the growing result would otherwise take about half of ``items()``' time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class CaseStore(EnrolmentRows):
    """A case file on disk. Open with ``CaseStore(path)`` (creates it if missing); use as a context
    manager or call :meth:`close`. Raises :class:`CaseError` if the file cannot serve as a case file;
    such a file is left exactly as it was."""

    def __init__(
        self, path: str | os.PathLike[str], *, busy_timeout_s: float = 5.0,
        evidence_roots: Sequence[str | os.PathLike[str]] = (),
    ) -> None:  # fmt: skip
        if evidence_roots:
            try:
                check_case_path(path, evidence_roots)
            except InsideEvidenceError as exc:
                raise CaseError(exc.message) from None
        self.path = Path(path).absolute()
        self._busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._write_lock = _write_lock(self.path)
        self._closed = False
        conn = self._open_file()
        self._local.conn = conn

    # ----------------------------------------------------------------- lifecycle

    def _open_file(self) -> sqlite3.Connection:
        """Create (privately) or validate the file, migrate it, and return this thread's connection."""
        try:
            _inspect(self.path)
            with private_umask():
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                try:
                    os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                except FileExistsError:
                    pass
                conn = self._connect()
                try:
                    self._prepare(conn)
                except BaseException:
                    conn.close()
                    raise
        except OSError as exc:
            if isinstance(exc, PermissionError) and exc.filename and Path(exc.filename) == self.path.parent:
                raise CaseError(Message.of("case.folder_read_only", path=str(self.path),
                                           folder=str(self.path.parent))) from exc
            from voicearchive.archive.streams import reason as os_reason

            why = os_reason(exc)
            if exc.filename and Path(exc.filename) != self.path:
                why = Message.of("case.reason_at", reason=why, path=str(exc.filename))
            raise CaseError(Message.of("case.cannot_open", path=str(self.path), reason=why)) from exc
        except sqlite3.Error as exc:
            raise CaseError(describe_error(self.path, exc)) from exc
        self._secure_files()
        return conn

    def _connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise CaseError(Message.of("case.missing", path=str(self.path)))
        conn = sqlite3.connect(self.path, timeout=self._busy_timeout_s, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CaseError(describe_error(self.path, exc)) from exc
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Refuse what is not ours or is too new (without writing), then switch to WAL and migrate."""
        latest = schema.MIGRATIONS[-1].version
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise CaseError(describe_error(self.path, exc)) from exc
        if app_id != schema.APPLICATION_ID and (app_id != 0 or tables):
            raise CaseError(Message.of("case.foreign_sqlite", path=str(self.path)))
        if version > latest:
            raise CaseError(self._too_new(version, latest))
        conn.execute("PRAGMA journal_mode = WAL")
        if version == latest:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another opener may have won
            if version > latest:
                raise CaseError(self._too_new(version, latest))
            for migration in schema.MIGRATIONS:
                if migration.version > version:
                    migration.apply(conn)
            if version == 0:
                conn.execute("INSERT OR REPLACE INTO case_info VALUES ('created_at', ?)", (now_text(),))
            conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {latest}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _too_new(self, version: int, latest: int) -> Message:
        return Message.of("case.too_new", path=str(self.path), version=str(version), latest=str(latest))

    def _secure_files(self) -> None:
        """Make the database and its WAL/shared-memory files private to the user (0600)."""
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{self.path}{suffix}")
            try:
                mode = stat.S_IMODE(p.stat().st_mode)
                if mode & 0o077:
                    os.chmod(p, mode & 0o700)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise CaseError(Message.of("case.private", path=str(p), reason=exc.strerror or str(exc))) from exc

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use). For modules of ``voicearchive.case``."""
        if self._closed:
            raise CaseError(Message.of("case.closed", path=str(self.path)))
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def close(self) -> None:
        """Close the calling thread's connection and refuse further use from any thread. Connections
        other threads opened are closed when those threads end (or by :meth:`close_thread`)."""
        self.close_thread()
        self._closed = True

    def close_thread(self) -> None:
        """Close the calling thread's connection (a worker thread calls this when it is done)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable unit of writes, yielding this thread's connection. Nested use joins the
        outer transaction (as a savepoint, rolled back alone if its block raises); everything is
        committed when the outermost block ends. Raises :class:`CaseError` if the file stays busy
        for longer than ``busy_timeout_s``."""
        conn = self.connection()
        local = self._local
        depth = getattr(local, "depth", 0)
        if depth:
            with self._savepoint(conn, depth):
                yield conn
            return
        self._begin(conn)
        local.depth, local.after_commit = 1, []
        try:
            try:
                yield conn
            except BaseException as exc:
                self._rollback(conn)
                if _is_file_error(exc):  # a damaged page, a disk turned read-only...
                    raise CaseError(describe_error(self.path, exc)) from exc
                raise
            try:
                conn.execute("COMMIT")
            except BaseException as exc:
                self._rollback(conn)
                if _is_file_error(exc):
                    raise CaseError(describe_error(self.path, exc)) from exc
                raise
            callbacks = local.after_commit
        finally:
            local.depth, local.after_commit = 0, []
            self._write_lock.release()
        for callback in callbacks:
            callback()

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:  # the file is damaged or gone; SQLite has rolled back itself
            pass

    def _begin(self, conn: sqlite3.Connection) -> None:
        """Take the write lock: first among this process's threads (a queue, where SQLite's busy
        handler would poll and could starve a thread), then SQLite's own, against other processes."""
        if not self._write_lock.acquire(timeout=self._busy_timeout_s):
            raise CaseError(Message.of("case.busy", path=str(self.path), seconds=float(self._busy_timeout_s)))
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            self._write_lock.release()
            raise CaseError(describe_error(self.path, exc)) from exc
        except BaseException:
            self._write_lock.release()
            raise

    @contextmanager
    def _savepoint(self, conn: sqlite3.Connection, depth: int) -> Iterator[None]:
        local = self._local
        name = f"nested_{depth}"
        conn.execute(f"SAVEPOINT {name}")
        pending = len(local.after_commit)
        local.depth = depth + 1
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            del local.after_commit[pending:]
            raise
        finally:
            local.depth = depth
        conn.execute(f"RELEASE {name}")

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the current transaction of this thread commits (now if none is open);
        dropped if it rolls back."""
        if getattr(self._local, "depth", 0):
            self._local.after_commit.append(callback)
        else:
            callback()

    # ----------------------------------------------------------------- recordings and items

    def put_recordings(self, recs: Iterable[Recording]) -> int:
        """Insert or update recordings by key; returns how many were written."""
        rows = [recording_row(r) for r in recs]
        if rows:
            with self.transaction() as conn:
                conn.executemany(_UPSERT_RECORDING, rows)
        return len(rows)

    def recordings(self) -> list[Recording]:
        """Every recording, ordered by time (unknown last) then key."""
        sql = f"SELECT {_REC_SELECT} FROM recordings r{_ORDER}"
        return [recording_from(row) for row in self.connection().execute(sql)]

    def count(self) -> int:
        """Number of recordings."""
        return self.connection().execute("SELECT count(*) FROM recordings").fetchone()[0]

    def items(self, keys: Iterable[str] | None = None) -> list[CaseItem]:
        """Recordings joined with their label and voice result, ordered by time (unknown last) then
        key. With ``keys``, only those recordings (unknown keys are skipped)."""
        conn = self.connection()
        with _gc_paused():
            if keys is None:
                items = [_item_from(row) for row in conn.execute(_ITEM_SELECT + _ORDER)]
                return self._with_machine(items, every=True)
            rows = []
            for part in _chunks(list(dict.fromkeys(keys))):
                rows += conn.execute(f"{_ITEM_SELECT} WHERE r.key IN ({_marks(len(part))})", part).fetchall()
            rows.sort(key=lambda row: (row[6] is None, row[6] or "", row[0]))
            return self._with_machine([_item_from(row) for row in rows])

    # ----------------------------------------------------------------- member cache

    def cached_member(self, container: str, path: str, fingerprint: str) -> CachedMember | None:
        """What was learnt of this member when it last had this fingerprint, else ``None``."""
        row = self.connection().execute(
            "SELECT fingerprint, sha256, size, codec, sample_rate, channels, duration_s, problem, audio_note "
            "FROM member_cache WHERE container = ? AND path = ?",
            (container, path),
        ).fetchone()
        if row is None or row[0] != fingerprint:
            return None
        return CachedMember(row[1], row[2], facts_from(*row[3:7], row[8]), message_value(row[7]))

    def cached_members(self, members: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], CachedMember]:
        """Batch :meth:`cached_member` for ``(container, path, fingerprint)`` triples; the result has an
        entry, keyed by ``(container, path)``, for each member whose fingerprint still matches."""
        by_container: dict[str, dict[str, str]] = {}
        for container, path, fingerprint in members:
            by_container.setdefault(container, {})[path] = fingerprint
        conn = self.connection()
        found: dict[tuple[str, str], CachedMember] = {}
        for container, wanted in by_container.items():
            rows = conn.execute(
                "SELECT path, fingerprint, sha256, size, codec, sample_rate, channels, duration_s, problem, "
                "audio_note FROM member_cache WHERE container = ?",
                (container,),
            )
            for path, fingerprint, sha, size, codec, rate, channels, duration, problem, note in rows:
                if wanted.get(path) == fingerprint:
                    facts = facts_from(codec, rate, channels, duration, note)
                    found[container, path] = CachedMember(sha, size, facts, message_value(problem))
        return found

    def cache_member(
        self, container: str, path: str, fingerprint: str, sha256: str, size: int,
        facts: AudioFacts | None, problem: str = "",
    ) -> None:  # fmt: skip
        """Remember what a member with this fingerprint is (replaces what was known of it)."""
        self.cache_members([(container, path, fingerprint, sha256, size, facts, problem)])

    def cache_members(self, entries: Iterable[tuple[str, str, str, str, int, AudioFacts | None, str]]) -> None:
        """Batch :meth:`cache_member`: ``(container, path, fingerprint, sha256, size, facts, problem)``."""
        rows = [
            (container, path, fingerprint, sha, int(size), *facts_columns(facts), message_text(problem),
             note_text(facts))
            for container, path, fingerprint, sha, size, facts, problem in entries
        ]
        if rows:
            with self.transaction() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO member_cache (container, path, fingerprint, sha256, size, codec, "
                    "sample_rate, channels, duration_s, problem, audio_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )

    # ----------------------------------------------------------------- envelopes and voice features

    def envelope(self, sha: str) -> bytes | None:
        """The stored waveform envelope of this content, if any."""
        row = self.connection().execute("SELECT data FROM envelopes WHERE sha256 = ?", (sha,)).fetchone()
        return None if row is None else row[0]

    def put_envelope(self, sha: str, blob: bytes | np.ndarray) -> None:
        """Store the envelope of this content: bytes as given, an array as little-endian float32."""
        data = f32_blob(blob) if isinstance(blob, np.ndarray) else bytes(blob)
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO envelopes VALUES (?, ?)", (sha, data))

    def envelope_shas(self, shas: Iterable[str]) -> set[str]:
        """Which of ``shas`` have an envelope stored (without loading them)."""
        conn = self.connection()
        found: set[str] = set()
        for part in _chunks(list(dict.fromkeys(shas))):
            sql = f"SELECT sha256 FROM envelopes WHERE sha256 IN ({_marks(len(part))})"
            found.update(sha for (sha,) in conn.execute(sql, part))
        return found

    def voice_feature_shas(self, shas: Iterable[str], model_version: str) -> set[str]:
        """Which of ``shas`` have features stored for this encoder version (without loading them)."""
        conn = self.connection()
        found: set[str] = set()
        for part in _chunks(list(dict.fromkeys(shas))):
            sql = f"SELECT sha256 FROM voice_features WHERE model_version = ? AND sha256 IN ({_marks(len(part))})"
            found.update(sha for (sha,) in conn.execute(sql, (model_version, *part)))
        return found

    def voice_features(self, sha: str, model_version: str) -> dict | None:
        """``{"embedding": (d,) float32 | None, "speech_s": float, "windows": (m, d) float32,
        "window_starts": (m,) float32}`` for this content and encoder version, or ``None``."""
        return self.voice_features_many([sha], model_version).get(sha)

    def voice_features_many(self, shas: Iterable[str], model_version: str) -> dict[str, dict]:
        """Batch :meth:`voice_features`: only shas with stored features appear in the result."""
        conn = self.connection()
        found: dict[str, dict] = {}
        wanted = list(dict.fromkeys(shas))
        for part in _chunks(wanted):
            rows = conn.execute(
                "SELECT sha256, embedding, speech_s, windows, window_count, window_dim, window_starts "
                f"FROM voice_features WHERE model_version = ? AND sha256 IN ({_marks(len(part))})",
                (model_version, *part),
            )
            for sha, embedding, speech_s, windows, count, dim, starts in rows:
                found[sha] = {
                    "embedding": None if embedding is None else f32_array(embedding, (-1,)),
                    "speech_s": speech_s,
                    "windows": f32_array(windows, (count, dim)),
                    "window_starts": f32_array(starts, (count,)),
                }
        return found

    def put_voice_features(
        self, sha: str, model_version: str, embedding: np.ndarray | None, speech_s: float,
        windows: np.ndarray, window_starts: np.ndarray,
    ) -> None:  # fmt: skip
        """Store the speaker features of this content for this encoder version (replacing any)."""
        self.put_voice_features_many(model_version, [(sha, embedding, speech_s, windows, window_starts)])

    def put_voice_features_many(
        self, model_version: str, entries: Iterable[tuple[str, np.ndarray | None, float, np.ndarray, np.ndarray]]
    ) -> None:
        """Batch :meth:`put_voice_features`: ``(sha, embedding, speech_s, windows, window_starts)``."""
        rows = []
        for sha, embedding, speech_s, windows, starts in entries:
            windows = np.asarray(windows, dtype=np.float32)
            starts = np.asarray(starts, dtype=np.float32)
            if windows.size == 0 and windows.ndim != 2:  # "no windows" given as a flat empty array
                windows = windows.reshape(0, 0 if embedding is None else np.size(embedding))
            if windows.ndim != 2 or starts.shape != (windows.shape[0],):
                raise ValueError(f"windows {windows.shape} and window_starts {np.shape(starts)} do not match")
            rows.append((
                sha, model_version, None if embedding is None else f32_blob(np.ravel(embedding)),
                float(speech_s), f32_blob(windows), windows.shape[0], windows.shape[1], f32_blob(starts),
            ))  # fmt: skip
        if rows:
            with self.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO voice_features VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    # ----------------------------------------------------------------- voice report

    def put_voice_results(self, results: Iterable[VoiceResult], groups: list[dict], meta: dict) -> None:
        """Replace the whole voice report (per-recording results, groups, summary) atomically."""
        rows = [voice_row(v) for v in results]
        with self.transaction() as conn:
            conn.execute("DELETE FROM voice_results")
            conn.executemany(
                f"INSERT INTO voice_results (key, {', '.join(VOICE_COLUMNS)}) VALUES ({_marks(1 + len(VOICE_COLUMNS))})",
                rows,
            )
            conn.execute(
                "INSERT OR REPLACE INTO voice_report VALUES (1, ?, ?, ?)", (to_json(groups), to_json(meta), now_text())
            )

    def voice_results(self) -> dict[str, VoiceResult]:
        sql = f"SELECT key, {', '.join(VOICE_COLUMNS)} FROM voice_results"
        return {row[0]: voice_from(row[0], row[1:]) for row in self.connection().execute(sql)}

    def voice_groups(self) -> list[dict]:
        row = self.connection().execute("SELECT groups FROM voice_report WHERE id = 1").fetchone()
        return [] if row is None else from_json(row[0])

    def voice_meta(self) -> dict:
        """The report's summary (owner source, threshold, message...); ``{}`` before any analysis."""
        row = self.connection().execute("SELECT meta FROM voice_report WHERE id = 1").fetchone()
        return {} if row is None else from_json(row[0])

    # ----------------------------------------------------------------- settings, sources (enrolments: case/enrolments.py)

    def get(self, key: str, default: Any = None) -> Any:
        """A setting of this case (JSON value), or ``default`` if it was never set."""
        row = self.connection().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else from_json(row[0])

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable setting (numpy values, sets and paths are converted)."""
        text = to_json(value)
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, text))

    def delete(self, key: str) -> None:
        """Forget a setting (``get`` then returns its default)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    def set_sources(self, paths: Iterable[str | os.PathLike[str]], identity: str) -> None:
        """Record which archives this case was opened from (replacing the previous list)."""
        rows = [(i, os.fspath(p)) for i, p in enumerate(paths)]
        with self.transaction() as conn:
            conn.execute("DELETE FROM sources")
            conn.executemany("INSERT INTO sources VALUES (?, ?)", rows)
            conn.execute("INSERT OR REPLACE INTO case_info VALUES ('identity', ?)", (identity,))
            conn.execute("INSERT OR REPLACE INTO case_info VALUES ('opened_at', ?)", (now_text(),))

    def claim(self, roots: Sequence[str | os.PathLike[str]], identity: str) -> None:
        """Refuse (:class:`CaseError`) to use this case for another archive than the one it holds.

        A case belongs to one archive: the same archive is known by its identity, or by the same
        resolved paths (a zip that grew, a folder with files added or removed), or by paths that include
        all of the case's (a Takeout part that was forgotten the first time). A new, empty case belongs
        to whatever is opened first."""
        try:
            known = self.sources()
        except sqlite3.DatabaseError as exc:  # the first read of a damaged file: say what is wrong
            raise CaseError(describe_error(self.path, exc)) from exc
        if not known.paths and not known.identity:
            return
        if known.identity == identity:
            return
        real = {os.path.realpath(os.fspath(p)) for p in roots}
        if {os.path.realpath(p) for p in known.paths} <= real:
            return
        raise CaseError(Message.of("case.other_archive", path=str(self.path), theirs=", ".join(known.paths),
                                   ours=", ".join(os.fspath(p) for p in roots)))

    def put_problems(self, problems: Iterable[Any]) -> None:
        """Replace the list of files the last import could not read (``model.Problem``; a message may be a
        ``Message``, stored as such)."""
        self.set("problems", [[p.archive, p.member_path, message_text(p.message)] for p in problems])

    def problems(self) -> list[Problem]:
        """The files the last import could not read, with their messages restored."""
        rows = self.get("problems", []) or []
        found = []
        for row in rows:
            if isinstance(row, (list, tuple)) and len(row) == 3:
                found.append(Problem(str(row[0]), str(row[1]), message_value(row[2])))
        return found

    def mark_gone(self, seen_keys: set[str]) -> list[str]:
        """Mark every recording not among ``seen_keys`` as gone from the archive (its row, hash and labels
        stay, for the record; its audio is no longer reported as present). Returns the keys marked."""
        gone_msg = Message.of("case.gone")
        conn = self.connection()
        stale = [key for (key,) in conn.execute("SELECT key FROM recordings") if key not in seen_keys]
        recs = []
        for item in self.items(stale):
            rec = item.rec
            if rec.extra.get("gone"):
                continue
            rec.extra = {**rec.extra, "gone": True}
            rec.problem = gone_msg
            recs.append(rec)
        self.put_recordings(recs)
        return [r.key for r in recs]

    def sources(self) -> Sources:
        """The archives last recorded by :meth:`set_sources` (empty before)."""
        conn = self.connection()
        paths = [p for (p,) in conn.execute("SELECT path FROM sources ORDER BY position")]
        row = conn.execute("SELECT value FROM case_info WHERE name = 'identity'").fetchone()
        return Sources(paths, "" if row is None else row[0])

    # ----------------------------------------------------------------- transcripts (issue 10)
    # Kept apart from the recordings: vendor and PDF rows by recording key, machine rows by content hash
    # and engine, so speech-to-text never overwrites the vendor's words and a new model adds rows.

    def put_transcripts(self, rows: Iterable[Transcript]) -> None:
        data = [(t.subject, t.source, t.engine, t.text, t.words_json(), t.language, t.confidence,
                 int(t.low_confidence), t.status, to_json(t.location), now_text()) for t in rows]
        if data:
            with self.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO transcripts VALUES (?,?,?,?,?,?,?,?,?,?,?)", data)

    def transcripts(self, subjects: Iterable[str] | None = None, source: str | None = None,
                    engine: str | None = None) -> list[Transcript]:
        """Transcript rows, optionally only of ``subjects``, one ``source`` and one ``engine``."""
        where, args = [], []
        if source is not None:
            where.append("source = ?")
            args.append(source)
        if engine is not None:
            where.append("engine = ?")
            args.append(engine)
        sql = "SELECT * FROM transcripts" + (" WHERE " + " AND ".join(where) if where else "")
        conn = self.connection()
        if subjects is None:
            rows = conn.execute(sql, args).fetchall()
        else:
            rows = []
            glue = " AND " if where else " WHERE "
            for part in _chunks(list(dict.fromkeys(subjects))):
                rows += conn.execute(f"{sql}{glue}subject IN ({_marks(len(part))})", [*args, *part]).fetchall()
        return [_transcript_from(r) for r in rows]

    def _with_machine(self, items: list[CaseItem], every: bool = False) -> list[CaseItem]:
        """Attach to each item the machine transcript of its audio (the newest row with words), no words
        loaded: the list, search and the Words view need the text, the detail view asks for the words."""
        shas = {i.rec.sha256 for i in items if i.rec.sha256}
        if not shas:
            return items
        sql = ("SELECT subject, engine, text, language, confidence, low_confidence FROM transcripts "
               "WHERE source = 'machine' AND status = ''")
        conn = self.connection()
        rows = []
        if every:
            rows = conn.execute(sql + " ORDER BY created_at").fetchall()
        else:
            for part in _chunks([f"sha256:{s}" for s in shas]):
                rows += conn.execute(f"{sql} AND subject IN ({_marks(len(part))}) ORDER BY created_at", part).fetchall()
        if not rows:
            return items
        found = {}
        for subject, engine, text, language, conf, low in rows:
            found[subject[7:]] = Transcript(subject, "machine", engine, text, [], language, conf, bool(low))
        for i in items:
            i.machine = found.get(i.rec.sha256)
        return items

    def transcript_subjects(self, source: str, engine: str) -> set[str]:
        """Subjects that already have a row of ``source`` from ``engine`` (what speech-to-text may skip)."""
        sql = "SELECT subject FROM transcripts WHERE source = ? AND engine = ?"
        return {s for (s,) in self.connection().execute(sql, (source, engine))}


_N_REC = len(REC_COLUMNS)
_N_LABEL = len(LABEL_COLUMNS)


def _item_from(row: tuple) -> CaseItem:
    rec = recording_from(row)
    flag, role, note = row[_N_REC : _N_REC + _N_LABEL]
    voice_key = row[_N_REC + _N_LABEL]
    voice = None if voice_key is None else voice_from(voice_key, row[_N_REC + _N_LABEL + 1 :])
    return CaseItem(rec, label_from(rec.key, flag, role, note), voice)


def _transcript_from(row: tuple) -> Transcript:
    subject, source, engine, text, words, language, confidence, low, status, location, _at = row
    return Transcript(subject, source, engine, text, [tuple(w) for w in from_json(words or "[]")], language,
                      confidence, bool(low), status, from_json(location or "{}"))
