"""Voice groups across an archive, without being told how many voices there are.

The method, chosen on measurements (``benchmarks/eval_voices.py``, figures in ``benchmarks/RESULTS-voices.md``):

1. **Spectral clustering with an eigengap choice of k** on a deterministic sample of at most
   ``SAMPLE_SIZE`` embeddings: the cosine-similarity graph is pruned to each row's ``p`` strongest
   neighbours and ``p`` is tuned automatically (normalised maximum eigengap, after Park et al., 2019), so
   no fixed similarity threshold is needed; k-means on the spectral embedding gives the clusters.
2. **Centroid acceptance**: each cluster is summarised by its centroid and an acceptance cut taken from
   its own members' similarities to it (median minus ``MAD_K`` robust deviations, bounded). A recording
   joins the nearest centroid only if it passes that cluster's cut; clusters whose centroids are as close
   to each other as their own members are merged. Clusters left with fewer than ``MIN_GROUP`` members are
   dissolved: a voice heard once or twice is "unique" (-1).
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
CUT_BOUNDS = (0.55, 0.85)  # the acceptance cut never leaves these bounds
MERGE_MARGIN = 0.0  # merge two clusters when their centroids are closer than their members' median


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
    labels = np.zeros(len(x), dtype=int)
    for _ in range(iters):
        new = np.argmin(((x[:, None, :] - c[None]) ** 2).sum(-1), axis=1)
        if _ and np.array_equal(new, labels):
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
    sim = (x @ x.T).astype(np.float64)
    candidates = sorted({int(np.clip(round(n * f), 2, n - 1)) for f in np.geomspace(0.01, 0.25, 7)})
    best: tuple[float, int, np.ndarray] | None = None
    for p in candidates:
        lap = _pruned_laplacian(sim, p)
        vals, vecs = np.linalg.eigh(lap)
        m = min(max_k, n - 1)
        gaps = np.diff(vals[: m + 1])
        k = int(np.argmax(gaps)) + 1
        g = gaps[k - 1] / max(vals[-1], 1e-12)
        ratio = p / max(g, 1e-12)
        if best is None or ratio < best[0]:
            best = (ratio, k, vecs[:, :k])
    assert best is not None
    _, k, vecs = best
    if k == 1:
        return np.zeros(n, dtype=int)
    emb = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return _kmeans(emb, k)


# ---------------------------------------------------------------------------------------------------------
# centroids, acceptance cuts, assignment


def _cut(sims_to_centroid: np.ndarray) -> float:
    med = float(np.median(sims_to_centroid))
    mad = float(np.median(np.abs(sims_to_centroid - med)))
    return float(np.clip(med - MAD_K * 1.4826 * mad, *CUT_BOUNDS))


def _summarise(x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centroids, acceptance cuts and member medians of each label >= 0 (labels are 0..g-1)."""
    g = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    cents = np.zeros((g, x.shape[1]), np.float32)
    cuts = np.zeros(g, np.float32)
    meds = np.zeros(g, np.float32)
    for j in range(g):
        members = x[labels == j]
        c = _normalise(members.sum(axis=0))
        s = members @ c
        cents[j], cuts[j], meds[j] = c, _cut(s), np.median(s)
    return cents, cuts, meds


