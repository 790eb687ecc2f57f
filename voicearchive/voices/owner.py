"""The owner, the household, the threshold and the flags: ``analyse_voices``.

Who the owner is, in order of authority:

1. **enrolled samples** (``--owner-sample`` or the microphone): the profile is their mean; the archive's
   group that accepts it (by the grouping's own acceptance rule) joins the profile, so the owner's voice is
   learnt in the archive's own channel. When nothing in the archive matches, the report says so plainly;
2. **recordings the user marked as the owner's** (marking a group = marking its recordings);
3. otherwise **the largest recurring group**.

The household is the owner plus every group holding a recording marked "household" (and such recordings
on their own). A recording is flagged when it is unlike every household voice: its best similarity to
them is below the threshold. The threshold is learnt from the owner's own scores (a low quantile of the
owner's leave-one-out similarities to their own profile, bounded), unless the user set one; the GUI can
recount flags for any threshold with :func:`count_flagged` or :func:`apply_threshold` without re-running.
Very short speech is "uncertain" and never flagged. Vendor hints are quoted in the reason, never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER, VoiceResult
from voicearchive.voices import grouping

if TYPE_CHECKING:  # the shape is all that is used: embedding, speech_s, windows, window_starts
    from voicearchive.voices.features import VoiceFeatures

UNCERTAIN_SPEECH_S = 1.0  # less speech than this after trimming is too little to judge
GROUP_SPEECH_S = 0.5  # recordings with less speech than this join groups but do not shape them
THRESHOLD_QUANTILE = 0.03  # of the owner's leave-one-out similarities
THRESHOLD_BOUNDS = (0.60, 0.80)  # an automatic threshold never leaves these bounds (measured: eval_voices.py)
DEFAULT_THRESHOLD = 0.75  # only when there are too few owner samples to learn from
MIN_OWNER_SAMPLES = 5  # fewer than this and the threshold is the default
WINDOW_S = 1.6  # length of the window embeddings (features.py)
OTHER_VOICE_CUT = 0.65  # a window this unlike its recording's dominant voice is another voice
MIN_WINDOWS = 3  # fewer windows (under about 3 s of speech) overlap too much to tell two voices apart

OWNER_LARGEST = "largest group"
OWNER_USER = "confirmed by the user"
THRESHOLD_AUTO = "automatic: from the owner's own scores"
THRESHOLD_USER = "set by the user"
THRESHOLD_GROUPS = "automatic: too few owner recordings, from how this archive's voices spread"
THRESHOLD_DEFAULT = "default: too few owner recordings to learn from"
NO_MATCH_MESSAGE = (
    "No recording in this archive matches the enrolled owner's voice: these recordings may be someone else's"
)
NO_VOICE_MATCH_MESSAGE = (
    "No voice in this archive matches the enrolled owner's voice (only {n} {recordings} close): "
    "these recordings may be someone else's"
)
NO_OWNER_MESSAGE = (
    "No voice recurs often enough to be taken for the owner's: "
    "mark the owner's recordings or enrol the owner's voice"
)


@dataclass
class Decisions:
    """What the user said, from the case file's labels and enrolments."""

    owner_keys: set[str] = field(default_factory=set)
    household_keys: set[str] = field(default_factory=set)
    stranger_keys: set[str] = field(default_factory=set)
    enrolled: list[np.ndarray] = field(default_factory=list)  # owner embeddings, (256,) each
    threshold: float | None = None  # user-set; None = automatic from the owner's scores


@dataclass
class VoiceGroup:
    """One recurring voice of the archive."""

    id: int
    name: str  # "Voice A", "Voice B", ... by size
    size: int
    role: str | None  # ROLE_OWNER / ROLE_HOUSEHOLD / ROLE_STRANGER / None
    representative: str  # the member closest to the centroid
    centroid: np.ndarray  # (256,) float32, L2-normalised
    keys: list[str]  # members, sorted


