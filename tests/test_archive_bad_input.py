"""Bad input: each bad file gives a clear Problem, the rest is read, and the evidence never changes."""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.archive_fixtures import (
    audio_bytes,
    make_home_assistant,
    mycroft_entries,
    set_declared_size,
    set_encrypted,
    tree_digest,
    wav_bytes,
    write,
    write_zip,
    zip_bytes,
    zip_with_raw_names,
)
from voicearchive.archive import ArchiveError, MemberError, Tree, open_archive, source
from voicearchive.archive.names import shown_name
from voicearchive.model import Problem, Recording


def _items(paths) -> tuple[list[Recording], dict[str, str]]:
    with open_archive(paths) as reader:
        items = list(reader.items())
    recs = [i for i in items if isinstance(i, Recording)]
    problems = {i.member_path: str(i.message) for i in items if isinstance(i, Problem)}
    assert all(isinstance(i, (Recording, Problem)) for i in items)
    return recs, problems


def _one_line(problems: dict[str, str]) -> None:
    for message in problems.values():
        assert message and "\n" not in message and "Traceback" not in message


# ---------------------------------------------------------------------------- bad audio


def test_truncated_empty_mislabelled_and_random_files(tmp_path: Path) -> None:
    root = tmp_path / "pile"
    good = wav_bytes()
    write(root / "good.wav", good)
    write(root / "truncated.wav", good[:30])  # a header with no samples: still audio, the decoder judges it
    write(root / "empty.wav", b"")
    write(root / "random.mp3", bytes(range(7, 256, 3)) * 4)
    write(root / "noise.bin", bytes((i * 37) % 256 for i in range(4096)))
    write(root / "page.m4a", b"<!DOCTYPE html><title>404</title>")
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(40)
    write(root / "__MACOSX/._good.wav", apple_double)  # a Mac's resource fork: not evidence of anything
    write(root / "._truncated.wav", apple_double)
    recs, problems = _items([root])
    assert sorted(r.member_path for r in recs) == ["good.wav", "truncated.wav"]
    assert problems["empty.wav"] == "named like audio but is not (is empty)"
    assert problems["random.mp3"].startswith("named like audio but is not (starts with bytes 07 0a 0d")
    assert problems["page.m4a"].startswith('named like audio but is not (starts with text "<!DOCTYPE')
    assert "noise.bin" not in problems  # not named like audio: ignored silently
    assert "__MACOSX/._good.wav" not in problems and "._truncated.wav" not in problems
    _one_line(problems)


# ---------------------------------------------------------------------------- hostile zips


def test_encrypted_entries_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    data = zip_bytes({"secret.wav": wav_bytes(), "open.wav": wav_bytes(freq=300.0)})
    z = write(tmp_path / "locked.zip", set_encrypted(data, {"secret.wav"}))
    assert zipfile.ZipFile(z).getinfo("secret.wav").flag_bits & 1
    recs, problems = _items([z])
    assert [r.member_path for r in recs] == ["open.wav"]
    assert problems == {"secret.wav": "encrypted (password-protected) entry: not read"}


def test_zip_bomb_ratio_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "RATIO_FLOOR_BYTES", 1 << 20)  # keep the fixture small
    zeros = b"\0" * (3 << 20)  # 3 MiB of zeros deflate to about 3 KiB: ratio ~1000
    silent = wav_bytes(0.5)[:44] + b"\0" * (512 << 10)  # a short silent WAV: compresses well, but is small
    z = write_zip(tmp_path / "bomb.zip", {"bomb.wav": zeros, "silence.wav": silent, "ok.wav": wav_bytes()})
    recs, problems = _items([z])
    assert sorted(r.member_path for r in recs) == ["ok.wav", "silence.wav"]
    assert "over the 100:1 limit" in problems["bomb.wav"] and "zip bomb" in problems["bomb.wav"]


def test_zip_bomb_declared_sizes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = zip_bytes({"huge.wav": wav_bytes(), "ok.wav": wav_bytes()})
    z = write(tmp_path / "liar.zip", set_declared_size(data, "huge.wav", 0xFFFF0000))  # 4 GiB from 8 KB
    recs, problems = _items([z])
    assert [r.member_path for r in recs] == ["ok.wav"]
    assert "zip bomb" in problems["huge.wav"]

    monkeypatch.setattr(source, "MAX_ENTRY_BYTES", 5_000)  # the per-entry cap, scaled down
    recs, problems = _items([write_zip(tmp_path / "entry.zip", {"big.wav": wav_bytes(0.5), "small.wav": wav_bytes(0.05)})])
    assert [r.member_path for r in recs] == ["small.wav"]
    assert problems["big.wav"].startswith("entry declares 16,044 bytes, over the")

    monkeypatch.setattr(source, "MAX_ZIP_TOTAL_BYTES", 10_000)  # the total cap, scaled down
    z2 = write_zip(tmp_path / "total.zip", {f"{i}.wav": wav_bytes() for i in range(3)})
    recs, problems = _items([z2])
    assert recs == [] and "uncompressed bytes" in problems[""] and "zip bomb" in problems[""]


