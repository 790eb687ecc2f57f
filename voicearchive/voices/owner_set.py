"""The owner's voice as a robust set of recordings, and scores that contrast it with the archive's other voices.

Why not "the largest group": one voice heard through short, noisy commands is split by any clustering into
pieces (measured: 36 + 28 + 4 recordings of one owner), and centroid similarity cannot tell pieces of one voice
(0.70-0.80) from two voices (up to 0.87). What works, measured on command-length archives
(``benchmarks/eval_voices.py --commands``):

1. **Owner set** (:func:`owner_set`): start from a seed (the largest group or its sibling, ``owner_seed``; the
   group the user named; or the group that accepted the enrolment). Score every judged recording by its
   similarity to the set's mean, a member's leave-one-out (to the mean of the *other* members, as a newcomer
   is scored). Keep every recording whose score
   is at least ``median - K x MAD`` of the members' own scores, but never narrower than a voice is
   (:func:`set_cut`); iterate until the set no longer changes. The pieces of the owner's voice settle into the
   set; other voices stay out.
2. **Contrast** (:func:`contrast_space`): subtract the midpoint of the owner set's mean and the rest's mean from
   every embedding (what every recording of the archive shares, channel and room, goes away) and renormalise;
   owner recordings then point one way and the others the other way. A recording of the rest is scored
   (:func:`contrast_scores`) in the space of a centre without its own weight in the rest's mean, except as far
   as it is confidently not the owner (:func:`not_owner_confidence`: at least ``SELF_FAR x K`` robust
   deviations below the owner set on raw cosine, or in a recurring voice mostly outside it): with few other
   recordings (none but the owner's own outliers, on an archive without strangers) each would otherwise define
   its own contrast and be flagged for it.
3. **Owner-relative threshold**: the same ``median - K x MAD`` rule on the owner set's leave-one-out contrast
   scores. Never a two-class split (mixture, valley, Otsu) on its own: on an archive without any stranger it
   would split the owner in two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

K = 3.0  # robust deviations below the owner set's median score that still belong to it
MAD_SCALE = 1.4826  # MAD -> standard deviation of a normal distribution
MIN_SPREAD = 0.02  # floor of the robust deviation (a MAD of few scores can be ~0 by chance)
MAX_ITERATIONS = 30
MIN_SET = 2  # fewer members and there is no leave-one-out score to learn from

# The owner set is never narrower than a voice: the robust deviation of a real voice's leave-one-out scores,
# measured for every speaker of five command-length sets (clean, and four degraded), is 0.030-0.079 (median
# 0.040) at about 1 s of speech, and 0.025-0.040 (median 0.032) on clean 2 s clips. A set grown from a tight
# piece of one voice (14 recordings whose deviation was 0.018) kept its cut so high that the voice's other
# pieces never came in: one owner had 24% of its recordings flagged. See :func:`set_cut`.
SET_SPREAD_FLOOR = (0.04, 0.03)  # the set's smallest robust deviation at ...
FLOOR_SPEECH_S = (1.0, 2.0)  # ... this median speech of the judged recordings (seconds), linear between


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


SPREAD = "mad"  # "mad": the MAD of all the scores; "upper": of those above the median (measured worse)


def robust_cut(scores: np.ndarray, k: float = K) -> float:
    """``median - k x 1.4826 x MAD`` of ``scores`` (the deviation never below ``MIN_SPREAD``).

    (A MAD over the upper half only, against strangers widening it from the lower tail, was measured too: it
    keeps the owner's pieces apart on clean audio, half-owner AUC 0.91 instead of 0.99, and is not used.)"""
    scores = np.asarray(scores, dtype=np.float64)
    if not len(scores):
        return float("nan")
    med = float(np.median(scores))
    dev = np.abs(scores - med) if SPREAD == "mad" else scores[scores >= med] - med
    spread = max(MAD_SCALE * float(np.median(dev)), MIN_SPREAD)
    return med - k * spread


def set_spread_floor(speech_s: np.ndarray) -> float:
    """The owner set's smallest robust deviation for an archive whose judged recordings have ``speech_s``
    seconds of speech: longer speech gives tighter embeddings (``SET_SPREAD_FLOOR`` at ``FLOOR_SPEECH_S``)."""
    speech_s = np.asarray(speech_s, dtype=np.float64)
    if not len(speech_s):
        return SET_SPREAD_FLOOR[0]
    return float(np.interp(float(np.median(speech_s)), FLOOR_SPEECH_S, SET_SPREAD_FLOOR))


def set_cut(scores: np.ndarray, k: float = K, floor: float = MIN_SPREAD) -> float:
    """The owner set's acceptance cut: ``robust_cut`` at ``k``, but never above ``median - K x floor`` (``K``
    the default constant, whatever ``k``).

    The floor is a width in cosine (a voice's robust deviation measured, ``set_spread_floor``), so it does not move
    with ``k``: scaled by ``k`` it doubled the results' sensitivity to ``k`` (degraded "half owner": strangers
    flagged moved 5.8 points for ``k`` +0.2, against 0.9 with the fixed width)."""
    cut = robust_cut(scores, k)
    return min(cut, float(np.median(scores)) - K * floor) if len(scores) else cut


def set_scores(x: np.ndarray, members: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
    """Each row's similarity to the mean of the set ``members`` (bool mask) plus ``extra`` rows (enrolled
    samples, always in the set); a member's score is leave-one-out. Rows are L2-normalised."""
    total = x[members].sum(axis=0, dtype=np.float64)
    if extra is not None and len(extra):
        total = total + np.asarray(extra, np.float64).sum(axis=0)
    dots = x.astype(np.float64) @ total
    norm = float(np.linalg.norm(total))
    out = dots / max(norm, 1e-12)
    rest = np.sqrt(np.maximum(norm**2 - 2 * dots + 1.0, 0.0))
    loo = np.where(rest > 1e-6, (dots - 1.0) / np.maximum(rest, 1e-6), np.nan)
    return np.where(members, loo, out)


@dataclass
class OwnerSet:
    members: np.ndarray  # (n,) bool
    scores: np.ndarray  # (n,) raw cosine to the set (members leave-one-out)
    cut: float  # the last median - K x MAD of the members' scores
    iterations: int


def owner_set(
    x: np.ndarray,
    seed: np.ndarray,
    judged: np.ndarray,
    *,
    k: float = K,
    forced: np.ndarray | None = None,
    excluded: np.ndarray | None = None,
    extra: np.ndarray | None = None,
    floor: float = MIN_SPREAD,
) -> OwnerSet:
    """Grow (or shrink) ``seed`` (bool mask) to the robust owner set of the judged rows of ``x``.

    ``forced`` rows are always members, ``excluded`` never (voices the user named someone else's);
    ``extra`` are enrolled samples that are part of the set without being rows of the archive; ``floor`` is
    the set's smallest robust deviation (:func:`set_cut`, :func:`set_spread_floor`).
    """
    n = len(x)
    forced = np.zeros(n, bool) if forced is None else forced
    excluded = np.zeros(n, bool) if excluded is None else excluded
    members = (seed | forced) & ~excluded
    seen: list[bytes] = []
    scores, cut, it = np.zeros(n), float("nan"), 0
    for it in range(1, MAX_ITERATIONS + 1):
        if members.sum() + (0 if extra is None else len(extra)) < MIN_SET:
            break
        scores = set_scores(x, members, extra)
        own = scores[members & judged & ~forced]
        own = own[~np.isnan(own)]
        if len(own) < MIN_SET:
            break
        cut = set_cut(own, k, floor)
        new = ((judged & (scores >= cut)) | forced) & ~excluded
        if not new.any():
            break
        fingerprint = np.packbits(new).tobytes()
        if np.array_equal(new, members) or fingerprint in seen:  # stable, or a cycle: stop where it is
            members = new
            break
        seen.append(fingerprint)
        members = new
    scores = set_scores(x, members, extra) if members.any() or extra is not None else scores
    return OwnerSet(members, scores, cut, it)


def contrast_space(x: np.ndarray, owner: np.ndarray, rest: np.ndarray, extra: np.ndarray | None = None):
    """``(y, centre)``: rows of ``x`` (and ``extra``) minus the midpoint of the owner set's mean and the rest's
    mean, renormalised. With fewer than two other recordings there is nothing to contrast with: the centre is 0
    and the space is the plain cosine space."""
    dim = x.shape[1]
    owner_rows = x[owner]
    if extra is not None and len(extra):
        owner_rows = np.concatenate([owner_rows, np.asarray(extra, np.float32)])
    if int(rest.sum()) < 2 or not len(owner_rows):
        return x, np.zeros(dim, np.float32)
    centre = 0.5 * (owner_rows.mean(axis=0) + x[rest].mean(axis=0))
    return _normalise(x - centre), centre.astype(np.float32)


SELF_FAR = 2.0  # x K robust deviations below the owner set (raw cosine): confidently not the owner


def not_owner_confidence(
    raw: np.ndarray, members: np.ndarray, k: float = K, apart: np.ndarray | None = None
) -> np.ndarray:
    """Per row, 0..1: how confidently it is not the owner, from its raw cosine to the owner set (``raw``,
    members leave-one-out) in robust deviations below the members' median: 0 at ``k`` or nearer, 1 at
    ``SELF_FAR x k`` or farther, linear between. The deviation is measured on the members' scores above their
    median, so that a minority of another voice inside the set (below the median) does not widen it.
    ``apart`` rows (bool; recordings of a recurring voice mostly outside the owner set) are confidently not the
    owner whatever their score: a voice near the owner's still recurs on its own."""
    own = raw[members]
    own = own[~np.isnan(own)]
    if len(own) < MIN_SET:
        return np.ones(len(raw))
    med = float(np.median(own))
    spread = max(MAD_SCALE * float(np.median(own[own >= med] - med)), MIN_SPREAD)
    z = (med - np.nan_to_num(raw, nan=med)) / spread
    out = np.clip((z - k) / ((SELF_FAR - 1.0) * k), 0.0, 1.0)
    return out if apart is None else np.where(apart, 1.0, out)


def contrast_scores(
    x: np.ndarray,
    y: np.ndarray,
    centre: np.ndarray,
    members: np.ndarray,
    rest: np.ndarray,
    confidence: np.ndarray,
    extra: np.ndarray | None = None,
) -> np.ndarray:
    """Each row's similarity to the owner set in the contrast space (members leave-one-out), where a row of
    the rest is scored in the space of a centre built without its own weight in the rest's mean, except as far
    as it is confidently not the owner (``confidence``, :func:`not_owner_confidence`).

    Why: with few other recordings, a recording of the rest pulls the centre towards itself and so defines its
    own contrast: on an archive without strangers, the owner's own outliers are "the rest" and each one was
    flagged because it was there (measured: 7 of one owner's 54 recordings). A recording far from the owner
    keeps its weight (a one-off stranger is the only sign of its own voice).

    ``x`` rows and ``extra`` (enrolled samples) are in the cosine space, ``y`` = ``contrast_space(x, ...)``
    with ``centre``. The moved centre is applied to first order: the owner profile's sum of unit vectors
    ``p(c) = sum u_j``, ``u_j = (x_j - c) / |x_j - c|``, moves by ``-(sum 1/r_j) d + G d`` with
    ``G = sum u_j u_j^T / r_j`` (one d x d matrix, read in chunks)."""
    extra_y = transform(extra, centre) if extra is not None and len(extra) else None
    scores = set_scores(y, members, extra_y)
    rest = np.asarray(rest, bool)
    total = float(rest.sum())
    drop = np.where(rest, 1.0 - np.asarray(confidence, np.float64), 0.0)
    rows = np.flatnonzero((drop > 1e-9) & (total - drop > 1e-6))
    if not len(rows) or total < 2 or not np.any(centre):
        return scores
    owner_idx = np.flatnonzero(members)
    dim = x.shape[1]
    rest_sum = x[rest].sum(axis=0, dtype=np.float64)
    c = centre.astype(np.float64)
    p = np.zeros(dim)
    inv_r = 0.0
    g = np.zeros((dim, dim))
    chunks = [x[owner_idx[a : a + 4096]] for a in range(0, len(owner_idx), 4096)]
    if extra is not None and len(extra):
        chunks.append(np.asarray(extra, np.float32))
    for part in chunks:
        diff = part.astype(np.float64) - c
        r = np.maximum(np.linalg.norm(diff, axis=1), 1e-12)
        u = diff / r[:, None]
        p += u.sum(axis=0)
        inv_r += float((1.0 / r).sum())
        g += (u / r[:, None]).T @ u
    for a in range(0, len(rows), 4096):  # bounded memory: 4,096 rows at a time
        part = rows[a : a + 4096]
        d = drop[part, None]
        xr = x[part].astype(np.float64)
        delta = 0.5 * ((rest_sum - d * xr) / (total - d) - rest_sum / total)  # moved centre minus the centre
        profile = p[None, :] - inv_r * delta + delta @ g
        own_vec = xr - c - delta
        own_vec /= np.maximum(np.linalg.norm(own_vec, axis=1, keepdims=True), 1e-12)
        profile /= np.maximum(np.linalg.norm(profile, axis=1, keepdims=True), 1e-12)
        scores[part] = np.einsum("ij,ij->i", own_vec, profile)
    return scores


def transform(v: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """A vector (or rows) from the cosine space into the contrast space of ``centre``."""
    return _normalise(np.asarray(v, np.float32) - centre)
