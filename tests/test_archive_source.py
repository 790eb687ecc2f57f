"""Tree (folders, zips, Takeout parts, nested zips), sniffing, Listing and open_archive."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.archive_fixtures import (
    audio_bytes,
    ffmpeg_bytes,
    wav_bytes,
    write,
    write_zip,
    zip_bytes,
    zip_with_raw_names,
)
from voicearchive.archive import ArchiveError, ArchiveReader, Importer, MemberError, Tree, importers, open_archive
from voicearchive.archive.base import Listing, member_key
from voicearchive.archive.loose import time_from_name
from voicearchive.archive.sniff import AUDIO_KINDS, audio_kind, text_kind
from voicearchive.model import LOOSE, Problem, Recording

# ---------------------------------------------------------------------------- Tree over folders and zips


def test_folder_members_sorted_with_fingerprint_and_streams(tmp_path: Path) -> None:
    root = tmp_path / "evidence"
    a = write(root / "b/second.wav", wav_bytes())
    write(root / "a.txt", b"hello")
    os.utime(a, ns=(1_600_000_000_000_000_000, 1_600_000_000_123_456_789))
    with Tree.open([root]) as tree:
        assert tree.roots == [str(root)]
        assert [m.path for m in tree.members()] == ["a.txt", "b/second.wav"]
        m = tree.member(str(root), "b/second.wav")
        assert m is not None and m.container == str(root) and m.size == a.stat().st_size
        st = a.stat()  # ctime and inode too: a rewrite that restores the mtime still changes the fingerprint
        assert m.fingerprint == f"{m.size}:1600000000123456789:{st.st_ctime_ns}:{st.st_ino}"
        assert m.mtime is not None and m.mtime.year == 2020 and m.mtime.tzinfo is not None
        assert tree.read(m) == a.read_bytes()
        assert tree.head(m, 4) == b"RIFF"
        with tree.open(m) as f:
            assert f.read(12)[8:] == b"WAVE"
        assert tree.problems == []


def test_zip_members_have_crc_fingerprint_and_stream(tmp_path: Path) -> None:
    data = wav_bytes()
    z = write_zip(tmp_path / "leak.zip", {"rec/one.wav": data, "rec/": b"", "notes.txt": b"x"})
    with Tree.open([z]) as tree:
        assert [m.path for m in tree.members()] == ["notes.txt", "rec/one.wav"]
        m = tree.member(str(z), "rec/one.wav")
        assert m is not None and m.size == len(data)
        info = zipfile.ZipFile(z).getinfo("rec/one.wav")
        assert m.fingerprint.startswith(f"{info.CRC:08x}:{len(data)}:2021-03-04")
        assert m.mtime is not None and (m.mtime.year, m.mtime.month, m.mtime.day) == (2021, 3, 4)
        assert tree.read(m) == data
        chunks = list(tree.iter_chunks(m, 1000))
        assert b"".join(chunks) == data and len(chunks) > 1


def test_takeout_parts_merge_and_keep_duplicates_apart(tmp_path: Path) -> None:
    p1 = write_zip(tmp_path / "takeout-20260412T081523Z-001.zip", {
        "Takeout/My Activity/Assistant/MyActivity.json": b"[]",
        "Takeout/archive_browser.html": b"<html>one</html>",
    })
    p2 = write_zip(tmp_path / "takeout-20260412T081523Z-002.zip", {
        "Takeout/My Activity/Assistant/2018-04-16_11_42_55_659_UTC.mp3": audio_bytes("MP3"),
        "Takeout/archive_browser.html": b"<html>two</html>",
    })
    with Tree.open([p1, p2]) as tree:
        paths = [m.path for m in tree.members()]
        assert paths == sorted(paths)
        assert paths.count("Takeout/archive_browser.html") == 2
        assert tree.read(tree.member(str(p1), "Takeout/archive_browser.html")) == b"<html>one</html>"
        assert tree.read(tree.member(str(p2), "Takeout/archive_browser.html")) == b"<html>two</html>"
        assert tree.member(str(p1), "Takeout/My Activity/Assistant/2018-04-16_11_42_55_659_UTC.mp3") is None
        assert tree.member(str(p2), "Takeout/My Activity/Assistant/2018-04-16_11_42_55_659_UTC.mp3") is not None
        with Tree.open([p1]) as part_one:
            assert tree.identity() != part_one.identity()


def test_identity_is_stable_and_names_what_was_opened(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "a.wav", wav_bytes())
    first = Tree.open([root]).identity()
    write(root / "b.wav", wav_bytes())  # adding a file to a folder keeps its case file
    assert Tree.open([str(root)]).identity() == first
    assert len(first) == 32 and int(first, 16) >= 0
    other = tmp_path / "e"
    other.mkdir()
    assert Tree.open([other]).identity() != first


def test_nested_zip_one_level_in_zip_and_in_folder(tmp_path: Path) -> None:
    inner = zip_bytes({"x/inner.wav": wav_bytes(freq=300.0)})
    outer = write_zip(tmp_path / "outer.zip", {"top.wav": wav_bytes(), "dump/in.zip": inner, "disguised.bin": inner})
    with Tree.open([outer]) as tree:
        paths = {m.path for m in tree.members()}
        assert paths == {"top.wav", "dump/in.zip!/x/inner.wav", "disguised.bin!/x/inner.wav"}
        m = tree.member(str(outer), "dump/in.zip!/x/inner.wav")
        assert tree.read(m) == wav_bytes(freq=300.0)
        # reading members of two nested zips alternately works (the nested cache swaps)
        d = tree.member(str(outer), "disguised.bin!/x/inner.wav")
        assert tree.read(d) == tree.read(m) == tree.read(d)
    folder = tmp_path / "folder"
    write_zip(folder / "leak.zip", {"a.wav": wav_bytes()})
    with Tree.open([folder]) as tree:
        assert [m.path for m in tree.members()] == ["leak.zip!/a.wav"]
        assert tree.members()[0].container == str(folder)


def test_utf8_names_without_flag_are_read_as_utf8(tmp_path: Path) -> None:
    german = "Takeout/Meine Aktivitäten/Assistant/MeineAktivitäten.json"
    z = write(tmp_path / "t.zip", zip_with_raw_names([(german.encode("utf-8"), b"[]")]))
    assert not zipfile.ZipFile(z).infolist()[0].flag_bits & 0x800
    with Tree.open([z]) as tree:
        assert [m.path for m in tree.members()] == [german]
        assert tree.read(tree.members()[0]) == b"[]"


def test_cp437_and_cp1252_names_are_listed_and_readable(tmp_path: Path) -> None:
    cp437 = "Grüße/Ansage.wav".encode("cp437")
    cp1252 = "Käse/Bäcker.wav".encode("cp1252")
    z = write(tmp_path / "old.zip", zip_with_raw_names([(cp437, wav_bytes()), (cp1252, wav_bytes(freq=330.0))]))
    with Tree.open([z]) as tree:
        paths = [m.path for m in tree.members()]
        assert "Grüße/Ansage.wav" in paths  # cp437, as zipfile decodes it
        assert cp1252.decode("cp437") in paths  # cp1252 bytes cannot be told from cp437: shown as cp437
        for m in tree.members():
            assert tree.head(m, 4) == b"RIFF"


def test_archive_error_when_nothing_opens(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no such file or folder"):
        Tree.open([tmp_path / "missing"])
    plain = write(tmp_path / "notes.txt", b"just text")
    with pytest.raises(ArchiveError, match="not a folder or a readable zip"):
        Tree.open([plain])
    good = zip_bytes({"a.wav": wav_bytes()})
    broken = write(tmp_path / "broken.zip", good[:-10])  # end of central directory cut off
    with pytest.raises(ArchiveError) as err:
        Tree.open([broken])
    assert "\n" not in str(err.value) and "broken.zip" in str(err.value)
    with pytest.raises(ArchiveError):
        Tree.open([])


def test_one_bad_path_among_good_ones_is_a_problem(tmp_path: Path) -> None:
    good = write_zip(tmp_path / "takeout-001.zip", {"a.wav": wav_bytes()})
    with Tree.open([good, tmp_path / "takeout-002.zip"]) as tree:
        assert [m.path for m in tree.members()] == ["a.wav"]
        assert len(tree.problems) == 1 and "takeout-002.zip" in tree.problems[0].archive


def test_stream_longer_than_declared_stops_with_member_error(tmp_path: Path) -> None:
    root = tmp_path / "d"
    f = write(root / "grows.wav", wav_bytes())
    with Tree.open([root]) as tree:
        m = tree.members()[0]
        before = f.stat()
        with open(f, "ab") as out:
            out.write(b"\0" * 5000)
        with pytest.raises(MemberError, match="changed since it was listed"):
            tree.read(m)
        os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))  # a restored mtime does not hide it
        with pytest.raises(MemberError, match="more bytes than its declared size"):
            tree.read(m)
        with pytest.raises(MemberError, match="too large"):
            tree.read(m, limit=10)


def test_member_error_for_a_file_gone_after_listing(tmp_path: Path) -> None:
    root = tmp_path / "d"
    f = write(root / "a.wav", wav_bytes())
    with Tree.open([root]) as tree:
        f.unlink()
        m = tree.members()[0]
        assert tree.head(m, 4) == b"RIFF"  # cached while listing
        with pytest.raises(MemberError) as err:
            tree.read(m)
        assert isinstance(err.value, ValueError) and "a.wav" in str(err.value)


def test_many_files_list_without_reading_more_than_their_heads(tmp_path: Path) -> None:
    root = tmp_path / "many"
    for i in range(300):
        write(root / f"d{i % 7}/f{i:04d}.wav", wav_bytes(0.05) if i % 3 == 0 else b"x" * 100)
    with Tree.open([root]) as tree:
        members = tree.members()
        assert len(members) == 300
        assert all(len(tree._heads[(m.container, m.path)]) <= 64 for m in members)


# ---------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("fmt", "subtype", "kind"),
    [
        ("WAV", "PCM_16", "wav"),
        ("WAV", "FLOAT", "wav"),
        ("RF64", "PCM_16", "wav"),
        ("FLAC", None, "flac"),
        ("OGG", "VORBIS", "ogg/vorbis"),
        ("OGG", "OPUS", "ogg/opus"),
        ("MP3", "MPEG_LAYER_III", "mp3"),
        ("AIFF", "PCM_16", "aiff"),
        ("CAF", "PCM_16", "caf"),
        ("AU", "PCM_16", "au"),
        ("W64", "PCM_16", "w64"),
        ("WAVEX", "PCM_16", "wav"),
    ],
)
def test_audio_kind_of_real_encodings(fmt: str, subtype: str | None, kind: str) -> None:
    assert audio_kind(audio_bytes(fmt, subtype=subtype)[:64]) == kind


@pytest.mark.parametrize(
    ("container", "args", "kind"),
    [
        ("mp3", ("-ar", "16000", "-ac", "1", "-b:a", "24k", "-write_xing", "0", "-id3v2_version", "0"), "mp3"),
        ("mp3", ("-ar", "8000", "-ac", "1", "-b:a", "8k", "-write_xing", "0", "-id3v2_version", "0"), "mp3"),
        ("mp3", ("-ar", "16000", "-ac", "1", "-b:a", "24k", "-id3v2_version", "3"), "mp3"),
        ("ipod", ("-c:a", "aac", "-b:a", "32k", "-movflags", "frag_keyframe+empty_moov"), "m4a"),
        ("mp4", ("-c:a", "aac", "-b:a", "32k", "-movflags", "frag_keyframe+empty_moov"), "mp4"),
        ("3gp", ("-ar", "8000", "-c:a", "aac", "-b:a", "16k", "-movflags", "frag_keyframe+empty_moov"), "3gp"),
        ("ogg", ("-c:a", "flac"), "ogg/flac"),
        ("ogg", ("-ar", "16000", "-c:a", "libspeex"), "ogg/speex"),
        ("adts", ("-c:a", "aac", "-b:a", "32k"), "aac"),
        ("webm", ("-c:a", "libopus"), "webm"),
    ],
)
def test_audio_kind_of_ffmpeg_encodings(container: str, args: tuple[str, ...], kind: str) -> None:
    data = ffmpeg_bytes(container, *args)
    if data is None:
        pytest.skip(f"ffmpeg cannot write {container} here")
    assert audio_kind(data[:64]) == kind


def test_audio_kind_of_headers_no_encoder_here_writes() -> None:
    assert audio_kind(b"#!AMR\n\x3c\x91\x17\x16\xbe\x66\x78\x00") == "amr"
    assert audio_kind(b"#!AMR-WB\n\x24\x00") == "amr"
    asf = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + bytes(8)
    assert audio_kind(asf) == "asf"
    mkv = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska"
    assert audio_kind(mkv) == "mkv"


def test_audio_kind_wave_with_extra_chunks_first() -> None:
    wav = bytearray(wav_bytes())
    junk = b"JUNK" + (28).to_bytes(4, "little") + bytes(28)
    odd = bytes(wav[:12]) + junk + bytes(wav[12:])
    assert audio_kind(odd[:64]) == "wav"
    assert audio_kind(b"RIFF\xff\xff\xff\xffWAVEbext") == "wav"  # streamed WAV with unknown length


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"RIFF\x00\x00\x00\x00AVI LIST",
        bytes(range(64)),
        b"\xff\xfeh\x00e\x00l\x00l\x00o\x00",  # UTF-16 text: its BOM looks like an MPEG Layer I sync
        b"\xff\xff\xff\xff\xff\xff",  # reserved bitrate index
        b"\xff\xf3\xfc\xc4",  # bad bitrate (15)
        b"\xff\xf3\x3c\xc4",  # reserved sample rate (3)
        b"\xff\xeb\x38\xc4",  # reserved MPEG version
        b"\xff\xd8\xff\xe0\x00\x10JFIF",  # a JPEG
        b"ID3\xff\x00\x00\x00\x00\x00\x00",  # invalid ID3 version
        b"OggSx",
        b"PK\x03\x04",
        b"hello, world\n",
    ],
)
def test_audio_kind_near_misses(head: bytes) -> None:
    assert audio_kind(head) is None


def test_audio_kind_random_bytes_rarely_claimed() -> None:
    import random

    rng = random.Random(7)
    hits = sum(audio_kind(bytes(rng.getrandbits(8) for _ in range(64))) is not None for _ in range(2000))
    assert hits < 10


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b'[{"header":"Assistant","title":"Said hi"}]', "json"),
        (b'\xef\xbb\xbf  {"customerHistoryRecords":[', "json"),
        (b"%PDF-1.7\n%\xe2\xe3", "pdf"),
        (b"<!DOCTYPE html><html><body>", "html"),
        (b"\n<html lang=de>", "html"),
        (b"\xef\xbb\xbfTimestamp,Device,Transcript\n2021-01-01", "csv"),
        (b"Zeit;Ger\xe4t;Text\r\n2021", "csv"),
        (b"a\tb\tc\n1\t2\t3\n", "csv"),
        ('Zeit;Gerät;Äußerung\n'.encode("utf-16"), "csv"),
        (b"just a sentence without separators\n", None),
        (b"\x00\x01\x02binary,,,", None),
        (b"<svg xmlns=", None),
        (bytes(range(128, 192)), None),
    ],
)
def test_text_kind(head: bytes, kind: str | None) -> None:
    assert text_kind(head) == kind


# ---------------------------------------------------------------------------- Listing and open_archive


def test_listing_sniffs_by_content_and_tracks_claims(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "a/voice.dat", wav_bytes())
    write(root / "b/voice.dat", audio_bytes("FLAC"))
    write(root / "b/table.txt", b"id,text\n1,hi\n")
    write(root / "b/song.mp3", b"not audio at all")
    with Tree.open([root]) as tree:
        listing = Listing(tree)
        audio = listing.audio_members()
        assert [m.path for m in audio] == ["a/voice.dat", "b/voice.dat"]
        assert [listing.audio_kind(m) for m in audio] == ["wav", "flac"]
        assert [m.path for m in listing.text_members("csv")] == ["b/table.txt"]
        assert [m.path for m in listing.by_basename()["voice.dat"]] == ["a/voice.dat", "b/voice.dat"]
        assert [m.path for m in listing.in_folder("b")] == ["b/song.mp3", "b/table.txt", "b/voice.dat"]
        listing.claim(audio[0])
        assert listing.is_claimed(audio[0]) and not listing.is_claimed(audio[1])
        assert audio[0] not in listing.unclaimed()
        assert member_key(audio[1]) == "d/b/voice.dat"


class _Grabby(Importer):
    """Claims the first audio member only; scores high."""

    source_format = "test-grabby"

    def detect(self, listing: Listing) -> int:
        return 99

    def items(self, listing: Listing):
        m = listing.audio_members()[0]
        yield listing.audio_recording(m, self.source_format)


class _Broken(Importer):
    source_format = "test-broken"

    def detect(self, listing: Listing) -> int:
        raise RuntimeError("detector bug")


class _Crashes(_Grabby):
    def items(self, listing: Listing):
        yield from super().items(listing)
        raise KeyError("importer bug")


def test_reader_runs_best_importer_then_lists_unclaimed_audio(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "1.wav", wav_bytes())
    write(root / "2.wav", wav_bytes(freq=330.0))
    reader = ArchiveReader(Tree.open([root]), [_Broken(), _Grabby()])
    assert reader.source_format == "test-grabby"
    items = list(reader.items())
    recs = [i for i in items if isinstance(i, Recording)]
    assert [(r.member_path, r.source_format) for r in recs] == [("1.wav", "test-grabby"), ("2.wav", LOOSE)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(problems) == 1 and "could not inspect" in str(problems[0].message)


def test_reader_survives_an_importer_that_crashes(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "1.wav", wav_bytes())
    write(root / "2.wav", wav_bytes())
    items = list(ArchiveReader(Tree.open([root]), [_Crashes()]).items())
    assert sorted(i.member_path for i in items if isinstance(i, Recording)) == ["1.wav", "2.wav"]
    assert any(isinstance(i, Problem) and "stopped early" in str(i.message) for i in items)


def test_open_archive_defaults_to_loose_and_accepts_one_path(tmp_path: Path) -> None:
    root = tmp_path / "pile"
    write(root / "x.bin", wav_bytes())
    with open_archive(root) as reader:
        assert reader.source_format == LOOSE
        assert [i.key for i in reader.items()] == ["pile/x.bin"]
    with pytest.raises(ArchiveError):
        open_archive(tmp_path / "nothing-here")


def test_items_can_be_iterated_twice(tmp_path: Path) -> None:
    root = tmp_path / "d"
    write(root / "1.wav", wav_bytes())
    write(root / "bad.wav", b"text")
    with open_archive(root) as reader:
        first = [str(i) if isinstance(i, Problem) else i.key for i in reader.items()]
        assert first == [str(i) if isinstance(i, Problem) else i.key for i in reader.items()]
        assert len(first) == 2


def test_every_importer_module_loads() -> None:
    names = {type(i).__name__ for i in importers()}
    assert {"HomeAssistantImporter", "MycroftImporter", "LooseImporter"} <= names


def test_stored_nested_zip_is_read_in_place_whatever_its_size(tmp_path: Path, monkeypatch) -> None:
    from voicearchive.archive import source

    inner = zip_bytes({"a.wav": wav_bytes(), "b.wav": wav_bytes(freq=330.0)})
    monkeypatch.setattr(source, "MAX_NESTED_ZIP_BYTES", 100)  # far below the inner zip's size
    stored = write_zip(tmp_path / "stored.zip", {"in.zip": inner}, zipfile.ZIP_STORED)
    with Tree.open([stored]) as tree:
        assert [m.path for m in tree.members()] == ["in.zip!/a.wav", "in.zip!/b.wav"]
        assert tree.read(tree.members()[1]) == wav_bytes(freq=330.0)
    deflated = write_zip(tmp_path / "deflated.zip", {"in.zip": inner})
    with Tree.open([deflated]) as tree:
        assert tree.members() == []
        assert str(tree.problems[0].message).startswith("zip inside the archive is larger than")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_sniffers_never_raise(head: bytes) -> None:
    assert audio_kind(head) in (None, *AUDIO_KINDS)
    assert text_kind(head) in (None, "json", "csv", "html", "pdf")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_time_from_name_never_raises(name: str) -> None:
    got = time_from_name(name)
    assert got is None or (got.tzinfo is not None and 1995 <= got.year <= 2100)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_open_stream_survives_a_swap_of_the_nested_zip(tmp_path: Path, compression: int) -> None:
    one, two = wav_bytes(1.0, 200.0), wav_bytes(1.0, 300.0)
    outer = write_zip(tmp_path / "outer.zip", {
        "a.zip": zip_bytes({"one.wav": one}), "b.zip": zip_bytes({"two.wav": two})
    }, compression)
    with Tree.open([outer]) as tree:
        first = tree.member(str(outer), "a.zip!/one.wav")
        with tree.open(first) as stream:
            start = stream.read(1000)
            assert tree.read(tree.member(str(outer), "b.zip!/two.wav")) == two  # swaps the cached nested zip
            assert start + stream.read() == one
