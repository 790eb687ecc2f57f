"""Decode text files from evidence and parse them defensively.

Vendor exports arrive in whatever encoding the exporting program (or the person who leaked them) chose:
UTF-8, UTF-8 with a byte-order mark (Amazon's CSVs), UTF-16 with a BOM (Excel's "Unicode text"), or
Windows-1252 (a CSV re-saved by Excel on a Western Windows machine). Every function here takes bytes and
either returns parsed data or raises :class:`TextError` with a message fit to show a user next to the
file's name. Nothing here touches the disk.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from voicearchive.messages import Message

# Excel and spreadsheet exports put whole transcripts in one cell; the csv module's default limit
# (128 KiB) is too low for some JSON-in-a-cell exports, and no cell of a transcript table needs more.
_CSV_FIELD_LIMIT = 16 * 1024 * 1024
_DELIMITERS = (",", ";", "\t", "|")


class TextError(ValueError):
    """A text member cannot be decoded or parsed. ``str()`` says why in English; ``message`` (also
    ``reason``, like ``MemberError``) is the catalogue Message (``archive.text_*``) for the user's language."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = self.reason = message


# The parsers' own words for what is wrong (English), as codes where they are common.
_PARSER_WORDS = {
    "Expecting value": "archive.json_expecting_value",
    "Expecting property name enclosed in double quotes": "archive.json_expecting_name",
    "Expecting ',' delimiter": "archive.json_expecting_comma",
    "Expecting ':' delimiter": "archive.json_expecting_colon",
    "Unterminated string starting at": "archive.json_unterminated",
    "Extra data": "archive.json_extra_data",
    "Invalid control character at": "archive.json_control_character",
    "invalid start byte": "archive.text_invalid_start",
    "invalid continuation byte": "archive.text_invalid_continuation",
    "unexpected end of data": "archive.text_unexpected_end",
    "truncated data": "archive.text_unexpected_end",
}


def _detail(text: str) -> Message:
    """A parser's reason as a code when it is a known one, else quoted as it is."""
    code = _PARSER_WORDS.get(text.strip())
    return Message.of(code) if code else Message.of("archive.parser_said", detail=text)


def decode_text(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data``.

    A byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); otherwise strict UTF-8, then
    UTF-16 when the bytes look like it (every other byte NUL), then Windows-1252, which accepts nearly
    any byte string; the five bytes cp1252 leaves undefined fall back to Latin-1 so nothing is lost.
    """
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(name.removesuffix("-sig")), name
            except UnicodeDecodeError as exc:
                label = _pretty(name)
                raise TextError(Message.of("archive.text_bad_bom", label=label, reason=_detail(exc.reason))) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _utf16_without_bom(data)
    if guess:
        try:
            return data.decode(guess), guess
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _pretty(name: str) -> str:
    return name.removesuffix("-sig").upper().replace("-LE", "").replace("-BE", "")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when mostly-ASCII UTF-16 text is likely, else None."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) // 2)
    odd_nul = sample[1::2].count(0) / (len(sample) // 2)
    if odd_nul > 0.6 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def load_json(data: bytes) -> Any:
    """Parse JSON from bytes in any supported encoding; raise :class:`TextError` saying where it broke."""
    text, _ = decode_text(data)
    if not text.strip():
        raise TextError(Message.of("archive.json_empty"))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TextError(Message.of("archive.json_broken", line=exc.lineno, column=exc.colno, reason=_detail(exc.msg))) from None
    except RecursionError:
        raise TextError(Message.of("archive.json_too_deep")) from None


@dataclass(frozen=True)
class Table:
    """A CSV table: a header and rows of cells, every row padded to the header's width (extra cells
    of a long row are joined, with the delimiter, into its last column).

    Blank lines are dropped; ``row_numbers[i]`` is the number a spreadsheet shows for ``rows[i]``
    (every record counts, blank ones too, and a cell spanning lines is one row).
    """

    header: list[str]
    rows: list[list[str]]
    encoding: str
    delimiter: str
    row_numbers: list[int]

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by header name (a repeated or empty name gets a ``#n`` suffix)."""
        names = unique_names(self.header)
        return [dict(zip(names, row)) for row in self.rows]


def unique_names(header: list[str]) -> list[str]:
    """Make column names unique and non-empty: ``["a", "", "a"] -> ["a", "#2", "a#3"]``."""
    seen: set[str] = set()
    out = []
    for i, name in enumerate(header, start=1):
        name = name.strip()
        candidate = name or f"#{i}"
        if candidate in seen:
            candidate = f"{name}#{i}"
        seen.add(candidate)
        out.append(candidate)
    return out


def read_csv(data: bytes) -> Table:
    """Parse a delimited text table (comma, semicolon, tab or pipe) with a header row.

    Raises :class:`TextError` when there is no header, when the text holds NUL bytes (a binary file
    renamed ``.csv``), or when the csv module rejects it.
    """
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise TextError(Message.of("archive.table_nul"))
    if not text.strip():
        raise TextError(Message.of("archive.table_empty"))
    delimiter = sniff_delimiter(text)
    previous = csv.field_size_limit()
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        lines = [(n, row) for n, row in enumerate(reader, start=1) if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise TextError(Message.of("archive.csv_broken", reason=_detail(str(exc)))) from None
    finally:
        csv.field_size_limit(previous)
    if not lines:
        raise TextError(Message.of("archive.table_empty"))
    header = [cell.strip() for cell in lines[0][1]]
    width = len(header)
    rows = [_fit(row, width, delimiter) for _, row in lines[1:]]
    return Table(header, rows, encoding, delimiter, row_numbers=[n for n, _ in lines[1:]])


def _fit(row: list[str], width: int, delimiter: str) -> list[str]:
    """``row`` with ``width`` cells: short rows padded; in a long row (an unquoted delimiter in the last
    column, as in ``a.wav,Alexa, wie wird das Wetter?``) the extra cells belong to the last column."""
    if len(row) == width:
        return row
    if len(row) < width:
        return row + [""] * (width - len(row))
    while len(row) > width and not row[-1].strip():  # trailing empty cells (a stray delimiter)
        row = row[:-1]
    if len(row) > width and width:
        row = row[: width - 1] + [delimiter.join(row[width - 1 :])]
    return row


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first line most often (comma when none does)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: _count_outside_quotes(first, d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count
