"""What the voices view shows, computed without Qt: groups, map points, similarity scores, flag counts.

The view takes one :class:`VoicesSnapshot` per refresh. Building it is the only place that knows how
the case file hands out voice results, so the widgets stay free of storage details and the counting
logic is tested without a QApplication.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, CaseItem
from voicearchive.voices import grouping
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

    A recording's flag is fixed when the user decided it (a flag, or a role); otherwise the
    threshold decides it by comparing the recording's *decisive score* (see :func:`decisive_scores`).
    Without a voice report the owner similarity stands in for that score where it can: recordings
    without one, of a household voice, or whose stored flag at the stored ``threshold`` the owner
    similarity does not explain (a second voice, say) keep the flag they have.
    """

    free_scores: np.ndarray  # sorted float64 scores of recordings the threshold decides
    always: int  # recordings flagged whatever the threshold

    @classmethod
    def from_items(
        cls,
        items: Iterable[CaseItem],
        group_roles: Mapping[int, str | None],
        decisive: Mapping[str, float] | None = None,
        threshold: float | None = None,
    ) -> "FlagCounter":
        scores: list[float] = []
        always = 0
        for it in items:
            if decisive is not None:
                score = decisive.get(it.rec.key)
                fixed = item_decided(it) or score is None
            else:
                score = it.voice.owner_similarity if it.voice else None
                fixed = _fixed_without_report(it, group_roles, threshold)
            if fixed:
                always += it.flagged
            else:
                scores.append(float(score))  # type: ignore[arg-type]
        return cls(np.sort(np.asarray(scores, dtype=np.float64)), always)

    def count(self, threshold: float) -> int:
        return self.always + int(np.searchsorted(self.free_scores, threshold, side="left"))


def item_decided(item: CaseItem) -> bool:
    """Whether the user's own flag or role fixes this recording's flag."""
    return item.label.flag is not None or item.label.role is not None


def _fixed_without_report(item: CaseItem, group_roles: Mapping[int, str | None], threshold: float | None) -> bool:
    voice = item.voice
    if item_decided(item) or voice is None or voice.owner_similarity is None or voice.uncertain:
        return True
    if threshold is not None and (voice.owner_similarity < threshold) != voice.flagged:
        return True
    # A household voice is judged against its own voice, not the owner's: its score is unknown here.
    return voice.group != UNIQUE_GROUP and group_roles.get(voice.group) == ROLE_HOUSEHOLD


def decisive_scores(report) -> dict[str, float]:
    """Per recording, the score ``voices.owner.is_flagged`` compares with the threshold.

    That is the best similarity to any household voice, or a second voice's when that is lower.
    Recordings the threshold cannot flag (uncertain, no speech, no owner yet) are left out.
    """
    if not report.owner_source:
        return {}
    out: dict[str, float] = {}
    for key, result in report.results.items():
        if result.uncertain or key not in report.scores:
            continue
        other = report.other_voice_scores.get(key)
        score = report.scores[key]
        out[key] = score if other is None else min(score, other)
    return out


@dataclass
class VoicesSnapshot:
    """Everything the voices view draws, for one state of the case."""

    groups: list[GroupRow]
    map_keys: list[str]  # recordings with an embedding, in map order
    map_points: np.ndarray  # (n, 2) float32
    map_groups: np.ndarray  # (n,) int group id per map point
    owner_scores: np.ndarray  # the owner's own recordings' scores (where the owner's voice lies)
    counter: FlagCounter  # its free_scores are the histogram: the recordings the threshold decides
    threshold: float | None
    message: str = ""  # e.g. "No recording matches the enrolled owner"
    owner_source: str = ""  # how the owner was found, in the analysis' words ("largest group", ...)
    threshold_source: str = ""  # how the threshold was set, in the analysis' words
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
        decisive: Mapping[str, float] | None = None,
        owner_scores: Sequence[float] = (),
        message: str = "",
        owner_source: str = "",
        threshold_source: str = "",
    ) -> "VoicesSnapshot":
        """Assemble a snapshot from case items and their embeddings (key -> (256,) vector).

        ``group_roles``, ``representatives``, ``decisive`` (:func:`decisive_scores`) and
        ``owner_scores`` come from the voice report. Without a report a group's role is taken from
        the roles the user gave all of its recordings, and the owner similarity is the score.
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

        counter = FlagCounter.from_items(items, roles, decisive, threshold)
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
            owner_scores=np.asarray(owner_scores, dtype=np.float64),
            counter=counter,
            threshold=threshold,
            message=message,
            owner_source=owner_source,
            threshold_source=threshold_source,
            total=len(items),
            details=details,
        )


def default_group_name(group: int) -> str:
    """The analysis' own name for a group ('Voice A', ...); 'Unique voices' for -1."""
    return "Unique voices" if group == UNIQUE_GROUP else grouping.group_name(group)


def _representative(its: list[CaseItem]) -> str:
    """The clip with the most speech (ties: the first), a fair sample of the voice."""
    best = max(range(len(its)), key=lambda i: (its[i].voice.speech_s if its[i].voice else 0.0, -i))
    return its[best].rec.key


def snapshot_from_store(store, report=None) -> VoicesSnapshot:
    """Read what the voices view needs from a ``CaseStore`` and, when given, the live ``VoiceReport``.

    The report (what ``Pipeline.update_voices()`` returned) supplies the exact scores the threshold
    decides on; the case file alone holds the owner similarity, which equals that score as long
    as no household voice is marked.
    """
    from voicearchive.voices.features import MODEL_VERSION

    items = store.items()
    features = store.voice_features_many({it.rec.sha256 for it in items if it.rec.sha256}, MODEL_VERSION)
    embeddings: dict[str, np.ndarray] = {}
    for it in items:
        f = features.get(it.rec.sha256)
        if f is not None and f.get("embedding") is not None:
            embeddings[it.rec.key] = f["embedding"]
    meta = store.voice_meta()
    groups = store.voice_groups()
    return VoicesSnapshot.build(
        items,
        embeddings,
        threshold=report.threshold if report is not None else meta.get("threshold"),
        group_roles={g["id"]: g.get("role") for g in groups},
        representatives={g["id"]: g.get("representative", "") for g in groups},
        decisive=decisive_scores(report) if report is not None else None,
        owner_scores=report.owner_scores if report is not None else meta.get("owner_scores", ()),
        message=report.message if report is not None else meta.get("message", ""),
        owner_source=report.owner_source if report is not None else meta.get("owner_source", ""),
        threshold_source=report.threshold_source if report is not None else meta.get("threshold_source", ""),
    )
