"""The owner, the household, the threshold and the flags: ``analyse_voices``.

Three steps, so that a decision re-runs only what it changes:

1. **group** the voices (``grouping.group_voices``; cached by the embeddings it was given, so a mark or a
   voice decision does not regroup);
2. **resolve the owner** (:func:`resolve_owner`), in order of authority:
   a. *enrolled samples*: whether the owner is present is decided on raw cosine, the enrolment's mean against
      each group's own acceptance cut (never on a normalised score: those let an absent owner's sample join a
      stranger's voice); the accepting group seeds the owner set, the samples stay in its profile;
   b. *a voice the user named the owner's* (a decision about the voice in the Voices view);
   c. otherwise *the largest group*, only as the seed: the owner set grows from it (``owner_set``), so the
      pieces of the owner's voice the grouping split apart come back together; unless the largest group is a
      voice beside the owner's, which ``owner_seed`` tells by how many recordings side with its sibling.
   Voices the user named a stranger's or the household's never enter the owner set.
3. **flag** (:func:`flag`): contrast scores against the archive's other voices (a recording near the owner set
   does not count against itself, ``owner_set.contrast_scores``), an owner-relative threshold
   (median - K x MAD of the owner set's own scores, never a two-class split), household voices scored in the
   same space; ``voices.flags.flag_rule`` decides, on what is saved per recording.

A mark on a recording (owner, household, stranger, flag) never enters this analysis: it applies to its own
recording only (``voices.marks``). Very short speech (< 0.8 s after trimming) is "uncertain", never flagged.
Vendor hints are quoted in the reason, never used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from voicearchive.messages import Message
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER, VoiceResult
from voicearchive.voices import grouping, owner_seed, owner_set, reliability
from voicearchive.voices.flags import flag_rule
from voicearchive.voices.second_voice import other_voice as _other_voice
from voicearchive.voices.voice_ids import UNIQUE, carry_ids, voice_name

if TYPE_CHECKING:  # the shape is all that is used: embedding, speech_s, windows, window_starts
    from voicearchive.voices.features import VoiceFeatures

UNCERTAIN_SPEECH_S = 0.8  # less speech than this after trimming is too little to judge
GROUP_SPEECH_S = 0.5  # recordings with less speech than this join groups but do not shape them
MIN_OWNER_SAMPLES = 3  # fewer judged owner recordings and the threshold cannot be learnt from them
THRESHOLD_BOUNDS = (0.60, 0.80)  # raw-cosine threshold when there is no owner set to learn from
DEFAULT_THRESHOLD = 0.75
SET_SPACE = "raw"  # the owner set is grown on embeddings minus the archive's mean ("raw": plain cosine)

THRESHOLD_AUTO = Message.of("voices.threshold.auto")
THRESHOLD_USER = Message.of("voices.threshold.user")
THRESHOLD_GROUPS = Message.of("voices.threshold.groups")
THRESHOLD_DEFAULT = Message.of("voices.threshold.default")
NO_MATCH_MESSAGE = Message.of("voices.enrol.no_match")
NO_OWNER_MESSAGE = Message.of("voices.owner.none")

# how the owner was found: Message codes of VoiceReport.owner_source
OWNER_SET = "voices.owner.set"  # grown from the largest group
OWNER_SET_SIBLING = "voices.owner.set_sibling"  # grown from the voice beside the largest group (owner_seed)
OWNER_USER = "voices.owner.user"  # a voice the user named the owner's
OWNER_ENROLLED = "voices.owner.enrolled"  # enrolled samples, their voice found in the archive
OWNER_ENROLLED_ABSENT = "voices.owner.enrolled_absent"  # enrolled samples, no voice of the archive matches
OWNER_RIVAL = "voices.owner.rival"  # another voice is heard at least half as often as the learned owner's
# A learned owner is the voice heard most; when another voice is heard at least this often beside it (recordings
# of the voice shown against the owner's voice shown), the choice is close and the user is told so. Measured on
# the 250 command-length archives of eval_tails.py: shown on 18, mostly "half owner" archives (an owner of 22-28
# recordings beside a stranger of 20), and on the one archive whose owner was taken wrongly (a lump of two
# strangers, 45 recordings, beside the owner's 26: 0.58).
RIVAL_SHARE = 0.5


@dataclass
class Decisions:
    """What the user decided that the analysis reads: decisions about voices, enrolments, the threshold.

    ``owner_keys`` / ``household_keys`` / ``stranger_keys`` are recording marks: they are kept for callers
    but never change the analysis (a mark applies to its recording only, ``voices.marks``)."""

    owner_keys: set[str] = field(default_factory=set)
    household_keys: set[str] = field(default_factory=set)
    stranger_keys: set[str] = field(default_factory=set)
    enrolled: list[np.ndarray] = field(default_factory=list)  # owner embeddings, (256,) each
    threshold: float | None = None  # user-set; None = automatic from the owner's scores
    voice_roles: dict[int, str] = field(default_factory=dict)  # stable voice id -> owner/household/stranger
    previous: dict[str, int] = field(default_factory=dict)  # key -> voice id of the last report
    next_voice_id: int = 0  # the first id never used in this case
    k: float = owner_set.K


@dataclass
class VoiceGroup:
    """One voice shown to the user: the owner's, a household voice or a recurring group."""

    id: int  # stable voice id (voice_ids.carry_ids)
    name: Message  # "Voice A" for id 0
    size: int
    role: str | None  # ROLE_OWNER / ROLE_HOUSEHOLD / ROLE_STRANGER / None
    representative: str  # the member closest to the voice's centre
    centroid: np.ndarray  # (256,) float32, L2-normalised (cosine space)
    keys: list[str]  # members, sorted
    decided: bool = False  # its role is the user's decision (not the analysis')


