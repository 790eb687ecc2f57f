"""Amazon Alexa: voice-history JSON, "Request your data" exports and leaks (a pile of WAVs plus a table).

The export's inner layout is undocumented, so nothing here depends on a file name: audio is found by its
bytes (the listing sniffs it), metadata by content (``alexa_records``), and the two are joined by utterance
id, file name or time (``alexa_join``), each recording saying which. Every audio member becomes a recording,
joined or not; every metadata row that met no audio becomes an item without audio.
"""

from __future__ import annotations

import posixpath
from typing import Iterator

from voicearchive.archive.alexa_ids import contains_utterance_id, parse_utterance_id, utterance_key
from voicearchive.archive.alexa_join import AudioRef, Pair, join, merge_duplicates
from voicearchive.archive.alexa_records import (
    Columns,
    Entry,
    classify_columns,
    header_hint,
    history_entries,
    history_records,
    json_rows,
    legacy_html_entries,
    table_entries,
)
from voicearchive.archive.base import Importer, Listing, member_key
from voicearchive.archive.loose import time_from_name
from voicearchive.archive.source import Member, MemberError
from voicearchive.archive.text import TextError, decode_text, load_json, read_csv
from voicearchive.messages import Message
from voicearchive.model import (
    ALEXA_EXPORT,
    ALEXA_HISTORY,
    JOIN_NONE,
    TIME_FILE_MTIME,
    TIME_FILENAME,
    TIME_UNKNOWN,
    TIME_UTTERANCE_ID,
    Problem,
    Recording,
)

_SNIFF_BYTES = 16 * 1024
_HTML_SNIFF_BYTES = 256 * 1024  # the 2018 page's first item follows a long header
_MAX_SNIFFED = 300  # JSON and CSV files detect() looks into (a Google Photos export has one per photo)
_MAX_TABLE_BYTES = 256 << 20
_HISTORY_KEYS = ('"customerHistoryRecords"', '"voiceHistoryRecordItems"')
# Words in a path that point to Alexa data (looked at first when sniffing) and, narrower, to voice data
# (which makes a table of times and text without utterance ids worth reading as transcripts).
_PATH_HINTS = ("alexa", "voice", "transcript", "utterance", "sprach", "echo", "amazon")
_VOICE_PATH_HINTS = ("voice", "transcript", "utterance", "sprach", "audio", "recording", "aufnahme")


class AlexaImporter(Importer):
    """Alexa voice history, data exports and leaks, joined to audio by utterance id, file name or time."""

    source_format = ALEXA_EXPORT
    source_formats = (ALEXA_EXPORT, ALEXA_HISTORY)
    name = "Amazon Alexa (voice history, data export or leak)"

    def detect(self, listing: Listing) -> int:
        return self.sniff(listing)[0]

    def format_of(self, listing: Listing) -> str:
        return self.sniff(listing)[1]

    def sniff(self, listing: Listing) -> tuple[int, str]:
        """(score, source format) from the listing; looks only, changes nothing."""
        fmt = ALEXA_EXPORT
        has_audio = bool(listing.audio_members())
        score = 0
        for m in _by_path_hint(listing.text_members("json"))[:_MAX_SNIFFED]:
            head = _head_text(listing, m)
            if any(k in head for k in _HISTORY_KEYS) and _is_history(listing, m):
                return 85, ALEXA_HISTORY
            if contains_utterance_id(head):
                score = max(score, 70)
        for m in _by_path_hint(listing.text_members("html"))[:_MAX_SNIFFED]:
            if _is_legacy_page(_head_text(listing, m, _HTML_SNIFF_BYTES)):
                fmt = ALEXA_HISTORY
                score = max(score, 70)
        for m in _by_path_hint(listing.text_members("csv"))[:_MAX_SNIFFED]:
            cols = _sniff_csv(listing, m)
            if cols and cols.id:
                score = max(score, 70)
            elif cols and has_audio and _worth_reading(m, cols):
                score = max(score, 30)
        if has_audio and score < 60 and any(utterance_key(a.path) for a in listing.audio_members()[:500]):
            score = 60
        if has_audio and not score and any("alexa" in member_key(m).lower() for m in listing.members):
            score = 15
        return score, fmt

    def items(self, listing: Listing) -> Iterator[Recording | Problem]:
        entries: list[Entry] = []
        for m in listing.text_members("json") + listing.text_members("csv") + listing.text_members("html"):
            try:
                found = _read_entries(listing, m)
            except (TextError, MemberError) as exc:
                yield Problem(m.container, m.path, exc.reason)  # a Message, in the user's language
                continue
            if found:
                listing.claim(m)  # used as metadata: the loose pass leaves it alone
                entries.extend(found)
        # PDFs are read by voicearchive.transcripts.pdf, a source beside the importer (ArchiveReader.items).
        entries.sort(key=lambda e: e.source_format != ALEXA_HISTORY)  # history wins duplicate merges
        audio = [_audio_ref(m) for m in listing.audio_members()]
        keys: set[str] = set()
        # the voice history's own format when any of it was read, else the data export's (as sniff() says)
        fmt = ALEXA_HISTORY if any(e.source_format == ALEXA_HISTORY for e in entries) else ALEXA_EXPORT
        for pair in join(merge_duplicates(entries), audio):
            yield _recording(listing, pair, keys, fmt)


def _is_history(listing: Listing, m: Member) -> bool:
    """Whether ``m`` really is a voice-history page: words in a broken file must not decide how the rest
    of the folder is read."""
    if m.size > _MAX_TABLE_BYTES:
        return True  # too big to check here: items() reports it if it is broken
    try:
        return history_records(load_json(listing.tree.read(m, limit=_MAX_TABLE_BYTES))) is not None
    except (TextError, MemberError):
        return False


