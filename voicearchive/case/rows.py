"""Conversions between the shared dataclasses and case-file rows (no SQL here, no I/O).

Times are stored as ISO 8601 UTC text with microseconds, so text order is time order and a case file
stays readable with the ``sqlite3`` shell. Arrays are little-endian float32 blobs; dicts are JSON.
"""

from __future__ import annotations

import json
from sys import intern
from dataclasses import asdict, is_dataclass
from datetime import datetime, timezone
from pathlib import PurePath
from typing import Any, NamedTuple

import numpy as np

from voicearchive.messages import Message
from voicearchive.model import AudioFacts, Label, Recording, VoiceResult, utc

FLOAT32_LE = np.dtype("<f4")

REC_COLUMNS = (
    "key", "archive", "member_path", "source_format", "sha256", "size", "recorded_at",
    "time_basis", "device", "transcript", "assistant_response", "not_for_assistant",
    "vendor_speaker_hint", "join_method", "codec", "sample_rate", "channels", "duration_s",
    "problem", "extra", "audio_note",
)  # fmt: skip
LABEL_COLUMNS = ("flag", "role", "note")
VOICE_COLUMNS = (
    "group_id", "group_name", "owner_similarity", "flagged", "flag_reason", "uncertain",
    "speech_s", "other_voice_spans", "score", "other_score", "in_owner_set", "reason", "name",
)  # fmt: skip


class CachedMember(NamedTuple):
    """What the member cache knows of one archive member (unpacks as a plain 4-tuple)."""

    sha256: str
    size: int
    audio: AudioFacts | None
    problem: str


def _json_default(value: Any) -> Any:
    if isinstance(value, Message):  # restored by from_json (a settings or report value may be a Message)
        return {"$message": json.loads(value.to_json())}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, PurePath):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"cannot store a {type(value).__name__} in the case file")


