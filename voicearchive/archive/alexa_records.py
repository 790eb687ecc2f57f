"""Alexa metadata, from whichever file holds it, as a flat list of :class:`Entry`.

Two shapes are read:

* voice-history JSON (Alexa Privacy "Review Voice History": ``customerHistoryRecords`` whose records hold
  ``voiceHistoryRecordItems``; also a bare list of such records). One entry per customer utterance.
* transcript tables, recognised by content, never by name, since Amazon's export layout is undocumented:
  CSV, or JSON holding a list of objects (the older ``activities``/``cards`` APIs included), whose columns
  hold Alexa utterance ids, or times plus text. One entry per row.

Entries are joined to audio by ``alexa.py``.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from voicearchive.archive.alexa_ids import UtteranceId, parse_utterance_id
from voicearchive.archive.takeout_activity import parse_rfc3339
from voicearchive.model import ALEXA_EXPORT, ALEXA_HISTORY, TIME_METADATA, TIME_UNKNOWN, TIME_UTTERANCE_ID

NO_PROFILE = "No Alexa voice profile matched"
WAKE_WORD_ONLY = "WAKE_WORD_ONLY"
# "Text not available – audio was not intended for Alexa" (EN) / "Text nicht verfügbar – Audio war nicht
# für Alexa bestimmt" (DE), with or without the part after the dash; CIFT writes "TRANSCRIPT NOT AVAILABLE".
_NOT_AVAILABLE = re.compile(r"^\W*(text|transcript)\s+(not\s+available|nicht\s+verf[üu]gbar)", re.IGNORECASE)
_NOT_DIRECTED = ("DISCARDED_NON_DEVICE_DIRECTED_INTENT", WAKE_WORD_ONLY)
_EMPTY_CELLS = frozenset({"not available", "n/a", "null", "-", "—"})
_CUSTOMER_ITEMS = ("CUSTOMER_TRANSCRIPT", "ASR_REPLACEMENT_TEXT")
_RESPONSE_ITEMS = ("ALEXA_RESPONSE", "TTS_REPLACEMENT_TEXT")
_HEARD = re.compile(r'^\s*Alexa heard:\s*["“]?(.*?)["”]?\s*$', re.IGNORECASE | re.DOTALL)
_EPOCH_MIN, _EPOCH_MAX = 1_262_304_000, 2_208_988_800  # 2010-01-01 .. 2040-01-01, seconds
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})[ ,]+(\d{1,2}):(\d\d)(?::(\d\d))?$")
_SAMPLE_ROWS = 200
_ZONED = re.compile(r"(^\d+$|[zZ]$|[+-]\d\d:?\d\d$|\b(UTC|GMT)$)")


@dataclass
class Entry:
    """One utterance or row of Alexa metadata, before it meets audio."""

    source_path: str  # the table or JSON it came from (member path)
    index: str  # position inside it ("3" for a row, "3.1" for record 3, item 1)
    source_format: str
    uid: UtteranceId | None = None
    vendor_id: str = ""  # utterance id, else recordItemKey/recordKey when there is one
    when: datetime | None = None
    time_basis: str = TIME_UNKNOWN
    transcript: str = ""
    response: str = ""
    device: str = ""
    file_name: str = ""  # an audio file the row names
    not_for_assistant: bool = False
    speaker_hint: str = ""
    extra: dict = field(default_factory=dict)
    archive: str = ""  # container of the source file, set by the importer
    source_key: str = ""  # "<container basename>/<source path>", set by the importer


def is_not_available_text(text: str) -> bool:
    """True for Alexa's "Text not available – audio was not intended for Alexa" in EN or DE, dash or not."""
    return bool(_NOT_AVAILABLE.match(text or ""))


def epoch_ms_time(value: Any) -> datetime | None:
    """Aware UTC from epoch milliseconds (int or digit string) in 2010..2040, else None."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not _EPOCH_MIN * 1000 <= value < _EPOCH_MAX * 1000:
        return None
    return datetime.fromtimestamp(value / 1000, tz=timezone.utc)


def cell_time(text: str) -> datetime | None:
    """A table cell as aware UTC: epoch ms or s, ISO 8601 (``2025-06-18T01:50:18Z``, ``… UTC``) or
    German ``18.06.2025 01:50:18``; times without a zone are taken as UTC."""
    text = (text or "").strip()
    if not text or len(text) > 40:
        return None
    if text.isdigit():
        if len(text) == 10 and _EPOCH_MIN <= int(text) < _EPOCH_MAX:
            return datetime.fromtimestamp(int(text), tz=timezone.utc)
        return epoch_ms_time(text)
    for suffix in (" UTC", " GMT", " Z"):
        if text.upper().endswith(suffix):
            text = text[: -len(suffix)]
    dt = parse_rfc3339(text)
    if dt is not None:
        return dt
    m = _GERMAN_DATE.match(text)
    if m:
        d, mo, y, h, mi, s = m.groups()
        try:
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=timezone.utc)
        except ValueError:
            return None
    return None


def clean_cell(text: Any) -> str:
    """A cell as text, with Amazon's literal "Not Available" and similar placeholders made empty."""
    if text is None:
        return ""
    s = text if isinstance(text, str) else str(text)
    s = s.strip()
    return "" if s.lower() in _EMPTY_CELLS else s


