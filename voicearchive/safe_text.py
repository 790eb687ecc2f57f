"""Text from evidence made safe to print: control characters and bidi overrides written as escapes.

A member name such as ``bad\\x1b]0;TITLE\\x07\\x1b[2J...`` would retitle the terminal, clear the screen and
forge lines if printed as it is; a right-to-left override (U+202E) makes ``evil\\u202ewav.exe`` read as
``evilexe.vaw``. :func:`printable` writes every such character as a visible escape (``\\x1b``, ``\\u202e``,
``\\n``), and a byte that was not valid UTF-8 (kept as a lone surrogate by ``surrogateescape``) as ``\\xNN``,
so what is printed is one line, is the name's exact content, and can always be encoded. No Qt, no I/O.

:func:`display` is the same for the window: every view shows evidence-derived text through it (via
``gui/plain.py``), one line for names, paths and cells, or ``multiline`` for transcripts and messages.
"""

from __future__ import annotations

import re

# Bidi embeddings, overrides and isolates, and the invisible marks that steer them.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SUSPECT = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` as one safe line: control characters, line separators, bidi controls and undecodable
    bytes become visible escapes; everything else (umlauts, emoji, any script) is kept."""
    value = "" if text is None else str(text)
    if not _SUSPECT.search(value):
        return value
    return _SUSPECT.sub(lambda m: _escape(m.group()), value)


# What a multi-line text may keep as it is: line breaks and tabs. Carriage returns and the Unicode line and
# paragraph separators become plain line breaks; every other control character, bidi control and undecodable
# byte is escaped as on one line.
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")
_SUSPECT_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def display(text: object, *, multiline: bool = False) -> str:
    """Evidence text as the window shows it (the one function every view uses, through ``gui/plain.py``).

    One line (a list cell, a name, a path, a device, a title): :func:`printable`, so nothing can reverse,
    hide or break the line. ``multiline`` (a transcript, a message, a tooltip): line breaks (``\\n``,
    ``\\r\\n``, ``\\r``, U+2028, U+2029) become ``\\n`` and tabs stay; every other control character, every
    bidi control and every undecodable byte is escaped as on one line, so text after a U+202E still reads
    left to right and says where the override was.
    """
    if not multiline:
        return printable(text)
    value = "" if text is None else str(text)
    if "\r" in value or "\u2028" in value or "\u2029" in value:
        value = _LINE_BREAKS.sub("\n", value)
    if not _SUSPECT_MULTILINE.search(value):
        return value
    return _SUSPECT_MULTILINE.sub(lambda m: _escape(m.group()), value)
