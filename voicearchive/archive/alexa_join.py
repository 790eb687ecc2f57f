"""Join Alexa metadata entries to audio members, strongest evidence first, and say how.

1. utterance id: the id (its UUID and ``/n`` part) in the audio's path equals the entry's id;
   an id without ``/n`` on one side matches when the UUID is unique on both sides;
2. file name: the entry's row names the audio file (basename, case-insensitive, with or without extension);
3. time: the entry's time and the time in the audio's name lie within ``TIME_TOLERANCE_S`` and each is
   the other's only candidate (weakest; never across two different utterance ids).

Pure functions over :class:`Entry` and :class:`AudioRef`; nothing here reads a file.
"""

from __future__ import annotations

import posixpath
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from voicearchive.archive.alexa_ids import UtteranceId
from voicearchive.archive.alexa_records import Entry
from voicearchive.messages import Message
from voicearchive.model import JOIN_FILE_NAME, JOIN_NONE, JOIN_TIME, JOIN_UTTERANCE_ID

TIME_TOLERANCE_S = 3.0


@dataclass
class AudioRef:
    """An audio member as the joiner sees it: its name, the utterance id and time its name carries."""

    path: str  # member path (for file-name matching)
    key: tuple[str, int | None] | None  # (uuid, part) from the name, if any
    uid: UtteranceId | None
    when: datetime | None  # from the name (utterance id or a date-time), never from mtime
    ref: object = None  # the importer's handle (a Member)


@dataclass
class Pair:
    entry: Entry | None
    audio: AudioRef | None
    how: str = JOIN_NONE
    note: object = ""  # e.g. "0.8 s apart" for a time join, or (a Message) why a named file was not used


def merge_duplicates(entries: list[Entry]) -> list[Entry]:
    """Drop entries whose utterance id (UUID and part) was already seen, filling the first one's gaps
    (the same utterance can appear in voice-history JSON and in a transcript table)."""
    seen: dict[tuple[str, int | None], Entry] = {}
    out = []
    for e in entries:
        key = e.uid.match_key if e.uid else None
        first = seen.get(key) if key else None
        if first is None:
            if key:
                seen[key] = e
            out.append(e)
            continue
        for name in ("transcript", "response", "device", "file_name", "speaker_hint"):
            if not getattr(first, name) and getattr(e, name):
                setattr(first, name, getattr(e, name))
        first.not_for_assistant = first.not_for_assistant or e.not_for_assistant
        first.extra.setdefault("also_in", []).append(e.source_path)
    return out


def join(entries: list[Entry], audio: list[AudioRef]) -> list[Pair]:
    """Pair every entry and every audio reference exactly once (unmatched ones pair with None)."""
    pairs: dict[int, Pair] = {}  # by entry position
    free_audio = dict(enumerate(audio))
    notes: dict[int, Message] = {}

    def take(i: int, a_idx: int, how: str, note: str = "") -> None:
        pairs[i] = Pair(entries[i], free_audio.pop(a_idx), how, note)

    # 1. utterance id, exact
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for j, a in free_audio.items():
        if a.key:
            by_key[a.key].append(j)
    for i, e in enumerate(entries):
        if e.uid and len(by_key.get(e.uid.match_key, [])) == 1:
            j = by_key[e.uid.match_key][0]
            if j in free_audio:
                take(i, j, JOIN_UTTERANCE_ID)
    # 1b. utterance id without its /n part on one side: UUID unique on both sides
    by_uuid_e: dict[str, list[int]] = defaultdict(list)
    by_uuid_a: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        if e.uid and i not in pairs:
            by_uuid_e[e.uid.uuid].append(i)
    for j, a in free_audio.items():
        if a.key:
            by_uuid_a[a.key[0]].append(j)
    for uuid, idx in by_uuid_e.items():
        cands = by_uuid_a.get(uuid, [])
        if len(idx) == 1 and len(cands) == 1:
            e, a = entries[idx[0]], free_audio[cands[0]]
            if e.uid and a.key and (e.uid.part is None or a.key[1] is None):
                take(idx[0], cands[0], JOIN_UTTERANCE_ID, "matched without the /n part")
    # 2. file name named by the row
    by_name: dict[str, list[int]] = defaultdict(list)
    for j, a in free_audio.items():
        base = posixpath.basename(a.path).lower()
        by_name[base].append(j)
        by_name[posixpath.splitext(base)[0]].append(j)
    for i, e in enumerate(entries):
        if i in pairs or not e.file_name:
            continue
        base = posixpath.basename(e.file_name.replace("\\", "/").split("?")[0]).lower()
        cands = [j for j in dict.fromkeys(by_name.get(base, [])) if j in free_audio]
        if len(cands) == 1:
            take(i, cands[0], JOIN_FILE_NAME)
        elif len(cands) > 1:
            notes[i] = Message.of("archive.alexa_same_name", n=len(cands), name=e.file_name)
    # 3. time: mutual, unique candidates within the tolerance
    _join_by_time(entries, free_audio, pairs)
    out = [pairs.get(i) or Pair(e, None, JOIN_NONE, notes.get(i, "")) for i, e in enumerate(entries)]
    out.extend(Pair(None, a) for a in free_audio.values())
    return out


def _join_by_time(entries: list[Entry], free_audio: dict[int, AudioRef], pairs: dict[int, Pair]) -> None:
    open_entries = [i for i, e in enumerate(entries) if i not in pairs and e.when is not None]
    timed_audio = [j for j, a in free_audio.items() if a.when is not None]
    if not open_entries or not timed_audio:
        return
    near_e: dict[int, list[tuple[float, int]]] = defaultdict(list)
    near_a: dict[int, list[tuple[float, int]]] = defaultdict(list)
    timed_audio.sort(key=lambda j: free_audio[j].when)  # type: ignore[arg-type, return-value]
    stamps = [free_audio[j].when.timestamp() for j in timed_audio]  # type: ignore[union-attr]
    for i in open_entries:
        e = entries[i]
        t = e.when.timestamp()  # type: ignore[union-attr]
        for k in range(bisect_left(stamps, t - TIME_TOLERANCE_S), bisect_right(stamps, t + TIME_TOLERANCE_S)):
            j, a = timed_audio[k], free_audio[timed_audio[k]]
            if e.uid and a.key and e.uid.uuid != a.key[0]:
                continue  # two different utterances, whatever their times say
            delta = abs(stamps[k] - t)
            near_e[i].append((delta, j))
            near_a[j].append((delta, i))
    for i, cands in near_e.items():
        if len(cands) != 1:
            continue
        delta, j = cands[0]
        if len(near_a[j]) == 1 and j in free_audio:
            pairs[i] = Pair(entries[i], free_audio.pop(j), JOIN_TIME, f"{delta:.1f} s apart")
