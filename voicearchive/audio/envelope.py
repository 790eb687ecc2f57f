"""Min/max waveform envelopes ("peaks") for thumbnails and the waveform overview.

An envelope is an ``(bins, 2)`` float32 array: column 0 the minimum, column 1 the maximum of the
samples that fall into each bin. It is computed once per recording and cached in the case file
as bytes (:func:`envelope_to_bytes`); a view of another width redraws it with
:func:`resample_envelope` without going back to the audio.

Stored form (version 1): one version byte ``0x01`` followed by ``bins`` pairs of int8 (min, max),
mu-law companded (mu = 255) so that quiet recordings keep their shape: 2 bytes per bin, about
2 KB for 1,000 bins. Minima are rounded down and maxima up, so a stored envelope never draws a
peak lower than the real one.
"""

from __future__ import annotations

import numpy as np

ENVELOPE_FORMAT = 1
_MU = 255.0
_LOG1P_MU = float(np.log1p(_MU))
_LEVELS = 127


def envelope(samples: np.ndarray, bins: int = 1000) -> np.ndarray:
    """Min and max of ``samples`` in ``bins`` consecutive, nearly equal stretches.

    Bins split the signal at ``floor(i * n / bins)``, so lengths that ``bins`` does not divide
    lose no samples; one ``reduceat`` per column does the work (measured faster here than the
    reshape trick, which only fits lengths that ``bins`` divides). A signal shorter than ``bins``
    is stretched: each bin shows the one sample under it. An empty signal gives all zeros.
    """
    samples = np.asarray(samples)
    if samples.ndim != 1:
        raise ValueError(f"envelope needs mono samples, got an array of shape {samples.shape}")
    return _minmax(samples, samples, bins)


def resample_envelope(env: np.ndarray, bins: int) -> np.ndarray:
    """Redraw an envelope at another width: the min of minima and the max of maxima per new bin."""
    env = np.asarray(env)
    if env.ndim != 2 or env.shape[1] != 2:
        raise ValueError(f"an envelope has shape (bins, 2), got {env.shape}")
    return _minmax(env[:, 0], env[:, 1], bins)


def envelope_to_bytes(env: np.ndarray) -> bytes:
    """Pack an envelope compactly (format described in the module docstring)."""
    env = np.asarray(env, dtype=np.float64)
    if env.ndim != 2 or env.shape[1] != 2:
        raise ValueError(f"an envelope has shape (bins, 2), got {env.shape}")
    clipped = np.clip(np.nan_to_num(env), -1.0, 1.0)
    levels = np.sign(clipped) * np.log1p(_MU * np.abs(clipped)) / _LOG1P_MU * _LEVELS
    # Nudge by a hair before rounding outwards so that exact levels do not jump a whole step.
    packed = np.empty(env.shape, dtype=np.int8)
    packed[:, 0] = np.clip(np.floor(levels[:, 0] + 1e-9), -_LEVELS, _LEVELS)
    packed[:, 1] = np.clip(np.ceil(levels[:, 1] - 1e-9), -_LEVELS, _LEVELS)
    return bytes([ENVELOPE_FORMAT]) + packed.tobytes()


def envelope_from_bytes(data: bytes) -> np.ndarray:
    """Unpack what :func:`envelope_to_bytes` made; raises ValueError for anything else."""
    if not data or data[0] != ENVELOPE_FORMAT or len(data) % 2 != 1:
        raise ValueError("not a stored envelope (unknown format or damaged)")
    levels = np.frombuffer(data, dtype=np.int8, offset=1).reshape(-1, 2).astype(np.float32) / _LEVELS
    return (np.sign(levels) * np.expm1(np.abs(levels) * _LOG1P_MU) / _MU).astype(np.float32)


def _minmax(lows: np.ndarray, highs: np.ndarray, bins: int) -> np.ndarray:
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    n = lows.shape[0]
    out = np.zeros((bins, 2), dtype=np.float32)
    if n == 0:
        return out
    if n < bins:
        index = np.arange(bins) * n // bins  # nearest sample to the left: a stretched copy
        out[:, 0] = lows[index]
        out[:, 1] = highs[index]
    else:
        starts = np.arange(bins) * n // bins
        out[:, 0] = np.minimum.reduceat(lows, starts)
        out[:, 1] = np.maximum.reduceat(highs, starts)
    return out
