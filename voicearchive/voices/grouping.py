"""Voice groups across an archive, without being told how many voices there are.

The method, chosen on measurements (``benchmarks/eval_voices.py``, figures in ``benchmarks/RESULTS-voices.md``):

1. **Spectral clustering with an eigengap choice of k** on a deterministic sample of at most
   ``SAMPLE_SIZE`` embeddings: the cosine-similarity graph is pruned to each row's ``p`` strongest
   neighbours and ``p`` is tuned automatically (normalised maximum eigengap, after Park et al., 2019), so
   no fixed similarity threshold is needed; k-means on the spectral embedding gives the clusters.
2. **Fragments merged, then centroid acceptance**: clusters that are fragments of one voice (as alike
   across as within) are joined by average linkage with a cut learnt from the archive itself. Each cluster
   is then summarised by its centroid and an acceptance cut taken from its own members' similarities to
   it (median minus ``MAD_K`` robust deviations, the deviation never below the voice's spread the caller
   gives, bounded). A recording joins the nearest centroid only if
   it passes that cluster's cut. Clusters left with fewer than ``MIN_GROUP`` members are dissolved: a
   voice heard once or twice is "unique" (-1).
3. **Scaling**: the same acceptance rule assigns every recording to the sample's centroids in chunks of
   ``CHUNK`` rows, so memory stays O(chunk x groups) at 100,000 recordings. Recordings nobody accepted
   are clustered again (a few rounds) so that voices too rare to be sampled still form groups.

Everything is deterministic: recordings are processed in key order, the sample is chosen by a hash of the
key, and k-means starts from a fixed seed. Groups are numbered by size (largest first, ties broken by
the first key), so the same input always gives the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

MIN_GROUP = 3  # a voice heard at least this often is a recurring group
SAMPLE_SIZE = 1000  # largest n clustered directly (an n x n affinity of this size is 4 MB)
CHUNK = 4096  # rows per assignment chunk
MAX_K = 20  # most groups one spectral round looks for
ROUNDS = 3  # spectral rounds over recordings no group accepted
MAD_K = 3.0  # acceptance cut = median - MAD_K * 1.4826 * MAD of members' similarity to their centroid
MIN_SPREAD = 0.02  # floor of the robust deviation of a group's scores (callers pass a voice's measured spread)
CUT_BOUNDS = (0.55, 0.85)  # the acceptance cut never leaves these bounds
COHERENCE = 0.65  # a group whose members' median leave-one-out similarity is lower is not one voice
MERGE_SHARE = 0.35  # merge when the cross similarity is within this share of the way down to the between level
BETWEEN_CAP = 0.6  # the between-voice similarity level used to merge fragments never exceeds this


@dataclass
class Grouping:
    """The result: a label per row (-1 = unique voice) and each group's centroid and acceptance cut."""

    labels: np.ndarray  # (n,) int, groups numbered 0.. by size
    centroids: np.ndarray  # (g, d) float32, L2-normalised
    cuts: np.ndarray  # (g,) float32: the similarity to the centroid a recording needs to join


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def _key_hash(key: str) -> bytes:
    return hashlib.sha1(key.encode("utf-8")).digest()


def deterministic_sample(keys: list[str], size: int) -> np.ndarray:
    """Indices of ``size`` rows chosen by key hash: the same keys give the same sample in any order."""
    if len(keys) <= size:
        return np.arange(len(keys))
    order = sorted(range(len(keys)), key=lambda i: _key_hash(keys[i]))
    return np.sort(np.array(order[:size]))


# ---------------------------------------------------------------------------------------------------------
# spectral clustering with an automatically pruned graph and an eigengap choice of k


def _pruned_laplacian(sim: np.ndarray, p: int) -> np.ndarray:
    """Unnormalised Laplacian of the graph keeping each row's ``p`` strongest neighbours (binary, symmetric)."""
    n = len(sim)
    top = np.argpartition(-sim, min(p, n - 1), axis=1)[:, : p + 1]  # includes the row itself
    a = np.zeros_like(sim)
    np.put_along_axis(a, top, 1.0, axis=1)
    a = 0.5 * (a + a.T)
    np.fill_diagonal(a, 0.0)
    return np.diag(a.sum(axis=1)) - a


