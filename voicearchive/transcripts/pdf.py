"""Transcript documents (PDF): a source that runs beside the winning importer.

``PdfSource(listing)`` reads every PDF member's text with pypdf (text extraction only: nothing in the file
is rendered or run), finds its transcript entries by content (``pdf_entries``) and, once the importers
have listed the recordings, joins each entry to its audio (utterance id, then file name, then time within
``TIME_TOLERANCE_S`` as mutual unique candidates, the same rules as ``archive/alexa_join``). A joined
recording without words of its own takes the entry's words (``extra["transcript_source"] = "pdf"``, with
file/page/line in ``extra["pdf"]``); one that has the vendor's words keeps them and carries the entry in
``extra["pdf"]``. An entry that meets no audio becomes an item without audio, so no transcript is lost.
A PDF that cannot be read (encrypted, broken, a scan without text, too big) is named with a reason.
"""

from __future__ import annotations

import io
import posixpath
from bisect import bisect_left, bisect_right
from datetime import timedelta
from typing import Iterable, Iterator

from voicearchive.archive.alexa_ids import parse_utterance_id, utterance_key
from voicearchive.archive.alexa_join import TIME_TOLERANCE_S, AudioRef, join
from voicearchive.archive.alexa_records import Entry
from voicearchive.archive.base import Listing, member_key
from voicearchive.archive.source import Member, MemberError
from voicearchive.archive.streams import reason as streams_reason
from voicearchive.messages import Message, MessageError
from voicearchive.model import JOIN_NONE, TIME_METADATA, TIME_UNKNOWN, Problem, Recording
from voicearchive.transcripts.pdf_entries import PdfEntry, entries_from_lines

PDF_TRANSCRIPT = "pdf-transcript"  # source_format of an entry that met no audio
SOURCE_PDF = "pdf"
MAX_PDF_BYTES = 64 << 20  # a transcript document of 1,700 entries is well under 1 MB
MAX_PAGES = 5000
MAX_TEXT_CHARS = 20_000_000
# Whole-hour offsets tried between the PDF's local times and the audio's UTC times (a zip stores local
# time, a folder's file times are UTC): the one that joins clearly most entries wins, 0 on a tie.
_OFFSETS_H = range(-14, 15)


try:  # pypdf names a missing AES library so
    from pypdf.errors import DependencyError as DependencyErrors
except ImportError:  # pragma: no cover - old pypdf
    DependencyErrors = RuntimeError  # type: ignore[misc, assignment]


class PdfError(MessageError):
    """A transcript PDF that cannot be read (encrypted, broken, no text, too many pages)."""


def pdf_lines(data: bytes) -> list[list[str]]:
    """The text lines of each page; raises PdfError (encrypted, broken, no text, too many pages)."""
    if len(data) > MAX_PDF_BYTES:
        raise PdfError(Message.of("transcripts.pdf_too_big", mb=len(data) >> 20, limit=MAX_PDF_BYTES >> 20))
    try:
        from pypdf import PdfReader
        from pypdf.errors import FileNotDecryptedError, PdfReadError
    except ImportError:  # pragma: no cover - a core dependency
        raise PdfError(Message.of("transcripts.pdf_no_library")) from None
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise PdfError(Message.of("transcripts.pdf_encrypted"))
            except (FileNotDecryptedError, NotImplementedError, DependencyErrors):
                raise PdfError(Message.of("transcripts.pdf_encrypted")) from None
        n = len(reader.pages)
        if n > MAX_PAGES:
            raise PdfError(Message.of("transcripts.pdf_too_many_pages", n=n, limit=MAX_PAGES))
        pages, chars = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            if chars > MAX_TEXT_CHARS:
                raise PdfError(Message.of("transcripts.pdf_too_much_text", limit=MAX_TEXT_CHARS))
            pages.append(text.splitlines())
    except PdfError:
        raise
    except (PdfReadError, FileNotDecryptedError) as exc:
        raise PdfError(Message.of("transcripts.pdf_broken", reason=str(exc)[:200])) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files; name it, go on
        raise PdfError(Message.of("transcripts.pdf_broken", reason=f"{type(exc).__name__}: {exc}"[:200])) from None
    if not any(line.strip() for lines in pages for line in lines):
        raise PdfError(Message.of("transcripts.pdf_no_text", pages=len(pages)))
    return pages


