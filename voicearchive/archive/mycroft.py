"""Mycroft (mycroft-core) saved utterances and wake words.

``listener.save_utterances`` and ``listener.record_wake_words`` write::

    mycroft_utterances/<str(datetime.now())>.wav      e.g. "2021-03-04 12:34:56.789012.wav" (device local time)
    mycroft_utterances/<time.monotonic_ns()>.wav      (a later Mycroft-derived service)
    mycroft_wake_words/<accountId>_<md5(engine)>_<model md5 | 0>_<wake word>_<sessionId>_<epoch ms>.wav

The utterance name is the device's local time with no zone: it is taken as UTC and marked as read
from the file name. Wake-word clips were not meant for the assistant; their epoch ms is UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterator

from voicearchive.archive.base import Importer, Listing
from voicearchive.archive.loose import time_from_name
from voicearchive.archive.source import Member
from voicearchive.model import (
    MYCROFT,
    TIME_FILE_MTIME,
    TIME_FILENAME,
    TIME_UNKNOWN,
    Problem,
    Recording,
)

UTTERANCES, WAKE_WORDS = "mycroft_utterances", "mycroft_wake_words"

_NOW_NAME = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?\.wav$", re.IGNORECASE)
_MONOTONIC_NAME = re.compile(r"^\d{1,20}\.wav$", re.IGNORECASE)
_WAKE_NAME = re.compile(
    r"^(?P<account>[^_]*)_(?P<engine>[0-9a-f]{32})_(?P<model>[0-9a-f]{32}|0)_(?P<wake_word>.+)_"
    r"(?P<session>[^_]*)_(?P<ms>\d{10,14})\.wav$",
    re.IGNORECASE,
)


def _folder(listing: Listing, m: Member) -> str:
    parts = listing.context_path(m, parents=1).split("/")
    return parts[-2] if len(parts) >= 2 else ""


def _utterance_time(m: Member) -> tuple[datetime | None, str]:
    match = _NOW_NAME.match(m.name)
    if match:
        fields = [int(g) for g in match.groups()[:6]]
        micro = int((match.group(7) or "0").ljust(6, "0"))
        try:
            return datetime(*fields, micro, tzinfo=timezone.utc), TIME_FILENAME  # type: ignore[misc]
        except ValueError:
            pass
    if not _MONOTONIC_NAME.match(m.name):
        named = time_from_name(m.name)
        if named:
            return named, TIME_FILENAME
    return m.mtime, TIME_FILE_MTIME if m.mtime else TIME_UNKNOWN


class MycroftImporter(Importer):
    """Recordings in ``mycroft_utterances`` and ``mycroft_wake_words`` folders."""

    source_format = MYCROFT
    name = "Mycroft saved utterances"

    def _members(self, listing: Listing) -> list[Member]:
        return [m for m in listing.audio_members() if _folder(listing, m) in (UTTERANCES, WAKE_WORDS)]

    def detect(self, listing: Listing) -> int:
        mine = self._members(listing)
        if not mine:
            return 0
        return 80 if len(mine) * 2 >= len(listing.audio_members()) else 30

    def items(self, listing: Listing) -> Iterator[Recording | Problem]:
        for m in self._members(listing):
            if _folder(listing, m) == UTTERANCES:
                recorded_at, basis = _utterance_time(m)
                extra: dict[str, str] = {"kind": "utterance"}
                if basis == TIME_FILENAME:
                    extra["time_note"] = "device local time (zone unknown), taken as UTC"
                yield listing.audio_recording(m, MYCROFT, recorded_at=recorded_at, time_basis=basis, extra=extra)
            else:
                yield self._wake_word(listing, m)

    @staticmethod
    def _wake_word(listing: Listing, m: Member) -> Recording:
        match = _WAKE_NAME.match(m.name)
        extra: dict[str, str] = {"kind": "wake-word"}
        recorded_at, basis = m.mtime, TIME_FILE_MTIME if m.mtime else TIME_UNKNOWN
        if match:
            extra.update(
                account_id=match["account"],
                engine_md5=match["engine"],
                model_md5=match["model"],
                wake_word=match["wake_word"],
                session_id=match["session"],
            )
            ms = int(match["ms"])
            try:
                recorded_at, basis = datetime.fromtimestamp(ms / 1000, tz=timezone.utc), TIME_FILENAME
            except (OverflowError, OSError, ValueError):
                pass
        return listing.audio_recording(
            m,
            MYCROFT,
            recorded_at=recorded_at,
            time_basis=basis,
            not_for_assistant=True,
            transcript=extra.get("wake_word", "").replace("-", " "),
            extra=extra,
        )
