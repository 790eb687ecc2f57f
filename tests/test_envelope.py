"""Min/max envelopes: exact bins, any length, compact storage that never understates peaks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from voicearchive.audio.envelope import envelope, envelope_from_bytes, envelope_to_bytes, resample_envelope

# Deterministic: the same examples on every run and machine, and no example database on disk.
DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)

signals = arrays(
    np.float32,
    st.integers(0, 5000),
    elements=st.floats(-1.0, 1.0, width=32, allow_nan=False),
)


@settings(DETERMINISTIC, max_examples=150)
@given(samples=signals, bins=st.integers(1, 1200))
def test_envelope_bounds_and_order(samples, bins):
    env = envelope(samples, bins)
    assert env.shape == (bins, 2) and env.dtype == np.float32
    assert (env[:, 0] <= env[:, 1]).all()
    if samples.size:
        assert env[:, 0].min() == samples.min() and env[:, 1].max() == samples.max()
        assert (env >= samples.min()).all() and (env <= samples.max()).all()
    else:
        assert not env.any()


@settings(DETERMINISTIC, max_examples=100)
@given(samples=signals.filter(lambda a: a.size > 0), bins=st.integers(1, 400))
def test_every_bin_is_the_min_max_of_its_own_samples(samples, bins):
    env = envelope(samples, bins)
    n = samples.size
    for i in range(bins):
        lo, hi = i * n // bins, (i + 1) * n // bins
        part = samples[lo:hi] if hi > lo else samples[lo : lo + 1]
        assert env[i, 0] == part.min() and env[i, 1] == part.max()


def test_known_values_divisible_and_not():
    samples = np.array([0.1, -0.5, 0.3, 0.9, -0.2, 0.0], dtype=np.float32)
    expected3 = np.array([[-0.5, 0.1], [0.3, 0.9], [-0.2, 0.0]], dtype=np.float32)
    expected4 = np.array([[0.1, 0.1], [-0.5, 0.3], [0.9, 0.9], [-0.2, 0.0]], dtype=np.float32)
    np.testing.assert_array_equal(envelope(samples, 3), expected3)
    np.testing.assert_array_equal(envelope(samples, 4), expected4)


def test_shorter_than_bins_is_stretched():
    env = envelope(np.array([0.5, -0.25], dtype=np.float32), 4)
    expected = np.array([[0.5, 0.5], [0.5, 0.5], [-0.25, -0.25], [-0.25, -0.25]], dtype=np.float32)
    np.testing.assert_array_equal(env, expected)


def test_rejects_bad_shapes():
    with pytest.raises(ValueError):
        envelope(np.zeros((10, 2), dtype=np.float32))
    with pytest.raises(ValueError):
        envelope(np.zeros(10, dtype=np.float32), bins=0)
    with pytest.raises(ValueError):
        resample_envelope(np.zeros((10, 3), dtype=np.float32), 5)


@settings(DETERMINISTIC, max_examples=100)
@given(samples=signals, bins=st.integers(1, 600), width=st.integers(1, 900))
def test_resample_matches_binning_the_samples_directly(samples, bins, width):
    env = envelope(samples, bins)
    redrawn = resample_envelope(env, width)
    assert redrawn.shape == (width, 2)
    assert (redrawn[:, 0] <= redrawn[:, 1]).all()
    if samples.size:
        assert redrawn[:, 0].min() == samples.min() and redrawn[:, 1].max() == samples.max()
    if width <= bins and bins <= samples.size and bins % width == 0:
        np.testing.assert_array_equal(redrawn, envelope(samples, width))


@settings(DETERMINISTIC, max_examples=150)
@given(samples=signals, bins=st.integers(1, 1000))
def test_bytes_round_trip_never_understates_peaks(samples, bins):
    env = envelope(samples, bins)
    data = envelope_to_bytes(env)
    assert len(data) == 1 + 2 * bins  # one version byte, then an int8 pair per bin
    back = envelope_from_bytes(data)
    assert back.shape == env.shape and back.dtype == np.float32
    assert (back[:, 0] <= env[:, 0] + 1e-6).all() and (back[:, 1] >= env[:, 1] - 1e-6).all()
    assert (np.abs(back) <= 1.0 + 1e-6).all()
    # mu-law keeps relative precision: within 5 % of full scale, and quiet detail survives
    assert np.abs(back - env).max() <= 0.05


def test_quiet_recordings_keep_their_shape():
    t = np.arange(16000) / 16000
    quiet = (0.01 * np.sin(2 * np.pi * 3 * t)).astype(np.float32)
    env = envelope(quiet, 200)
    back = envelope_from_bytes(envelope_to_bytes(env))
    assert np.abs(back - env).max() < 0.001
    assert np.corrcoef(back[:, 1], env[:, 1])[0, 1] > 0.99


def test_from_bytes_rejects_foreign_data():
    for bad in (b"", b"\x02\x00\x00", b"\x01\x00", b"RIFF...."):
        with pytest.raises(ValueError):
            envelope_from_bytes(bad)