def test_entry_longer_than_declared_never_yields_more(tmp_path: Path) -> None:
    body = wav_bytes(1.0)
    data = zip_bytes({"a.wav": body, "b.wav": body}, zipfile.ZIP_STORED)
    z = write(tmp_path / "short.zip", set_declared_size(data, "a.wav", 2000))
    with Tree.open([z]) as tree:  # the directory and the local header disagree: not taken as the truth
        assert tree.member(str(z), "a.wav") is None
        assert [str(p.message) for p in tree.problems] == [
            f"the zip's directory declares 2,000 bytes, its local header {len(body):,}: not read"
        ]
        assert tree.read(tree.member(str(z), "b.wav")) == body
    forged = set_declared_size(data, "a.wav", 2000, crc=zlib.crc32(body[:2000]))
    z2 = write(tmp_path / "forged.zip", forged)
    with Tree.open([z2]) as tree:
        assert tree.member(str(z2), "a.wav") is None


def test_zip_nested_three_deep_follows_one_level(tmp_path: Path) -> None:
    deep = zip_bytes({"deepest.wav": wav_bytes()})
    mid = zip_bytes({"level2.wav": wav_bytes(), "deep.zip": deep})
    z = write_zip(tmp_path / "outer.zip", {"level1.wav": wav_bytes(), "mid.zip": mid})
    recs, problems = _items([z])
    assert sorted(r.member_path for r in recs) == ["level1.wav", "mid.zip!/level2.wav"]
    assert problems == {"mid.zip!/deep.zip": "zip nested more than one level deep: not opened"}
    assert sorted(r.key for r in recs) == ["outer.zip/level1.wav", "outer.zip/mid.zip!/level2.wav"]


def test_bad_nested_zips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good_inner = zip_bytes({"in.wav": wav_bytes()})
    z = write_zip(tmp_path / "outer.zip", {
        "cut.zip": good_inner[:-30],
        "fake.zip": b"this is no zip",
        "big.zip": good_inner,
        "a.wav": wav_bytes(),
    })
    monkeypatch.setattr(source, "MAX_NESTED_ZIP_BYTES", len(good_inner) - 1)
    recs, problems = _items([z])
    assert [r.member_path for r in recs] == ["a.wav"]
    assert problems["cut.zip"].startswith("zip inside the archive cannot be opened")
    assert problems["fake.zip"] == "named .zip but is not a zip"
    assert problems["big.zip"].startswith("zip inside the archive is larger than")


def test_non_utf8_member_names_are_read(tmp_path: Path) -> None:
    names = ["Grüße/2021-03-04 12:34:56.wav".encode("cp437"), "Bäcker – Ansage.wav".encode("cp1252")]
    z = write(tmp_path / "names.zip", zip_with_raw_names([(n, wav_bytes()) for n in names]))
    recs, problems = _items([z])
    assert problems == {}
    assert sorted(r.member_path for r in recs) == sorted(n.decode("cp437") for n in names)
    dated = next(r for r in recs if r.member_path.startswith("Grüße"))
    assert dated.recorded_at is not None and dated.recorded_at.year == 2021


# ---------------------------------------------------------------------------- folders


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_loops_and_dangling_links(tmp_path: Path) -> None:
    root = tmp_path / "evidence"
    write(root / "a/one.wav", wav_bytes())
    os.symlink("..", root / "a/up")  # loop to an ancestor
    os.symlink("self", root / "self")  # a link to itself (ELOOP)
    os.symlink("missing.wav", root / "gone.wav")
    os.symlink("a", root / "alias")  # a second way to reach a/: a/ is listed once, under its own name
    os.symlink("a/one.wav", root / "same.wav")
    outside = write(tmp_path / "elsewhere/two.wav", wav_bytes(freq=330.0))
    write(tmp_path / "elsewhere/dir/three.wav", wav_bytes(freq=440.0))
    os.symlink(outside, root / "linked.wav")  # a link out of the evidence: never followed
    os.symlink(tmp_path / "elsewhere/dir", root / "dirlink")
    os.symlink("..", root / "loop")  # the parent of the evidence: outside it
    recs, problems = _items([root])
    assert sorted(r.member_path for r in recs) == ["a/one.wav"]
    assert problems["a/up"] == "symbolic link loop: not followed"
    assert problems["self"] == "symbolic link loop: not followed"
    assert problems["gone.wav"] == "dangling symbolic link (to missing.wav): not followed"
    assert problems["alias"].startswith("symbolic link to a, inside the evidence: not followed")
    assert problems["same.wav"].startswith("symbolic link to a/one.wav, inside the evidence: not followed")
    assert problems["linked.wav"] == f"symbolic link to {outside}, outside the evidence: not followed"
    assert problems["dirlink"].endswith("outside the evidence: not followed")
    assert problems["loop"] == "symbolic link to .., outside the evidence: not followed"