@dataclass
class VoiceReport:
    """Everything ``analyse_voices`` concluded. Attributes other views read (keep them simple):

    - ``owner_source``: a Message saying how the owner was found, always true (None: no owner);
    - ``owner_group``: the owner's voice id (None when the owner's voice is not in the archive);
    - ``flagged_count``: recordings the app flags at ``threshold``;
    - ``reliability``: a Message ``voices.reliability.good|fair|poor|no_owner`` with the numbers behind it
      as params; ``reliability_level`` the bare word;
    - ``owner_doubt``: a Message when the owner was learned and another voice is heard at least half as often
      (:func:`owner_doubt`), None otherwise.
    """

    results: dict[str, VoiceResult]  # every key given, including those without speech
    groups: list[VoiceGroup]
    owner_source: Message | None
    owner_group: int | None
    threshold: float
    threshold_source: Message
    auto_threshold: float
    owner_scores: np.ndarray  # the owner set's own (contrast) scores, sorted: the slider's histogram
    scores: dict[str, float]  # per key with speech: the deciding score
    other_voice_scores: dict[str, float]  # per key with a second voice: its score
    household_voices: int = 0
    message: Message | None = None  # plain words when something needs the user's attention
    hints: dict[str, str] = field(default_factory=dict)
    reliability: Message | None = None
    reliability_level: str = ""
    next_voice_id: int = 0
    owner_set_size: int = 0
    owner_doubt: Message | None = None  # voices.owner.rival: the learned owner has a close rival

    @property
    def flagged_count(self) -> int:
        return sum(r.flagged for r in self.results.values())

    def group(self, voice_id: int) -> VoiceGroup | None:
        return next((g for g in self.groups if g.id == voice_id), None)


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    return v / max(float(np.linalg.norm(v)), 1e-12)


# ---------------------------------------------------------------------------------------------------------
# recounting at another threshold (the GUI slider), with the one rule


def is_flagged(report: VoiceReport, key: str, threshold: float) -> bool:
    r = report.results.get(key)
    return r is not None and flag_rule(r.score, r.other_score, r.uncertain, threshold)


