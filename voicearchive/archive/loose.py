"""Any folder or zip of audio (a leak): every audio member becomes a recording, whatever its name.

Time comes from a date in the file name when one is recognisable, else from the file's mtime.
Members named like audio whose bytes are not audio are reported; other files are ignored.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterator

from voicearchive.archive.base import Importer, Listing
from voicearchive.archive.loose_transcripts import Transcript, transcripts_for
from voicearchive.archive.sniff import decode_head, looks_like_audio_name
from voicearchive.archive.source import Member
from voicearchive.messages import Message
from voicearchive.model import (
    JOIN_FILE_NAME,
    LOOSE,
    TIME_FILE_MTIME,
    TIME_FILENAME,
    TIME_UNKNOWN,
    Problem,
    Recording,
)

_SEP = r"[ T_\-.]"
_DATE_TIME = re.compile(
    r"(?<!\d)(\d{4})-(\d\d)-(\d\d)" + _SEP + r"(\d\d)[:_\-.](\d\d)[:_\-.](\d\d)(?:[._,](\d{1,9}))?(?!\d)"
)
_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d\d)(\d\d)[T_\-]?(\d\d)(\d\d)(\d\d)(?:[._](\d{1,9}))?(?!\d)")
_EPOCH_MS = re.compile(r"(?<!\d)(1\d{12})(?!\d)")
_MIN_YEAR, _MAX_YEAR = 1995, 2100


def _build(groups: tuple[str | None, ...]) -> datetime | None:
    year, month, day, hour, minute, second = (int(g) for g in groups[:6])  # type: ignore[arg-type]
    fraction = groups[6] or ""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return datetime(
            year, month, day, hour, minute, second, int(fraction[:6].ljust(6, "0")) if fraction else 0, timezone.utc
        )
    except ValueError:
        return None


def time_from_name(name: str) -> datetime | None:
    """A date-time written in a file name, as aware UTC (a time without zone is taken as UTC).

    Recognised: ``2021-03-04 12:34:56[.ffffff]``, ``2021-03-04T12:34:56``, ``2021-03-04_12_34_56_789``
    (Google Takeout), ``20210304_123456``, ``20210304T123456`` and 13-digit epoch milliseconds.
    """
    for pattern in (_DATE_TIME, _COMPACT):
        for match in pattern.finditer(name):
            dt = _build(match.groups())
            if dt:
                return dt
    for match in _EPOCH_MS.finditer(name):
        ms = int(match.group(1))
        dt = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
        if _MIN_YEAR <= dt.year <= _MAX_YEAR:
            return dt
    return None


def describe_head(head: bytes) -> Message:
    """A short, safe description of a file's first bytes for a Problem message."""
    if not head:
        return Message.of("archive.head_empty")
    text = decode_head(head)
    if text is not None:
        snippet = " ".join("".join(c if c.isprintable() else " " for c in text[:16]).split())
        return Message.of("archive.head_text", snippet=snippet)
    return Message.of("archive.head_bytes", hex=head[:8].hex(" "))


def _is_apple_double(m: Member, head: bytes) -> bool:
    """macOS resource-fork companions (``._name.wav``, ``__MACOSX/``) that zips made on a Mac carry."""
    return head.startswith(b"\x00\x05\x16\x07") and (m.name.startswith("._") or "__MACOSX/" in m.path)


def loose_recording(listing: Listing, m: Member, transcript: Transcript | None = None) -> Recording:
    """The ``audio-folder`` recording of audio member ``m`` (claims it), with its table row if any."""
    recorded_at, basis = time_from_name(m.name), TIME_FILENAME
    if recorded_at is None:
        recorded_at, basis = m.mtime, (TIME_FILE_MTIME if m.mtime else TIME_UNKNOWN)
    extra: dict[str, object] = {"audio_kind": listing.audio_kind(m)}
    if transcript:
        extra.update(transcript_table=transcript.table, transcript_row=transcript.row)
    return listing.audio_recording(
        m,
        LOOSE,
        recorded_at=recorded_at,
        time_basis=basis,
        transcript=transcript.text if transcript else "",
        assistant_response=transcript.response if transcript else "",
        join=JOIN_FILE_NAME if transcript else "",
        extra=extra,
    )


class LooseImporter(Importer):
    """Every unclaimed audio member of any folder or zip."""

    source_format = LOOSE
    name = "Folder or zip of audio files"

    def detect(self, listing: Listing) -> int:
        return 1 if listing.audio_members() else 0

    def items(self, listing: Listing) -> Iterator[Recording | Problem]:
        unclaimed = listing.unclaimed()
        transcripts, problems = transcripts_for(listing, (m for m in unclaimed if listing.audio_kind(m)))
        yield from problems
        for m in unclaimed:
            if listing.audio_kind(m):
                yield loose_recording(listing, m, transcripts.get(m))
            elif looks_like_audio_name(m.name) and not _is_apple_double(m, listing.head(m)):
                listing.claim(m)
                yield Problem(m.container, m.path, Message.of("archive.named_like_audio", head=describe_head(listing.head(m))))