@dataclass
class VoiceReport:
    """Everything ``analyse_voices`` concluded: per recording, per group, and how the owner and threshold came."""

    results: dict[str, VoiceResult]  # every key given, including those without speech
    groups: list[VoiceGroup]
    owner_source: str  # OWNER_LARGEST, OWNER_USER, "enrolled from N samples", or "" (no owner)
    owner_group: int | None  # the group holding the owner's voice, if any
    threshold: float
    threshold_source: str  # THRESHOLD_AUTO, THRESHOLD_GROUPS, THRESHOLD_USER or THRESHOLD_DEFAULT
    auto_threshold: float  # what the automatic rule gives (the GUI's "reset")
    owner_scores: np.ndarray  # the owner's own leave-one-out similarities (histogram for the slider)
    scores: dict[str, float]  # per key with speech: best similarity to any household voice
    other_voice_scores: dict[str, float]  # per key with a second voice: its best similarity to the household
    household_voices: int = 0  # known voices besides the owner's (household groups and recordings)
    message: str = ""  # plain words when something needs the user's attention
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def flagged_count(self) -> int:
        return sum(r.flagged for r in self.results.values())


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def automatic_threshold(owner_scores: np.ndarray, group_cuts: np.ndarray) -> tuple[float, str]:
    """A low quantile of the owner's own scores, bounded. With too few of them, the archive's other voices
    tell how far one voice spreads in this archive (the median of the groups' acceptance cuts); with no
    group either, ``DEFAULT_THRESHOLD``."""
    if len(owner_scores) >= MIN_OWNER_SAMPLES:
        t = float(np.quantile(owner_scores, THRESHOLD_QUANTILE))
        return float(np.clip(t, *THRESHOLD_BOUNDS)), THRESHOLD_AUTO
    cuts = group_cuts[np.isfinite(group_cuts)]
    if len(cuts):
        return float(np.clip(np.median(cuts), *THRESHOLD_BOUNDS)), THRESHOLD_GROUPS
    return DEFAULT_THRESHOLD, THRESHOLD_DEFAULT


def flag_rule(score: float | None, other_score: float | None, uncertain: bool, threshold: float) -> bool:
    """The flag decision for one recording, from what a stored report keeps (for views that recount).

    ``score`` is its best similarity to a household voice (``VoiceReport.scores``), ``other_score`` that of a
    second voice in it (``VoiceReport.other_voice_scores``); either below the threshold flags it. Uncertain
    recordings are never flagged.
    """
    if uncertain or score is None:
        return False
    return score < threshold or (other_score is not None and other_score < threshold)


def is_flagged(report: VoiceReport, key: str, threshold: float) -> bool:
    """Whether ``key`` is flagged at ``threshold`` (see :func:`flag_rule`); nothing is before an owner is known."""
    r = report.results.get(key)
    if r is None or not report.owner_source:
        return False
    return flag_rule(report.scores.get(key), report.other_voice_scores.get(key), r.uncertain, threshold)


def count_flagged(report: VoiceReport, threshold: float) -> int:
    """How many recordings ``threshold`` would flag, without re-running the analysis (for the GUI slider)."""
    return sum(is_flagged(report, k, threshold) for k in report.results)


def apply_threshold(report: VoiceReport, threshold: float, source: str = THRESHOLD_USER) -> VoiceReport:
    """A copy of ``report`` with flags and reasons recomputed for ``threshold``."""
    out = replace(report, threshold=float(threshold), threshold_source=source, results={})
    for key, r in report.results.items():
        flagged = is_flagged(report, key, threshold)
        out.results[key] = replace(r, flagged=flagged, flag_reason=_reason(out, key, r, flagged))
    return out


def _reason(report: VoiceReport, key: str, r: VoiceResult, flagged: bool) -> str:
    hint = report.hints.get(key, "")
    vendor = f"vendor says: {hint}" if hint else ""
    if r.uncertain:
        why = f"too little speech to judge ({r.speech_s:.1f} s)" if key in report.scores else "no speech found"
        return "; ".join(p for p in (why, vendor) if p)
    if not flagged:
        return ""
    parts = []
    score = report.scores[key]
    t = report.threshold
    if score < t:
        who = "the owner and the household" if report.household_voices else "the owner"
        parts.append(f"unlike {who} (best similarity {score:.2f} < {t:.2f})")
        if r.group >= 0:
            g = report.groups[r.group]
            if g.role == ROLE_STRANGER:
                parts.append(f"{g.name}, a voice marked as a stranger, heard {g.size} times")
            else:
                parts.append(f"{g.name}, heard {g.size} times")
        else:
            parts.append("a voice not heard often enough to form a group")
    other = report.other_voice_scores.get(key)
    if other is not None and other < t and r.other_voice_spans:
        spans = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b in r.other_voice_spans)
        parts.append(f"another voice at {spans} (similarity {other:.2f})")
    if vendor:
        parts.append(vendor)
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------------------------
# the analysis


def _roles(groups: list[list[str]], decisions: Decisions) -> list[str | None]:
    """A group's role is the one most of its user-labelled members carry (owner > household > stranger on ties)."""
    roles: list[str | None] = []
    for members in groups:
        counts = [
            (sum(k in decisions.owner_keys for k in members), 3, ROLE_OWNER),
            (sum(k in decisions.household_keys for k in members), 2, ROLE_HOUSEHOLD),
            (sum(k in decisions.stranger_keys for k in members), 1, ROLE_STRANGER),
        ]
        n, _, role = max(counts)
        roles.append(role if n else None)
    return roles


