"""Transcript documents (PDF): entries found by content, joined to audio, bad PDFs named."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.archive_fixtures import wav_bytes
from tests.pdf_fixtures import NOT_FOR_ALEXA_DE, seed_case, table_pdf, text_pdf
from tests.vendor_fixtures import scan
from voicearchive.model import JOIN_FILE_NAME, JOIN_TIME
from voicearchive.transcripts import pdf as pdf_mod
from voicearchive.transcripts.pdf import PDF_TRANSCRIPT, PdfError, pdf_lines
from voicearchive.transcripts.pdf_entries import entries_from_lines, parse_date, parse_time


def utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=timezone.utc)


def test_seed_case_every_entry_listed_and_joined_where_times_allow(tmp_path: Path) -> None:
    data, truth = seed_case(30, with_audio=24)
    zpath = tmp_path / "leak.zip"
    zpath.write_bytes(data)
    fmt, recs, problems = scan([zpath])
    assert problems == []
    assert len(recs) == 30  # 24 WAVs joined + 6 entries listed without audio
    by_file = {r.member_path.rsplit("/", 1)[-1]: r for r in recs if r.member_path}
    for t in truth:
        if not t["file"]:
            continue
        r = by_file[t["file"]]
        assert (r.transcript, r.device, r.join) == (t["text"], t["device"], JOIN_TIME)
        assert r.extra["transcript_source"] == "pdf" and r.extra["pdf"]["page"] >= 1
        assert r.not_for_assistant == (t["text"] == NOT_FOR_ALEXA_DE)
    alone = [r for r in recs if not r.member_path]
    assert sorted(r.transcript for r in alone) == sorted(t["text"] for t in truth if not t["file"])
    assert all(r.source_format == PDF_TRANSCRIPT and not r.has_audio for r in alone)
    pages = {r.extra["pdf"]["page"] for r in recs}
    assert len(pages) >= 3  # the table ran over several pages


def test_date_and_time_forms() -> None:
    assert parse_date("14.06.2018")[0] == (2018, 6, 14)
    assert parse_date("14. Juni 2018 13:13")[0] == (2018, 6, 14)
    assert parse_date("Jun 14, 2018 1:13 PM")[0] == (2018, 6, 14)
    assert parse_date("2018-06-14T13:13:08Z")[0] == (2018, 6, 14)
    assert parse_date("06/14/2018")[0] == (2018, 6, 14)
    assert parse_date("Alexa, 14.06.2018") is None and parse_date("31.13.2018") is None
    assert parse_time("1:13 PM")[0] == (13, 13, 0)
    assert parse_time("12:05:09 am")[0] == (0, 5, 9)
    assert parse_time("13:13:08 Uhr")[0] == (13, 13, 8)
    assert parse_time("25:00") is None


def test_entries_in_any_layout() -> None:
    pages = [
        ["Sprachverlauf", "Date", "Time", "Device", "Transcript", "Jun 14, 2018", "1:13 PM", "Echo Dot",
         "what's the weather in", "Leipzig", "Page 1 of 2"],
        ["Date", "Time", "Device", "Transcript", "2018-06-15T10:00:00+02:00", "Kitchen",
         "Text not available – audio was not intended for Alexa", "14.06.2018 09:00", "Echo Dot", "play 0001.wav"],
    ]
    a, b, c = entries_from_lines(pages)
    assert (a.when, a.device, a.text, a.page, a.line) == (utc(2018, 6, 14, 13, 13), "Echo Dot",
                                                          "what's the weather in Leipzig", 1, 6)
    assert (b.when, b.device, b.not_for_assistant) == (utc(2018, 6, 15, 8, 0), "Kitchen", True)
    assert (c.device, c.text, c.file_name) == ("Echo Dot", "play", "0001.wav")


def test_pdf_named_file_joins_by_name_and_folder_times_by_offset(tmp_path: Path) -> None:
    root = tmp_path / "leak"
    root.mkdir()
    rows = [("14.06.2018", "10:00:00", "Echo", "alexa stopp 0007.wav")]
    # Folder files carry UTC times; the PDF writes local time two hours ahead (summer time in Germany).
    minutes = [0, 7, 19, 31, 46]
    for i in range(5):
        rows.append(("15.06.2018", f"1{i}:{minutes[i]:02d}:00", "Echo", f"alexa frage {i}"))
    (root / "list.pdf").write_bytes(table_pdf(rows))
    (root / "0007.wav").write_bytes(wav_bytes(0.2))
    import os

    for i in range(5):
        p = root / f"x{i}.wav"
        p.write_bytes(wav_bytes(0.2, 300 + 9 * i))
        t = utc(2018, 6, 15, 8 + i, minutes[i]).timestamp()
        os.utime(p, (t, t))
    _fmt, recs, problems = scan([root])
    assert problems == []
    named = next(r for r in recs if r.member_path == "0007.wav")
    assert (named.transcript, named.join) == ("alexa stopp", JOIN_FILE_NAME)
    for i in range(5):
        r = next(r for r in recs if r.member_path == f"x{i}.wav")
        assert r.transcript == f"alexa frage {i}" and r.extra["pdf"]["time_offset_h"] == 2


def test_vendor_words_are_kept_when_a_pdf_also_has_them(tmp_path: Path) -> None:
    from tests.vendor_fixtures import build_ct_leak

    root = build_ct_leak(tmp_path / "ct")
    (root / "extra.pdf").write_bytes(table_pdf([("01.08.2018", "09:00:00", "Echo Dot", "ganz andere Worte"),
                                                ("03.08.2018", "09:00:00", "Echo Dot", "noch etwas")]))
    _fmt, recs, _problems = scan([root])
    first = next(r for r in recs if r.member_path == "audio_0001.wav")
    assert first.transcript == "alexa wie spät ist es"
    assert first.extra["pdf"]["text"] == "ganz andere Worte" and "transcript_source" not in first.extra


def _encrypted(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_bad_pdfs_are_named_and_the_rest_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = table_pdf([("14.06.2018", "13:13:08", "Echo", "alexa licht an"), ("15.06.2018", "13:13:08", "Echo", "stopp")])
    root = tmp_path / "Alexa"
    root.mkdir()
    (root / "locked.pdf").write_bytes(_encrypted(good))
    (root / "broken.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Cat")
    (root / "scan.pdf").write_bytes(text_pdf([[], []]))
    (root / "prose.pdf").write_bytes(text_pdf([[(50, 700, "Allgemeine Geschäftsbedingungen")]]))
    (root / "ok.pdf").write_bytes(good)
    (root / "a.wav").write_bytes(wav_bytes(0.2))
    _fmt, recs, problems = scan([root])
    why = {p.member_path: str(p.message) for p in problems}
    assert set(why) == {"locked.pdf", "broken.pdf", "scan.pdf", "prose.pdf"}
    assert "encrypted" in why["locked.pdf"] and "damaged" in why["broken.pdf"]
    assert "no text" in why["scan.pdf"] and "no entries" in why["prose.pdf"]
    assert {r.transcript for r in recs} == {"", "alexa licht an", "stopp"}
    monkeypatch.setattr(pdf_mod, "MAX_PDF_BYTES", 100)
    with pytest.raises(PdfError, match="not read"):
        pdf_lines(good)


def test_pdf_rows_go_to_the_transcripts_table_with_file_page_line(tmp_path: Path) -> None:
    from voicearchive.case.store import CaseStore
    from voicearchive.pipeline import Pipeline

    data, truth = seed_case(12, with_audio=9)
    (tmp_path / "leak.zip").write_bytes(data)
    with CaseStore(tmp_path / "c.vacase") as store, Pipeline([tmp_path / "leak.zip"], store) as pipeline:
        pipeline.import_archive()
        rows = store.transcripts(source="pdf")
        assert len(rows) == 12 and not store.transcripts(source="vendor")
        assert all(r.location["file"].endswith("Sprachaufnahmen.pdf") and r.location["page"] >= 1 for r in rows)
        assert sorted(r.text for r in rows) == sorted(t["text"] for t in truth)
        pipeline.import_archive()  # a re-import replaces the rows, it does not add to them
        assert len(store.transcripts(source="pdf")) == 12