def to_json(value: Any) -> str:
    """JSON text for ``value``; numpy values, datetimes, sets and paths are converted."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


_scan_json = json.JSONDecoder().scan_once


def from_json(text: str) -> Any:
    """The value of JSON text written by :func:`to_json` (a third of ``json.loads``' cost per call);
    a :class:`Message` stored inside comes back as a Message."""
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        end = -1
    value = value if end == len(text) else json.loads(text)
    return _messages_restored(value) if '"$message"' in text else value


def _messages_restored(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$message" in value:
            return Message.from_json(json.dumps(value["$message"]))
        return {k: _messages_restored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_messages_restored(v) for v in value]
    return value


def message_text(value: Message | str | None) -> str:
    """A message column's text: a :class:`Message` as its JSON (``Message.to_json``), a string as it is."""
    if isinstance(value, Message):
        return value.to_json()
    return "" if value is None else str(value)


def message_value(text: str | None) -> Message | str:
    """A message column's value: the :class:`Message` stored by :func:`message_text`; a legacy plain
    string stays a string (``render`` shows both the same, and old callers keep working)."""
    if not text:
        return ""
    if text.startswith('{"code"'):
        msg = Message.from_json(text)
        return msg if msg is not None else text
    return intern(text) if len(text) < 200 else text


def now_text() -> str:
    """The current UTC time as ISO 8601 text (seconds), for the ``created_at``-style columns."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def iso(dt: datetime | None) -> str | None:
    """``dt`` as sortable ISO 8601 UTC text with microseconds (``None`` stays ``None``)."""
    return None if dt is None else utc(dt).isoformat(timespec="microseconds")


def f32_blob(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array, dtype=FLOAT32_LE).tobytes()


def f32_array(blob: bytes, shape: tuple[int, ...]) -> np.ndarray:
    """A writable native float32 array of ``shape`` from a blob written by :func:`f32_blob`."""
    return np.frombuffer(blob, dtype=FLOAT32_LE).astype(np.float32).reshape(shape)


def facts_columns(facts: AudioFacts | None) -> tuple:
    if facts is None:
        return (None, None, None, None)
    return (facts.codec, int(facts.sample_rate), int(facts.channels), float(facts.duration_s))


def facts_from(codec: str | None, rate: int | None, channels: int | None, duration: float | None,
               note: str | None = "") -> AudioFacts | None:
    if codec is None:
        return None
    return AudioFacts(codec=codec, sample_rate=rate, channels=channels, duration_s=duration,
                      note=message_value(note) or None)


def note_text(facts: AudioFacts | None) -> str:
    """The ``audio_note`` column: the facts' note (a Message or text) as :func:`message_text`."""
    return message_text(getattr(facts, "note", None)) if facts is not None else ""


def recording_row(r: Recording) -> tuple:
    """Column values for ``REC_COLUMNS``."""
    return (
        r.key, r.archive, r.member_path, r.source_format, r.sha256, int(r.size), iso(r.recorded_at),
        r.time_basis, r.device, r.transcript, r.assistant_response, int(bool(r.not_for_assistant)),
        r.vendor_speaker_hint, r.join, *facts_columns(r.audio), message_text(r.problem),
        to_json(r.extra) if r.extra else "{}", note_text(r.audio),
    )  # fmt: skip


def recording_from(row: tuple | Any) -> Recording:
    """A Recording from the first ``len(REC_COLUMNS)`` values of ``row``.

    Positional construction (in ``Recording``'s field order) keeps ``items()`` fast for 100,000 rows;
    the round-trip tests of every field catch any change of that order. Columns that repeat across
    recordings (archive, device, codec...) share one string object: a third less memory."""
    (key, archive, member_path, source_format, sha256, size, recorded_at, time_basis, device,
     transcript, response, not_for_assistant, hint, join, codec, rate, channels, duration,
     problem, extra, note) = row[:21]  # fmt: skip
    return Recording(
        key, intern(archive), member_path, intern(source_format), sha256, size,
        None if recorded_at is None else datetime.fromisoformat(recorded_at),
        intern(time_basis), intern(device), transcript, response, bool(not_for_assistant),
        intern(hint), intern(join),
        None if codec is None else AudioFacts(intern(codec), rate, channels, duration, message_value(note) or None),
        message_value(problem), {} if extra == "{}" else from_json(extra),
    )  # fmt: skip


def label_from(key: str, flag: int | None, role: str | None, note: str | None) -> Label:
    return Label(key, None if flag is None else bool(flag), role, note or "")


def voice_row(v: VoiceResult) -> tuple:
    """Column values for ``("key",) + VOICE_COLUMNS``."""
    spans = [[float(a), float(b)] for a, b in v.other_voice_spans]
    return (
        v.key, int(v.group), v.group_name,
        None if v.owner_similarity is None else float(v.owner_similarity),
        int(bool(v.flagged)), message_text(v.flag_reason), int(bool(v.uncertain)), float(v.speech_s),
        json.dumps(spans) if spans else "[]",
        None if v.score is None else float(v.score),
        None if v.other_score is None else float(v.other_score),
        int(bool(v.in_owner_set)),
        v.reason.to_json() if isinstance(v.reason, Message) else "",
        v.name.to_json() if isinstance(v.name, Message) else "",
    )  # fmt: skip


def voice_from(key: str, row: tuple | Any) -> VoiceResult:
    """A VoiceResult from the ``VOICE_COLUMNS`` values of ``row``."""
    group, name, similarity, flagged, reason, uncertain, speech_s, spans, score, other, in_set, why, label = row
    return VoiceResult(
        key, group, intern(name), similarity, bool(flagged), message_value(reason), bool(uncertain), speech_s,
        [] if spans == "[]" else [(a, b) for a, b in from_json(spans)],
        score, other, bool(in_set), _message(why), _message(label),
    )  # fmt: skip


_MESSAGES: dict[str, Any] = {}


def _message(text: str | None):
    """A stored Message (parsed once per distinct text: reasons and names repeat over many rows)."""
    if not text:
        return None
    got = _MESSAGES.get(text)
    if got is None:
        if len(_MESSAGES) > 4096:
            _MESSAGES.clear()
        got = _MESSAGES[text] = Message.from_json(text)
    return got
