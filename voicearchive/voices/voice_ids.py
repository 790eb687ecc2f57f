"""Voice ids that never change meaning: carried across regrouping by member overlap, never reused.

After every analysis each shown voice (the owner's voice, household voices, recurring groups) needs an id.
A voice that keeps most of its recordings keeps its id, so a decision the user made about it (its role, in the
Voices view) still applies to the same people; a voice that is new gets a number never used before in this
case (after phy's ``ClusterMeta`` and ``set_from_descendants``: identity follows the members). Names follow
from the id ("Voice A" is id 0, always), never from a group's size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from voicearchive.messages import Message

UNIQUE = -1
MIN_SHARE = 0.5  # an old voice passes its id on when at least this share of the smaller side overlaps


def carry_ids(
    groups: Sequence[Sequence[str]],
    previous: Mapping[str, int],
    next_id: int,
    fixed: Sequence[int | None] = (),
) -> tuple[list[int], int]:
    """An id for each group of keys and the next unused id.

    ``fixed[i]`` (when not None) is the id group ``i`` must keep (a voice the user made a decision about).
    Other groups take the id of the old voice they overlap most, when the overlap is at least ``MIN_SHARE``
    of the smaller of the two and that id is free; the rest get new ids from ``next_id`` on.
    """
    old_sizes = Counter(v for v in previous.values() if v is not None and v >= 0)
    fixed = list(fixed) + [None] * (len(groups) - len(fixed))
    out: list[int | None] = list(fixed)
    taken = {i for i in fixed if i is not None}
    next_id = max([next_id, *(i + 1 for i in taken), *(i + 1 for i in old_sizes)])
    candidates = []
    for g, keys in enumerate(groups):
        if out[g] is not None:
            continue
        overlap = Counter(previous[k] for k in keys if previous.get(k, UNIQUE) >= 0)
        for old, n in overlap.items():
            if n >= MIN_SHARE * min(len(keys), old_sizes[old]):
                candidates.append((-n, g, old))
    for _, g, old in sorted(candidates):
        if out[g] is None and old not in taken:
            out[g] = old
            taken.add(old)
    ids = []
    for g in range(len(groups)):
        if out[g] is None:
            out[g] = next_id
            next_id += 1
        ids.append(int(out[g]))  # type: ignore[arg-type]
    return ids, next_id


def letters(voice_id: int) -> str:
    """0 -> 'A' .. 25 -> 'Z', 26 -> 'AA', ..."""
    out = ""
    i = voice_id
    while True:
        out = chr(ord("A") + i % 26) + out
        i = i // 26 - 1
        if i < 0:
            return out


def voice_name(voice_id: int) -> Message:
    """The name shown for a voice: "Voice A" for id 0 (a Message, rendered in the user's language)."""
    if voice_id < 0:
        return Message.of("voices.group.unique")
    return Message.of("voices.group.name", letters=letters(voice_id))