def count_flagged(report: VoiceReport, threshold: float) -> int:
    """How many recordings ``threshold`` would flag, without re-running the analysis."""
    return sum(is_flagged(report, k, threshold) for k in report.results)


def apply_threshold(report: VoiceReport, threshold: float, source: Message = THRESHOLD_USER) -> VoiceReport:
    """A copy of ``report`` with flags and reasons recomputed for ``threshold``."""
    out = replace(report, threshold=float(threshold), threshold_source=source, results={})
    for key, r in report.results.items():
        flagged = is_flagged(report, key, threshold)
        reason = _reason(out, key, r, flagged)
        out.results[key] = replace(r, flagged=flagged, reason=reason, flag_reason=str(reason) if reason else "")
    return out


def _reason(report: VoiceReport, key: str, r: VoiceResult, flagged: bool) -> Message | None:
    hint = report.hints.get(key, "")
    if r.uncertain:
        why = (
            Message.of("voices.reason.short", speech=round(r.speech_s, 1), least=UNCERTAIN_SPEECH_S)
            if r.score is not None or r.speech_s > 0
            else Message.of("voices.reason.no_speech")
        )
        return Message.of("voices.reason.with_vendor", reason=why, hint=hint) if hint else why
    if not flagged:
        return None
    t = report.threshold
    parts: list[Message] = []
    if r.score is not None and r.score < t:
        who = "voices.reason.unlike_household" if report.household_voices else "voices.reason.unlike_owner"
        g = report.group(r.group) if r.group >= 0 else None
        if g is None:
            voice = Message.of("voices.reason.voice_unique")
        elif g.role == ROLE_STRANGER:
            voice = Message.of("voices.reason.voice_stranger", name=g.name, n=g.size)
        else:
            voice = Message.of("voices.reason.voice_heard", name=g.name, n=g.size)
        parts.append(Message.of(who, score=round(float(r.score), 3), threshold=round(t, 3), voice=voice))
    if r.other_score is not None and r.other_score < t and r.other_voice_spans:
        spans = ", ".join(f"{a:.1f}-{b:.1f}" for a, b in r.other_voice_spans)
        parts.append(Message.of("voices.reason.other_voice", spans=spans, score=round(float(r.other_score), 3)))
    reason = parts[0] if len(parts) == 1 else Message.of("voices.reason.both", first=parts[0], second=parts[1])
    return Message.of("voices.reason.with_vendor", reason=reason, hint=hint) if hint else reason


# ---------------------------------------------------------------------------------------------------------
# step 1: grouping, cached


_GROUP_CACHE: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def voice_spread_floor(speech: np.ndarray) -> float:
    """A voice's smallest robust deviation at this archive's length of judged speech (``speech``: seconds per
    recording): the floor of the owner set's cut and of every group's (``owner_set.set_spread_floor``)."""
    return owner_set.set_spread_floor(speech[speech >= UNCERTAIN_SPEECH_S])


