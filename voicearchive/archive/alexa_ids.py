"""Alexa utterance ids: parse them, find them in cells and (mangled) file names, match them.

An utterance id reads ``{deviceType}:1.0/{YYYY}/{MM}/{DD}/{HH}/{serial}/{mm}:{ss}::TNIH_2V.{uuid}{ZXV|LPM}/{n}``,
for example ``AB72C64C86AW2:1.0/2017/07/13/02/B0F00715535302W5/40:14::TNIH_2V.e68a…f349ZXV/0``.
The date and time parts are UTC. ``/1`` holds the request and ``/0`` the wake word; the ``/n`` part may be
missing. Because the id holds ``/`` and ``:``, any file named after one has been mangled (``_``, ``-``,
percent-encoding), so matching goes by the part that survives every mangling: the UUID plus ``n``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import unquote

UNSPECIFIED_DEVICE = "DEVICE_UNSPECIFIED"

# Separators a mangled id may carry in place of "/" and ":".
_S = r"[/_\-]"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_C = r"[:_\-]"
_ID_RE = re.compile(
    rf"(?P<type>[A-Za-z0-9]{{4,24}}){_C}1[._]0{_S}(?P<y>20\d\d){_S}(?P<mo>\d\d){_S}(?P<d>\d\d){_S}(?P<h>\d\d)"
    rf"{_S}(?P<serial>[A-Za-z0-9_]+?){_S}(?P<mi>\d\d){_C}(?P<s>\d\d){_C}{{2}}"
    rf"(?P<tag>[A-Za-z0-9]+_[A-Za-z0-9]+)\.(?P<uuid>{_UUID})"
    rf"(?P<suffix>[A-Z]{{0,4}})(?:{_S}(?P<part>\d{{1,2}})(?!\d))?"
)
_KNOWN_SUFFIXES = ("ZXV", "YXV", "LPM")
# What survives any mangling: the UUID, its letter suffix and the part number.
_UUID_RE = re.compile(
    rf"(?<![0-9a-fA-F])(?P<uuid>{_UUID})"
    r"(?P<suffix>ZXV|LPM|[A-Z]{3})?(?:(?:[/_\-.]|%2F)(?P<part>\d{1,2})(?![\d]))?"
)


@dataclass(frozen=True)
class UtteranceId:
    """A parsed utterance id. ``serial`` is empty for ``DEVICE_UNSPECIFIED``; ``part`` is None when absent."""

    raw: str
    device_type: str
    serial: str
    when: datetime  # aware UTC, whole seconds
    uuid: str  # lower case
    part: int | None

    @property
    def match_key(self) -> tuple[str, int | None]:
        return (self.uuid, self.part)


def parse_utterance_id(text: str) -> UtteranceId | None:
    """The first utterance id in ``text`` (a cell, a URL, a file name, mangled or not), or None."""
    if not text or len(text) > 4096:
        return None
    text = unquote(text) if "%" in text else text
    m = _ID_RE.search(text)
    if not m:
        return None
    try:
        when = datetime(
            int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]), int(m["s"]), tzinfo=timezone.utc
        )
    except ValueError:
        return None
    serial = m["serial"]
    return UtteranceId(
        raw=m.group(0),
        device_type=m["type"],
        serial="" if serial == UNSPECIFIED_DEVICE else serial,
        when=when,
        uuid=m["uuid"].lower(),
        part=int(m["part"]) if m["part"] is not None else None,
    )


def utterance_key(text: str) -> tuple[str, int | None] | None:
    """``(uuid, part)`` from a full id or from anything that kept its UUID (a mangled file name).

    Only UUIDs that follow Alexa's pattern count: preceded by ``TNIH_2V.``-like text or followed by a
    ``ZXV``/``YXV``/``LPM`` suffix, so that an unrelated UUID (an Amazon media file name) is not taken for one.
    """
    if not text or len(text) > 4096:
        return None
    parsed = parse_utterance_id(text)
    if parsed:
        return parsed.match_key
    text = unquote(text) if "%" in text else text
    for m in _UUID_RE.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()]
        if m["suffix"] in _KNOWN_SUFFIXES or "2V" in before:
            return (m["uuid"].lower(), int(m["part"]) if m["part"] is not None else None)
    return None


def contains_utterance_id(text: str) -> bool:
    """True when ``text`` (a whole file head, any length) holds a full utterance id anywhere."""
    return bool(_ID_RE.search(unquote(text) if "%" in text else text))