# --- voice-history JSON ----------------------------------------------------------------------------


def history_records(obj: Any) -> list[dict] | None:
    """The records of a voice-history page (``customerHistoryRecords``) or bare list; None if not one."""
    if isinstance(obj, dict) and isinstance(obj.get("customerHistoryRecords"), list):
        return [r for r in obj["customerHistoryRecords"] if isinstance(r, dict)]
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj[:20]):
        if all("voiceHistoryRecordItems" in r or ("recordKey" in r and "recordType" in r) for r in obj[:20]):
            return list(obj)
    return None


def history_entries(records: list[dict], source_path: str) -> list[Entry]:
    """One entry per customer utterance of every record (one per record when it has none)."""
    out: list[Entry] = []
    for i, rec in enumerate(records):
        items = [x for x in rec.get("voiceHistoryRecordItems") or [] if isinstance(x, dict)]
        customer = [x for x in items if x.get("recordItemType") in _CUSTOMER_ITEMS or x.get("utteranceId")]
        customer = [x for x in customer if x.get("recordItemType") not in _RESPONSE_ITEMS]
        response = " ".join(
            t for x in items if x.get("recordItemType") in _RESPONSE_ITEMS and (t := _text(x.get("transcriptText")))
        )
        for j, item in enumerate(customer or [{}]):
            out.append(_history_entry(rec, item, response, source_path, f"{i}.{j}" if customer else str(i)))
    return out


def _history_entry(rec: dict, item: dict, response: str, source_path: str, index: str) -> Entry:
    uid = parse_utterance_id(_text(item.get("utteranceId")))
    text = _text(item.get("transcriptText"))
    utterance_type = _text(rec.get("utteranceType"))
    not_for = utterance_type == WAKE_WORD_ONLY or is_not_available_text(text)
    when, basis = epoch_ms_time(item.get("timestamp")) or epoch_ms_time(rec.get("timestamp")), TIME_METADATA
    if when is None and uid is not None:
        when, basis = uid.when, TIME_UTTERANCE_ID
    persons = item.get("personsInfo") or rec.get("personsInfo") or []
    names = [_text(p.get("personFirstName")) for p in persons if isinstance(p, dict)]
    names = [n for n in names if n]
    if names:
        hint = "Alexa voice profile: " + ", ".join(names)
    elif item.get("recordItemType") == "CUSTOMER_TRANSCRIPT":
        hint = NO_PROFILE
    else:
        hint = ""
    extra = {
        k: v
        for k, v in (
            ("record_key", _text(rec.get("recordKey"))),
            ("record_item_key", _text(item.get("recordItemKey"))),
            ("record_item_type", _text(item.get("recordItemType"))),
            ("utterance_type", utterance_type),
            ("intent", _text(rec.get("intent"))),
            ("domain", _text(rec.get("domain"))),
            ("skill", _text(rec.get("skillName"))),
            ("persons", [{"name": _text(p.get("personFirstName")), "type": _text(p.get("personType"))}
                         for p in persons if isinstance(p, dict)]),
        )
        if v
    }  # fmt: skip
    return Entry(
        source_path=source_path,
        index=index,
        source_format=ALEXA_HISTORY,
        uid=uid,
        vendor_id=uid.raw if uid else extra.get("record_item_key") or extra.get("record_key", ""),
        when=when,
        time_basis=basis if when else TIME_UNKNOWN,
        transcript=text,
        response="" if not_for else response,
        device=history_device(rec, uid),
        not_for_assistant=not_for,
        speaker_hint=hint,
        extra=extra,
    )


def history_device(rec: dict, uid: UtteranceId | None = None) -> str:
    """``device.deviceName``, else the serial from ``recordKey`` (``customer#ms#type#serial``), else the id's."""
    device = rec.get("device")
    name = _text(device.get("deviceName")) if isinstance(device, dict) else ""
    if name:
        return name
    parts = _text(rec.get("recordKey")).split("#")
    if len(parts) > 3 and parts[3]:
        return parts[3]
    return uid.serial if uid else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- the legacy "Manage your content and devices" page (2018) --------------------------------------

_LEGACY_AUDIO = re.compile(r'<audio\s+id="audio-([^"]+)"', re.IGNORECASE)
_LEGACY_SUMMARY = re.compile(
    r'<div\s+class="(summary(?:NotAvailable)?Css)"\s*>(.*?)</div>', re.IGNORECASE | re.DOTALL
)