def group(keys: list[str], emb: np.ndarray, speech: np.ndarray,
          min_spread: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(labels, centroids, cuts)`` of the spectral grouping, shaped by recordings with at least
    ``GROUP_SPEECH_S`` of speech; cached by its input, so marks and voice decisions do not regroup.

    A group's cut assumes at least ``min_spread`` (:func:`voice_spread_floor`, the owner set's floor too):
    with the grouping's own floor of 0.02, three in a hundred clean 2 s clips fell just outside their
    speaker's group (int8 pass: 97% in a group, ARI 0.975; with the voice's floor 99%, 0.986)."""
    h = hashlib.sha1()
    for k in keys:
        h.update(k.encode("utf-8", "surrogatepass") + b"\0")
    h.update(np.ascontiguousarray(emb).tobytes())
    h.update(np.ascontiguousarray(speech >= GROUP_SPEECH_S).tobytes())
    h.update(np.float64(min_spread).tobytes())
    digest = h.digest()
    if digest in _GROUP_CACHE:
        labels, cents, cuts = _GROUP_CACHE[digest]
        return labels.copy(), cents, cuts
    shaping = speech >= GROUP_SPEECH_S
    if shaping.all():
        found = grouping.group_voices(keys, emb, min_spread=min_spread)
        labels = found.labels
    else:
        idx = np.flatnonzero(shaping)
        found = grouping.group_voices([keys[i] for i in idx], emb[idx], min_spread=min_spread)
        labels = np.full(len(keys), UNIQUE, dtype=int)
        labels[idx] = found.labels
        short = np.flatnonzero(~shaping)
        labels[short] = grouping.assign(emb[short], found.centroids, found.cuts)
    _GROUP_CACHE.clear()  # one archive at a time: the last grouping is all a mark needs
    _GROUP_CACHE[digest] = (labels.copy(), found.centroids, found.cuts)
    return labels, found.centroids, found.cuts


# ---------------------------------------------------------------------------------------------------------
# step 2: the owner


@dataclass
class Owner:
    members: np.ndarray  # (n,) bool: the owner set
    source: Message | None
    enrolled: np.ndarray  # (m, d) enrolled samples in the profile (may be empty)
    present: bool  # the owner's voice is in the archive
    message: Message | None
    raw_scores: np.ndarray  # (n,) raw cosine to the owner set (members leave-one-out)
    decided_id: int | None  # the voice id the user named the owner's
    cut: float = float("nan")  # the owner set's last acceptance cut on raw_scores


def _decided_rows(keys: list[str], decisions: Decisions, role: str) -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    for vid, r in sorted(decisions.voice_roles.items()):
        if r == role:
            rows = np.array([i for i, k in enumerate(keys) if decisions.previous.get(k) == vid], dtype=int)
            if len(rows):
                out[vid] = rows
    return out


def resolve_owner(
    keys: list[str],
    emb: np.ndarray,
    judged: np.ndarray,
    labels: np.ndarray,
    centroids: np.ndarray,
    cuts: np.ndarray,
    decisions: Decisions,
    spread_floor: float = owner_set.MIN_SPREAD,
) -> Owner:
    n, dim = emb.shape
    excluded = np.zeros(n, bool)
    for role in (ROLE_STRANGER, ROLE_HOUSEHOLD):
        for rows in _decided_rows(keys, decisions, role).values():
            excluded[rows] = True
    forced = np.zeros(n, bool)
    decided = _decided_rows(keys, decisions, ROLE_OWNER)
    for rows in decided.values():
        forced[rows] = True
    decided_id = next(iter(decided), None)
    enrolled = (
        np.stack([_normalise(e) for e in decisions.enrolled]) if decisions.enrolled else np.zeros((0, dim), np.float32)
    )
    seed = np.zeros(n, bool)
    sibling = False
    message: Message | None = None
    present = True
    if len(enrolled):
        accepted = _enrolled_group(enrolled, centroids, cuts, labels, excluded)
        if accepted is not None:
            seed = labels == accepted
        elif not forced.any():
            present = False
    elif not forced.any():
        seed, sibling = owner_seed.auto_seed(
            emb, judged, labels, len(centroids), excluded, decisions.k, keys, spread_floor
        )
    if not present:
        raw = emb @ _normalise(enrolled.sum(axis=0))
        message = _no_match_message(raw, judged, labels)
        members = np.zeros(n, bool)
        source = Message.of(OWNER_ENROLLED_ABSENT, samples=len(enrolled))
        return Owner(members, source, enrolled, False, message, raw, None)
    if not (seed.any() or forced.any()):
        return Owner(np.zeros(n, bool), None, enrolled, False, NO_OWNER_MESSAGE if n else None, np.zeros(n), None)
    seed_size = int((seed | forced).sum())
    space, extra_space = emb, enrolled
    if SET_SPACE == "centred" and judged.sum() >= 2:  # what every recording shares (channel, room) taken out
        mean = emb[judged].mean(axis=0)
        space, extra_space = owner_set.transform(emb, mean), owner_set.transform(enrolled, mean)
    found = owner_set.owner_set(
        space, seed, judged, k=decisions.k, forced=forced, excluded=excluded,
        extra=extra_space if len(enrolled) else None, floor=spread_floor,
    )
    size = int(found.members.sum())
    if len(enrolled):
        source = Message.of(OWNER_ENROLLED, samples=len(enrolled), n=size, seed=seed_size)
    elif forced.any():
        source = Message.of(OWNER_USER, n=size, seed=seed_size)
    else:
        source = Message.of(OWNER_SET_SIBLING if sibling else OWNER_SET, n=size, seed=seed_size)
    return Owner(found.members, source, enrolled, True, None, found.scores, decided_id, found.cut)


def owner_doubt(groups: list[VoiceGroup], owner_group: int | None) -> Message | None:
    """``voices.owner.rival`` when a voice whose role nobody decided is heard at least ``RIVAL_SHARE`` times as
    often as the owner's (the voices shown), for an owner the analysis learned: who speaks most barely decides
    who the owner is, and the user should say. None otherwise."""
    owner = next((g for g in groups if g.id == owner_group), None)
    rivals = [g for g in groups if g.role is None]
    if owner is None or not rivals:
        return None
    rival = max(rivals, key=lambda g: (g.size, -g.id))
    if rival.size < RIVAL_SHARE * owner.size:
        return None
    return Message.of(OWNER_RIVAL, name=rival.name, n=rival.size, owner=owner.name, owner_n=owner.size)


def _enrolled_group(
    enrolled: np.ndarray, centroids: np.ndarray, cuts: np.ndarray, labels: np.ndarray, excluded: np.ndarray
) -> int | None:
    """The group whose own acceptance cut the enrolment's mean passes, on raw cosine (the best such group)."""
    if not len(centroids):
        return None
    sims = centroids @ _normalise(enrolled.sum(axis=0))
    ok = [g for g in range(len(centroids)) if sims[g] >= cuts[g] and not excluded[labels == g].all()]
    return max(ok, key=lambda g: sims[g]) if ok else None