def _other_voice(f: VoiceFeatures, emb: np.ndarray) -> tuple[list[tuple[float, float]], np.ndarray | None]:
    """Stretches whose window embeddings are unlike the recording's dominant voice, and their mean voice."""
    windows = np.asarray(f.windows, dtype=np.float32).reshape(-1, emb.shape[0]) if f.windows is not None else None
    if windows is None or len(windows) < MIN_WINDOWS:
        return [], None
    starts = np.asarray(f.window_starts, dtype=np.float32).reshape(-1)
    # the dominant voice: the half of the windows most like the whole recording (a second voice pulls the
    # recording's own embedding towards it, so comparing windows with that alone would hide it)
    to_all = windows @ emb
    dominant = _normalise(windows[to_all >= np.median(to_all)].sum(axis=0))
    unlike = (windows @ dominant) < OTHER_VOICE_CUT
    if not unlike.any():
        return [], None
    spans: list[tuple[float, float]] = []
    for i in np.flatnonzero(unlike):
        a, b = float(starts[i]), float(starts[i]) + WINDOW_S
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return [(round(a, 2), round(b, 2)) for a, b in spans], _normalise(windows[unlike].sum(axis=0))


def _no_match_message(
    owner_sim: np.ndarray | None, judged: np.ndarray, labels: np.ndarray, threshold: float
) -> str:
    """When no voice group accepts the enrolled owner, say so plainly, unless the owner's voice is there all
    the same: at least ``MIN_GROUP`` judged recordings reach the threshold and they are one voice (half of a
    group or more, or outside every group). Close recordings scattered over other voices' groups are those
    voices' closest moments, not the owner: "no voice matches", with their number."""
    if owner_sim is None:
        return NO_MATCH_MESSAGE
    close = (owner_sim >= threshold) & (judged if judged.any() else True)
    n = int(close.sum())
    if n == 0:
        return NO_MATCH_MESSAGE
    in_groups = [close[labels == g].mean() for g in range(int(labels.max(initial=-1)) + 1)]
    one_voice = max(in_groups, default=0.0) >= 0.5 or int(close[labels < 0].sum()) >= grouping.MIN_GROUP
    if n >= grouping.MIN_GROUP and one_voice:
        return ""
    return NO_VOICE_MATCH_MESSAGE.format(n=n, recordings="recordings come" if n > 1 else "recording comes")


def _matrix(features: dict[str, VoiceFeatures], keys: list[str]) -> np.ndarray:
    """The L2-normalised embeddings of ``keys`` as one (n, d) float32 array, filled in place."""
    dim = int(np.asarray(features[keys[0]].embedding).size) if keys else 256
    emb = np.empty((len(keys), dim), np.float32)
    for i, k in enumerate(keys):
        emb[i] = features[k].embedding
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    return emb


def _owner_scores(emb: np.ndarray, own: np.ndarray, enrolled: np.ndarray) -> np.ndarray:
    """Leave-one-out scores of the owner's recordings (rows ``own``) and enrolled samples, without copies."""
    total = _sum_rows(emb, own).astype(np.float64) + enrolled.sum(axis=0)
    dots = np.concatenate([(emb @ total.astype(np.float32))[own], enrolled @ total])
    if len(own) + len(enrolled) < 2:
        return np.zeros(0, np.float32)
    rest = np.sqrt(np.maximum(total @ total - 2 * dots + 1.0, 1e-12))
    return ((dots - 1.0) / rest).astype(np.float32)


def _sum_rows(emb: np.ndarray, rows: np.ndarray) -> np.ndarray:
    weights = np.zeros(len(emb), np.float32)
    weights[rows] = 1.0
    return weights @ emb


def _representatives(emb: np.ndarray, labels: np.ndarray, centroids: np.ndarray) -> list[int]:
    """For each group, the row of the member closest to its centroid."""
    closeness = np.full(len(emb), -np.inf, np.float32)
    grouped = np.flatnonzero(labels >= 0)
    for start in range(0, len(grouped), grouping.CHUNK):
        rows = grouped[start : start + grouping.CHUNK]
        closeness[rows] = np.einsum("ij,ij->i", emb[rows], centroids[labels[rows]])
    return [int(np.flatnonzero(labels == g)[np.argmax(closeness[labels == g])]) for g in range(len(centroids))]


