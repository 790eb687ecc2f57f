"""Issue 9, "keep them fixed": random hostile evidence trees, and the invariants that must hold for all.

Each example builds a folder with odd names (not UTF-8, backslashes, control characters), symbolic links
(out of the root, to the parent, inside, dangling), a FIFO, audio with random header fields, and zips with
exact-name traps, duplicates, nested and damaged zips. Then it checks:

* opening, listing and probing/decoding every audio member never raises anything but the documented
  errors, and each example finishes within the hypothesis deadline (no hang);
* the peak memory of the process stays bounded;
* the evidence is byte-identical afterwards;
* every regular file and every zip entry under the root is a member or named in a Problem;
* nothing outside the root is ever read.
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import stat
import struct
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.archive_fixtures import audio_bytes, wav_bytes
from voicearchive.archive import open_archive
from voicearchive.archive.names import exact_fs_name
from voicearchive.audio.decode import DecodeError, decode, probe
from voicearchive.model import Problem, Recording

_OUTSIDE = wav_bytes(0.3, freq=777.0)  # the bytes of the one file outside the root
_MEMORY_BUDGET_KB = 600 * 1024  # growth of the peak RSS allowed over the whole test

name_part = st.one_of(
    st.sampled_from(["a", "b.wav", "café", "caf\udce9", "x\\..\\y", " sp ace", "tab\tname", "ESC\x1b[2J",
                     "\u202eevil", "a.zip", "..wav", "-rf", "日本"]),  # fmt: skip
    st.text(alphabet="abcXYZ019._- ", min_size=1, max_size=8),
).filter(lambda s: s not in (".", "..") and "/" not in s and "\0" not in s)

header = st.tuples(
    st.sampled_from([0, 1, 8, 999, 8000, 16000, 44100, 384000, 384001, 10**9, 0xFFFFFFFF]),  # rate
    st.sampled_from([0, 1, 2, 6, 64, 65, 65535]),  # channels
    st.sampled_from([0, 8, 16, 24, 32, 33, 64, 65535]),  # bits
    st.sampled_from([0, 44, 1000, 0xFFFFFFFF, 0x7FFFFFFF]),  # declared data size
    st.integers(0, 4000),  # bytes actually present
)


def _wav(rate: int, channels: int, bits: int, declared: int, present: int) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, channels, rate, (rate * channels * bits // 8) & 0xFFFFFFFF,
                      (channels * bits // 8) & 0xFFFF, bits)  # fmt: skip
    return (b"RIFF" + struct.pack("<I", (36 + declared) & 0xFFFFFFFF) + b"WAVE" + b"fmt " + struct.pack("<I", 16)
            + fmt + b"data" + struct.pack("<I", declared) + bytes(range(256)) * (present // 256) + b"\x01" * (present % 256))  # fmt: skip


content = st.one_of(
    st.just(wav_bytes(0.1)),
    header.map(lambda h: _wav(*h)),
    st.binary(max_size=200),
    st.sampled_from([audio_bytes("OGG", 0.3, subtype="VORBIS")[:1500], audio_bytes("FLAC", 0.2)[:300],
                     audio_bytes("MP3", 0.2)[:-100]]),  # fmt: skip
)

zip_entry = st.tuples(
    st.one_of(name_part.filter(lambda s: s.isprintable() or "\udce9" not in s).map(lambda s: s.replace("\udce9", "\xe9")),
              st.sampled_from(["/etc/x.wav", "etc/x.wav", "//srv/s/u.wav", "a\\..\\..\\y.wav", "dir/",
                                          "dup.wav", "dup.wav"])),  # fmt: skip
    content,
)


@st.composite
def hostile_tree(draw):  # noqa: ANN201
    files = draw(st.lists(st.tuples(st.lists(name_part, min_size=1, max_size=2), content), max_size=5))
    links = draw(st.lists(st.sampled_from(["outside_file", "outside_dir", "parent", "inside", "dangling", "self"]),
                          max_size=3))  # fmt: skip
    zips = draw(st.lists(st.tuples(st.lists(zip_entry, max_size=5), st.sampled_from(["ok", "cut", "nested", "liar"])),
                         max_size=2))  # fmt: skip
    fifo = draw(st.booleans())
    return files, links, zips, fifo


def _zip(entries: list[tuple[str, bytes]], how: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
            with _quiet():
                zf.writestr(info, b"" if name.endswith("/") and how != "liar" else data)
        if how == "nested":
            zf.writestr("inner.zip", _zip([("in.wav", wav_bytes(0.1)), ("deeper.zip", _zip([("x.wav", b"x")], "ok"))], "ok"))
    data = buf.getvalue()
    if how == "cut":
        return data[: max(len(data) * 2 // 3, 10)]
    if how == "liar" and entries:
        out = bytearray(data)
        pos = out.find(b"PK\x01\x02")
        if pos >= 0:
            struct.pack_into("<I", out, pos + 24, 0x7FFFFFFF)
        return bytes(out)
    return data


class _quiet:
    def __enter__(self) -> None:
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._w.__exit__(*exc)


def _build(base: Path, spec) -> tuple[Path, Path]:  # noqa: ANN001
    files, links, zips, fifo = spec
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.wav").write_bytes(_OUTSIDE)
    root = base / "ev"
    root.mkdir()
    for parts, data in files:
        path = os.path.join(os.fsencode(root), *(os.fsencode(p) for p in parts))
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if not os.path.isdir(path):
                with open(path, "wb") as f:
                    f.write(data)
        except OSError:
            pass  # a name the file system refuses, or a file where a folder was wanted
    targets = {"outside_file": str(outside / "secret.wav"), "outside_dir": str(outside), "parent": "..",
               "inside": "ev-inside.wav", "dangling": "nowhere.wav", "self": "link-self"}  # fmt: skip
    (root / "ev-inside.wav").write_bytes(wav_bytes(0.1, freq=330.0))
    for i, kind in enumerate(links):
        name = "link-self" if kind == "self" else f"link{i}-{kind}"
        if not os.path.lexists(root / name):
            os.symlink(targets[kind], root / name)
    for i, (entries, how) in enumerate(zips):
        (root / f"z{i}.zip").write_bytes(_zip(entries, how))
    if fifo and hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.wav")
    return root, outside


def _snapshot(root: Path) -> dict[bytes, tuple]:
    """Every entry under ``root``: regular files by content hash, links by target, others by type."""
    out: dict[bytes, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st_ = os.lstat(p)
            if stat.S_ISLNK(st_.st_mode):
                out[p] = ("link", os.readlink(p))
            elif stat.S_ISREG(st_.st_mode):
                with open(p, "rb") as f:
                    out[p] = ("file", hashlib.sha256(f.read()).hexdigest(), st_.st_mtime_ns)
            else:
                out[p] = ("other", stat.S_IFMT(st_.st_mode))
    return out


@settings(max_examples=30, deadline=20_000, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=hostile_tree())
def test_hostile_trees_keep_the_invariants(spec) -> None:  # noqa: ANN001
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        root, outside = _build(Path(tmp), spec)
        before = _snapshot(Path(tmp))
        outside_digest = hashlib.sha256(_OUTSIDE).hexdigest()
        with open_archive([root]) as reader:
            items = list(reader.items())
            assert all(isinstance(i, (Recording, Problem)) for i in items)
            problems = [i for i in items if isinstance(i, Problem)]
            named = {(p.archive, p.member_path) for p in problems}
            members = reader.listing.members
            listed = {(m.container, m.path) for m in members}
            for m in members:
                try:
                    data = reader.tree.read(m, limit=1 << 20)
                except (ValueError, OSError):
                    continue  # a MemberError: a message for that member, the rest goes on
                assert hashlib.sha256(data).hexdigest() != outside_digest or m.path == "ev-inside.wav"
                if reader.listing.audio_kind(m):
                    for fn in (probe, decode):
                        try:
                            fn(data)
                        except DecodeError as exc:
                            assert str(exc)
            for r in items:
                if isinstance(r, Recording) and r.member_path:
                    assert (r.archive, r.member_path) in listed
            # every regular file on disk under the root is a member or named in a problem
            for dirpath, _dirs, filenames in os.walk(root):
                for name in filenames:
                    full = os.path.join(dirpath, name)
                    rel = exact_fs_name(os.path.relpath(full, root).replace(os.sep, "/"))
                    if os.path.islink(full) or not os.path.isfile(full) or name.endswith(".zip"):
                        assert os.path.islink(full) or name.endswith(".zip") or (str(root), rel) in named
                        continue
                    assert (str(root), rel) in listed or (str(root), rel) in named, rel
            # every zip entry is a member or named in a problem (or its zip is)
            for dirpath, _dirs, filenames in os.walk(root):
                for name in filenames:
                    if not name.endswith(".zip") or os.path.islink(os.path.join(dirpath, name)):
                        continue
                    rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                    try:
                        with zipfile.ZipFile(os.path.join(dirpath, name)) as zf:
                            names = [i.orig_filename.replace("\0", "\\x00") for i in zf.infolist() if not i.is_dir()]
                    except Exception:  # noqa: BLE001 - a zip zipfile cannot open: its problem is the zip's
                        assert any(p.member_path == rel for p in problems)
                        continue
                    if any(p.member_path == rel for p in problems):
                        continue
                    for entry in names:
                        path = f"{rel}!/{entry}"
                        assert (str(root), path) in listed or (str(root), path) in named or any(
                            p.member_path.startswith(path) for p in problems
                        ), path
        assert _snapshot(Path(tmp)) == before  # the evidence is byte-identical, nothing new beside it
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < _MEMORY_BUDGET_KB