def _no_match_message(owner_sim: np.ndarray, judged: np.ndarray, labels: np.ndarray) -> Message:
    """No group accepts the enrolment: say so, with how many recordings come close all the same."""
    cut = DEFAULT_THRESHOLD
    close = (owner_sim >= cut) & judged
    n = int(close.sum())
    if n == 0:
        return NO_MATCH_MESSAGE
    return Message.of("voices.enrol.no_voice_match", n=n)


# ---------------------------------------------------------------------------------------------------------
# step 3: scores, threshold, flags


def _matrix(features: dict[str, VoiceFeatures], keys: list[str]) -> np.ndarray:
    dim = int(np.asarray(features[keys[0]].embedding).size) if keys else 256
    emb = np.empty((len(keys), dim), np.float32)
    for i, k in enumerate(keys):
        emb[i] = features[k].embedding
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    return emb


def _groups_apart(labels: np.ndarray, n_groups: int, members: np.ndarray) -> list[int]:
    """The groups mostly outside the owner set: recurring voices of their own."""
    return [g for g in range(n_groups) if (members & (labels == g)).sum() * 2 < (labels == g).sum()]


def _short_owner_rows(emb: np.ndarray, members: np.ndarray, short: np.ndarray, labels: np.ndarray,
                     centroids: np.ndarray, owner: Owner) -> np.ndarray:
    """The recordings too short to judge (``short``) offered as the owner's voice: the owner set is their
    nearest voice (raw cosine to its mean, enrolled samples included, against the centroids of the groups that
    are mostly not the owner set's) and they are at least as close as the grouping's loosest acceptance cut
    (``grouping.CUT_BOUNDS[0]``) or the owner set's own cut, whichever is lower. Short speech gives noisy
    embeddings: the owner set's own cut (learnt from judged recordings) left 6-7% of the owner's recordings out
    of its voice on archives without strangers. Offered, never judged: they stay uncertain, never flagged."""
    out = np.zeros(len(emb), bool)
    rows = np.flatnonzero(short)
    if not len(rows) or not members.any():
        return out
    profile = _normalise(emb[members].sum(axis=0) + (owner.enrolled.sum(axis=0) if len(owner.enrolled) else 0.0))
    sim = emb[rows] @ profile
    rivals = _groups_apart(labels, len(centroids), members)
    nearest_other = (emb[rows] @ centroids[rivals].T).max(axis=1) if rivals else np.full(len(rows), -np.inf)
    floor = min(grouping.CUT_BOUNDS[0], owner.cut) if np.isfinite(owner.cut) else grouping.CUT_BOUNDS[0]
    out[rows] = (sim >= nearest_other) & (sim >= floor)
    return out


