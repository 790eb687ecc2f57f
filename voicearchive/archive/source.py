"""One read-only view over evidence: folders, zips, Takeout parts and one level of nested zip.

``Tree.open(paths)`` lists every regular file of every path given, merged and sorted by path.
Nothing is ever extracted or written: members are streamed from the folder or zip they live in.

Safety limits (chosen for voice-assistant archives, where audio barely compresses):

* ``MAX_ENTRY_BYTES`` (4 GiB): the largest uncompressed zip entry accepted (a RIFF WAV's own limit).
* ``MAX_ZIP_TOTAL_BYTES`` (64 GiB): the largest declared uncompressed total of one zip. Takeout parts
  are at most 50 GB and their MP3s do not compress, so a real part stays below it.
* ``MAX_RATIO`` (100:1) is judged on every entry. Real microphone audio deflates about 1.1-3:1 (MP3,
  Opus and AAC not at all) and even a quiet room's noise floor stays far below 100:1; only digital silence
  deflates about 1000:1. An entry up to ``RATIO_FLOOR_BYTES`` (4 MiB, two minutes of 16 kHz 16-bit mono)
  passes at any ratio, so a short silent clip is read, but all such high-ratio entries of one zip together
  may declare at most ``HIGH_RATIO_BUDGET_BYTES`` (256 MiB); the rest are reported, not read.
* ``MAX_NESTED_ZIP_BYTES`` (256 MiB): a compressed zip inside a zip is read into memory to be opened;
  larger ones are reported, not opened. A zip file inside a folder, or stored uncompressed inside a
  zip, is read in place, whatever its size.
* Deeper nesting than one zip inside the archive is reported, never followed.
* A stream that yields more bytes than its member declared stops with ``MemberError``.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import threading
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, Iterator, Sequence

from voicearchive.archive.streams import (
    ArchiveError,
    CappedReader,
    MemberError,
    SizeMismatch,
    Window,
    open_regular,
    special_kind,
    entry_start,
    human_size,
    reason,
    utc_from_ns,
    zip_member_name,
    zip_mtime,
)
from voicearchive.archive.names import exact_fs_name
from voicearchive.messages import Message
from voicearchive.model import Problem

__all__ = ["ArchiveError", "HEAD_BYTES", "MAX_MEMBER_BYTES", "Member", "MemberError", "NESTED_SEP", "Tree"]

MAX_ENTRY_BYTES = 4 << 30
MAX_ZIP_TOTAL_BYTES = 64 << 30
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 4 << 20
HIGH_RATIO_BUDGET_BYTES = 256 << 20
MAX_NESTED_ZIP_BYTES = 256 << 20
MAX_MEMBER_BYTES = 512 << 20  # default cap of Tree.read (a whole member in memory)
HEAD_BYTES = 64  # bytes of every member read once while listing (sniffing, nested-zip detection)

NESTED_SEP = "!/"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Member:
    container: str  # absolute path on disk of the folder or zip this member was read from
    path: str  # POSIX path inside it; a member of a nested zip: "inner.zip!/a/b.wav"
    size: int  # uncompressed bytes
    mtime: datetime | None  # aware UTC (a zip entry's local time without a UTC extra field is taken as UTC)
    fingerprint: str  # cheap identity for caches without reading content
    # the exact bytes of ``path`` as stored on disk or in the zip (``path`` escapes those that are not UTF-8)
    raw: bytes = field(default=b"", compare=False, repr=False)

    def __hash__(self) -> int:  # (container, path) identifies a member; hashing the rest is wasted work
        return hash((self.container, self.path))

    @property
    def name(self) -> str:
        """The file name (last path component)."""
        return self.path.rsplit("/", 1)[-1]


@dataclass
class _FileLoc:
    fs_path: str
    ident: tuple[int, int, int] | None = None  # (st_dev, st_ino, st_mtime_ns) when listed: a swap is refused


@dataclass
class _ZipLoc:
    zip_key: str  # key of the opened zip in Tree._zips
    info: zipfile.ZipInfo


def _bomb_reason(info: zipfile.ZipInfo) -> str | Message | None:
    if info.file_size > MAX_ENTRY_BYTES:
        return Message.of("archive.zip_entry_size", size=info.file_size, limit=human_size(MAX_ENTRY_BYTES))
    return None


def _high_ratio(info: zipfile.ZipInfo) -> bool:
    return info.file_size > MAX_RATIO * max(info.compress_size, 1)


def _ratio_problem(info: zipfile.ZipInfo) -> Message:
    return Message.of(
        "archive.zip_ratio",
        ratio=info.file_size // max(info.compress_size, 1),
        limit=MAX_RATIO,
        compressed=info.compress_size,
        size=info.file_size,
    )


def _zip_special(info: zipfile.ZipInfo) -> Message | None:
    """A link, FIFO, device or socket stored in a zip (Unix mode in the external attributes)."""
    mode = info.external_attr >> 16
    if info.create_system != 3 or not mode or stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_IFMT(mode) == 0:
        return None
    return Message.of("archive.zip_special", kind=special_kind(mode))


class _ClassOrInstance:
    """A method that does one thing when called on the class and another on an instance."""

    def __init__(self, on_class: classmethod, on_instance):  # type: ignore[no-untyped-def]
        self._on_class, self._on_instance = on_class, on_instance

    def __get__(self, obj: object, owner: type):  # type: ignore[no-untyped-def]
        if obj is None:
            return self._on_class.__get__(obj, owner)
        return self._on_instance.__get__(obj, owner)


class Tree:
    """The merged, sorted list of regular files under one or more folders or zips."""

    def __init__(self, roots: list[str]):
        self.roots = roots
        self.problems: list[Problem] = []
        self._members: dict[tuple[str, str], Member] = {}
        self._locs: dict[tuple[str, str], _FileLoc | _ZipLoc] = {}
        self._heads: dict[tuple[str, str], bytes] = {}
        self._zips: dict[str, zipfile.ZipFile] = {}
        self._nested: dict[str, Member] = {}  # zip key -> the (unlisted) member that holds a nested zip
        self._nested_cache: tuple[str, zipfile.ZipFile] | None = None
        self._sorted: list[Member] | None = None
        self._lock = threading.Lock()
        self._folders: set[str] = set()
        self._raw_zips: dict[str, BinaryIO] = {}  # plain handles of zips on disk, for fast head reads
        self._root_files: list[BinaryIO] = []  # the handles the root zips were opened from
        self._listing = True  # while listing, heads are read straight from zips on disk

    # ------------------------------------------------------------------ opening

    @classmethod
    def from_paths(cls, paths: Sequence[str | os.PathLike] | str | os.PathLike) -> "Tree":
        """List every path given (folders and zips). Raises ``ArchiveError`` if none can be opened."""
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        if not paths:
            raise ArchiveError(Message.of("archive.root_none"))
        roots = [os.path.abspath(os.fspath(p)) for p in paths]
        tree = cls(roots)
        failures: list[Message | str] = []
        for root in dict.fromkeys(roots):
            try:
                tree._add_root(root)
            except ArchiveError as exc:
                failures.append(exc.message)
                tree.problems.append(Problem(root, "", exc.message))
        if len(failures) == len(set(roots)):
            tree.close()
            message = failures[-1]
            for earlier in reversed(failures[:-1]):
                message = Message.of("archive.roots_failed", first=earlier, rest=message)
            raise ArchiveError(message)
        tree._open_nested()
        return tree

    def _add_root(self, root: str) -> None:
        try:
            st = os.stat(root)
        except FileNotFoundError:
            raise ArchiveError(Message.of("archive.root_missing", root=root)) from None
        except OSError as exc:
            raise ArchiveError(Message.of("archive.root_unreadable", root=root, reason=reason(exc))) from None
        if stat.S_ISDIR(st.st_mode):
            self._folders.add(root)
            self._walk(root)
        elif stat.S_ISREG(st.st_mode):
            try:
                handle = open_regular(root, root)  # a FIFO swapped in since the stat never blocks
                self._root_files.append(handle)
                zf = zipfile.ZipFile(handle)
            except MemberError as exc:
                raise ArchiveError(Message.of("archive.root_member", root=root, reason=exc.reason)) from None
            except zipfile.BadZipFile:
                raise ArchiveError(Message.of("archive.root_not_zip", root=root)) from None
            except OSError as exc:
                raise ArchiveError(Message.of("archive.root_unreadable", root=root, reason=reason(exc))) from None
            except Exception as exc:  # zipfile raises assorted errors on corrupt central directories
                raise ArchiveError(Message.of("archive.root_corrupt_zip", root=root, reason=reason(exc))) from None
            self._zips[root] = zf
            self._add_zip(zf, container=root, prefix="", zip_key=root)
        else:
            raise ArchiveError(Message.of("archive.root_not_archive", root=root))

    def _walk(self, root: str) -> None:
        """List a folder with ``os.scandir``, never following a symbolic link.

        Every link is a Problem naming its target: one pointing outside the roots is never read, and
        one pointing inside is not needed (its target is listed under its own path, once). FIFOs,
        devices and sockets are Problems too. A folder reached twice (a bind mount) is listed once.
        """
        top = os.stat(root)
        seen: set[tuple[int, int]] = {(top.st_dev, top.st_ino)}
        stack: list[tuple[str, str]] = [(root, "")]  # fs path, relative path (surrogate-escaped)
        while stack:
            fs_dir, rel_dir = stack.pop()
            try:
                with os.scandir(fs_dir) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                if not rel_dir:
                    raise ArchiveError(Message.of("archive.root_folder_unreadable", root=root, reason=reason(exc))) from None
                self.problems.append(
                    Problem(root, exact_fs_name(rel_dir), Message.of("archive.folder_unreadable", reason=reason(exc)))
                )
                continue
            for entry in reversed(entries):  # (popped in name order)
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    self.problems.append(Problem(root, exact_fs_name(rel), Message.of("archive.unreadable", reason=reason(exc))))
                    continue
                if stat.S_ISLNK(st.st_mode):
                    self.problems.append(Problem(root, exact_fs_name(rel), self._link_message(root, entry.path)))
                elif stat.S_ISDIR(st.st_mode):
                    ident = (st.st_dev, st.st_ino)
                    if ident not in seen:
                        seen.add(ident)
                        stack.append((entry.path, rel))
                elif stat.S_ISREG(st.st_mode):
                    raw = os.fsencode(rel)
                    self._put(
                        Member(
                            container=root,
                            path=exact_fs_name(rel),
                            size=st.st_size,
                            mtime=utc_from_ns(st.st_mtime_ns),
                            # ctime and inode too: a rewrite with a restored mtime changes ctime
                            fingerprint=f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}",
                            raw=raw,
                        ),
                        _FileLoc(entry.path, (st.st_dev, st.st_ino, st.st_mtime_ns)),
                    )
                else:
                    kind = special_kind(st.st_mode)
                    self.problems.append(Problem(root, exact_fs_name(rel), Message.of("archive.not_regular", kind=kind)))

    def _link_message(self, root: str, fs_path: str) -> Message:
        """The Problem of one symbolic link: loop, dangling, or where it points (never followed)."""
        try:
            target = exact_fs_name(os.readlink(fs_path))
        except OSError:
            target = "?"
        try:
            os.stat(fs_path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return Message.of("archive.link_loop")
            return Message.of("archive.link_dangling", target=target)
        real = os.path.realpath(fs_path)
        for base in self.roots:
            real_base = os.path.realpath(base)
            if os.path.isdir(real_base) and (real == real_base or real.startswith(real_base.rstrip(os.sep) + os.sep)):
                if real == real_base or os.path.realpath(os.path.dirname(fs_path)).startswith(real + os.sep):
                    return Message.of("archive.link_loop")
                return Message.of("archive.link_inside", target=target)
        return Message.of("archive.link_outside", target=target)

    def _add_zip(self, zf: zipfile.ZipFile, container: str, prefix: str, zip_key: str) -> list[Member]:
        """List a zip's entries under ``prefix`` (``""`` or ``"inner.zip!/"``); return the members added."""
        added: list[Member] = []
        infos = zf.infolist()
        total = sum(i.file_size for i in infos if not i.is_dir())
        where = prefix[: -len(NESTED_SEP)] if prefix else ""
        if total > MAX_ZIP_TOTAL_BYTES:
            self.problems.append(
                Problem(
                    container,
                    where,
                    Message.of("archive.zip_total", size=total, limit=human_size(MAX_ZIP_TOTAL_BYTES)),
                )
            )
            return added
        names = [prefix + zip_member_name(info) for info in infos]
        counts: dict[str, int] = {}
        for name in names:
            counts[name] = counts.get(name, 0) + 1
        copies: dict[str, int] = {}
        high_ratio_total = 0
        for info, path in zip(infos, names):
            if counts[path] > 1:
                copies[path] = copies.get(path, 0) + 1
                listed = path if copies[path] == 1 else self._unique_path(container, f"{path} (copy {copies[path]})")
                self.problems.append(
                    Problem(container, path, Message.of("archive.zip_duplicate", n=counts[path], i=copies[path], path=listed))
                )
                path = listed
            if "\x00" in info.orig_filename:
                self.problems.append(Problem(container, path, Message.of("archive.zip_nul", path=path)))
            if info.is_dir():
                if info.file_size or info.compress_size:
                    self.problems.append(Problem(container, path, Message.of("archive.zip_dir_data", size=info.file_size)))
                continue
            special = _zip_special(info)
            if special is not None:
                self.problems.append(Problem(container, path, special))
                continue
            if info.flag_bits & 0x1:
                self.problems.append(Problem(container, path, Message.of("archive.zip_encrypted")))
                continue
            bomb = _bomb_reason(info)
            if bomb is None and _high_ratio(info):
                high_ratio_total += info.file_size
                if info.file_size > RATIO_FLOOR_BYTES or high_ratio_total > HIGH_RATIO_BUDGET_BYTES:
                    bomb = _ratio_problem(info)
            if bomb:
                self.problems.append(Problem(container, path, bomb))
                continue
            member = Member(
                container=container,
                path=path,
                size=info.file_size,
                mtime=zip_mtime(info),
                fingerprint="%08x:%d:%04d-%02d-%02d-%02d-%02d-%02d" % (info.CRC, info.file_size, *info.date_time),
                raw=_raw_zip_name(info),
            )
            self._put(member, _ZipLoc(zip_key, info))
            added.append(self._members[(container, member.path)])
        return added

    def _unique_path(self, container: str, path: str) -> str:
        candidate, n = path, 1
        while (container, candidate) in self._members:
            n += 1
            candidate = f"{path} ({n})"
        return candidate

    def _put(self, member: Member, loc: _FileLoc | _ZipLoc) -> None:
        key = (member.container, member.path)
        if key in self._members:  # an escaped name that reads like a real one: both stay, apart
            path = self._unique_path(member.container, member.path)
            self.problems.append(Problem(member.container, member.path, Message.of("archive.name_collision", path=path)))
            member = Member(member.container, path, member.size, member.mtime, member.fingerprint, member.raw)
            key = (member.container, path)
        self._members[key] = member
        self._locs[key] = loc
        self._sorted = None

    def _read_head(self, member: Member) -> bytes | None:
        """Read and cache ``member``'s first bytes; on failure drop it with a Problem."""
        try:
            head = self._read_start(member, HEAD_BYTES)
        except MemberError as exc:
            self._drop(member, exc.reason)
            return None
        self._heads[(member.container, member.path)] = head
        return head

    def _open_nested(self) -> None:
        """Read every member's head once; open zips found inside the archive (one level only)."""
        for member in list(self._members.values()):
            head = self._read_head(member)
            if head is None:
                continue
            if head[:4] in _ZIP_MAGICS:
                self._open_inner_zip(member)
            elif member.name.lower().endswith(".zip") and member.size:
                self.problems.append(Problem(member.container, member.path, Message.of("archive.fake_zip")))
        self._listing = False
        self._close_raw_zips()

    def _load_inner_zip(self, member: Member) -> zipfile.ZipFile:
        """Open the zip held by ``member``: in place for a file on disk or a stored (uncompressed) entry
        of a zip on disk, else from memory."""
        loc = self._locs[(member.container, member.path)]
        try:
            if isinstance(loc, _FileLoc):
                return zipfile.ZipFile(open_regular(loc.fs_path, member.path, loc.ident))
            if loc.info.compress_type == zipfile.ZIP_STORED and loc.zip_key in self._zips:
                return zipfile.ZipFile(Window.of_stored_entry(loc.zip_key, loc.info))
            if member.size > MAX_NESTED_ZIP_BYTES:
                raise MemberError(
                    member.path,
                    Message.of("archive.nested_too_large", limit=human_size(MAX_NESTED_ZIP_BYTES)),
                )
            return zipfile.ZipFile(io.BytesIO(self.read(member, MAX_NESTED_ZIP_BYTES)))
        except MemberError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
            raise MemberError(
                member.path, Message.of("archive.nested_unreadable", reason=reason(exc))
            ) from None

    def _open_inner_zip(self, member: Member) -> None:
        try:
            zf = self._load_inner_zip(member)
        except MemberError as exc:
            self._drop(member, exc.reason)
            return
        zip_key = f"{member.container}{NESTED_SEP}{member.path}"
        self._nested[zip_key] = member
        self._cache_nested(zip_key, zf)
        self._drop(member, None)
        for inner in self._add_zip(zf, container=member.container, prefix=member.path + NESTED_SEP, zip_key=zip_key):
            head = self._read_head(inner)
            if head is not None and head[:4] in _ZIP_MAGICS:
                self._drop(inner, Message.of("archive.nested_deep"))

    def _cache_nested(self, zip_key: str, zf: zipfile.ZipFile) -> None:
        """Keep one nested zip open at a time (members are read in path order, so this rarely swaps)."""
        if self._nested_cache and self._nested_cache[0] != zip_key:
            self._nested_cache[1].close()
        self._nested_cache = (zip_key, zf)

    def _drop(self, member: Member, message: str | None) -> None:
        """Remove ``member`` from the listing, reporting ``message`` as a Problem when given."""
        key = (member.container, member.path)
        self._members.pop(key, None)
        self._heads.pop(key, None)
        self._sorted = None
        if message:
            self.problems.append(Problem(member.container, member.path, message))

    # ------------------------------------------------------------------ reading

    def members(self) -> list[Member]:
        """Every regular file, merged across parts, sorted by path (then container)."""
        if self._sorted is None:
            self._sorted = sorted(self._members.values(), key=lambda m: (m.path, m.container))
        return list(self._sorted)

    def member(self, container: str, path: str) -> Member | None:
        return self._members.get((container, path))

    def is_folder(self, container: str) -> bool:
        """True if ``container`` is a folder on disk (not a zip)."""
        return container in self._folders

    def _zipfile(self, zip_key: str) -> zipfile.ZipFile:
        zf = self._zips.get(zip_key)
        if zf is not None:
            return zf
        with self._lock:
            if self._nested_cache and self._nested_cache[0] == zip_key:
                return self._nested_cache[1]
            zf = self._load_inner_zip(self._nested[zip_key])
            self._cache_nested(zip_key, zf)
            return zf

    def _open_raw(self, m: Member, buffered: bool = True) -> BinaryIO:
        """``m`` as a size-capped stream; unbuffered reads fetch no more than asked (for heads)."""
        loc = self._locs.get((m.container, m.path))
        if loc is None:
            raise MemberError(m.path, Message.of("archive.not_in_archive"))
        try:
            if isinstance(loc, _FileLoc):
                raw: BinaryIO = open_regular(loc.fs_path, m.path, loc.ident)
            else:
                raw = self._zipfile(loc.zip_key).open(loc.info)
        except MemberError:
            raise
        except (OSError, zipfile.BadZipFile, EOFError, RuntimeError, ValueError, KeyError) as exc:
            raise MemberError(m.path, Message.of("archive.unreadable", reason=reason(exc))) from None
        capped = CappedReader(raw, m.size, m.path)
        return io.BufferedReader(capped, _CHUNK) if buffered else capped  # type: ignore[return-value]

    def open_member(self, m: Member) -> BinaryIO:
        """A streaming, size-capped reader of ``m``. Raises ``MemberError`` with a clear message."""
        return self._open_raw(m)

    # ``Tree.open(paths)`` lists an archive; ``tree.open(member)`` streams a member.
    open = _ClassOrInstance(from_paths, open_member)  # noqa: A003

    def read(self, m: Member, limit: int = MAX_MEMBER_BYTES) -> bytes:
        """All bytes of ``m``; ``MemberError`` if it is larger than ``limit``."""
        if m.size > limit:
            raise MemberError(m.path, Message.of("archive.too_large", size=m.size, limit=limit))
        with self._open_raw(m) as f:
            return f.read()

    def head(self, m: Member, n: int = HEAD_BYTES) -> bytes:
        """The first ``n`` bytes of ``m`` (the first ``HEAD_BYTES`` are cached from listing)."""
        cached = self._heads.get((m.container, m.path))
        if cached is not None and (n <= len(cached) or len(cached) < HEAD_BYTES):
            return cached[:n]
        return self._read_start(m, n)

    def _read_start(self, m: Member, n: int) -> bytes:
        """The first ``n`` bytes of ``m``, reading no further than needed."""
        loc = self._locs.get((m.container, m.path))
        if isinstance(loc, _FileLoc):  # fast path for the 100,000-file folder
            try:
                with open_regular(loc.fs_path, m.path, loc.ident) as f:
                    return f.read(min(n, m.size))
            except OSError as exc:
                raise MemberError(m.path, Message.of("archive.unreadable", reason=reason(exc))) from None
        if isinstance(loc, _ZipLoc) and loc.zip_key in self._zips and self._listing:
            try:
                head = self._zip_entry_start(loc, min(n, m.size))
            except SizeMismatch as exc:
                raise MemberError(
                    m.path, Message.of("archive.local_size_differs", declared=exc.declared, local=exc.local)
                ) from None
            if head is not None:
                return head
        parts: list[bytes] = []
        with self._open_raw(m, buffered=False) as f:
            while n > 0 and (data := f.read(n)):
                parts.append(data)
                n -= len(data)
        return b"".join(parts)

    def _zip_entry_start(self, loc: _ZipLoc, n: int) -> bytes | None:
        """The first ``n`` bytes of an entry of a zip on disk, or None to take the general path."""
        with self._lock:
            f = self._raw_zips.get(loc.zip_key)
            try:
                if f is None:
                    f = self._raw_zips[loc.zip_key] = io.BufferedReader(open_regular(loc.zip_key, loc.zip_key))  # type: ignore[arg-type]
            except (OSError, MemberError):
                return None
            return entry_start(f, loc.info, n)

    def iter_chunks(self, m: Member, chunk: int = _CHUNK) -> Iterator[bytes]:
        """Stream ``m`` in chunks (for hashing while reading)."""
        with self._open_raw(m) as f:
            while data := f.read(chunk):
                yield data

    def hash_member(self, m: Member, head_bytes: int = _CHUNK) -> tuple[str, bytes]:
        """SHA-256 of ``m``, streamed in 1 MiB chunks (memory stays bounded whatever its size), and its
        first ``head_bytes`` bytes (for probing). Raises ``MemberError``."""
        h = hashlib.sha256()
        head = bytearray()
        for chunk in self.iter_chunks(m):
            if len(head) < head_bytes:
                head += chunk[: head_bytes - len(head)]
            h.update(chunk)
        return h.hexdigest(), bytes(head)

    def identity(self) -> str:
        """A stable hex id of what was opened: absolute paths, and the size of each zip given.

        A folder contributes its path only, so adding a file to it keeps the same case file.
        """
        h = hashlib.sha256()
        for root in sorted(set(self.roots)):
            try:
                size = os.path.getsize(root) if os.path.isfile(root) else -1
            except OSError:
                size = -2
            h.update(f"{root}\0{size}\n".encode("utf-8", "surrogateescape"))
        return h.hexdigest()[:32]

    def close(self) -> None:
        for zf in self._zips.values():
            zf.close()
        self._zips.clear()
        for f in self._root_files:
            f.close()
        self._root_files.clear()
        self._close_raw_zips()
        if self._nested_cache:
            self._nested_cache[1].close()
            self._nested_cache = None

    def _close_raw_zips(self) -> None:
        with self._lock:
            for f in self._raw_zips.values():
                f.close()
            self._raw_zips.clear()

    def __enter__(self) -> "Tree":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _raw_zip_name(info: zipfile.ZipInfo) -> bytes:
    """The entry name's bytes as stored (UTF-8 when flagged, else the cp437 bytes zipfile decoded)."""
    name = info.orig_filename
    try:
        return name.encode("utf-8") if info.flag_bits & 0x800 else name.encode("cp437")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape")