def _kmeans(x: np.ndarray, k: int, iters: int = 50) -> np.ndarray:
    """Deterministic k-means (k-means++ from seed 0) on rows of ``x``; returns labels."""
    rng = np.random.default_rng(0)
    centres = [x[0]]
    for _ in range(1, k):
        d = np.min(((x[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
        total = d.sum()
        centres.append(x[rng.choice(len(x), p=d / total)] if total > 0 else x[len(centres) % len(x)])
    c = np.array(centres)
    labels = np.full(len(x), -1)
    for _ in range(iters):
        new = np.argmin(((x[:, None, :] - c[None]) ** 2).sum(-1), axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            if len(members):
                c[j] = members.mean(axis=0)
    return labels


def spectral_clusters(x: np.ndarray, max_k: int = MAX_K) -> np.ndarray:
    """Cluster L2-normalised rows without a given k; returns labels 0..k-1.

    For each candidate pruning ``p`` the Laplacian's largest eigengap among the first ``max_k`` eigenvalues
    proposes k; the ``p`` whose gap is largest relative to ``p`` (normalised maximum eigengap) wins.
    """
    n = len(x)
    if n < 2 * MIN_GROUP:
        return np.zeros(n, dtype=int)
    sim = (x @ x.T).astype(np.float32)  # float32 eigenvalues: twice as fast, and gaps need no more
    candidates = sorted({int(np.clip(round(n * f), 2, n - 1)) for f in np.geomspace(0.01, 0.25, 7)})
    best: tuple[float, int, int] | None = None
    for p in candidates:
        vals = np.linalg.eigvalsh(_pruned_laplacian(sim, p))  # eigenvalues only: several times faster
        gaps = np.diff(vals[: min(max_k, n - 1) + 1])
        k = int(np.argmax(gaps)) + 1
        ratio = p / max(gaps[k - 1] / max(vals[-1], 1e-12), 1e-12)
        if best is None or ratio < best[0]:
            best = (ratio, k, p)
    assert best is not None
    _, k, p = best
    if k == 1:
        return np.zeros(n, dtype=int)
    vecs = np.linalg.eigh(_pruned_laplacian(sim, p))[1][:, :k]
    emb = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return _kmeans(emb, k)


# ---------------------------------------------------------------------------------------------------------
# centroids, acceptance cuts, assignment


def _cut(scores: np.ndarray, min_spread: float = MIN_SPREAD) -> float:
    """Median minus ``MAD_K`` robust deviations (never taken below ``min_spread``: a median absolute
    deviation of three scores can be almost zero by chance, and no voice is narrower than its measured
    spread), bounded by ``CUT_BOUNDS``."""
    med = float(np.median(scores))
    spread = max(1.4826 * float(np.median(np.abs(scores - med))), min_spread)
    return float(np.clip(med - MAD_K * spread, *CUT_BOUNDS))


def _summarise(x: np.ndarray, labels: np.ndarray, chunk: int = CHUNK,
               min_spread: float = MIN_SPREAD) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centroids, acceptance cuts and coherence of each label 0..g-1, reading ``x`` in chunks.

    A member's score is its leave-one-out similarity: to the centroid of the *other* members, which is
    what a newcomer's similarity to the centroid is too (a small group's members are otherwise flattered
    by their own weight in it). The cut is the members' median minus ``MAD_K`` robust deviations, bounded;
    a group whose median is below ``COHERENCE`` is not one voice and gets an infinite cut (it accepts no one).
    """
    g = int(labels.max(initial=-1)) + 1
    sums = _group_sums(x, labels, g, chunk)
    cents = _normalise(sums) if g else np.zeros((0, x.shape[1]), np.float32)
    sq = np.einsum("ij,ij->i", sums, sums)
    loo = np.full(len(x), np.nan)
    for start in range(0, len(x), chunk):
        lab = labels[start : start + chunk]
        ok = lab >= 0
        dot = np.einsum("ij,ij->i", x[start : start + chunk][ok].astype(np.float64), sums[lab[ok]])
        rest = np.sqrt(np.maximum(sq[lab[ok]] - 2 * dot + 1.0, 0.0))
        loo[start : start + chunk][ok] = np.where(rest > 1e-6, (dot - 1.0) / np.maximum(rest, 1e-6), np.nan)
    cuts = np.full(g, np.inf, np.float32)
    meds = np.zeros(g, np.float32)
    for j in range(g):
        s = loo[labels == j]
        s = s[~np.isnan(s)]
        if len(s):
            meds[j] = np.median(s)
            if meds[j] >= COHERENCE:
                cuts[j] = _cut(s, min_spread)
    return cents, cuts, meds


def assign(
    x: np.ndarray,
    centroids: np.ndarray,
    cuts: np.ndarray,
    chunk: int = CHUNK,
    members: np.ndarray | None = None,
) -> np.ndarray:
    """Label each row with its nearest centroid if it passes that centroid's cut, else -1; in chunks.

    ``members`` (the labels the centroids were computed from) makes a member's similarity to its own
    group leave-one-out, as the cuts are: a member is judged as if it were a newcomer.
    """
    out = np.full(len(x), -1, dtype=int)
    if len(centroids) == 0:
        return out
    if members is not None:
        sums = _group_sums(x, members, len(centroids), chunk)
        norms = np.linalg.norm(sums, axis=1)
    for start in range(0, len(x), chunk):
        rows = x[start : start + chunk]
        s = rows @ centroids.T
        if members is not None:
            lab = members[start : start + chunk]
            i = np.flatnonzero(lab >= 0)
            g = lab[i]
            dot = s[i, g] * norms[g]  # row . (sum of its group)
            rest = np.sqrt(np.maximum(norms[g] ** 2 - 2 * dot + 1.0, 0.0))
            s[i, g] = np.where(rest > 1e-6, (dot - 1.0) / np.maximum(rest, 1e-6), -1.0)
        best = np.argmax(s, axis=1)
        ok = s[np.arange(len(s)), best] >= cuts[best]
        out[start : start + chunk] = np.where(ok, best, -1)
    return out


def _group_sums(x: np.ndarray, labels: np.ndarray, g: int, chunk: int) -> np.ndarray:
    sums = np.zeros((g, x.shape[1]), np.float64)
    for start in range(0, len(x), chunk):
        lab = labels[start : start + chunk]
        onehot = (lab[:, None] == np.arange(g)[None, :]).astype(np.float32)
        sums += onehot.T @ x[start : start + chunk]
    return sums


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Renumber labels >= 0 to 0..g-1 in order of first appearance."""
    out = np.full_like(labels, -1)
    mapping: dict[int, int] = {}
    for i, lab in enumerate(labels):
        if lab >= 0:
            out[i] = mapping.setdefault(int(lab), len(mapping))
    return out


def _merge_fragments(sim: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Join the clusters that are fragments of one voice (average linkage, with a cut learnt from the data).

    Spectral clustering over-splits a voice whose recordings have no inner structure. Two fragments of one
    voice are as alike across as within (their mean cross similarity equals their members' mean pairwise
    similarity), while two voices are as alike as voices in general. So two clusters merge, most alike first,
    while their mean cross similarity is no more than ``MERGE_SHARE`` of the way down from the within-voice
    level (the lower of their own) to the between-voice level (the median cross similarity of all cluster
    pairs, capped at ``BETWEEN_CAP`` so that one voice split into fragments cannot set it).
    """
    labels = _relabel(labels)
    g = int(labels.max(initial=-1)) + 1
    if g < 2:
        return labels
    onehot = np.zeros((len(labels), g))
    onehot[labels >= 0, labels[labels >= 0]] = 1.0
    sums = onehot.T @ sim @ onehot  # (g, g) sums of similarities between and within clusters
    sizes = onehot.sum(axis=0)
    self_sum = np.array([sim[labels == j][:, labels == j].trace() for j in range(g)])
    members = [[j] for j in range(g)]
    iu = np.triu_indices(g, 1)
    between = min(float(np.median(sums[iu] / np.outer(sizes, sizes)[iu])), BETWEEN_CAP)
    while len(sizes) > 1:
        pairs = sizes * (sizes - 1)
        within = np.where(pairs > 0, (np.diag(sums) - self_sum) / np.maximum(pairs, 1), np.nan)
        typical = float(np.nanmedian(within)) if np.any(pairs > 0) else 1.0
        within = np.where(np.isnan(within), typical, within)
        cross = sums / np.outer(sizes, sizes)
        low = np.minimum(within[:, None], within[None, :])
        need = low - MERGE_SHARE * (low - between)
        margin = cross - need
        np.fill_diagonal(margin, -np.inf)
        i, j = np.unravel_index(int(np.argmax(margin)), margin.shape)
        if margin[i, j] < 0:
            break
        i, j = min(i, j), max(i, j)
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums = np.delete(np.delete(sums, j, axis=0), j, axis=1)
        sizes[i] += sizes[j]
        sizes = np.delete(sizes, j)
        self_sum[i] += self_sum[j]
        self_sum = np.delete(self_sum, j)
        members[i] += members.pop(j)
    target = np.empty(g, dtype=int)
    for new, olds in enumerate(members):
        target[olds] = new
    return np.where(labels >= 0, target[np.maximum(labels, 0)], -1)


def refine(x: np.ndarray, labels: np.ndarray, iters: int = 3, min_spread: float = MIN_SPREAD) -> np.ndarray:
    """Merge near-identical clusters, apply the acceptance rule and dissolve clusters below ``MIN_GROUP``."""
    labels = _merge_fragments((x @ x.T).astype(np.float64), labels)
    for _ in range(iters):
        if labels.max(initial=-1) < 0:
            break
        cents, cuts, _ = _summarise(x, labels, min_spread=min_spread)
        new = assign(x, cents, cuts, members=labels)
        counts = np.bincount(new[new >= 0], minlength=len(cents))
        new = np.where((new >= 0) & (counts[np.maximum(new, 0)] >= MIN_GROUP), new, -1)
        new = _relabel(new)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


# ---------------------------------------------------------------------------------------------------------
# the whole archive


def group_voices(
    keys: list[str],
    embeddings: np.ndarray,
    sample_size: int = SAMPLE_SIZE,
    chunk: int = CHUNK,
    min_spread: float = MIN_SPREAD,
) -> Grouping:
    """Group the voices of ``embeddings`` (rows L2-normalised, one per key) without knowing how many.

    Returns groups numbered by size, largest first. At most ``sample_size`` rows are clustered directly;
    the rest are assigned in chunks of ``chunk`` rows with the same acceptance rule. ``min_spread`` is the
    smallest robust deviation a group's cut assumes: the analysis passes a voice's measured spread at the
    archive's length of speech (``owner_set.set_spread_floor``), as the owner set's cut does.
    """
    n = len(keys)
    x = np.asarray(embeddings).reshape(n, -1) if n else np.zeros((0, 256), np.float32)
    if x.dtype != np.float32 or not np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-4):
        x = _normalise(x)
    order = sorted(range(n), key=lambda i: keys[i])  # key order makes the result independent of input order
    in_order = order == list(range(n))
    x_sorted = x if in_order else x[order]
    sorted_keys = keys if in_order else [keys[i] for i in order]
    labels = np.full(n, -1, dtype=int)
    known_cents = np.zeros((0, x.shape[1]), np.float32)
    known_cuts = np.zeros(0, np.float32)
    for _ in range(ROUNDS):
        todo = np.flatnonzero(labels < 0)
        if len(todo) < MIN_GROUP:
            break
        pick = todo[deterministic_sample([sorted_keys[i] for i in todo], sample_size)]
        local = refine(x_sorted[pick], spectral_clusters(x_sorted[pick]), min_spread=min_spread)
        cents, cuts, _ = _summarise(x_sorted[pick], local, min_spread=min_spread)
        # a cluster of what earlier groups turned away, whose centre they would accept, is their tail: drop it
        new = assign(cents, known_cents, known_cuts) < 0
        if not new.any():
            break
        cents, cuts = cents[new], cuts[new]
        got = assign(x_sorted[todo], cents, cuts, chunk)
        labels[todo] = np.where(got >= 0, got + len(known_cents), -1)
        known_cents = np.concatenate([known_cents, cents])
        known_cuts = np.concatenate([known_cuts, cuts])
    labels, cents, cuts = _settle(x_sorted, labels, chunk, min_spread=min_spread)
    if not in_order:
        labels[order] = labels.copy()
    return Grouping(labels, cents, cuts)


def _settle(
    x: np.ndarray, labels: np.ndarray, chunk: int, passes: int = 2, min_spread: float = MIN_SPREAD
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Re-estimate every group from all its members and re-apply the acceptance rule, in chunks; then
    dissolve groups below ``MIN_GROUP`` and number the rest by size (ties: first row in key order)."""
    for _ in range(passes):
        labels = _by_size(labels)
        if labels.max(initial=-1) < 0:
            break
        cents, cuts, _ = _summarise(x, labels, chunk, min_spread)
        labels = assign(x, cents, cuts, chunk, members=labels)
    labels = _by_size(labels)
    cents, cuts, _ = _summarise(x, labels, chunk, min_spread)
    return labels, cents, cuts


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Drop labels with fewer than ``MIN_GROUP`` rows; renumber the rest 0.. by size, ties by first row."""
    ids, first, counts = np.unique(labels[labels >= 0], return_index=True, return_counts=True)
    if not len(ids):
        return np.full_like(labels, -1)
    first_row = np.flatnonzero(labels >= 0)[first]
    kept = sorted((-int(c), int(f), int(i)) for i, c, f in zip(ids, counts, first_row) if c >= MIN_GROUP)
    table = np.full(int(ids.max()) + 1, -1)
    for new, (_, _, old) in enumerate(kept):
        table[old] = new
    return np.where(labels >= 0, table[np.maximum(labels, 0)], -1)