_HIDDEN_HTML = re.compile(r"<(script|style|template)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


def legacy_html_entries(text: str, source_path: str) -> list[Entry]:
    """Items of Amazon's 2018 voice-history web page: ``<audio id="audio-{utteranceId}">`` followed by a
    ``div.summaryCss`` transcript (``summaryNotAvailableCss`` when there was none)."""
    starts = list(_LEGACY_AUDIO.finditer(text))
    out = []
    for n, m in enumerate(starts):
        chunk = text[m.end() : starts[n + 1].start() if n + 1 < len(starts) else len(text)]
        summary = _LEGACY_SUMMARY.search(chunk)
        raw_id = html.unescape(m.group(1))
        uid = parse_utterance_id(raw_id)
        words = ""
        if summary:
            body = _HIDDEN_HTML.sub(" ", summary.group(2))  # script/style text is never a transcript
            words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()).strip("“”\"")
        not_available = (summary is not None and summary.group(1).lower() == "summarynotavailablecss") or (
            is_not_available_text(words)
        )
        out.append(
            Entry(
                source_path=source_path,
                index=str(n),
                source_format=ALEXA_HISTORY,
                uid=uid,
                vendor_id=uid.raw if uid else raw_id,
                when=uid.when if uid else None,
                time_basis=TIME_UTTERANCE_ID if uid else TIME_UNKNOWN,
                transcript=words,
                device=uid.serial if uid else "",
                not_for_assistant=not_available,
            )
        )
    return out


# --- transcript tables -----------------------------------------------------------------------------

_HEADER_HINTS = {
    "id": ("utteranceid", "utterance id", "utterance_id", "audioid", "audio id", "firstutteranceid"),
    "file": ("file", "audio", "recording", "datei", "aufnahme", "wav", "path", "pfad"),
    "response": ("response", "reply", "answer", "antwort", "alexa said", "tts", "descriptivetext"),
    "device": ("device", "gerät", "geraet", "serial", "echo"),
    "person": ("person", "speaker", "profile", "sprecher", "profil"),
    "status": ("status", "utterancetype", "utterance type"),
    "text": ("transcript", "text", "utterance", "question", "request", "asr", "summary", "heard", "maintext",
             "frage", "äußerung", "eingabe", "anfrage", "befehl", "said", "query", "command", "speech", "spoken",
             "transkript", "inhalt", "aussage", "gesagt", "gesprochen"),
    "time": ("time", "date", "zeit", "datum", "timestamp", "created"),
}  # fmt: skip
AUDIO_EXTENSIONS = (".wav", ".mp3", ".ogg", ".opus", ".flac", ".m4a", ".aac", ".amr")


@dataclass(frozen=True)
class Columns:
    """Which column of a table holds what (None when absent)."""

    id: str | None = None
    time: str | None = None
    text: str | None = None
    response: str | None = None
    device: str | None = None
    file: str | None = None
    person: str | None = None
    status: str | None = None

    @property
    def is_transcript_table(self) -> bool:
        return self.id is not None or (self.time is not None and self.text is not None)


def classify_columns(rows: list[dict[str, str]]) -> Columns:
    """Find the id/time/text/… columns of ``rows`` from their content, helped by header names."""
    sample = rows[:_SAMPLE_ROWS]
    names = list(dict.fromkeys(k for row in sample for k in row))
    filled = {n: [v for row in sample if (v := clean_cell(row.get(n)))] for n in names}
    used: set[str] = set()

    def share(name: str, test) -> float:
        cells = filled[name]
        return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0

    def pick(candidates: list[str]) -> str | None:
        for n in candidates:
            if n not in used:
                used.add(n)
                return n
        return None

    id_col = pick([n for n in names if share(n, lambda c: parse_utterance_id(c) is not None) >= 0.5])
    file_col = pick(
        [n for n in names if share(n, lambda c: c.lower().split("?")[0].endswith(AUDIO_EXTENSIONS)) >= 0.5]
        + [n for n in names if header_hint(n, "file") and filled[n] and share(n, _is_texty) < 0.5]
    )
    time_cols = [n for n in names if share(n, lambda c: cell_time(c) is not None) >= 0.8]
    time_col = pick(sorted(time_cols, key=lambda n: not header_hint(n, "time")))
    response_col = pick([n for n in names if header_hint(n, "response") and not header_hint(n, "id")])
    device_col = pick(sorted((n for n in names if header_hint(n, "device")), key=_device_preference))
    person_col = pick([n for n in names if header_hint(n, "person")])
    status_col = pick([n for n in names if header_hint(n, "status") and n not in time_cols])
    alpha = [n for n in names if n not in used and filled[n] and share(n, _has_letters) >= 0.6]
    hinted = [n for n in alpha if header_hint(n, "text") and share(n, _is_code) < 0.5]
    texty = [n for n in alpha if share(n, _is_texty) >= 0.6]
    text_col = pick(hinted or sorted(texty, key=lambda n: -sum(map(len, filled[n])) / len(filled[n])))
    return Columns(id_col, time_col, text_col, response_col, device_col, file_col, person_col, status_col)


