"""Exact member names: keyed by their bytes, stored as UTF-8 text, shown decoded.

A file name on disk is bytes. ``exact_name(raw)`` is the text every layer stores (case file, CSV, evidence
package): the name itself when it is UTF-8, else the same name with each byte that is not UTF-8 written as
``\\xNN`` (``caf\\xe9.wav`` for the Latin-1 ``café.wav``), so two names that differ only in encoding stay
two members and a lawyer can find the very file. ``shown_name(path)`` is what a person reads (the escaped
bytes decoded as cp1252, the usual encoding of old Windows copies); ``name_bytes(path)`` gives the exact
bytes back. Zip entry names keep what zipfile reads (UTF-8, else cp437, a one-to-one mapping of bytes).
"""

from __future__ import annotations

import os
import re

_ESCAPED = re.compile(r"\\x([89a-f][0-9a-f])")


def exact_name(raw: bytes) -> str:
    """``raw`` as UTF-8 text; bytes that are not UTF-8 are written ``\\xNN``."""
    return raw.decode("utf-8", "backslashreplace")


def exact_fs_name(rel: str) -> str:
    """A path from ``os.scandir`` (surrogate-escaped where not UTF-8) as its exact name."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return exact_name(os.fsencode(rel))


def is_escaped(path: str) -> bool:
    return _ESCAPED.search(path) is not None


def name_bytes(path: str) -> bytes:
    """The exact bytes of a name given by ``exact_name`` (best effort for names holding a literal ``\\x``)."""
    out = bytearray()
    pos = 0
    for m in _ESCAPED.finditer(path):
        out += path[pos : m.start()].encode("utf-8")
        out.append(int(m.group(1), 16))
        pos = m.end()
    out += path[pos:].encode("utf-8")
    return bytes(out)


def shown_name(path: str) -> str:
    """The name for reading: escaped bytes decoded as cp1252 (``caf\\xe9.wav`` -> ``café.wav``)."""
    if not is_escaped(path):
        return path
    return _ESCAPED.sub(lambda m: bytes([int(m.group(1), 16)]).decode("cp1252", "replace"), path)


def escape_controls(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1, bidi overrides) written as ``\\xNN``/``\\uNNNN``."""
    return "".join(_escape_char(c) if _is_control(c) else c for c in text)


def _is_control(c: str) -> bool:
    o = ord(c)
    return o < 0x20 or 0x7F <= o < 0xA0 or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069


def _escape_char(c: str) -> str:
    o = ord(c)
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"
