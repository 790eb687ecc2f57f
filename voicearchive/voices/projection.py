"""A deterministic 2-D map of voice embeddings for the voices view. No Qt.

The map is a linear projection (principal components), so it is fast at 100,000 recordings,
identical on every run, and stable as recordings are added. When voice groups are known, the
axes are fitted to the group centroids instead of to the recordings: that spreads the groups
apart (the view's purpose) rather than showing the spread inside the largest group.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: At most this many rows are used to fit the axes; every row is still projected.
MAX_FIT_ROWS = 20_000


def _principal_axes(x: np.ndarray, k: int) -> np.ndarray:
    """Return the ``k`` leading principal axes of ``x`` as a (d, k) float64 matrix.

    The sign of each axis is fixed (its largest loading is positive) so the result does not
    depend on the eigen-solver's arbitrary choice.
    """
    d = x.shape[1]
    centred = x - x.mean(axis=0, keepdims=True)
    if centred.shape[0] <= d:
        # Fewer rows than dimensions: the thin SVD is cheaper and exact.
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        axes = vt[:k].T
    else:
        cov = centred.T @ centred
        _, vecs = np.linalg.eigh(cov)  # ascending eigenvalues
        axes = vecs[:, ::-1][:, :k]
    if axes.shape[1] < k:  # fewer than k independent directions
        axes = np.hstack([axes, np.zeros((d, k - axes.shape[1]))])
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(k)])
    signs[signs == 0] = 1.0
    return axes * signs


def project_2d(
    embeddings: np.ndarray,
    groups: Sequence[int] | np.ndarray | None = None,
    *,
    max_fit_rows: int = MAX_FIT_ROWS,
) -> np.ndarray:
    """Map (n, d) embeddings to (n, 2) float32 points, centred on the origin.

    ``groups`` (optional, one int per row, -1 = no group) fits the axes to the group centroids when
    there are at least three groups. Rows that are not finite map to the origin. The result is
    scaled so that the largest coordinate is 1 (an all-equal input gives all zeros).
    """
    x = np.asarray(embeddings)
    if x.ndim != 2:
        raise ValueError(f"embeddings must be a 2-D array, not shape {x.shape}")
    n = x.shape[0]
    out = np.zeros((n, 2), dtype=np.float32)
    if n == 0 or x.shape[1] == 0:
        return out
    finite = np.isfinite(x).all(axis=1)
    if not finite.any():
        return out
    all_finite = bool(finite.all())
    good = x if all_finite else x[finite]

    fit: np.ndarray = good
    if groups is not None:
        g = np.asarray(groups)
        g = g if all_finite else g[finite]
        ids = np.unique(g[g >= 0])
        if len(ids) >= 3:
            fit = np.stack([good[g == i].mean(axis=0, dtype=np.float64) for i in ids])
    if fit.shape[0] > max_fit_rows:
        # An even stride, not a random draw: the same input always gives the same map.
        fit = fit[np.linspace(0, fit.shape[0] - 1, max_fit_rows).astype(np.int64)]
    fit = fit.astype(np.float64)

    axes = _principal_axes(fit, 2)
    offset = fit.mean(axis=0) @ axes
    # Project first, then centre: no (n, d) temporary for large inputs.
    points = good.astype(np.float32, copy=False) @ axes.astype(np.float32) - offset.astype(np.float32)
    scale = float(np.abs(points).max())
    if scale > 1e-6:
        points /= scale
    else:
        points[:] = 0.0
    if all_finite:
        return np.ascontiguousarray(points, dtype=np.float32)
    out[finite] = points
    return out