def assign(x: np.ndarray, centroids: np.ndarray, cuts: np.ndarray, chunk: int = CHUNK) -> np.ndarray:
    """Label each row with its nearest centroid if it passes that centroid's cut, else -1; in chunks."""
    out = np.full(len(x), -1, dtype=int)
    if len(centroids) == 0:
        return out
    for start in range(0, len(x), chunk):
        s = x[start : start + chunk] @ centroids.T
        best = np.argmax(s, axis=1)
        ok = s[np.arange(len(s)), best] >= cuts[best]
        out[start : start + chunk] = np.where(ok, best, -1)
    return out


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Renumber labels >= 0 to 0..g-1 in order of first appearance."""
    out = np.full_like(labels, -1)
    mapping: dict[int, int] = {}
    for i, lab in enumerate(labels):
        if lab >= 0:
            out[i] = mapping.setdefault(int(lab), len(mapping))
    return out


def _merge_close(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Merge, one pair at a time, clusters whose centroids are at least as alike as each one's own members.

    Spectral clustering sometimes splits one voice in two; two halves of one voice have centroids closer to
    each other than either's members are to it, which two different voices do not. Greedy, most alike first,
    re-summarising after each merge so that merges cannot chain across voices.
    """
    labels = labels.copy()
    while True:
        cents, _, meds = _summarise(x, labels)
        g = len(cents)
        if g < 2:
            return labels
        sim = cents @ cents.T - np.maximum(meds[:, None], meds[None, :]) - MERGE_MARGIN
        np.fill_diagonal(sim, -np.inf)
        i, j = np.unravel_index(int(np.argmax(sim)), sim.shape)
        if sim[i, j] < 0:
            return labels
        labels = _relabel(np.where(labels == max(i, j), min(i, j), labels))


def refine(x: np.ndarray, labels: np.ndarray, iters: int = 3) -> np.ndarray:
    """Merge near-identical clusters, apply the acceptance rule and dissolve clusters below ``MIN_GROUP``."""
    labels = _relabel(labels)
    for _ in range(iters):
        if labels.max(initial=-1) < 0:
            break
        cents, cuts, _ = _summarise(x, _merge_close(x, labels))
        new = assign(x, cents, cuts)
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
) -> Grouping:
    """Group the voices of ``embeddings`` (rows L2-normalised, one per key) without knowing how many.

    Returns groups numbered by size, largest first. At most ``sample_size`` rows are clustered directly;
    the rest are assigned in chunks of ``chunk`` rows with the same acceptance rule.
    """
    n = len(keys)
    x = _normalise(np.asarray(embeddings).reshape(n, -1)) if n else np.zeros((0, 256), np.float32)
    order = sorted(range(n), key=lambda i: keys[i])
    x_sorted = x[order]
    sorted_keys = [keys[i] for i in order]
    labels = np.full(n, -1, dtype=int)
    next_id = 0
    for _ in range(ROUNDS):
        todo = np.flatnonzero(labels < 0)
        if len(todo) < MIN_GROUP:
            break
        pick = todo[deterministic_sample([sorted_keys[i] for i in todo], sample_size)]
        local = refine(x_sorted[pick], spectral_clusters(x_sorted[pick]))
        if local.max(initial=-1) < 0:
            break
        cents, cuts, _ = _summarise(x_sorted[pick], local)
        got = assign(x_sorted[todo], cents, cuts, chunk)
        labels[todo] = np.where(got >= 0, got + next_id, -1)
        next_id += len(cents)
        if len(todo) <= sample_size:
            break
    labels, cents, cuts = _finish(x_sorted, labels)
    out = np.full(n, -1, dtype=int)
    out[order] = labels
    return Grouping(out, cents, cuts)


def _finish(x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dissolve groups below ``MIN_GROUP``, number the rest by size (ties: first row), summarise them."""
    ids = [int(i) for i in np.unique(labels[labels >= 0])]
    sizes = {i: int(np.sum(labels == i)) for i in ids}
    first = {i: int(np.argmax(labels == i)) for i in ids}
    kept = sorted((i for i in ids if sizes[i] >= MIN_GROUP), key=lambda i: (-sizes[i], first[i]))
    new_id = {old: new for new, old in enumerate(kept)}
    out = np.array([new_id.get(int(lab), -1) for lab in labels], dtype=int)
    cents, cuts, _ = _summarise(x, out) if kept else (np.zeros((0, x.shape[1]), np.float32), np.zeros(0, np.float32), None)
    return out, cents, cuts


def group_name(index: int) -> str:
    """'Voice A' .. 'Voice Z', then 'Voice AA', 'Voice AB', ..."""
    letters = ""
    i = index
    while True:
        letters = chr(ord("A") + i % 26) + letters
        i = i // 26 - 1
        if i < 0:
            break
    return f"Voice {letters}"
