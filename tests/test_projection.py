"""The 2-D voice map projection: deterministic, separating, robust to odd input."""

import numpy as np
import pytest

from voicearchive.voices.projection import project_2d


def _clusters(n_per: int, centres: int, d: int = 256, spread: float = 0.05, seed: int = 0):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(centres, d))
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    x = np.concatenate([m + spread * rng.normal(size=(n_per, d)) for m in means])
    labels = np.repeat(np.arange(centres), n_per)
    return x.astype(np.float32), labels


def test_shape_dtype_and_scale():
    x, _ = _clusters(20, 3)
    p = project_2d(x)
    assert p.shape == (60, 2)
    assert p.dtype == np.float32
    assert np.isclose(np.abs(p).max(), 1.0)
    assert np.allclose(p.mean(axis=0), 0.0, atol=1e-5)


def test_deterministic_and_independent_of_row_order_for_the_axes():
    x, _ = _clusters(30, 4, seed=3)
    a = project_2d(x)
    b = project_2d(x.copy())
    assert np.array_equal(a, b)
    perm = np.random.default_rng(1).permutation(len(x))
    c = project_2d(x[perm])
    # Same axes and signs: the permuted map is the permuted original map.
    assert np.allclose(c, a[perm], atol=1e-5)


def test_groups_are_separated_on_the_map():
    x, labels = _clusters(40, 4, spread=0.03, seed=5)
    for groups in (None, labels):
        p = project_2d(x, groups)
        centroids = np.stack([p[labels == i].mean(axis=0) for i in range(4)])
        within = max(np.linalg.norm(p[labels == i] - centroids[i], axis=1).mean() for i in range(4))
        between = min(
            np.linalg.norm(centroids[i] - centroids[j]) for i in range(4) for j in range(i + 1, 4)
        )
        assert between > 3 * within


def test_centroid_fit_spreads_small_groups_apart():
    # One huge group and three small ones: fitting to centroids keeps the small ones apart.
    x, labels = _clusters(10, 4, spread=0.02, seed=7)
    rng = np.random.default_rng(8)
    big = x[labels == 0].mean(axis=0) + 0.3 * rng.normal(size=(400, x.shape[1]))
    xs = np.concatenate([x, big.astype(np.float32)])
    ls = np.concatenate([labels, np.zeros(400, dtype=int)])
    p = project_2d(xs, ls)
    small = [p[: len(x)][labels == i].mean(axis=0) for i in (1, 2, 3)]
    gaps = [np.linalg.norm(small[i] - small[j]) for i in range(3) for j in range(i + 1, 3)]
    assert min(gaps) > 0.2


def test_edge_cases():
    assert project_2d(np.zeros((0, 256))).shape == (0, 2)
    assert np.array_equal(project_2d(np.ones((1, 8))), np.zeros((1, 2), dtype=np.float32))
    assert np.array_equal(project_2d(np.ones((5, 8))), np.zeros((5, 2), dtype=np.float32))
    x, _ = _clusters(5, 2, d=8)
    x[3] = np.nan
    p = project_2d(x)
    assert np.isfinite(p).all()
    assert np.array_equal(p[3], [0.0, 0.0])
    # Two points in 8 dimensions have one direction; the second axis is zero, not garbage.
    two = project_2d(np.eye(8)[:2])
    assert np.allclose(two[:, 1], 0.0)
    with pytest.raises(ValueError):
        project_2d(np.zeros(5))


def test_large_input_uses_a_strided_fit_and_projects_every_row():
    x, labels = _clusters(5_000, 4, d=64, seed=11)
    p = project_2d(x, max_fit_rows=1_000)
    assert p.shape == (20_000, 2)
    assert np.array_equal(p, project_2d(x, max_fit_rows=1_000))
    centroids = np.stack([p[labels == i].mean(axis=0) for i in range(4)])
    assert len({tuple(np.round(c, 2)) for c in centroids}) == 4
