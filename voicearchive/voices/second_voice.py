"""A second voice inside one recording: stretches whose 1.6 s window embeddings are unlike its dominant voice."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from voicearchive.voices.features import VoiceFeatures

WINDOW_S = 1.6  # length of the window embeddings (features.py)
OTHER_VOICE_CUT = 0.65  # a window this unlike its recording's dominant voice is another voice
MIN_WINDOWS = 3  # fewer windows (under about 3 s of speech) overlap too much to tell two voices apart


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def other_voice(f: VoiceFeatures, emb: np.ndarray) -> tuple[list[tuple[float, float]], np.ndarray | None]:
    """Stretches whose window embeddings are unlike the recording's dominant voice, and their mean voice."""
    windows = np.asarray(f.windows, dtype=np.float32).reshape(-1, emb.shape[0]) if f.windows is not None else None
    if windows is None or len(windows) < MIN_WINDOWS:
        return [], None
    starts = np.asarray(f.window_starts, dtype=np.float32).reshape(-1)
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