class PdfSource:
    """The transcript entries of the PDFs of a listing, read once, joined to recordings later."""

    def __init__(self, listing: Listing):
        self.listing = listing
        self.problems: list[Problem] = []
        self.entries: list[tuple[Member, PdfEntry]] = []
        for m in listing.text_members("pdf"):
            listing.claim(m)
            try:
                data = listing.tree.read(m, limit=MAX_PDF_BYTES + 1)
                found = entries_from_lines(pdf_lines(data))
            except PdfError as exc:
                self.problems.append(Problem(m.container, m.path, exc.message))
                continue
            except (MemberError, OSError) as exc:
                reason = getattr(exc, "reason", None)  # MemberError: a Message; an OSError: the system's words
                self.problems.append(Problem(m.container, m.path, reason or Message.of(
                    "archive.unreadable", reason=streams_reason(exc))))
                continue
            if not found:
                self.problems.append(Problem(m.container, m.path, Message.of("transcripts.pdf_no_entries")))
            self.entries += [(m, e) for e in found]

    def attach(self, recordings: Iterable[Recording]) -> Iterator[Recording]:
        """The recordings, joined ones carrying their entry's words, then one item per unjoined entry."""
        recs = list(recordings)
        if not self.entries:
            yield from recs
            return
        entries = [_entry(m, e) for m, e in self.entries]
        audio = [_audio_ref(r) for r in recs if r.member_path]
        offset = best_offset(entries, audio)
        if offset:
            for e in entries:
                if e.when is not None:
                    e.when -= timedelta(hours=offset)
                    e.extra["time_offset_h"] = offset
        keys: set[str] = {r.key for r in recs}
        for pair in join(entries, audio):
            e = pair.entry
            if e is None:
                continue
            if pair.audio is not None:
                _fill(pair.audio.ref, e, pair.how, pair.note)  # type: ignore[arg-type]
            else:
                recs.append(_item(e, keys))
        yield from recs


def best_offset(entries: list[Entry], audio: list[AudioRef]) -> int:
    """The whole-hour shift (PDF time minus audio time) that brings clearly most entries near audio."""
    stamps = sorted(a.when.timestamp() for a in audio if a.when is not None)
    times = [e.when.timestamp() for e in entries if e.when is not None and not e.uid and not e.file_name]
    if not stamps or not times:
        return 0

    def near(h: int) -> int:
        return sum(
            bisect_right(stamps, t - h * 3600 + TIME_TOLERANCE_S) - bisect_left(stamps, t - h * 3600 - TIME_TOLERANCE_S) == 1
            for t in times
        )

    at_zero = near(0)
    best, best_n = 0, at_zero
    for h in _OFFSETS_H:
        n = near(h) if h else at_zero
        if n > best_n:
            best, best_n = h, n
    return best if best_n >= max(3, 2 * at_zero) else 0


def _entry(m: Member, e: PdfEntry) -> Entry:
    uid = parse_utterance_id(e.utterance_id) if e.utterance_id else None
    where = {"file": member_key(m), "page": e.page, "line": e.line, "text": e.text, "date_text": e.date_text}
    return Entry(
        source_path=m.path, index=f"{e.page}.{e.line}", source_format=PDF_TRANSCRIPT, uid=uid,
        vendor_id=uid.raw if uid else "", when=e.when, time_basis=TIME_METADATA if e.when else TIME_UNKNOWN,
        transcript=e.text, device=e.device, file_name=e.file_name, not_for_assistant=e.not_for_assistant,
        extra={"pdf": where}, archive=m.container, source_key=member_key(m),
    )


def _audio_ref(r: Recording) -> AudioRef:
    inner = r.member_path.split("!/")[-1]
    return AudioRef(path=r.member_path, key=utterance_key(inner), uid=parse_utterance_id(inner),
                    when=r.recorded_at, ref=r)


def _fill(rec: Recording, e: Entry, how: str, note: str) -> None:
    pdf = {**e.extra["pdf"], "join": how}
    if note:
        pdf["join_note"] = note
    if "time_offset_h" in e.extra:
        pdf["time_offset_h"] = e.extra["time_offset_h"]
    rec.extra = {**rec.extra, "pdf": pdf}
    if not rec.transcript.strip() and not rec.not_for_assistant:
        rec.transcript = e.transcript
        rec.not_for_assistant = e.not_for_assistant
        rec.extra["transcript_source"] = SOURCE_PDF
        if not rec.join:
            rec.join = how
        if not rec.device and e.device:
            rec.device = e.device


def _item(e: Entry, keys: set[str]) -> Recording:
    base = f"{PDF_TRANSCRIPT}:{e.source_key}:{e.index}"
    key, n = base, 1
    while key in keys:
        n += 1
        key = f"{base}#{n}"
    keys.add(key)
    return Recording(
        key=key, archive=e.archive, member_path="", source_format=PDF_TRANSCRIPT, recorded_at=e.when,
        time_basis=e.time_basis, device=e.device, transcript=e.transcript, not_for_assistant=e.not_for_assistant,
        join=JOIN_NONE, problem=str(Message.of("transcripts.pdf_entry_without_audio",
                                               file=posixpath.basename(e.source_path))),
        extra={"pdf": e.extra["pdf"], "transcript_source": SOURCE_PDF, "metadata_file": e.source_path,
               **({"time_offset_h": e.extra["time_offset_h"]} if "time_offset_h" in e.extra else {})},
    )


__all__ = ["PDF_TRANSCRIPT", "PdfError", "PdfSource", "best_offset", "pdf_lines"]
