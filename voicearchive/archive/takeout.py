"""Google Takeout: My Activity of Assistant and the older "Voice and Audio" product.

Activity files are found by structure, never by their (localized) names: a JSON array of objects with
``header``/``title`` and ``time``, or an HTML page of ``div.outer-cell`` items. Audio is joined only through
each item's ``audioFiles`` (the file-name time can differ from ``time`` by seconds): first the named file in
the activity file's folder, in whichever Takeout part holds it, then a unique file of that name anywhere
in the export. Items without audio are listed too. MP3s no item names are left to the loose importer.
"""

from __future__ import annotations

import hashlib

import os
import posixpath
import re
from collections import defaultdict
from typing import Iterator

from voicearchive.archive.base import Importer, Listing, member_key
from voicearchive.archive.loose import describe_head
from voicearchive.archive.source import Member, MemberError
from voicearchive.archive.takeout_activity import (
    VOICE_FOLDERS,
    Activity,
    activity_from_json,
    audio_name_time,
    is_activity_list,
)
from voicearchive.archive.takeout_html import looks_like_activity_html, parse_activity_html
from voicearchive.archive.text import TextError, decode_text, load_json
from voicearchive.messages import Message
from voicearchive.model import (
    GOOGLE_TAKEOUT,
    JOIN_AUDIO_FILES,
    JOIN_NONE,
    TIME_FILENAME,
    TIME_METADATA,
    TIME_UNKNOWN,
    Problem,
    Recording,
)

__all__ = ["TakeoutImporter", "audio_name_time"]

_JSON_SNIFF_BYTES = 2048
_HTML_SNIFF_BYTES = 256 * 1024  # Google's page starts with a long <style> block
_MAX_ACTIVITY_BYTES = 512 << 20
# A Takeout MP3 renamed after export with the transcript appended: "…_659_UTC-hey google.mp3".
_RENAMED = re.compile(r"^(\d{4}-\d\d-\d\d_\d\d_\d\d_\d\d_\d{3}_UTC)[-_ ].+\.\w+$", re.IGNORECASE)


def _content_hash(listing: Listing, m: Member) -> str:
    """SHA-256 of a member, streamed: two files are the same only when their bytes are."""
    h = hashlib.sha256()
    for chunk in listing.tree.iter_chunks(m):
        h.update(chunk)
    return h.hexdigest()


class TakeoutImporter(Importer):
    """Google Takeout My Activity (Assistant, Voice and Audio), JSON or HTML, one or several parts."""

    source_format = GOOGLE_TAKEOUT
    name = "Google Takeout (Assistant / Voice and Audio activity)"

    def detect(self, listing: Listing) -> int:
        files = activity_candidates(listing)
        if not files:
            return 0
        voice = any(_in_voice_folder(m) for m in files)
        return 90 if voice or _mp3_beside(listing, files) else 40

    def items(self, listing: Listing) -> Iterator[Recording | Problem]:
        index = _PathIndex(listing)
        used: set[Member] = set()
        seen: set[str] = set()
        for m in activity_candidates(listing):
            try:
                digest = _content_hash(listing, m)
            except MemberError as exc:
                yield Problem(m.container, m.path, exc.reason)
                continue
            if digest in seen:
                listing.claim(m)
                continue  # the same activity file again, byte for byte (an export given zipped and unzipped)
            seen.add(digest)
            try:
                activities = read_activities(listing, m)
            except (TextError, MemberError) as exc:
                yield Problem(m.container, m.path, exc.reason)  # a Message, in the user's language
                continue
            if activities is None:
                continue
            listing.claim(m)
            voice_file = _in_voice_folder(m)
            for act in activities:
                if voice_file or act.is_voice:
                    yield from self._recordings(listing, index, m, act, used)

    def _recordings(
        self, listing: Listing, index: "_PathIndex", source: Member, act: Activity, used: set[Member]
    ) -> Iterator[Recording]:
        if not act.audio_files:
            yield self._metadata_only(source, act, Message.of("archive.no_audio_for_item"))
            return
        for n, name in enumerate(act.audio_files):
            audio, why = index.resolve(source, name)
            if audio is not None and audio in used:
                audio, why = None, Message.of("archive.audio_listed_twice", name=name)
            if audio is None:
                yield self._metadata_only(source, act, why, audio_index=n)
                continue
            used.add(audio)
            rec = listing.audio_recording(audio, GOOGLE_TAKEOUT, join=JOIN_AUDIO_FILES, **_fields(source, act))
            rec.extra["audio_file"] = name
            if len(act.audio_files) > 1:
                rec.extra["audio_index"] = n
            if audio.container != source.container:
                rec.extra["audio_part"] = os.path.basename(audio.container)
            if why:
                rec.extra["audio_found_by"] = str(why)  # a note of how (English, kept in the case file)
            _add_file_time(rec, audio.name, act)
            if not listing.audio_kind(audio):
                rec.problem = Message.of("archive.named_audio_not_audio", name=name, head=describe_head(listing.head(audio)))
            yield rec

    def _metadata_only(self, source: Member, act: Activity, problem: Message, audio_index: int = 0) -> Recording:
        suffix = f".{audio_index}" if audio_index else ""
        rec = Recording(
            key=f"{GOOGLE_TAKEOUT}:{member_key(source)}:{act.index}{suffix}",
            archive=source.container,
            member_path="",
            source_format=GOOGLE_TAKEOUT,
            join=JOIN_NONE,
            problem=problem,
            **_fields(source, act),
        )
        if act.audio_files:
            rec.extra["audio_file"] = act.audio_files[audio_index]
        return rec


