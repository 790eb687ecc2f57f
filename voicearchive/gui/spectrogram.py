"""A log-magnitude spectrogram for display (numpy only; the detail view draws it)."""

from __future__ import annotations

import numpy as np

MAX_FRAMES = 900  # more columns than the view has pixels is wasted work
FLOOR_DB = -80.0


def spectrogram(samples: np.ndarray, rate: int, *, n_fft: int = 512, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """(frames, n_fft // 2 + 1) float32 dB relative to the loudest bin, clipped at ``FLOOR_DB``.

    The hop grows with the recording's length so a long recording costs no more than a short one.
    """
    x = np.asarray(samples, dtype=np.float32).reshape(-1)
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    hop = max(n_fft // 4, int(np.ceil((len(x) - n_fft) / max(1, max_frames - 1))))
    frames = 1 + (len(x) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    window = np.hanning(n_fft).astype(np.float32)
    power = np.abs(np.fft.rfft(x[idx] * window, axis=1)) ** 2
    db = 10.0 * np.log10(np.maximum(power, 1e-12))
    db -= db.max()
    return np.maximum(db, FLOOR_DB).astype(np.float32)