def header_hint(name: str, kind: str) -> bool:
    """True when column ``name`` (its last dotted part, for flattened JSON) reads like ``kind``."""
    low = name.rsplit(".", 1)[-1].lower().replace("_", " ")
    return any(h in low or h in low.replace(" ", "") for h in _HEADER_HINTS[kind])


def _device_preference(name: str) -> tuple[bool, bool]:
    """A device's name first, then its serial, then anything else about the device."""
    low = name.lower()
    return ("name" not in low, "serial" not in low)


def _has_letters(cell: str) -> bool:
    return any(ch.isalpha() for ch in cell)


def _is_code(cell: str) -> bool:
    """An identifier such as ``A2P39TP3BRS5M7`` or ``amzn1.actor.person``: one token with digits."""
    return " " not in cell.strip() and len(cell) >= 6 and any(ch.isdigit() for ch in cell)


def _is_texty(cell: str) -> bool:
    """Free text (words with spaces) rather than a number, an id, a code or a time."""
    return (_has_letters(cell) and " " in cell.strip()) or is_not_available_text(cell)


def json_rows(obj: Any) -> list[dict[str, str]] | None:
    """The rows of the largest list of objects in ``obj`` (top level or one key down), flattened."""
    candidates: list[list] = []
    if isinstance(obj, list):
        candidates.append(obj)
    elif isinstance(obj, dict):
        candidates.extend(v for v in obj.values() if isinstance(v, list))
    best = max(
        (c for c in candidates if c and sum(isinstance(x, dict) for x in c[:20]) >= 0.8 * min(len(c), 20)),
        key=len,
        default=None,
    )
    if best is None:
        return None
    return [_flatten(x) for x in best if isinstance(x, dict)]


def _flatten(obj: dict, prefix: str = "", depth: int = 0) -> dict[str, str]:
    """``{"a": {"b": 1}, "c": [{"d": 2}], "e": '{"f": 3}'}`` -> ``{"a.b": "1", "c.d": "2", "e.f": "3"}``."""
    out: dict[str, str] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, str) and value.startswith("{") and value.endswith("}") and depth < 3:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = value[0]
        if isinstance(value, dict) and depth < 3:
            out.update(_flatten(value, f"{name}.", depth + 1))
        elif isinstance(value, list):
            out[name] = ", ".join(str(v) for v in value if not isinstance(v, (dict, list)))
        elif value is not None:
            out[name] = str(value)
    return out


def table_entries(
    rows: list[dict[str, str]], cols: Columns, source_path: str, csv_rows: list[int] | None = None
) -> list[Entry]:
    """One entry per row of a transcript table. Each says where it came from: ``csv_row`` as a spreadsheet
    numbers it (``csv_rows``, from :class:`Table`), else ``json_index`` (0-based) in the list of objects."""
    out = []
    for i, row in enumerate(rows):
        get = lambda col: clean_cell(row.get(col)) if col else ""  # noqa: E731
        uid = parse_utterance_id(get(cols.id)) if cols.id else None
        time_cell = get(cols.time)
        when, basis = (cell_time(time_cell) if time_cell else None), TIME_METADATA
        if when is None and uid is not None:
            when, basis = uid.when, TIME_UTTERANCE_ID
        text = get(cols.text)
        heard = _HEARD.match(text)
        if heard:
            text = heard.group(1)
        status = get(cols.status).upper()
        person = get(cols.person)
        position = csv_rows[i] if csv_rows else i
        extra: dict = {"csv_row" if csv_rows else "json_index": position}
        extra["row"] = {k: v for k, v in row.items() if v not in ("", None)}
        if basis == TIME_METADATA and when is not None and not _ZONED.search(time_cell):
            extra["time_note"] = "no time zone in the table; taken as UTC"
        out.append(
            Entry(
                source_path=source_path,
                index=str(position),
                source_format=ALEXA_EXPORT,
                uid=uid,
                vendor_id=uid.raw if uid else "",
                when=when,
                time_basis=basis if when else TIME_UNKNOWN,
                transcript=text,
                response=get(cols.response),
                device=get(cols.device) or (uid.serial if uid else ""),
                file_name=get(cols.file) if cols.file else "",
                not_for_assistant=is_not_available_text(text) or any(s in status for s in _NOT_DIRECTED),
                speaker_hint=f"Alexa voice profile: {person}" if person else "",
                extra=extra,
            )
        )
    return out
