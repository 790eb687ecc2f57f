"""Google My Activity in its HTML form (``MyActivity.html``, split files ``MyActivity-1.html`` …).

Each item is a ``div.outer-cell`` holding ``p.mdl-typography--title`` (the header), a
``div.content-cell.mdl-typography--body-1`` (the title line with its link, subtitle lines, then a date
line) and a ``div.content-cell.mdl-typography--caption`` (``<b>Products:</b><br> Assistant<br><b>Details:</b>
…``). Parsed with the stdlib's :mod:`html.parser`; how audio is referenced in the HTML is not documented,
so any ``src``/``href`` in an item that names an audio file counts as that item's audio.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

from .takeout_activity import Activity

AUDIO_SUFFIXES = (".mp3", ".wav", ".ogg", ".opus", ".m4a", ".aac", ".flac", ".amr", ".3gp")

# Abbreviations Google prints after the time (the exporting machine's zone since about 2020).
# Ambiguous ones (IST, for India, Ireland, Israel) are left out on purpose: they fall back to UTC
# with a note, rather than to a guess.
TZ_OFFSETS_H: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1,
    "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5,
    "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AWST": 8, "ACST": 9.5, "ACDT": 10.5,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}  # fmt: skip
_MONTHS = {
    **{m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    **{m: i for i, m in enumerate("jan feb mär apr mai jun jul aug sep okt nov dez".split(), 1)},
    "mrz": 3, "sept": 9, "märz": 3, "juni": 6, "juli": 7,
}  # fmt: skip
_TZ = r"(?P<tz>[A-Z]{1,5}|(?:GMT|UTC)[+-]\d{1,2}(?::?\d\d)?)?"
_EN_DATE = re.compile(
    r"^(?P<mon>[A-Za-z]{3,9})\.? (?P<d>\d{1,2}), (?P<y>\d{4}),? (?P<h>\d{1,2}):(?P<mi>\d\d)(?::(?P<s>\d\d))?"
    rf" ?(?P<ampm>[AaPp]\.?[Mm]\.?)? ?{_TZ}$"
)
_DE_DATE = re.compile(
    r"^(?P<d>\d{1,2})\.\s?(?:(?P<mo>\d{1,2})\.|(?P<mon>[A-Za-zä]{3,9})\.?) ?(?P<y>\d{4}),? (?P<h>\d{1,2}):(?P<mi>\d\d)"
    rf"(?::(?P<s>\d\d))? ?{_TZ}$"
)
_SECTIONS = {
    "products": "products", "produkte": "products", "product": "products", "produkt": "products",
    "details": "details", "detail": "details",
    "locations": "locations", "location": "locations", "standorte": "locations", "standort": "locations",
    "orte": "locations", "ort": "locations",
}  # fmt: skip


def parse_date_text(text: str) -> tuple[datetime | None, str]:
    """Parse a My Activity HTML date line to aware UTC.

    Returns ``(time, note)``: ``note`` is non-empty when the zone was unknown or missing and the time
    was taken as UTC, e.g. ``"time zone 'IST' not known; taken as UTC"``.
    """
    text = re.sub(r"[\s\u202f\u00a0]+", " ", text).strip()
    m = _EN_DATE.match(text) or _DE_DATE.match(text)
    if not m:
        return None, ""
    parts = m.groupdict()
    if parts.get("mo"):
        month = int(parts["mo"])
    else:
        month = _MONTHS.get((parts.get("mon") or "").lower().rstrip("."), 0) or _MONTHS.get(
            (parts.get("mon") or "")[:3].lower(), 0
        )
    hour = int(parts["h"])
    ampm = (parts.get("ampm") or "").replace(".", "").upper()
    if ampm == "PM" and hour < 12:
        hour += 12
    elif ampm == "AM" and hour == 12:
        hour = 0
    try:
        naive = datetime(int(parts["y"]), month, int(parts["d"]), hour, int(parts["mi"]), int(parts["s"] or 0))
    except ValueError:
        return None, ""
    offset, note = _offset(parts.get("tz") or "")
    return (naive - offset).replace(tzinfo=timezone.utc), note


def _offset(tz: str) -> tuple[timedelta, str]:
    if not tz:
        return timedelta(0), "no time zone in the date; taken as UTC"
    m = re.fullmatch(r"(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d\d))?", tz)
    if m:
        minutes = int(m[2]) * 60 + int(m[3] or 0)
        return timedelta(minutes=minutes if m[1] == "+" else -minutes), ""
    if tz in TZ_OFFSETS_H:
        return timedelta(hours=TZ_OFFSETS_H[tz]), ""
    return timedelta(0), f"time zone {tz!r} not known; taken as UTC"


def parse_activity_html(text: str) -> list[Activity]:
    """All ``div.outer-cell`` items of a My Activity HTML page, in document order."""
    parser = _ActivityParser()
    parser.feed(text)
    parser.close()
    return parser.items


def looks_like_activity_html(text: str) -> bool:
    """True when ``text`` (or its first part) is a My Activity page."""
    return "outer-cell" in text and "content-cell" in text


class _Cell:
    """Lines of one content cell, split at ``<br>``; captions also split into ``<b>`` sections."""

    def __init__(self, kind: str, depth: int) -> None:
        self.kind, self.depth = kind, depth
        self.lines: list[str] = []
        self.sections: list[tuple[str, list[str]]] = []
        self.buf: list[str] = []
        self.in_bold = False

    def text(self, data: str) -> None:
        self.buf.append(data)

    def br(self) -> None:
        line = re.sub(r"[\s\u2003\u202f\u00a0]+", " ", "".join(self.buf)).strip()
        self.buf = []
        if not line:
            return
        if self.kind == "caption" and self.sections:
            self.sections[-1][1].append(line)
        elif self.kind != "caption":
            self.lines.append(line)

    def heading(self, name: str) -> None:
        self.sections.append((name.strip().rstrip(":").strip().lower(), []))


_HIDDEN_TAGS = ("script", "style", "template", "noscript")


class _ActivityParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Activity] = []
        self.depth = 0
        self.item_depth: int | None = None
        self.header: list[str] | None = None
        self.header_p = False
        self.cells: list[_Cell] = []
        self.cell: _Cell | None = None
        self.links: list[str] = []
        self.audio: list[str] = []
        self.bold: list[str] | None = None
        self.hidden = 0  # inside <script>, <style> or <template>: their text is never content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
            return
        a = {k: v or "" for k, v in attrs}
        cls = a.get("class", "").split()
        if tag == "br":
            if self.cell:
                self.cell.br()
            return
        for ref in (a.get("src", ""), a.get("href", "")):
            if self.item_depth is not None and ref.lower().split("?")[0].endswith(AUDIO_SUFFIXES):
                self.audio.append(ref)
        href = a.get("href", "")
        if tag == "a" and self.cell and self.cell.kind == "body" and href and href not in self.audio:
            self.links.append(href)
        if tag == "p" and "mdl-typography--title" in cls and self.item_depth is not None:
            self.header, self.header_p = [], True
        if tag == "b" and self.cell and self.cell.kind == "caption":
            self.cell.br()
            self.bold = []
        if tag != "div":
            return
        self.depth += 1
        if "outer-cell" in cls and self.item_depth is None:
            self.item_depth = self.depth
            self.header, self.cells, self.links, self.audio = None, [], [], []
        elif "content-cell" in cls and self.item_depth is not None and self.cell is None:
            if "mdl-typography--caption" in cls:
                self.cell = _Cell("caption", self.depth)
            elif "mdl-typography--body-1" in cls and "mdl-typography--text-right" not in cls:
                self.cell = _Cell("body", self.depth)
            else:
                self.cell = _Cell("other", self.depth)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "div":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
            return
        if tag == "p":
            self.header_p = False
        elif tag == "b" and self.bold is not None and self.cell:
            self.cell.heading("".join(self.bold))
            self.bold = None
        elif tag == "div":
            if self.cell and self.cell.depth == self.depth:
                self.cell.br()
                self.cells.append(self.cell)
                self.cell = None
            if self.item_depth is not None and self.depth == self.item_depth:
                self._finish()
                self.item_depth = None
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.bold is not None:
            self.bold.append(data)
        elif self.cell:
            self.cell.text(data)
        elif self.header_p and self.header is not None:
            self.header.append(data)

    def _finish(self) -> None:
        act = Activity(index=len(self.items), header=" ".join("".join(self.header or []).split()))
        body = next((c for c in self.cells if c.kind == "body"), None)
        lines = list(body.lines) if body else []
        for i in range(len(lines) - 1, -1, -1):
            when, note = parse_date_text(lines[i])
            if when:
                act.time, act.time_note = when, note
                del lines[i]
                break
        if lines:
            act.title = lines[0]
            act.subtitles = lines[1:]
        act.title_url = self.links[0] if self.links else ""
        act.audio_files = list(dict.fromkeys(self.audio))
        for cell in self.cells:
            for name, values in cell.sections:
                key = _SECTIONS.get(name)
                if key:
                    getattr(act, key).extend(values)
        self.items.append(act)