def _read_entries(listing: Listing, m: Member) -> list[Entry]:
    kind = listing.text_kind(m)
    data = listing.tree.read(m, limit=_MAX_TABLE_BYTES)
    csv_rows: list[int] | None = None
    if kind == "html":
        text = decode_text(data)[0]
        return _stamp(legacy_html_entries(text, m.path), m) if _is_legacy_page(text) else []
    if kind == "csv":
        table = read_csv(data)
        rows, csv_rows = table.records(), table.row_numbers
    else:
        obj = load_json(data)
        records = history_records(obj)
        if records is not None:
            return _stamp(history_entries(records, m.path), m)
        rows = json_rows(obj) or []
    if not rows:
        return []
    cols = classify_columns(rows)
    if not (cols.id or (listing.audio_members() and _worth_reading(m, cols))):
        return []
    return _stamp(table_entries(rows, cols, m.path, csv_rows), m)


def _stamp(entries: list[Entry], m: Member) -> list[Entry]:
    """Mark which container and file ``entries`` came from."""
    for e in entries:
        e.archive, e.source_key = m.container, member_key(m)
    return entries


def _worth_reading(m: Member, cols: Columns) -> bool:
    """A table without utterance ids counts when it has times and free text, and either its text
    column is named like a transcript or its path speaks of voice (not just of Alexa: Amazon's export
    holds reminders and lists with times and text too)."""
    if not cols.is_transcript_table:
        return False
    if cols.text is not None and header_hint(cols.text, "text"):
        return True
    return any(h in member_key(m).lower() for h in _VOICE_PATH_HINTS)


def _by_path_hint(members: list[Member]) -> list[Member]:
    """Members whose path speaks of Alexa or voice first (a stable sort keeps path order otherwise)."""
    return sorted(members, key=lambda m: not any(h in member_key(m).lower() for h in _PATH_HINTS))


def _is_legacy_page(text: str) -> bool:
    return 'id="audio-' in text and contains_utterance_id(text)


def _head_text(listing: Listing, m: Member, n: int = _SNIFF_BYTES) -> str:
    try:
        return decode_text(listing.tree.head(m, n))[0]
    except (MemberError, OSError, TextError):
        return ""


def _sniff_csv(listing: Listing, m: Member) -> Columns | None:
    """Columns of the first rows of a CSV (the last, maybe cut, line dropped); None if unreadable."""
    try:
        head = listing.tree.head(m, _SNIFF_BYTES)
        if len(head) == _SNIFF_BYTES and b"\n" in head:
            head = head[: head.rindex(b"\n")]
        rows = read_csv(head).records()
    except (MemberError, OSError, TextError):
        return None
    return classify_columns(rows) if rows else None


def _audio_ref(m: Member) -> AudioRef:
    inner = m.path.split("!/")[-1]
    key = utterance_key(inner)
    uid = parse_utterance_id(inner)
    return AudioRef(path=m.path, key=key, uid=uid, when=uid.when if uid else time_from_name(m.name), ref=m)


def _recording(listing: Listing, pair: Pair, keys: set[str], archive_format: str) -> Recording:
    """The recording of one pair; audio without metadata takes the archive's format."""
    e, a = pair.entry, pair.audio
    if e is None:
        return _audio_only(listing, a, archive_format)  # type: ignore[arg-type]
    fields = {
        "recorded_at": e.when,
        "time_basis": e.time_basis,
        "device": e.device,
        "transcript": e.transcript,
        "assistant_response": e.response,
        "not_for_assistant": e.not_for_assistant,
        "vendor_speaker_hint": e.speaker_hint,
        "join": pair.how,
        "extra": {**e.extra, "metadata_file": e.source_path},
    }
    if e.vendor_id:
        fields["extra"]["vendor_id"] = e.vendor_id
    if pair.note:
        fields["extra"]["join_note"] = str(pair.note)  # a note of how (English, kept in the case file)
    if a is not None:
        m: Member = a.ref  # type: ignore[assignment]
        if e.when is None and a.when is not None:
            fields["recorded_at"] = a.when
            fields["time_basis"] = TIME_UTTERANCE_ID if a.uid else TIME_FILENAME
        if not e.device and a.uid:
            fields["device"] = a.uid.serial
        rec = listing.audio_recording(m, e.source_format, **fields)
        keys.add(rec.key)
        return rec
    where = posixpath.basename(e.source_path)
    if e.file_name:
        problem = Message.of("archive.audio_missing", name=e.file_name, where=where)
        if pair.note:
            problem = Message.of("archive.audio_ambiguous", name=e.file_name, where=where, note=pair.note)
    else:
        problem = Message.of("archive.no_audio_for_item")
    key = f"{e.source_format}:{e.vendor_id}" if e.vendor_id else f"{e.source_format}:{e.source_key}:{e.index}"
    unique, n = key, 1
    while unique in keys:
        n += 1
        unique = f"{key}#{n}"
    keys.add(unique)
    key = unique
    return Recording(
        key=key, archive=e.archive, member_path="", source_format=e.source_format, problem=problem, **fields
    )


def _audio_only(listing: Listing, a: AudioRef, source_format: str) -> Recording:
    m: Member = a.ref  # type: ignore[assignment]
    when, basis = a.when, (TIME_UTTERANCE_ID if a.uid else TIME_FILENAME)
    if when is None:
        when, basis = m.mtime, (TIME_FILE_MTIME if m.mtime else TIME_UNKNOWN)
    extra: dict = {"audio_kind": listing.audio_kind(m)}
    if a.uid:
        extra["vendor_id"] = a.uid.raw
    return listing.audio_recording(
        m,
        source_format,
        recorded_at=when,
        time_basis=basis,
        device=a.uid.serial if a.uid else "",
        join=JOIN_NONE,
        extra=extra,
    )
