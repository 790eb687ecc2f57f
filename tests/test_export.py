"""CSV and evidence-zip export: exact header, BOM, round trip, formula safety, provenance, integrity."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from voicearchive import __version__
from voicearchive.export import (
    CSV_COLUMNS,
    ExportError,
    export_row,
    neutralise,
    write_csv,
    write_evidence_zip,
)
from voicearchive.model import GOOGLE_TAKEOUT, LOOSE, AudioFacts, CaseItem, Label, Recording, VoiceResult

HEADER = (
    "archive,member_path,sha256,source_format,recorded_at,device,duration_s,transcript,assistant_response,"
    "not_for_assistant,vendor_speaker_hint,voice_group,owner_similarity,owner_score,flagged,flag_reason,note,problem,"
    "transcript_source,transcript_location,machine_transcript,machine_engine,machine_confidence"
)
WHEN = datetime(2019, 10, 14, 1, 42, 14, 647000, tzinfo=timezone.utc)


def make_item(
    key: str,
    *,
    audio: bytes | None = b"",
    archive: str = "/evidence/takeout-001.zip",
    transcript: str = "turn on the lights",
    flagged: bool = False,
    note: str = "",
    similarity: float | None = 0.8123,
    when: datetime | None = WHEN,
    member_path: str | None = None,
) -> CaseItem:
    if member_path is None:
        member_path = f"Takeout/My Activity/Assistant/{key}.mp3" if audio is not None else ""
    rec = Recording(
        key=key,
        archive=archive,
        member_path=member_path,
        source_format=GOOGLE_TAKEOUT,
        sha256=hashlib.sha256(audio).hexdigest() if audio else "",
        size=len(audio or b""),
        recorded_at=when,
        device="Kitchen speaker",
        transcript=transcript,
        assistant_response="OK, turning on the lights.",
        vendor_speaker_hint="From unrecognized speaker",
        audio=AudioFacts("mp3", 16000, 1, 3.14159) if audio else None,
    )
    voice = VoiceResult(key=key, group=1, group_name="Voice B", owner_similarity=similarity, flagged=flagged,
                        flag_reason="unlike every known voice" if flagged else "")
    return CaseItem(rec, Label(key=key, note=note), voice)


def read_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_header_bom_and_crlf(tmp_path):
    out = tmp_path / "out.csv"
    assert write_csv([make_item("a")], out) == 1
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + HEADER.encode() + b"\r\n")
    assert ",".join(CSV_COLUMNS) == HEADER
    assert data.count(b"\r\n") == 2 and b"\n" not in data.replace(b"\r\n", b"")


def test_row_formats():
    row = dict(zip(CSV_COLUMNS, export_row(make_item("a", audio=b"x"))))
    assert row["recorded_at"] == "2019-10-14T01:42:14.647000Z"
    assert row["duration_s"] == "3.14"
    assert row["owner_similarity"] == "0.812"
    assert row["flagged"] == "no" and row["not_for_assistant"] == "no" and row["flag_reason"] == ""
    assert row["voice_group"] == "Voice B"
    assert row["sha256"] == hashlib.sha256(b"x").hexdigest()
    whole = make_item("b", audio=b"x", when=datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))))
    assert dict(zip(CSV_COLUMNS, export_row(whole)))["recorded_at"] == "2020-01-02T01:04:05Z"


def test_row_without_audio_voice_or_time():
    item = make_item("c", audio=None, when=None)
    item.voice = None
    item.rec.not_for_assistant = True
    item.rec.problem = "audio was deleted by the vendor"
    row = dict(zip(CSV_COLUMNS, export_row(item)))
    assert row["member_path"] == row["recorded_at"] == row["duration_s"] == row["voice_group"] == ""
    assert row["owner_similarity"] == "" and row["flagged"] == "no"
    assert row["not_for_assistant"] == "yes" and row["problem"] == "audio was deleted by the vendor"


def test_user_label_decides_flagged_and_reason():
    item = make_item("d", flagged=True)
    assert export_row(item)[CSV_COLUMNS.index("flagged")] == "yes"
    item.label.flag = False
    assert export_row(item)[CSV_COLUMNS.index("flagged")] == "no"
    item.label.flag = True
    assert export_row(item)[CSV_COLUMNS.index("flag_reason")] == "flagged by the user"


def test_round_trip_of_awkward_text(tmp_path):
    awkward = [
        'comma, "quotes" and\nnewline',
        "Küche – Licht an 💡, ß",
        "line one\r\nline two",
        'trailing quote"',
        "",
    ]
    items = [make_item(f"k{i}", transcript=t, note=t) for i, t in enumerate(awkward)]
    out = tmp_path / "awkward.csv"
    write_csv(items, out)
    rows = read_rows(out.read_bytes())
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[CSV_COLUMNS.index("transcript")] for r in rows[1:]] == awkward
    assert [r[CSV_COLUMNS.index("note")] for r in rows[1:]] == awkward
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-5 degrees outside", "'-5 degrees outside"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1+1", "'\r=1+1"),
        ("-0.125", "-0.125"),  # a plain number is not a formula
        ("what is 2+2=?", "what is 2+2=?"),
        ("", ""),
    ],
)
def test_formula_neutralisation(cell, expected):
    assert neutralise(cell) == expected


def test_formulas_neutralised_in_the_file_but_negative_similarity_kept(tmp_path):
    item = make_item("f", transcript="=cmd|' /C calc'!A0", note="@evil", similarity=-0.25)
    item.rec.device = "+device"
    out = tmp_path / "f.csv"
    write_csv([item], out)
    row = dict(zip(CSV_COLUMNS, read_rows(out.read_bytes())[1]))
    assert row["transcript"] == "'=cmd|' /C calc'!A0"
    assert row["note"] == "'@evil" and row["device"] == "'+device"
    assert row["owner_similarity"] == "-0.250"


def test_flagged_only(tmp_path):
    items = [make_item("a"), make_item("b", flagged=True), make_item("c")]
    items[2].label.flag = True
    out = tmp_path / "flagged.csv"
    assert write_csv(items, out, flagged_only=True) == 2
    rows = read_rows(out.read_bytes())
    assert [r[CSV_COLUMNS.index("member_path")].rsplit("/", 1)[1] for r in rows[1:]] == ["b.mp3", "c.mp3"]
    assert write_csv(items, out) == 3


def test_open_binary_and_text_files():
    binary = io.BytesIO()
    assert write_csv([make_item("a")], binary) == 1
    assert not binary.closed
    text = io.StringIO(newline="")
    write_csv([make_item("a")], text)
    assert text.getvalue().encode("utf-8") == binary.getvalue()


def test_atomic_replace_leaves_no_temp_files_and_is_private(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old")
    write_csv([make_item("a")], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    assert read_rows(out.read_bytes())[0] == list(CSV_COLUMNS)
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_failed_export_keeps_the_old_file(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old")

    def broken():
        yield make_item("a")
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        write_csv(broken(), out)
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_refuses_to_write_inside_the_evidence(tmp_path):
    evidence = tmp_path / "leak"
    (evidence / "sub").mkdir(parents=True)
    archive_zip = tmp_path / "takeout-001.zip"
    archive_zip.write_bytes(b"PK")
    (tmp_path / "link").symlink_to(evidence)
    before = sorted(p.name for p in evidence.rglob("*"))
    for dest in (evidence / "out.csv", evidence / "sub" / "out.csv", tmp_path / "link" / "out.csv", archive_zip):
        with pytest.raises(ExportError, match="refusing to write .* inside the evidence"):
            write_csv([make_item("a")], dest, evidence_roots=[str(evidence), str(archive_zip)])
    assert sorted(p.name for p in evidence.rglob("*")) == before
    assert archive_zip.read_bytes() == b"PK"
    beside = tmp_path / "leak-export.csv"  # a sibling whose name starts like the folder is fine
    assert write_csv([make_item("a")], beside, evidence_roots=[str(evidence)]) == 1


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_csv([make_item("a")], tmp_path / "nope" / "out.csv")


# ------------------------------------------------------------------------------------------ evidence zip


def audio_store(items: list[CaseItem], contents: dict[str, bytes]):
    def open_audio(rec: Recording):
        if rec.key not in contents:
            raise ValueError(f"{rec.member_path}: member not found")
        return io.BytesIO(contents[rec.key])

    return open_audio


def test_evidence_zip_contents_and_manifest(tmp_path):
    clips = {"a": b"ID3 first clip", "b": b"RIFF second clip", "c": b"third", "n": b""}
    items = [
        make_item("a", audio=clips["a"], flagged=True),
        make_item("b", audio=clips["b"], flagged=True, when=None, archive="/evidence/leak",
                  member_path="inner.zip!/x/b.WAV"),
        make_item("c", audio=clips["c"]),  # not flagged: stays out
        make_item("n", audio=None, flagged=True, transcript="no audio kept"),
    ]
    out = tmp_path / "evidence.zip"
    report = write_evidence_zip(items, out, audio_store(items, clips), archive_identity="abc123",
                                now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
                                voice_model="ge2e-resemblyzer-0.1.4/int8-1-tiled")
    assert report.ok and report.audio_files == 2 and report.rows == 3
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        audio = sorted(n for n in names if n.startswith("audio/"))
        assert audio == [
            f"audio/2019-10-14T01-42-14Z_{hashlib.sha256(clips['a']).hexdigest()[:12]}.mp3",
            f"audio/undated_{hashlib.sha256(clips['b']).hexdigest()[:12]}.wav",
        ]
        assert zf.read(audio[0]) == clips["a"] and zf.read(audio[1]) == clips["b"]
        assert set(names) == {*audio, "recordings.csv", "SHA256SUMS", "README.txt"}
        rows = read_rows(zf.read("recordings.csv"))
        transcripts = [r[CSV_COLUMNS.index("transcript")] for r in rows[1:]]
        assert transcripts == ["turn on the lights"] * 2 + ["no audio kept"]
        sums = zf.read("SHA256SUMS").decode("ascii").splitlines()
        assert len(sums) == 4
        for line in sums:  # sha256sum format, and every line verifies
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        readme = zf.read("README.txt").decode("utf-8")
    assert f"VoiceArchive {__version__}" in readme and "2026-01-02T03:04:05Z" in readme
    assert "abc123" in readme and "/evidence/takeout-001.zip  (not reachable at export time)" in readme
    assert "inner.zip!/x/b.WAV" in readme and "WARNING" not in readme
    assert "owner scores from the speaker model ge2e-resemblyzer-0.1.4/int8-1-tiled" in readme
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.zip"]


def test_evidence_zip_readme_says_how_the_recordings_were_flagged(tmp_path):
    items = [make_item("a", audio=b"clip", flagged=True)]
    lines = ["Voices: 2 groups: Voice A (10, owner), Voice B (10)", "  Owner: Voice A, the 10 recordings ...",
             "  threshold: 0.430 (automatic: from the owner's own scores)", "Flagged: 1 recording\u202e evil"]
    out = tmp_path / "e.zip"
    write_evidence_zip(items, out, audio_store(items, {"a": b"clip"}), voice_summary=lines)
    with zipfile.ZipFile(out) as zf:
        readme = zf.read("README.txt").decode("utf-8").split("\r\n")
    at = readme.index("How the recordings were flagged")
    assert readme[at + 2 : at + 5] == lines[:3]  # under its rule, as given
    assert readme[at + 5] == "Flagged: 1 recording\\u202e evil"  # one safe line: the bidi control made visible
    assert readme[at + 6] == "" and readme.index("Archives") == at + 7
    write_evidence_zip(items, tmp_path / "bare.zip", audio_store(items, {"a": b"clip"}))
    with zipfile.ZipFile(tmp_path / "bare.zip") as zf:
        assert "How the recordings were flagged" not in zf.read("README.txt").decode("utf-8")


def test_evidence_zip_reports_mismatch_and_unreadable_loudly(tmp_path, caplog):
    items = [make_item("a", audio=b"original bytes", flagged=True), make_item("gone", audio=b"x", flagged=True)]
    contents = {"a": b"tampered bytes"}
    out = tmp_path / "e.zip"
    report = write_evidence_zip(items, out, audio_store(items, contents))
    assert not report.ok and report.audio_files == 1
    assert len(report.mismatches) == 1 and hashlib.sha256(b"tampered bytes").hexdigest() in report.mismatches[0]
    assert len(report.missing) == 1 and "member not found" in report.missing[0]
    assert "MISMATCH" in caplog.text
    with zipfile.ZipFile(out) as zf:
        readme = zf.read("README.txt").decode("utf-8")
        assert readme.splitlines()[3].startswith("WARNING")
        assert "SHA-256 MISMATCH" in readme and "NOT INCLUDED" in readme
        (line,) = [ln for ln in zf.read("SHA256SUMS").decode().splitlines() if "audio/" in ln]
        assert line.startswith(hashlib.sha256(b"tampered bytes").hexdigest())  # the manifest tells the truth


def test_evidence_zip_unique_names_for_identical_recordings(tmp_path):
    same = b"same bytes twice"
    items = [make_item("a", audio=same, flagged=True), make_item("b", audio=same, flagged=True)]
    out = tmp_path / "e.zip"
    write_evidence_zip(items, out, audio_store(items, {"a": same, "b": same}))
    with zipfile.ZipFile(out) as zf:
        audio = [n for n in zf.namelist() if n.startswith("audio/")]
    assert len(audio) == len(set(audio)) == 2 and audio[1].endswith("-2.mp3")


def test_evidence_zip_refuses_the_evidence_folder(tmp_path):
    evidence = tmp_path / "ha-recordings"
    evidence.mkdir()
    items = [make_item("a", audio=b"x", flagged=True, archive=str(evidence))]
    with pytest.raises(ExportError):
        write_evidence_zip(items, evidence / "e.zip", audio_store(items, {"a": b"x"}), evidence_roots=[evidence])
    assert list(evidence.iterdir()) == []


def test_selection_export_without_flag_filter(tmp_path):
    items = [make_item("a", audio=b"a"), make_item("b", audio=b"b")]
    report = write_evidence_zip(items, tmp_path / "sel.zip", audio_store(items, {"a": b"a", "b": b"b"}),
                                flagged_only=False)
    assert report.audio_files == 2 and report.rows == 2


def test_source_format_and_loose_archive_path_survive(tmp_path):
    item = make_item("a")
    item.rec.source_format = LOOSE
    item.rec.archive = str(Path("/evidence/Alexa leak"))
    row = dict(zip(CSV_COLUMNS, export_row(item)))
    assert row["source_format"] == "audio-folder" and row["archive"] == "/evidence/Alexa leak"


def test_cancelling_inside_open_audio_leaves_nothing_behind(tmp_path):
    """The GUI cancels by raising from open_audio: no zip and no temporary file may remain."""

    class Cancelled(Exception):
        pass

    def cancel(rec: Recording):
        raise Cancelled()

    items = [make_item("a", audio=b"a", flagged=True)]
    with pytest.raises(Cancelled):
        write_evidence_zip(items, tmp_path / "e.zip", cancel)
    assert list(tmp_path.iterdir()) == []


def test_cells_that_are_not_text_are_written_as_text():
    assert neutralise(None) == "" and neutralise(-3) == "-3" and neutralise("=1") == "'=1"


def test_check_destination_fails_early_without_writing(tmp_path):
    from voicearchive.export import check_destination

    evidence = tmp_path / "takeout"
    evidence.mkdir()
    assert check_destination(tmp_path / "out.csv", [evidence]) == tmp_path.resolve() / "out.csv"
    with pytest.raises(ExportError, match="inside the evidence"):
        check_destination(evidence / "out.csv", [evidence])
    assert list(evidence.iterdir()) == [] and not (tmp_path / "out.csv").exists()


def test_the_owner_score_the_threshold_decides_on_is_exported_beside_the_raw_similarity(tmp_path):
    item = make_item("a", flagged=True)
    item.voice.score = -0.35  # the contrast score the flag compares with the threshold
    out = tmp_path / "out.csv"
    write_csv([item], out)
    header, row = read_rows(out.read_bytes())[:2]
    cells = dict(zip(header, row))
    assert cells["owner_score"] == "-0.350"
    assert cells["owner_similarity"] != cells["owner_score"]


def test_evidence_zip_words_file_only_when_there_are_word_times(tmp_path):
    from voicearchive.export import WORDS_COLUMNS, WORDS_NAME
    from voicearchive.transcripts.rows import SOURCE_MACHINE, Transcript

    clips = {"a": b"ID3 first clip", "b": b"RIFF second clip"}
    items = [make_item("a", audio=clips["a"], flagged=True), make_item("b", audio=clips["b"], flagged=True)]
    timed = Transcript("sha256:x", SOURCE_MACHINE, "faster-whisper 1.2.1 / tiny.en abc", "hallo welt",
                       [(0.0, 0.4, 0.9, "hallo"), (0.4, 0.9, 0.2, "welt")], language="de")
    report = write_evidence_zip(items, tmp_path / "w.zip", audio_store(items, clips),
                                transcript_of=lambda i: timed if i.rec.key == "b" else None)
    assert report.ok and report.words == 2
    with zipfile.ZipFile(tmp_path / "w.zip") as zf:
        rows = read_rows(zf.read(WORDS_NAME))
        assert zf.read(WORDS_NAME).startswith("\ufeff".encode())  # Excel reads the umlauts
        assert WORDS_NAME in zf.read("SHA256SUMS").decode()
        audio_b = next(n for n in zf.namelist() if hashlib.sha256(zf.read(n)).hexdigest() == items[1].rec.sha256)
    assert tuple(rows[0]) == WORDS_COLUMNS
    assert [r[WORDS_COLUMNS.index("word")] for r in rows[1:]] == ["hallo", "welt"]
    assert {r[0] for r in rows[1:]} == {audio_b} and audio_b.startswith("audio/")
    report = write_evidence_zip(items, tmp_path / "none.zip", audio_store(items, clips), transcript_of=lambda i: None)
    assert report.words == 0
    with zipfile.ZipFile(tmp_path / "none.zip") as zf:
        assert WORDS_NAME not in zf.namelist()
