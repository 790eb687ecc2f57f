"""What the voices view shows, computed without Qt: groups, map points, similarity scores, flag counts.

The view takes one :class:`VoicesSnapshot` per refresh. Building it is the only place that knows how
the case file hands out voice results, so the widgets stay free of storage details and the counting
logic is tested without a QApplication.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER, CaseItem
from voicearchive.voices.projection import project_2d

UNIQUE_GROUP = -1


@dataclass(frozen=True)
class GroupRow:
    """One line of the voice groups table."""

    group: int
    name: str
    size: int
    flagged: int
    representative: str  # the key of a clip to play for this voice; "" when none is known
    role: str | None  # ROLE_OWNER / ROLE_HOUSEHOLD / ROLE_STRANGER, or None when undecided
    keys: tuple[str, ...]


@dataclass
class FlagCounter:
    """Counts flagged recordings at any threshold in O(log n), for live updates while dragging.

    A recording's flag is fixed when the user decided it (a flag, or a role) or when it belongs to
    a voice the user marked as owner or household; otherwise it is flagged when its owner similarity
    is below the threshold. Recordings without a score keep the analysis' own flag.
    """

    free_scores: np.ndarray  # sorted float64 similarities of recordings the threshold decides
    always: int  # recordings flagged whatever the threshold

    @classmethod
    def from_items(cls, items: Iterable[CaseItem], group_roles: Mapping[int, str | None]) -> "FlagCounter":
        scores: list[float] = []
        always = 0
        for it in items:
            fixed = fixed_flag(it, group_roles)
            if fixed is None:
                scores.append(float(it.voice.owner_similarity))  # type: ignore[union-attr, arg-type]
            elif fixed:
                always += 1
        return cls(np.sort(np.asarray(scores, dtype=np.float64)), always)

    def count(self, threshold: float) -> int:
        return self.always + int(np.searchsorted(self.free_scores, threshold, side="left"))


def fixed_flag(item: CaseItem, group_roles: Mapping[int, str | None]) -> bool | None:
    """The flag of ``item`` when the threshold cannot change it, else None."""
    label, voice = item.label, item.voice
    if label.flag is not None or label.role is not None:
        return item.flagged
    if voice is None or voice.owner_similarity is None or voice.uncertain:
        return item.flagged
    role = group_roles.get(voice.group) if voice.group != UNIQUE_GROUP else None
    if role in (ROLE_OWNER, ROLE_HOUSEHOLD):
        return False
    if role == ROLE_STRANGER:
        return True
    return None


@dataclass
class VoicesSnapshot:
    """Everything the voices view draws, for one state of the case."""

    groups: list[GroupRow]
    map_keys: list[str]  # recordings with an embedding, in map order
    map_points: np.ndarray  # (n, 2) float32
    map_groups: np.ndarray  # (n,) int group id per map point
    scores: np.ndarray  # owner similarity of every scored recording (histogram input)
    counter: FlagCounter
    threshold: float | None
    message: str = ""  # e.g. "No recording matches the enrolled owner"
    total: int = 0  # recordings with audio
    details: dict[str, tuple[str, float | None]] = field(default_factory=dict)  # key -> (group name, score)

    @classmethod
    def build(
        cls,
        items: Iterable[CaseItem],
        embeddings: Mapping[str, np.ndarray],
        *,
        threshold: float | None,
        group_roles: Mapping[int, str | None] | None = None,
        representatives: Mapping[int, str] | None = None,
        message: str = "",
    ) -> "VoicesSnapshot":
        """Assemble a snapshot from case items and their embeddings (key -> (256,) vector).

        ``group_roles`` and ``representatives`` come from the voice report; a group's role is
        otherwise taken from the roles the user gave all of its recordings.
        """
        items = [it for it in items if it.rec.has_audio]
        members: dict[int, list[CaseItem]] = {}
        names: dict[int, str] = {}
        for it in items:
            if it.voice is None:
                continue
            members.setdefault(it.voice.group, []).append(it)
            if it.voice.group_name:
                names.setdefault(it.voice.group, it.voice.group_name)
        roles = dict(group_roles or {})
        for gid, its in members.items():
            if gid != UNIQUE_GROUP and roles.get(gid) is None:
                labelled = {it.label.role for it in its}
                if len(labelled) == 1 and None not in labelled:
                    roles[gid] = labelled.pop()

        groups = [
            GroupRow(
                group=gid,
                name=names.get(gid, "") or default_group_name(gid),
                size=len(its),
                flagged=sum(1 for it in its if it.flagged),
                representative=(representatives or {}).get(gid) or _representative(its),
                role=roles.get(gid) if gid != UNIQUE_GROUP else None,
                keys=tuple(it.rec.key for it in its),
            )
            for gid, its in members.items()
        ]
        groups.sort(key=lambda g: (g.group == UNIQUE_GROUP, g.role != ROLE_OWNER, -g.size, g.group))

        map_items = [it for it in items if it.rec.key in embeddings and it.voice is not None]
        map_groups = np.array([it.voice.group for it in map_items], dtype=np.int64)  # type: ignore[union-attr]
        if map_items:
            vectors = np.stack([np.asarray(embeddings[it.rec.key], dtype=np.float32) for it in map_items])
            points = project_2d(vectors, map_groups)
        else:
            points = np.zeros((0, 2), dtype=np.float32)

        scores = np.array(
            [it.voice.owner_similarity for it in items if it.voice and it.voice.owner_similarity is not None],
            dtype=np.float64,
        )
        details = {
            it.rec.key: (
                names.get(it.voice.group, "") or default_group_name(it.voice.group),
                it.voice.owner_similarity,
            )
            for it in items
            if it.voice is not None
        }
        return cls(
            groups=groups,
            map_keys=[it.rec.key for it in map_items],
            map_points=points,
            map_groups=map_groups,
            scores=scores,
            counter=FlagCounter.from_items(items, roles),
            threshold=threshold,
            message=message,
            total=len(items),
            details=details,
        )


def default_group_name(group: int) -> str:
    """'Voice A', 'Voice B', ... 'Voice AA' for group ids; 'Unique voices' for -1."""
    if group == UNIQUE_GROUP:
        return "Unique voices"
    letters = ""
    n = group
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            break
    return f"Voice {letters}"


def _representative(its: list[CaseItem]) -> str:
    """The clip with the most speech (ties: the first key), a fair sample of the voice."""
    best = max(its, key=lambda it: (it.voice.speech_s if it.voice else 0.0, -its.index(it)))
    return best.rec.key


def snapshot_from_store(store) -> VoicesSnapshot:
    """Read what the voices view needs from a ``CaseStore``: items, embeddings, the last report."""
    from voicearchive.voices.features import MODEL_VERSION

    items = store.items()
    features = store.voice_features_many({it.rec.sha256 for it in items if it.rec.sha256}, MODEL_VERSION)
    embeddings: dict[str, np.ndarray] = {}
    for it in items:
        f = features.get(it.rec.sha256)
        emb = getattr(f, "embedding", None) if f is not None else None
        if emb is not None:
            embeddings[it.rec.key] = emb
    meta = store.voice_meta() or {}
    groups = store.voice_groups() or []
    return VoicesSnapshot.build(
        items,
        embeddings,
        threshold=meta.get("threshold"),
        group_roles={g["group"]: g.get("role") for g in groups},
        representatives={g["group"]: g.get("representative", "") for g in groups},
        message=meta.get("message", ""),
    )
