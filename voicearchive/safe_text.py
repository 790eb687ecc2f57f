"""Text from evidence made safe to print: control characters and bidi overrides written as escapes.

A member name such as ``bad\\x1b]0;TITLE\\x07\\x1b[2J...`` would retitle the terminal, clear the screen and
forge lines if printed as it is; a right-to-left override (U+202E) makes ``evil\\u202ewav.exe`` read as
``evilexe.vaw``. :func:`printable` writes every such character as a visible escape (``\\x1b``, ``\\u202e``,
``\\n``), and a byte that was not valid UTF-8 (kept as a lone surrogate by ``surrogateescape``) as ``\\xNN``,
so what is printed is one line, is the name's exact content, and can always be encoded. No Qt, no I/O.
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