def test_unreadable_files_and_folders(tmp_path: Path) -> None:
    root = tmp_path / "evidence"
    write(root / "ok.wav", wav_bytes())
    locked = write(root / "locked.wav", wav_bytes())
    write(root / "closed/inside.wav", wav_bytes())
    locked.chmod(0)
    (root / "closed").chmod(0)
    try:
        recs, problems = _items([root])
    finally:
        locked.chmod(0o644)
        (root / "closed").chmod(0o755)
    paths = sorted(r.member_path for r in recs)
    assert "ok.wav" in paths
    if os.geteuid() != 0:  # root reads everything; then only "no crash" is asserted
        assert paths == ["ok.wav"]
        assert problems["locked.wav"].startswith("cannot be read (Permission denied")
        assert problems["closed"].startswith("folder cannot be read (Permission denied")


def test_evidence_is_unchanged_after_import(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    make_home_assistant(evidence / "ha")
    for name, data in mycroft_entries().items():
        write(evidence / "mycroft" / name, data)
    write_zip(evidence / "leak.zip", {"x/a.wav": wav_bytes(), "in.zip": zip_bytes({"b.flac": audio_bytes("FLAC")})})
    write(evidence / "bad.mp3", b"nope")
    os.symlink("ha", evidence / "ha-link")
    zips = [write_zip(tmp_path / f"takeout-20260412T081523Z-00{i}.zip", {f"Takeout/{i}.mp3": audio_bytes("MP3")}) for i in (1, 2)]
    before = tree_digest(tmp_path)
    stats_before = {p: os.stat(p, follow_symlinks=False).st_mtime_ns for p in [evidence, *zips]}
    for paths in ([evidence], zips):
        with open_archive(paths) as reader:
            for item in reader.items():
                if isinstance(item, Recording):
                    m = reader.tree.member(item.archive, item.member_path)
                    assert reader.tree.read(m)  # read every audio member fully
    assert tree_digest(tmp_path) == before  # same files, same bytes, nothing new beside them
    assert {p: os.stat(p, follow_symlinks=False).st_mtime_ns for p in [evidence, *zips]} == stats_before


def test_unreadable_root_folder(tmp_path: Path) -> None:
    root = tmp_path / "closed"
    write(root / "a.wav", wav_bytes())
    root.chmod(0)
    try:
        if os.geteuid() == 0:  # root reads it anyway: only "no crash"
            with open_archive([root]) as reader:
                assert [m.path for m in reader.listing.members] == ["a.wav"]
        else:
            with pytest.raises(ArchiveError, match="folder cannot be read"):
                open_archive([root])
    finally:
        root.chmod(0o755)


def test_non_utf8_file_names_on_disk(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    root.mkdir()
    raw = os.path.join(os.fsencode(root), "Käse.wav".encode("cp1252"))
    try:
        with open(raw, "wb") as f:
            f.write(wav_bytes())
    except OSError:
        pytest.skip("this file system refuses non-UTF-8 names")
    recs, problems = _items([root])
    assert problems == {}
    assert [r.member_path for r in recs] == ["K\\xe4se.wav"]  # the exact name, its byte escaped
    assert shown_name(recs[0].member_path) == "Käse.wav"
    with open_archive([root]) as reader:
        m = reader.listing.members[0]
        assert reader.tree.read(m) == wav_bytes()


def test_unsupported_compression_method_is_a_problem(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"a.wav": wav_bytes(), "b.wav": wav_bytes()}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        local = zf.getinfo("a.wav").header_offset
        start = zf.start_dir
    data[local + 8 : local + 10] = (9).to_bytes(2, "little")  # Deflate64, as Windows writes for big files
    data[start + 10 : start + 12] = (9).to_bytes(2, "little")  # the first central entry is a.wav
    z = write(tmp_path / "windows.zip", bytes(data))
    recs, problems = _items([z])
    assert [r.member_path for r in recs] == ["b.wav"]
    assert problems["a.wav"].startswith("cannot be read (")