def _fields(source: Member, act: Activity) -> dict:
    extra: dict = {
        "activity_file": source.path,
        "header": act.header,
        "title": act.title,
    }
    optional = {
        "title_url": act.title_url,
        "products": act.products,
        "details": act.details,
        "started_by_hotword": act.started_by_hotword,
        "locations": act.locations,
        "description": act.description,
        "time_note": act.time_note,
    }
    extra.update((name, value) for name, value in optional.items() if value)
    return {
        "recorded_at": act.time,
        "time_basis": TIME_METADATA if act.time else TIME_UNKNOWN,
        "device": act.device,
        "transcript": act.transcript,
        "assistant_response": "\n".join(act.subtitles),
        "vendor_speaker_hint": act.speaker_hint,
        "extra": extra,
    }


def _add_file_time(rec: Recording, name: str, act: Activity) -> None:
    """Keep the file-name time beside Google's ``time``; use it only when ``time`` is missing."""
    file_time = audio_name_time(name)
    if file_time is None:
        return
    rec.extra["audio_file_time"] = file_time.isoformat()
    if act.time is not None:
        rec.extra["audio_file_offset_s"] = round((file_time - act.time).total_seconds(), 3)
    else:
        rec.recorded_at, rec.time_basis = file_time, TIME_FILENAME


def activity_candidates(listing: Listing) -> list[Member]:
    """Members that look like My Activity files by their first bytes (JSON) or content (HTML)."""
    out = []
    for m in listing.text_members("json"):
        if not _starts_array(listing.head(m)):
            continue  # Google Photos and most other Takeout JSON are objects, never read further
        head = _head_text(listing, m, _JSON_SNIFF_BYTES)
        if head.lstrip().startswith("[") and ('"header"' in head or '"title"' in head):
            out.append(m)
    for m in listing.text_members("html"):
        if _maybe_activity_html(m) and looks_like_activity_html(_head_text(listing, m, _HTML_SNIFF_BYTES)):
            out.append(m)
    return out


def read_activities(listing: Listing, m: Member) -> list[Activity] | None:
    """The items of activity file ``m``; None when it turns out not to be one. Raises TextError/MemberError."""
    data = listing.tree.read(m, limit=_MAX_ACTIVITY_BYTES)
    if listing.text_kind(m) == "html":
        text, _ = decode_text(data)
        return parse_activity_html(text)
    obj = load_json(data)
    if not is_activity_list(obj):
        return None
    return [a for i, item in enumerate(obj) if (a := activity_from_json(i, item)) is not None]


def _starts_array(head: bytes) -> bool:
    """True when the cached first bytes open a JSON array (after a BOM and white space)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: "[" is followed or preceded by NUL
        head = head[2:].replace(b"\x00", b"")
    return head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")[:1] in (b"[", b"")


def _head_text(listing: Listing, m: Member, n: int) -> str:
    try:
        head = listing.tree.head(m, n)
    except (MemberError, OSError):
        return ""
    try:
        return decode_text(head)[0]
    except TextError:
        return ""


def _maybe_activity_html(m: Member) -> bool:
    """HTML worth opening: named like an activity page (any language) or inside a Takeout tree."""
    lower = m.path.lower()
    return "activit" in m.name.lower() or "takeout/" in lower or lower.startswith("takeout")


def _in_voice_folder(m: Member) -> bool:
    folder = posixpath.basename(posixpath.dirname(m.path.split("!/")[-1]))
    return folder.lower() in VOICE_FOLDERS


def _mp3_beside(listing: Listing, files: list[Member]) -> bool:
    folders = {posixpath.dirname(m.path) for m in files}
    return any(posixpath.dirname(a.path) in folders for a in listing.audio_members())


class _PathIndex:
    """Find an ``audioFiles`` entry: beside its activity file in any part, else a unique name anywhere."""

    def __init__(self, listing: Listing) -> None:
        self.listing = listing
        self.by_path: dict[str, list[Member]] = defaultdict(list)
        self.renamed: dict[str, list[Member]] = defaultdict(list)  # "…_UTC" stem -> renamed copies
        for m in listing.members:
            self.by_path[m.path].append(m)
            renamed = _RENAMED.match(m.name)
            if renamed and listing.audio_kind(m):
                self.renamed[renamed.group(1).lower()].append(m)

    def resolve(self, source: Member, name: str) -> tuple[Member | None, Message | str]:
        """``(member, how)``; ``how`` is "" for the normal place, a note for a fallback, or the
        problem (a Message) when there is no member."""
        clean = name.replace("\\", "/").lstrip("/")
        wanted = posixpath.normpath(posixpath.join(posixpath.dirname(source.path), clean))
        here = self.by_path.get(wanted, [])
        if here:
            same = [m for m in here if m.container == source.container]
            return (same or here)[0], ""
        base = posixpath.basename(clean)
        named = [m for m in self.listing.by_basename().get(base, []) if self.listing.audio_kind(m)]
        if len(named) == 1:
            return named[0], Message.of("archive.found_by_name", path=named[0].path)
        if not named:
            stem = posixpath.splitext(base)[0].lower()
            named = self.renamed.get(stem, []) if stem.endswith("_utc") else []
            if len(named) == 1:
                return named[0], Message.of("archive.found_renamed", path=named[0].path)
        where = posixpath.basename(source.path)
        if len(named) > 1:
            return None, Message.of("archive.audio_ambiguous_name", name=name, where=where, n=len(named))
        return None, Message.of("archive.audio_missing", name=name, where=where)
