"""What the voices view shows, computed without Qt: groups, map points, similarity scores, flag counts.

The view takes one :class:`VoicesSnapshot` per refresh. Building it is the only place that knows how
the case file hands out voice results, so the widgets stay free of storage details and the counting
logic is tested without a QApplication.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from voicearchive.messages import Message, render
from voicearchive.model import ROLE_OWNER, CaseItem
from voicearchive.voices.flags import deciding_score
from voicearchive.voices.projection import project_2d
from voicearchive.voices.voice_ids import voice_name

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

    The rule is the one of ``voices.flags`` and ``voices.marks``: a recording the user decided (a flag or a
    role) keeps its flag whatever the threshold; otherwise it is flagged when its saved deciding score
    (``voices.flags.deciding_score``) is below the threshold. So the count at any threshold equals
    ``sum(item.flagged_at(threshold))``.
    """

    free_scores: np.ndarray  # sorted float64 deciding scores of the recordings the threshold decides
    always: int  # recordings flagged whatever the threshold

    @classmethod
    def from_items(cls, items: Iterable[CaseItem], *_unused, **_ignored) -> "FlagCounter":
        scores: list[float] = []
        always = 0
        for it in items:
            score = deciding_score(it.voice) if it.voice is not None else None
            if item_decided(it) or score is None:
                always += it.flagged_at(0.0)  # independent of the threshold here
            else:
                scores.append(float(score))
        return cls(np.sort(np.asarray(scores, dtype=np.float64)), always)

    def count(self, threshold: float) -> int:
        return self.always + int(np.searchsorted(self.free_scores, threshold, side="left"))


def item_decided(item: CaseItem) -> bool:
    """Whether the user's own flag or role fixes this recording's flag."""
    return item.label.flag is not None or item.label.role is not None


def decisive_scores(report) -> dict[str, float]:
    """Per recording, the score the threshold is compared with (``voices.flags.deciding_score``)."""
    out: dict[str, float] = {}
    for key, result in report.results.items():
        score = deciding_score(result)
        if score is not None:
            out[key] = score
    return out


@dataclass
class VoicesSnapshot:
    """Everything the voices view draws, for one state of the case. Texts are Messages (or plain strings
    from older callers), rendered by the view in the user's language."""

    groups: list[GroupRow]
    map_keys: list[str]  # recordings with an embedding, in map order
    map_points: np.ndarray  # (n, 2) float32
    map_groups: np.ndarray  # (n,) int voice id per map point
    owner_scores: np.ndarray  # the owner set's own scores (where the owner's voice lies)
    counter: FlagCounter  # its free_scores are the histogram: the recordings the threshold decides
    threshold: float | None
    message: Message | str | None = None  # e.g. "No recording matches the enrolled owner"
    owner_line: Message | str | None = None  # "Owner: Voice C, the 64 recordings most like each other, ..."
    threshold_source: Message | str | None = None
    reliability: Message | str | None = None  # voices.reliability.good|fair|poor|no_owner
    reliability_level: str = ""
    owner_doubt: Message | str | None = None  # voices.owner.rival: another voice is heard often too
    total: int = 0  # recordings with audio
    details: dict[str, tuple[str, float | None]] = field(default_factory=dict)  # key -> (voice name, score)

    @property
    def owner_source(self) -> Message | str | None:  # old name
        return self.owner_line

    @classmethod
    def build(
        cls,
        items: Iterable[CaseItem],
        embeddings: Mapping[str, np.ndarray],
        *,
        threshold: float | None,
        group_roles: Mapping[int, str | None] | None = None,
        representatives: Mapping[int, str] | None = None,
        owner_scores: Sequence[float] = (),
        message: Message | str | None = None,
        owner_line: Message | str | None = None,
        threshold_source: Message | str | None = None,
        reliability: Message | str | None = None,
        reliability_level: str = "",
        owner_doubt: Message | str | None = None,
        **_old,
    ) -> "VoicesSnapshot":
        """Assemble a snapshot from case items and their embeddings (key -> (256,) vector).

        ``group_roles`` (voice id -> role) and ``representatives`` come from the saved voice report: a voice's
        role is the analysis' or the user's decision about the voice, never inferred from recording marks.
        """
        items = [it for it in items if it.rec.has_audio]
        members: dict[int, list[CaseItem]] = {}
        for it in items:
            if it.voice is not None:
                members.setdefault(it.voice.group, []).append(it)
        roles = dict(group_roles or {})
        groups = [
            GroupRow(
                group=gid,
                name=default_group_name(gid),
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

        counter = FlagCounter.from_items(items)
        details = {
            it.rec.key: (default_group_name(it.voice.group), deciding_score(it.voice))
            for it in items
            if it.voice is not None
        }
        return cls(
            groups=groups,
            map_keys=[it.rec.key for it in map_items],
            map_points=points,
            map_groups=map_groups,
            owner_scores=np.asarray(owner_scores, dtype=np.float64),
            counter=counter,
            threshold=threshold,
            message=message,
            owner_line=owner_line,
            threshold_source=threshold_source,
            reliability=reliability,
            reliability_level=reliability_level,
            owner_doubt=owner_doubt,
            total=len(items),
            details=details,
        )


def default_group_name(group: int) -> str:
    """A voice's name from its stable id ('Voice A' for 0, ...), in the current language; 'unique voice' for -1."""
    return render(voice_name(group))


def _representative(its: list[CaseItem]) -> str:
    """The clip with the most speech (ties: the first), a fair sample of the voice."""
    best = max(range(len(its)), key=lambda i: (its[i].voice.speech_s if its[i].voice else 0.0, -i))
    return its[best].rec.key


def snapshot_from_store(store, report=None) -> VoicesSnapshot:
    """Read what the voices view needs from a ``CaseStore`` (the saved report holds every score; ``report``
    is accepted for old callers and not needed)."""
    from voicearchive.voices.features import MODEL_VERSION
    from voicearchive.voices.summary import _message, owner_doubt, owner_line, reliability

    items = store.items()
    meta = store.voice_meta()
    version = meta.get("model_version") or MODEL_VERSION  # the embeddings the report was made from
    features = store.voice_features_many({it.rec.sha256 for it in items if it.rec.sha256}, version)
    embeddings: dict[str, np.ndarray] = {}
    for it in items:
        f = features.get(it.rec.sha256)
        if f is not None and f.get("embedding") is not None:
            embeddings[it.rec.key] = f["embedding"]
    groups = store.voice_groups()
    return VoicesSnapshot.build(
        items,
        embeddings,
        threshold=meta.get("threshold"),
        group_roles={g["id"]: g.get("role") for g in groups},
        representatives={g["id"]: g.get("representative", "") for g in groups},
        owner_scores=meta.get("owner_scores", ()),
        message=_message(meta.get("message")),
        owner_line=owner_line(meta),
        threshold_source=_message(meta.get("threshold_source")),
        reliability=reliability(meta),
        reliability_level=meta.get("reliability_level", ""),
        owner_doubt=owner_doubt(meta),
    )
