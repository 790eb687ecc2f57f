"""Transcript entries found by content in the lines of a PDF's text (no layout, no PDF library here).

Text extraction gives one table cell per line in reading order (a row's cells follow each other), or a
whole row on one line; headers repeat on every page; the rows may be in any order. An entry starts at a
line that begins with a date (German ``14.06.2018``, ``14. Juni 2018``, English ``Jun 14, 2018``,
``06/14/2018``, ISO ``2018-06-14``) or, after a date, with a time (``13:13:08``, ``1:13 PM``); the lines
up to the next entry are its device and words. Lines before the first entry (a title), repeated header
cells and page footers are left out. Times carry no zone: they are read as UTC, as a zip entry's time is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from voicearchive.archive.alexa_ids import contains_utterance_id, parse_utterance_id
from voicearchive.archive.alexa_records import is_not_available_text

_MONTHS = {
    "jan": 1, "januar": 1, "january": 1, "jän": 1, "feb": 2, "februar": 2, "february": 2, "mar": 3, "mär": 3,
    "märz": 3, "march": 3, "maerz": 3, "apr": 4, "april": 4, "may": 5, "mai": 5, "jun": 6, "juni": 6,
    "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "okt": 10, "oktober": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "dez": 12,
    "dezember": 12, "december": 12,
}
_MONTH = r"(?P<mon>[A-Za-zÄÖÜäöü]{3,9})\.?"
_DATES = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?=$|[T\s,])T?"),  # ISO
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d\d)(?!\d)"),  # German numeric
    re.compile(r"(?P<d>\d{1,2})\.?\s+" + _MONTH + r"\s+(?P<y>\d{4})(?!\d)"),  # 14. Juni 2018 / 14 June 2018
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})(?!\d)"),  # Jun 14, 2018
    re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?!\d)"),  # 06/14/2018
)
_TIME = re.compile(
    r"(?:um\s+|at\s+|,\s*)?(?P<h>\d{1,2}):(?P<mi>\d\d)(?::(?P<s>\d\d)(?:[.,]\d+)?)?"
    r"(?:\s*(?P<ampm>[AaPp])\.?\s?[Mm]\.?)?(?:\s*(?:Uhr|h))?(?:\s*(?P<z>Z|UTC|GMT|[+-]\d\d:?\d\d))?(?![\d:])"
)
_HEADER_WORDS = frozenset(
    "datum uhrzeit zeit gerät geraet transkript transcript text date time device gerätename "
    "sprachaufnahme aufnahme recording utterance antwort response | nr. nr no. # id".split()
)
_DEVICE_HEADER = re.compile(r"\b(ger(ä|ae)t\w*|device)\b", re.I)
_FOOTER = re.compile(r"^(seite|page|s\.)\s*\d+(\s*(von|of|/)\s*\d+)?$|^\d+\s*(/|von|of)\s*\d+$|^\d{1,4}$", re.I)
_AUDIO_NAME = re.compile(r"(?<![\w/.-])([\w.-]{1,200}\.(?:wav|mp3|flac|ogg|opus|m4a|aac))(?![\w])", re.I)
_WAKE_WORDS = frozenset({"alexa", "computer", "amazon", "ziggy", "text", "transcript", "hey", "ok", "okay"})
MAX_ENTRY_LINES = 60  # a run-away entry (no dates for pages) is cut here; the rest is kept as text


@dataclass
class PdfEntry:
    """One transcript entry of a PDF, with where it stands (page and line are 1-based)."""

    page: int
    line: int
    when: datetime | None = None  # aware (UTC unless the text named a zone)
    date_text: str = ""  # the date and time as the PDF wrote them
    has_time: bool = False
    device: str = ""
    text: str = ""
    not_for_assistant: bool = False
    file_name: str = ""  # an audio file the entry names
    utterance_id: str = ""  # an Alexa utterance id the entry holds
    lines: list[str] = field(default_factory=list)
    inline: bool = False  # the row's cells followed its date on the same line


def parse_date(text: str) -> tuple[tuple[int, int, int], int] | None:
    """``((year, month, day), end)`` for a date at the start of ``text``, else None."""
    for rx in _DATES:
        m = rx.match(text)
        if not m:
            continue
        g = m.groupdict()
        if g.get("mon") is not None:
            month = _MONTHS.get(g["mon"].lower().rstrip("."))
            if month is None:
                continue
        else:
            month = int(g["m"])
        year = int(g["y"])
        year += 2000 if year < 100 else 0
        day = int(g["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31 and 1990 <= year <= 2100):
            continue
        return (year, month, day), m.end()
    return None


def parse_time(text: str) -> tuple[tuple[int, int, int], str, int] | None:
    """``((hour, minute, second), zone, end)`` for a time at the start of ``text``, else None."""
    m = _TIME.match(text)
    if not m:
        return None
    h, mi, s = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
    if m["ampm"]:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if m["ampm"] in "Pp" else 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    return (h, mi, s), (m["z"] or ""), m.end()


def _zone(z: str) -> timezone:
    if not z or z in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if z[0] == "-" else 1
    digits = z[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _is_header(line: str) -> bool:
    words = [w for w in re.split(r"[\s|;:/]+", line.lower()) if w]
    return bool(words) and all(w in _HEADER_WORDS for w in words)


def _start(s: str) -> tuple[tuple, tuple | None, str, str] | None:
    """(date, time or None, zone, rest of the line) when ``s`` starts with a date, else None."""
    date = parse_date(s)
    if not date:
        return None
    rest = s[date[1]:].lstrip(" ,T")
    t = parse_time(rest)
    if t:
        return date[0], t[0], t[1], rest[t[2]:].strip(" |,-–")
    return date[0], None, "", rest.strip(" |,-–")


def entries_from_lines(pages: list[list[str]]) -> list[PdfEntry]:
    """Every entry in the text lines of each page, in document order."""
    out: list[PdfEntry] = []
    cur: PdfEntry | None = None
    dates: dict[int, tuple] = {}
    device_column = False
    for p, lines in enumerate(pages, start=1):
        for n, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line or _FOOTER.match(line):
                continue
            if _is_header(line):
                device_column = device_column or bool(_DEVICE_HEADER.search(line))
                continue
            started = _start(line)
            if started:
                date, tm, zone, rest = started
                cur = PdfEntry(page=p, line=n, date_text=line[: len(line) - len(rest)].strip(" |,"))
                cur.when, cur.has_time = _combine(date, tm, zone), tm is not None
                dates[id(cur)] = date
                out.append(cur)
                if rest:
                    cur.lines.append(rest)
                    cur.inline = True
                continue
            if cur is None:
                continue  # the title and anything before the first entry
            t = parse_time(line) if (not cur.has_time and not cur.lines) else None
            if t:
                cur.when, cur.has_time = _combine(dates[id(cur)], t[0], t[1]), True
                cur.date_text = f"{cur.date_text} {line[: t[2]].strip()}"
                rest = line[t[2]:].strip(" |,-–")
                if rest:
                    cur.lines.append(rest)
                    cur.inline = True
                continue
            if len(cur.lines) < MAX_ENTRY_LINES:
                cur.lines.append(line)
    _split_devices(out, device_column)
    for e in out:
        _finish(e)
    return out


def _combine(date: tuple, tm: tuple | None, zone: str) -> datetime | None:
    try:
        if tm is None:
            return datetime(*date, tzinfo=timezone.utc)
        return datetime(*date, *tm, tzinfo=_zone(zone)).astimezone(timezone.utc)
    except ValueError:
        return None


def _split_devices(entries: list[PdfEntry], device_column: bool) -> None:
    """Find each entry's device. Cells one per line: the first line of an entry of several lines, when a
    header names a device column or that line recurs as a first line elsewhere (device names repeat,
    spoken words seldom do). A whole row on one line (with a device column): the longest run of leading
    words that recurs and that every entry sharing it continues differently, never taking a wake word."""
    if not entries:
        return
    inline = sum(bool(e.inline) for e in entries) * 2 > len(entries)
    if not inline:
        firsts = Counter(e.lines[0] for e in entries if len(e.lines) >= 2)
        for e in entries:
            if len(e.lines) >= 2 and len(e.lines[0]) <= 60 and (device_column or firsts[e.lines[0]] >= 2):
                e.device = e.lines.pop(0)
        return
    if not device_column:
        return
    counts: Counter = Counter()
    for e in entries:
        words = e.lines[0].split() if e.lines else []
        for k in range(1, min(5, len(words))):
            counts[tuple(words[:k])] += 1
    for e in entries:
        words = e.lines[0].split() if e.lines else []
        best = 0
        for k in range(1, min(5, len(words))):
            if words[k - 1].strip(",.!?").lower() in _WAKE_WORDS or counts[tuple(words[:k])] < 2:
                break
            if k > 1 and counts[tuple(words[:k])] < counts[tuple(words[: k - 1])]:
                break  # the run no longer carries the same entries: a word of speech, not the device
            best = k
        if best:
            e.device = " ".join(words[:best])
            e.lines[0] = " ".join(words[best:])


def _finish(e: PdfEntry) -> None:
    text = " ".join(e.lines).strip().strip('"„“”').strip()
    if is_not_available_text(text):
        e.not_for_assistant = True
    m = _AUDIO_NAME.search(text)
    if m:
        e.file_name = m.group(1)
        text = (text[: m.start()] + text[m.end():]).strip(" |,-–")
    if contains_utterance_id(text):
        for token in text.split():
            uid = parse_utterance_id(token)
            if uid:
                e.utterance_id = uid.raw
                text = " ".join(t for t in text.split() if t != token)
                break
    e.text = text
