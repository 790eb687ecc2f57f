"""Google My Activity items: the JSON schema, times, titles and audio file names.

Pure functions from parsed data to :class:`Activity`; the importer (``takeout.py``) joins them to audio.
Field meanings follow Google's My Activity schema (header, title, titleUrl, subtitles, time, products,
details, locationInfos) plus Assistant's ``audioFiles``; see docs in ``/work/shared/formats.md`` §2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

# "Said " + transcript. EN is sourced; the German forms are not, so they are stripped only when they
# match exactly and the raw title is always kept.
SAID_PREFIXES = ("Said ", "Gesagt: ", "Gesagt ")
# Products that name the service rather than a device; anything else in ``products`` is taken as the device.
SERVICE_PRODUCTS = frozenset(
    {"assistant", "google assistant", "voice and audio", "search", "google app", "google",
     "sprach- und audioaktivitäten"}
)
# Folder names of the voice products (Assistant, the older "Voice and Audio"), lower case; DE unsourced.
VOICE_FOLDERS = frozenset({"assistant", "voice and audio", "sprache und audio", "sprach- und audioaktivitäten"})
VOICE_HEADERS = frozenset({"assistant", "google assistant", "voice and audio", "sprache und audio"})
UNRECOGNIZED_SPEAKER = "From unrecognized speaker"
HOTWORD = "Started by hotword"
# Lower-case fragments of those two details in other languages (unsourced, so matched loosely and the
# vendor's own words are what is shown).
_UNRECOGNIZED_WORDS = (("unrecognized speaker",), ("unrecognised speaker",), ("sprecher", "nicht erkannt"))
_HOTWORD_WORDS = ("hotword",)

_AUDIO_NAME_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)_(\d\d)_(\d\d)_(\d\d)_(\d{3})_UTC", re.IGNORECASE)
_RFC3339_RE = re.compile(
    r"^\s*(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*(Z|[+-]\d\d:?\d\d)?\s*$", re.IGNORECASE
)


@dataclass
class Activity:
    """One My Activity item, from JSON or HTML, before it is joined to audio."""

    index: int  # position in its file (0-based), for stable keys of items without audio
    header: str = ""
    title: str = ""
    title_url: str = ""
    time: datetime | None = None  # aware UTC
    time_note: str = ""  # e.g. an unknown time-zone abbreviation in HTML date text
    audio_files: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    subtitles: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def transcript(self) -> str:
        return transcript_from_title(self.title)

    @property
    def device(self) -> str:
        return next((p for p in self.products if p.strip().lower() not in SERVICE_PRODUCTS), "")

    @property
    def speaker_hint(self) -> str:
        """The vendor's own words when a detail says the speaker was not recognised, else ""."""
        return next(
            (d for d in self.details if any(all(w in d.lower() for w in ws) for ws in _UNRECOGNIZED_WORDS)), ""
        )

    @property
    def started_by_hotword(self) -> bool:
        return any(w in d.lower() for d in self.details for w in _HOTWORD_WORDS)

    @property
    def is_voice(self) -> bool:
        """True when the item itself says it is an Assistant / Voice and Audio item."""
        names = {self.header.strip().lower(), *(p.strip().lower() for p in self.products)}
        return bool(self.audio_files) or bool(names & VOICE_HEADERS)


def transcript_from_title(title: str) -> str:
    """``"Said turn on the light"`` -> ``"turn on the light"``; a title without a known prefix stays whole."""
    for prefix in SAID_PREFIXES:
        if title.startswith(prefix) and len(title) > len(prefix):
            return title[len(prefix) :].strip()
    return title.strip()


def parse_rfc3339(text: str) -> datetime | None:
    """Parse Takeout's ``time`` (``2018-04-16T11:42:52.739Z``, any number of fraction digits) to aware UTC."""
    m = _RFC3339_RE.match(text or "")
    if not m:
        return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro, tzinfo=timezone.utc)
    except ValueError:
        return None
    if tz and tz.upper() != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset_min = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        dt = datetime.fromtimestamp(dt.timestamp() - offset_min * 60, tz=timezone.utc)
    return dt


def audio_name_time(name: str) -> datetime | None:
    """The UTC time in a Takeout audio file name such as ``2018-04-16_11_42_55_659_UTC.mp3``.

    Renamed copies with a suffix (``…_UTC-turn on the light.mp3``) and paths are accepted; None otherwise.
    Google's own ``time`` can differ from this by seconds: never join on it.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    m = _AUDIO_NAME_RE.search(base)
    if not m:
        return None
    y, mo, d, h, mi, s, ms = (int(g) for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s, ms * 1000, tzinfo=timezone.utc)
    except ValueError:
        return None


def is_activity_list(obj: Any) -> bool:
    """True for a My Activity JSON file, whatever its name or language: an array of objects that carry
    ``time`` and ``header`` or ``title`` (an empty array counts: an account with no activity)."""
    if not isinstance(obj, list):
        return False
    sample = [x for x in obj[:20]]
    if not sample:
        return True
    dicts = [x for x in sample if isinstance(x, dict)]
    if len(dicts) < len(sample) * 0.8:
        return False
    return all(("time" in x) and ("header" in x or "title" in x) for x in dicts)


def activity_from_json(index: int, item: Any) -> Activity | None:
    """Build an :class:`Activity` from one JSON item; None when the item is not an object."""
    if not isinstance(item, dict):
        return None
    return Activity(
        index=index,
        header=_str(item.get("header")),
        title=_str(item.get("title")),
        title_url=_str(item.get("titleUrl")),
        time=parse_rfc3339(_str(item.get("time"))),
        audio_files=[a for a in _str_list(item.get("audioFiles")) if a],
        products=_str_list(item.get("products")),
        details=_names(item.get("details")),
        subtitles=_names(item.get("subtitles")),
        locations=_names(item.get("locationInfos")),
        description=_str(item.get("description")),
    )


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)]


def _names(value: Any) -> list[str]:
    """``[{"name": "x"}, {}, "y"]`` -> ``["x", "y"]``: the ``name`` of each entry, empty ones dropped."""
    if not isinstance(value, list):
        return []
    out = []
    for entry in value:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if isinstance(name, str) and name.strip():
            out.append(name.strip())
    return out
