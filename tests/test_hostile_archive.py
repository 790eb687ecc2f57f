"""Issue 9, archive and audio layers: each audited defect rebuilt from its own input.

Item numbers refer to the audit (issue 9). Every test here failed before its fix.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.archive_fixtures import audio_bytes, set_declared_size, wav_bytes, write, write_zip, zip_bytes, zip_with_raw_names
from tests.vendor_fixtures import activity_html, google_json
from voicearchive.archive import MemberError, Tree, open_archive, source
from voicearchive.archive.names import name_bytes, shown_name
from voicearchive.audio import decode as decode_mod
from voicearchive.audio.decode import DecodeError, decode, probe
from voicearchive.audio.stream import open_blocks
from voicearchive.messages import Message, render
from voicearchive.model import ALEXA_HISTORY, GOOGLE_TAKEOUT, LOOSE, Problem, Recording


def _scan(paths) -> tuple[str, list[Recording], dict[str, str]]:
    with open_archive(paths) as reader:
        items = list(reader.items())
        fmt = reader.source_format
    recs = [i for i in items if isinstance(i, Recording)]
    problems = {i.member_path: str(i.message) for i in items if isinstance(i, Problem)}
    return fmt, recs, problems


def wav_header(rate: int, frames: int, channels: int = 1, bits: int = 16, data: bytes | None = None) -> bytes:
    """A plain PCM WAV with any header fields, and ``frames`` frames of a small constant."""
    body = data if data is not None else b"\x01\x00" * frames * channels
    align = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 1, channels, rate, (rate * align) & 0xFFFFFFFF, align & 0xFFFF, bits)
    return (b"RIFF" + struct.pack("<I", 36 + len(body)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", len(body)) + body)  # fmt: skip


# ---------------------------------------------------------------------------- 1: symbolic links


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_1_links_out_of_the_root_are_never_followed(tmp_path: Path) -> None:
    parent = tmp_path / "home"
    for i in range(3):
        write(parent / f"other{i}.wav", wav_bytes(freq=200.0 + i))
    ev = parent / "ev"
    write(ev / "own.wav", wav_bytes())
    secret = write(tmp_path / "elsewhere/secret.wav", wav_bytes(freq=500.0))
    write(tmp_path / "elsewhere/dir/deep.wav", wav_bytes(freq=600.0))
    os.symlink(secret, ev / "link.wav")
    os.symlink(tmp_path / "elsewhere/dir", ev / "dirlink")
    os.symlink("..", ev / "loop")
    with open_archive([ev]) as reader:
        members = reader.listing.members
        assert [m.path for m in members] == ["own.wav"]
        problems = {p.member_path: p.message for p in reader.tree.problems}
    assert set(problems) == {"link.wav", "dirlink", "loop"}
    assert all(isinstance(m, Message) and m.code == "archive.link_outside" for m in problems.values())
    assert "außerhalb" in render(problems["loop"], "de")


# ---------------------------------------------------------------------------- 4: names by exact bytes


def test_4_names_differing_only_in_encoding_are_two_members(tmp_path: Path) -> None:
    root = tmp_path / "ev"
    root.mkdir()
    utf8, latin1 = "café.wav".encode(), "café.wav".encode("latin-1")
    try:
        (Path(os.fsdecode(os.path.join(os.fsencode(root), utf8)))).write_bytes(wav_bytes(freq=300.0))
        with open(os.path.join(os.fsencode(root), latin1), "wb") as f:
            f.write(wav_bytes(freq=400.0))
    except OSError:
        pytest.skip("this file system refuses non-UTF-8 names")
    with Tree.open([root]) as tree:
        members = tree.members()
        assert sorted(m.path for m in members) == ["caf\\xe9.wav", "café.wav"]
        assert {m.raw for m in members} == {utf8, latin1}
        digests = {hashlib.sha256(tree.read(m)).hexdigest() for m in members}
        assert len(digests) == 2  # both read, each its own bytes
    assert name_bytes("caf\\xe9.wav") == latin1 and shown_name("caf\\xe9.wav") == "café.wav"
    _, recs, problems = _scan([root])
    assert problems == {} and len(recs) == 2


# ---------------------------------------------------------------------------- 5 + 18: header fields bounded


@pytest.mark.parametrize("rate", [1, 8, 999, 384_001, 1_000_000_000])
def test_5_sample_rates_out_of_bounds_are_refused_before_decoding(rate: int) -> None:
    data = wav_header(rate, 200_000)
    for fn in (probe, lambda d: decode(d)[2]):
        with pytest.raises(DecodeError) as err:
            fn(data)
        assert isinstance(err.value.message, Message) and err.value.message.code == "archive.audio_rate_bounds"
        assert "Hz" in str(err.value)


def test_5_channel_count_is_bounded() -> None:
    data = wav_header(16000, 10, channels=1)
    data = data[:22] + struct.pack("<H", 4000) + data[24:]
    with pytest.raises(DecodeError, match="channels"):
        probe(data)


def test_5_decoded_length_is_capped_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode_mod, "MAX_DECODE_FRAMES", 16000)
    samples, rate, facts = decode(wav_bytes(3.0))
    assert samples.size == 16000 and facts.duration_s == pytest.approx(3.0)
    assert facts.note is not None and facts.note.code == "archive.audio_too_long"
    samples, _, facts = decode(wav_bytes(0.5))
    assert samples.size == 8000 and facts.note is None


def test_18_truncated_ogg_is_noted() -> None:
    for subtype in ("VORBIS", "OPUS"):
        whole = audio_bytes("OGG", seconds=2.0, subtype=subtype)
        assert probe(whole).note is None
        cut = whole[: len(whole) * 2 // 3]
        facts = probe(cut)
        assert facts.note is not None and facts.note.code == "archive.audio_truncated"
        assert "truncated" in str(facts.note)
        assert decode(cut)[2].note is not None


def test_18_size_declared_by_the_directory_is_not_taken_as_truth(tmp_path: Path) -> None:
    body = wav_bytes(1.0)
    z = write(tmp_path / "liar.zip", set_declared_size(zip_bytes({"a.wav": body, "b.wav": body}), "a.wav", 10_000_000))
    with Tree.open([z]) as tree:
        assert tree.member(str(z), "a.wav") is None  # never shown as a 10 MB member
        assert any(p.member_path == "a.wav" and "10,000,000" in str(p) for p in tree.problems)


def test_18_a_member_shorter_than_declared_fails_when_read(tmp_path: Path) -> None:
    f = write(tmp_path / "ev/a.wav", wav_bytes())
    with Tree.open([tmp_path / "ev"]) as tree:
        m = tree.members()[0]
        before = f.stat()
        with open(f, "r+b") as fh:  # shrinks in place (same inode, mtime restored) after listing
            fh.truncate(100)
        os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))
        with pytest.raises(MemberError, match="holds 100 bytes"):
            tree.read(m)


# ---------------------------------------------------------------------------- 7 + 20: FIFOs, devices, swaps


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_7_a_file_swapped_for_a_fifo_after_listing_is_refused_without_hanging(tmp_path: Path) -> None:
    root = tmp_path / "ev"
    target = write(root / "a.wav", wav_bytes())
    write(root / "b.wav", wav_bytes())
    outside = write(tmp_path / "secret.wav", wav_bytes(freq=700.0))
    with Tree.open([root]) as tree:
        a, b = tree.members()
        target.unlink()
        os.mkfifo(target)
        (root / "b.wav").unlink()
        os.symlink(outside, root / "b.wav")
        result: list[object] = []
        worker = threading.Thread(target=lambda: result.append(_try_read(tree, a)), daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), "reading a FIFO hung"
        assert isinstance(result[0], MemberError) and "named pipe" in str(result[0])
        assert isinstance(_try_read(tree, b), MemberError)  # a link swapped in: not followed
        os.unlink(root / "b.wav")
        write(root / "b.wav", wav_bytes(freq=900.0))  # another file under the same name
        err = _try_read(tree, b)
        assert isinstance(err, MemberError) and "replaced" in str(err)


def _try_read(tree: Tree, m) -> object:
    try:
        return tree.read(m)
    except MemberError as exc:
        return exc


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_20_fifos_and_sockets_in_a_folder_are_problems(tmp_path: Path) -> None:
    import socket

    root = tmp_path / "ev"
    write(root / "a.wav", wav_bytes())
    os.mkfifo(root / "pipe.wav")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(root / "s.wav"))
    except OSError:
        pass
    try:
        _, recs, problems = _scan([root])
    finally:
        sock.close()
    assert [r.member_path for r in recs] == ["a.wav"]
    assert "named pipe" in problems["pipe.wav"]
    if (root / "s.wav").exists():
        assert "socket" in problems["s.wav"]


# ---------------------------------------------------------------------------- 9: ratio on every entry


def test_9_compression_ratio_is_judged_on_every_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zeros = b"\0" * (8 << 20)  # 8 MiB of zeros: ratio ~1000, far below the old 256 MiB threshold
    silent = wav_bytes(0.5)[:44] + b"\0" * (256 << 10)  # a short silent clip passes at any ratio
    z = write_zip(tmp_path / "bomb.zip", {"zeros.wav": zeros, "silent.wav": silent, "ok.wav": wav_bytes()})
    _, recs, problems = _scan([z])
    assert sorted(r.member_path for r in recs) == ["ok.wav", "silent.wav"]
    assert "zip bomb" in problems["zeros.wav"]
    # many small high-ratio entries together: the budget stops them
    monkeypatch.setattr(source, "HIGH_RATIO_BUDGET_BYTES", 600 << 10)
    z2 = write_zip(tmp_path / "many.zip", {f"s{i}.wav": silent for i in range(4)})
    _, recs, problems = _scan([z2])
    assert len(recs) == 2 and len(problems) == 2


# ---------------------------------------------------------------------------- 12: Takeout parts by content


def test_12_takeout_parts_with_same_path_and_size_are_both_read(tmp_path: Path) -> None:
    mp3 = audio_bytes("MP3")
    folder = "Takeout/My Activity/Assistant"
    items = []
    for said, name in (("lights on", "2018-01-01_10_00_00_000_UTC.mp3"), ("lights of", "2018-01-02_10_00_00_000_UTC.mp3")):
        items.append([{"header": "Assistant", "title": f"Said {said}", "time": "2018-01-01T10:00:00.000Z",
                       "audioFiles": [name], "products": ["Assistant"]}])  # fmt: skip
    j1, j2 = google_json(items[0]), google_json(items[1])
    assert len(j1) == len(j2) and j1 != j2
    p1 = write_zip(tmp_path / "takeout-1-001.zip", {f"{folder}/MyActivity.json": j1, f"{folder}/{items[0][0]['audioFiles'][0]}": mp3})
    p2 = write_zip(tmp_path / "takeout-1-002.zip", {f"{folder}/MyActivity.json": j2, f"{folder}/{items[1][0]['audioFiles'][0]}": mp3})
    fmt, recs, _ = _scan([p1, p2])
    assert fmt == GOOGLE_TAKEOUT
    assert sorted(r.transcript for r in recs if r.has_audio) == ["lights of", "lights on"]


# ---------------------------------------------------------------------------- 14 + 20: zip names exact


def test_14_zip_names_are_kept_exactly(tmp_path: Path) -> None:
    names = ["/etc/x.wav", "etc/x.wav", "a\\..\\..\\y.wav", "//server/share/u.wav"]
    z = write_zip(tmp_path / "names.zip", {n: wav_bytes(freq=200.0 + 50 * i) for i, n in enumerate(names)})
    with Tree.open([z]) as tree:
        assert sorted(m.path for m in tree.members()) == sorted(names)
        digests = {hashlib.sha256(tree.read(m)).hexdigest() for m in tree.members()}
        assert len(digests) == 4
        assert tree.problems == []


def test_20_duplicate_entries_are_each_listed_and_hashed(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.wav", wav_bytes(freq=300.0))
        with pytest.warns(UserWarning):
            zf.writestr("a.wav", wav_bytes(freq=400.0))
    z = write(tmp_path / "dup.zip", buf.getvalue())
    with Tree.open([z]) as tree:
        members = tree.members()
        assert [m.path for m in members] == ["a.wav", "a.wav (copy 2)"]
        assert len({hashlib.sha256(tree.read(m)).hexdigest() for m in members}) == 2
        assert [p.message.code for p in tree.problems] == ["archive.zip_duplicate"] * 2


def test_20_folder_entries_with_data_nul_names_and_special_modes(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok.wav", wav_bytes())
        zf.writestr(zipfile.ZipInfo("dir/"), b"hidden data inside a folder entry")
        for name, mode in (("link.wav", stat.S_IFLNK | 0o777), ("fifo.wav", stat.S_IFIFO | 0o644)):
            info = zipfile.ZipInfo(name)
            info.create_system, info.external_attr = 3, mode << 16
            zf.writestr(info, b"/etc/passwd")
    z = write(tmp_path / "odd.zip", buf.getvalue())
    nul = write(tmp_path / "nul.zip", zip_with_raw_names([(b"cut\0.wav.exe", wav_bytes(freq=500.0))]))
    with Tree.open([z, nul]) as tree:
        paths = sorted(m.path for m in tree.members())
        problems = {p.member_path: p.message for p in tree.problems}
    assert paths == ["cut\\x00.wav.exe", "ok.wav"]  # the whole name, its NUL escaped
    assert problems["dir/"].code == "archive.zip_dir_data"
    assert problems["cut\\x00.wav.exe"].code == "archive.zip_nul"
    assert "symbolic link" in str(problems["link.wav"]) and "named pipe" in str(problems["fifo.wav"])


# ---------------------------------------------------------------------------- 21 + 22: text sources


def test_21_script_and_style_never_reach_the_transcript(tmp_path: Path) -> None:
    folder = tmp_path / "Takeout" / "My Activity" / "Assistant"
    page = activity_html([("Assistant", "hello there", "", ["Assistant"], [], "Mar 8, 2018, 5:14:40 PM UTC")])
    page = page.replace("Said&nbsp;", "<script>alert('pwned')</script><style>.x{color:red}</style>Said&nbsp;")
    write(folder / "MyActivity.html", page.encode())
    _, recs, _ = _scan([tmp_path])
    texts = " ".join(r.transcript + " " + r.assistant_response for r in recs)
    assert "hello there" in texts and "pwned" not in texts and "color" not in texts


def test_22_broken_history_json_does_not_change_how_the_folder_is_read(tmp_path: Path) -> None:
    root = tmp_path / "leak"
    write(root / "good1.wav", wav_bytes())
    write(root / "good2.wav", wav_bytes(freq=300.0))
    write(root / "transcripts.csv", "file,text\ngood1.wav,Alexa, wie wird das Wetter?\ngood2.wav,Licht an\n".encode())
    write(root / "broken.json", b'{"customerHistoryRecords": [ {"oops" ')
    fmt, recs, problems = _scan([root])
    assert fmt != ALEXA_HISTORY
    by_path = {r.member_path: r for r in recs}
    assert by_path["good1.wav"].transcript == "Alexa, wie wird das Wetter?"
    assert by_path["good2.wav"].transcript == "Licht an"
    assert by_path["good1.wav"].source_format == LOOSE


# ---------------------------------------------------------------------------- 9 (audio part): blocks


def test_9_stream_decoder_reads_long_wavs_in_bounded_blocks() -> None:
    rate, seconds = 8000, 20
    x = (0.25 * np.sin(np.arange(rate * seconds) / 7.0)).astype(np.float32)
    pcm = (np.stack([x, x], 1) * 32767).astype("<i2").tobytes()
    data = wav_header(rate, 0, channels=2, data=pcm)
    stream = open_blocks(io.BytesIO(data), block_seconds=1.0)
    assert stream.rate == rate and stream.facts.duration_s == pytest.approx(seconds)
    sizes = [b.size for b in stream.blocks()]
    assert max(sizes) == rate and sum(sizes) == rate * seconds
    assert stream.sha256() == hashlib.sha256(data).hexdigest()
    with pytest.raises(DecodeError):
        open_blocks(io.BytesIO(wav_header(1, 100)))


def test_9_members_are_hashed_in_a_streaming_way(tmp_path: Path) -> None:
    data = wav_bytes(2.0)
    z = write_zip(tmp_path / "a.zip", {"a.wav": data})
    with Tree.open([z]) as tree:
        digest, head = tree.hash_member(tree.members()[0], head_bytes=100)
    assert digest == hashlib.sha256(data).hexdigest() and head == data[:100]


def test_21_script_in_the_alexa_legacy_page_is_not_a_transcript() -> None:
    from voicearchive.archive.alexa_records import legacy_html_entries

    page = ('<audio id="audio-A1"></audio><div class="summaryCss">“turn <script>alert(1)</script>on '
            '<style>.a{color:red}</style>the light”</div>')  # fmt: skip
    assert [e.transcript for e in legacy_html_entries(page, "x.html")] == ["turn on the light"]


def test_4_an_escaped_name_never_hides_a_real_one(tmp_path: Path) -> None:
    root = tmp_path / "ev"
    root.mkdir()
    try:
        with open(os.path.join(os.fsencode(root), "café.wav".encode("latin-1")), "wb") as f:
            f.write(wav_bytes(freq=400.0))
    except OSError:
        pytest.skip("this file system refuses non-UTF-8 names")
    write(root / "caf\\xe9.wav", wav_bytes(freq=300.0))  # a real name holding a backslash, x, e, 9
    with Tree.open([root]) as tree:
        assert sorted(m.path for m in tree.members()) == ["caf\\xe9.wav", "caf\\xe9.wav (2)"]
        assert [p.message.code for p in tree.problems] == ["archive.name_collision"]
        assert len({tree.read(m) for m in tree.members()}) == 2
