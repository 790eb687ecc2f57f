"""Transcript tables beside loose audio: a CSV or JSON list whose rows name the audio files.

A leak often holds a pile of audio plus one table. When a column's values are the file names of audio
members (with or without extension, any case) the row's text columns are joined to that audio, and the
recording says so (``join = "file-name"``). Tables that name no audio are left alone; Alexa-style tables
joined by utterance id or time are the Alexa importer's business.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterable

from voicearchive.archive.base import Listing
from voicearchive.archive.source import Member, MemberError
from voicearchive.archive.text import TextError, load_json, read_csv
from voicearchive.messages import Message
from voicearchive.model import Problem

MAX_TABLE_BYTES = 32 << 20
MAX_TABLES = 50  # tables read per archive at most (a Photos export has one JSON per photo)
_TEXT = re.compile(r"transcri|transkri|^text$|text$|utterance|said|query|request|command|äußerung|aeusserung|anfrage|befehl", re.I)
_RESPONSE = re.compile(r"response|answer|reply|antwort|alexa.?said|assistant", re.I)


@dataclass(frozen=True)
class Transcript:
    text: str
    response: str
    table: str  # member path of the table it came from
    row: int  # 1-based data row


def _stem(name: str) -> str:
    name = posixpath.basename(name.strip().replace("\\", "/")).lower()
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def _rows(listing: Listing, m: Member, kind: str) -> list[dict[str, str]]:
    data = listing.tree.read(m, MAX_TABLE_BYTES)
    if kind == "csv":
        return read_csv(data).records()
    parsed = load_json(data)
    if isinstance(parsed, dict):
        lists = [v for v in parsed.values() if isinstance(v, list)]
        parsed = lists[0] if len(lists) == 1 else []
    if not isinstance(parsed, list):
        return []
    return [
        {str(k): str(v) for k, v in row.items() if isinstance(v, (str, int, float))}
        for row in parsed
        if isinstance(row, dict)
    ]


def _pick_columns(rows: list[dict[str, str]], stems: set[str]) -> tuple[str, str | None, str | None] | None:
    """(file column, text column, response column) when a column names audio files, else None."""
    if not rows:
        return None
    columns = list(rows[0])
    best, best_hits = None, 0
    for col in columns:
        hits = sum(1 for r in rows if r.get(col, "").strip() and _stem(r[col]) in stems)
        if hits > best_hits:
            best, best_hits = col, hits
    if best is None or best_hits * 2 < min(len(rows), len(stems)) and best_hits < 3:
        return None
    others = [c for c in columns if c != best]
    text = next((c for c in others if _TEXT.search(c) and not _RESPONSE.search(c)), None)
    response = next((c for c in others if _RESPONSE.search(c)), None)
    if text is None and response is None:
        return None
    return best, text, response


def transcripts_for(
    listing: Listing, audio: Iterable[Member]
) -> tuple[dict[Member, Transcript], list[Problem]]:
    """Transcripts from tables in the same container that name members of ``audio`` by file name."""
    by_stem: dict[tuple[str, str], list[Member]] = {}
    for m in audio:
        by_stem.setdefault((m.container, _stem(m.name)), []).append(m)
    if not by_stem:
        return {}, []
    found: dict[Member, Transcript] = {}
    problems: list[Problem] = []
    folders = _audio_folders_and_parents(m for ms in by_stem.values() for m in ms)
    beside = [
        (kind, t)
        for kind in ("csv", "json")
        for t in listing.text_members(kind)
        if not listing.is_claimed(t) and (t.container, posixpath.dirname(t.path)) in folders
    ]
    for kind, table in beside[:MAX_TABLES]:
        try:
            rows = _rows(listing, table, kind)
        except (MemberError, TextError) as exc:
            problems.append(Problem(table.container, table.path, Message.of("archive.table_beside", reason=exc.reason)))
            continue
        stems = {s for c, s in by_stem if c == table.container}
        columns = _pick_columns(rows, stems)
        if columns is None:
            continue
        file_col, text_col, response_col = columns
        listing.claim(table)
        for i, row in enumerate(rows, start=1):
            for m in by_stem.get((table.container, _stem(row.get(file_col, ""))), []):
                if m not in found:
                    found[m] = Transcript(
                        text=row.get(text_col, "").strip() if text_col else "",
                        response=row.get(response_col, "").strip() if response_col else "",
                        table=table.path,
                        row=i,
                    )
    return found, problems


def _audio_folders_and_parents(audio: Iterable[Member]) -> set[tuple[str, str]]:
    """(container, folder) of every folder that holds audio, and of each of its parents."""
    folders: set[tuple[str, str]] = set()
    for m in audio:
        folder = posixpath.dirname(m.path)
        while (m.container, folder) not in folders:
            folders.add((m.container, folder))
            if not folder:
                break
            folder = posixpath.dirname(folder)
    return folders