def analyse_voices(
    features: dict[str, VoiceFeatures],
    hints: dict[str, str] | None = None,
    decisions: Decisions | None = None,
) -> VoiceReport:
    """Group the voices, find the owner and household, set the threshold and flag what is unlike them."""
    hints = {k: v for k, v in (hints or {}).items() if v}
    decisions = decisions or Decisions()
    keys = sorted(k for k, f in features.items() if f.embedding is not None)
    emb = _matrix(features, keys)
    dim = emb.shape[1]
    row = {k: i for i, k in enumerate(keys)}
    speech = np.array([float(features[k].speech_s) for k in keys])
    reliable = speech >= UNCERTAIN_SPEECH_S

    # groups: shaped by recordings with some speech; the shortest join by the same acceptance rule
    shaping = speech >= GROUP_SPEECH_S
    if shaping.all():
        found = grouping.group_voices(keys, emb)
        labels = found.labels
    else:
        idx = np.flatnonzero(shaping)
        found = grouping.group_voices([keys[i] for i in idx], emb[idx])
        labels = np.full(len(keys), -1, dtype=int)
        labels[idx] = found.labels
        short = np.flatnonzero(~shaping)
        labels[short] = grouping.assign(emb[short], found.centroids, found.cuts)
    n_groups = len(found.centroids)
    members = [[keys[i] for i in np.flatnonzero(labels == g)] for g in range(n_groups)]
    roles = _roles(members, decisions)

    # the owner
    enrolled = np.stack([_normalise(e) for e in decisions.enrolled]) if decisions.enrolled else np.zeros((0, dim))
    owner_rows = np.array(sorted(row[k] for k in decisions.owner_keys if k in row), dtype=int)
    owner_group: int | None = None
    if len(enrolled):
        owner_source = f"enrolled from {len(enrolled)} sample{'s' if len(enrolled) > 1 else ''}"
        if n_groups:
            sims = found.centroids @ _normalise(enrolled.sum(axis=0))
            best = int(np.argmax(sims))
            owner_group = best if sims[best] >= found.cuts[best] else None
    elif len(owner_rows):
        owner_source = OWNER_USER
        counts = np.bincount(labels[owner_rows][labels[owner_rows] >= 0], minlength=n_groups)
        owner_group = int(np.argmax(counts)) if counts.sum() else None
    else:
        owner_group = next((g for g, role in enumerate(roles) if role is None), None)
        owner_source = OWNER_LARGEST if owner_group is not None else ""
    if owner_group is not None:
        roles[owner_group] = ROLE_OWNER
        owner_rows = np.union1d(owner_rows, np.flatnonzero(labels == owner_group))
    message = ""
    if len(enrolled) or len(owner_rows):
        profile = _normalise(_sum_rows(emb, owner_rows) + enrolled.sum(axis=0))
        owner_scores = _owner_scores(emb, owner_rows[reliable[owner_rows]], enrolled)
        owner_sim = emb @ profile
    else:
        profile, owner_scores, owner_sim = None, np.zeros(0, np.float32), None
        message = NO_OWNER_MESSAGE if keys else ""
    auto, auto_source = automatic_threshold(owner_scores, found.cuts)
    threshold, threshold_source = (
        (float(decisions.threshold), THRESHOLD_USER) if decisions.threshold is not None else (auto, auto_source)
    )
    if len(enrolled) and owner_group is None and not len(owner_rows):
        message = _no_match_message(owner_sim, reliable, labels, threshold)

    # the household: the owner, household groups, household-marked recordings outside them
    voices = [profile] if profile is not None else []
    voices += [found.centroids[g] for g, role in enumerate(roles) if role == ROLE_HOUSEHOLD]
    voices += [
        emb[row[k]]
        for k in sorted(decisions.household_keys)
        if k in row and (labels[row[k]] < 0 or roles[labels[row[k]]] != ROLE_HOUSEHOLD)
    ]
    household = np.stack(voices).astype(np.float32) if voices else np.zeros((0, dim), np.float32)
    best = (emb @ household.T).max(axis=1) if len(household) else None

    reps = _representatives(emb, labels, found.centroids)
    groups = [
        VoiceGroup(g, grouping.group_name(g), len(m), roles[g], keys[reps[g]], found.centroids[g], m)
        for g, m in enumerate(members)
    ]
    report = VoiceReport(
        results={},
        groups=groups,
        owner_source=owner_source,
        owner_group=owner_group,
        threshold=threshold,
        threshold_source=threshold_source,
        auto_threshold=auto,
        owner_scores=np.sort(owner_scores),
        scores=dict(zip(keys, best.tolist())) if best is not None else {},
        other_voice_scores={},
        household_voices=len(household) - (profile is not None),
        message=message,
        hints=hints,
    )
    for key in sorted(features):
        f = features[key]
        if key not in row:
            report.results[key] = VoiceResult(key, uncertain=True, speech_s=float(f.speech_s))
            continue
        i = row[key]
        spans, other = _other_voice(f, emb[i])
        if other is not None and len(household):
            report.other_voice_scores[key] = float((household @ other).max())
        g = int(labels[i])
        report.results[key] = VoiceResult(
            key,
            group=g,
            group_name=groups[g].name if g >= 0 else "",
            owner_similarity=float(owner_sim[i]) if owner_sim is not None else None,
            uncertain=not reliable[i],
            speech_s=float(speech[i]),
            other_voice_spans=spans,
        )
    return apply_threshold(report, threshold, threshold_source)