def _representative(emb: np.ndarray, rows: np.ndarray) -> tuple[int, np.ndarray]:
    centre = _normalise(emb[rows].sum(axis=0))
    return int(rows[int(np.argmax(emb[rows] @ centre))]), centre


def analyse_voices(
    features: dict[str, VoiceFeatures],
    hints: dict[str, str] | None = None,
    decisions: Decisions | None = None,
    rates: dict[str, int] | None = None,
) -> VoiceReport:
    """Group the voices (cached), resolve the owner, score and flag. ``rates`` (key -> sample rate of the
    source audio) only informs the reliability verdict."""
    hints = {k: v for k, v in (hints or {}).items() if v}
    decisions = decisions or Decisions()
    keys = sorted(k for k, f in features.items() if f.embedding is not None)
    emb = _matrix(features, keys)
    n, dim = emb.shape
    speech = np.array([float(features[k].speech_s) for k in keys])
    judged = speech >= UNCERTAIN_SPEECH_S

    floor = voice_spread_floor(speech)  # no voice, and so neither the owner set nor a group, is narrower than this
    empty = (np.zeros(0, int), np.zeros((0, dim)), np.zeros(0))
    labels, centroids, cuts = group(keys, emb, speech, floor) if n else empty
    owner = resolve_owner(keys, emb, judged, labels, centroids, cuts, decisions, floor)

    # the contrast space and the owner's scores in it
    members = owner.members
    household_rows = _decided_rows(keys, decisions, ROLE_HOUSEHOLD)
    stranger_rows = _decided_rows(keys, decisions, ROLE_STRANGER)
    enrolled = owner.enrolled
    extra = None
    if owner.present and members.sum() + len(enrolled) >= 1:
        rest = judged & ~members
        y, centre = owner_set.contrast_space(emb, members, rest, enrolled if len(enrolled) else None)
        extra = owner_set.transform(enrolled, centre) if len(enrolled) else None
        apart = np.isin(labels, _groups_apart(labels, len(centroids), members))
        confidence = owner_set.not_owner_confidence(owner.raw_scores, members & judged, decisions.k, apart)
        owner_scores_all = owner_set.contrast_scores(
            emb, y, centre, members, rest, confidence, enrolled if len(enrolled) else None
        )
        own = owner_scores_all[members & judged]
        own = own[~np.isnan(own)]
    elif len(enrolled):  # enrolled, absent: plain cosine to the enrolment
        y, centre, extra = emb, np.zeros(dim, np.float32), enrolled
        owner_scores_all = owner.raw_scores
        own = np.zeros(0)
    else:
        y, centre, owner_scores_all, own = emb, np.zeros(dim, np.float32), None, np.zeros(0)

    if len(own) >= MIN_OWNER_SAMPLES:
        auto, auto_source = float(owner_set.robust_cut(own, decisions.k)), THRESHOLD_AUTO
    else:
        finite = cuts[np.isfinite(cuts)] if len(cuts) else np.zeros(0)
        if owner_scores_all is not None and len(finite):
            auto, auto_source = float(np.clip(np.median(finite), *THRESHOLD_BOUNDS)), THRESHOLD_GROUPS
        else:
            auto, auto_source = DEFAULT_THRESHOLD, THRESHOLD_DEFAULT
    threshold, threshold_source = (
        (float(decisions.threshold), THRESHOLD_USER) if decisions.threshold is not None else (auto, auto_source)
    )

    # household voices, in the same space
    profiles: list[np.ndarray] = []
    best = None
    if owner_scores_all is not None:
        best = np.where(np.isnan(owner_scores_all), -1.0, owner_scores_all)
        for rows in household_rows.values():
            mask = np.zeros(n, bool)
            mask[rows] = True
            h = owner_set.set_scores(y, mask)
            best = np.maximum(best, np.where(np.isnan(h), -1.0, h))
            profiles.append(_normalise(y[rows].sum(axis=0)))
        owner_profile = None
        if members.any() or extra is not None:
            owner_profile = _normalise(y[members].sum(axis=0) + (extra.sum(axis=0) if extra is not None else 0.0))
        if owner_profile is not None:
            profiles.insert(0, owner_profile)

    # the voices shown: the owner's (the owner set, the recordings scored at or above the automatic threshold,
    # those named the owner's by the user, and recordings too short to judge whose nearest voice it is), the
    # household's, the other recurring groups (what is left of them)
    voice_of = np.full(n, UNIQUE, dtype=int)
    shown: list[tuple[str | None, np.ndarray, int | None, bool]] = []  # (role, rows, fixed id, decided)
    taken = np.zeros(n, bool)
    for vid, rows in household_rows.items():
        shown.append((ROLE_HOUSEHOLD, rows, vid, True))
        taken[rows] = True
    for vid, rows in stranger_rows.items():
        rows = rows[~taken[rows]]
        if len(rows):
            shown.append((ROLE_STRANGER, rows, vid, True))
            taken[rows] = True
    if owner.present and owner_scores_all is not None and members.any():
        forced = np.zeros(n, bool)
        if owner.decided_id is not None:
            forced[_decided_rows(keys, decisions, ROLE_OWNER)[owner.decided_id]] = True
        # at the automatic threshold, so that the voices shown do not move with the slider
        liked = np.nan_to_num(owner_scores_all, nan=-1.0) >= auto
        liked |= members  # the owner's voice is at least the owner set
        liked |= _short_owner_rows(emb, members, ~judged & ~members, labels, centroids, owner)
        owner_rows = np.flatnonzero((liked | forced) & ~taken)
        if len(owner_rows):
            shown.insert(0, (ROLE_OWNER, owner_rows, owner.decided_id, owner.decided_id is not None))
            taken[owner_rows] = True
    for g in range(len(centroids)):
        rows = np.flatnonzero((labels == g) & ~taken)
        if len(rows) >= grouping.MIN_GROUP:
            shown.append((None, rows, None, False))
            taken[rows] = True
    ids, next_id = carry_ids(
        [[keys[i] for i in rows] for _, rows, _, _ in shown],
        decisions.previous,
        decisions.next_voice_id,
        [fixed for _, _, fixed, _ in shown],
    )
    groups: list[VoiceGroup] = []
    for (role, rows, _, was_decided), vid in zip(shown, ids):
        voice_of[rows] = vid
        rep, centre_vec = _representative(emb, rows)
        groups.append(VoiceGroup(vid, voice_name(vid), len(rows), role, keys[rep], centre_vec,
                                 sorted(keys[i] for i in rows), was_decided))
    owner_group = next((g.id for g in groups if g.role == ROLE_OWNER), None)
    learned = owner.present and owner.decided_id is None and not len(enrolled)
    doubt = owner_doubt(groups, owner_group) if learned else None

    # reliability
    if owner.present and members.any():
        agree = owner.raw_scores[members & judged]
        agree = agree[~np.isnan(agree)]
        rest_scores = owner_scores_all[judged & ~members] if owner_scores_all is not None else np.zeros(0)
        sep = reliability.separation(own, rest_scores[~np.isnan(rest_scores)]) if len(own) else None
        agreement = float(np.median(agree)) if len(agree) else None
    else:
        sep, agreement = None, None
    narrow = None
    if rates:
        known = [rates[k] for k in keys if rates.get(k)]
        narrow = float(np.mean([r < 16000 for r in known])) if known else None
    outside = int((judged & ~members).sum()) if owner.present and members.any() else None
    verdict = reliability.verdict(agreement, speech, narrow, sep, int(members.sum()), outside)

    report = VoiceReport(
        results={},
        groups=groups,
        owner_source=owner.source,
        owner_group=owner_group,
        threshold=threshold,
        threshold_source=threshold_source,
        auto_threshold=auto,
        owner_scores=np.sort(own).astype(np.float32),
        scores={},
        other_voice_scores={},
        household_voices=len(household_rows),
        message=owner.message,
        hints=hints,
        reliability=verdict.message,
        reliability_level=verdict.level,
        next_voice_id=next_id,
        owner_set_size=int(members.sum()),
        owner_doubt=doubt,
    )
    row = {k: i for i, k in enumerate(keys)}
    raw_owner = owner.raw_scores if (owner.present or len(enrolled)) and owner.source is not None else None
    for key in sorted(features):
        f = features[key]
        if key not in row:
            report.results[key] = VoiceResult(key, uncertain=True, speech_s=float(f.speech_s), name=voice_name(UNIQUE))
            continue
        i = row[key]
        score = None if best is None else float(best[i])
        spans, other = _other_voice(f, emb[i])
        other_score = None
        if other is not None and profiles:
            other_score = float((np.stack(profiles) @ owner_set.transform(other, centre)).max())
            report.other_voice_scores[key] = other_score
        if score is not None:
            report.scores[key] = score
        vid = int(voice_of[i])
        name = voice_name(vid)
        raw = None if raw_owner is None else float(np.nan_to_num(raw_owner[i], nan=0.0))
        report.results[key] = VoiceResult(
            key,
            group=vid,
            group_name=str(name) if vid >= 0 else "",
            owner_similarity=raw,
            uncertain=not judged[i],
            speech_s=float(speech[i]),
            other_voice_spans=spans,
            score=score,
            other_score=other_score,
            in_owner_set=bool(members[i]),
            name=name,
        )
    return apply_threshold(report, threshold, threshold_source)


def report_meta(report: VoiceReport) -> dict:
    """The report's summary as the case file stores it (Messages as JSON text)."""
    owner = report.group(report.owner_group) if report.owner_group is not None else None

    def js(m: Message | None) -> str:
        return m.to_json() if isinstance(m, Message) else ""

    return {
        "owner_source": js(report.owner_source),
        "owner_group": report.owner_group,
        "owner_name": js(owner.name) if owner else "",
        "owner_set_size": report.owner_set_size,
        "threshold": report.threshold,
        "threshold_source": js(report.threshold_source),
        "auto_threshold": report.auto_threshold,
        "owner_scores": [round(float(x), 5) for x in report.owner_scores],
        "message": js(report.message),
        "reliability": js(report.reliability),
        "reliability_level": report.reliability_level,
        "next_voice_id": report.next_voice_id,
        "owner_doubt": js(report.owner_doubt),
    }


def report_groups(report: VoiceReport) -> list[dict]:
    return [
        {"id": g.id, "name": g.name.to_json(), "size": g.size, "role": g.role, "decided": g.decided,
         "representative": g.representative, "centroid": [round(float(x), 6) for x in g.centroid]}
        for g in report.groups
    ]
