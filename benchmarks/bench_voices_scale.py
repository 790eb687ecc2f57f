"""How ``analyse_voices`` scales: time and peak memory on synthetic archives of up to 100,000 recordings.

    python benchmarks/bench_voices_scale.py [N ...]        (default: 1000 10000 100000)

Each archive holds a few recurring voices of very different sizes plus one-off voices, as 256-dimensional
unit vectors shaped like speaker embeddings (a member's cosine to its voice's centre is about 0.8). Prints
wall time, peak resident memory of the process, groups found and the share of recordings grouped as their
voice. Run with one BLAS thread (set below) as the pipeline's workers do.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from voicearchive.voices.features import VoiceFeatures as Features  # noqa: E402
from voicearchive.voices.owner import Decisions, analyse_voices  # noqa: E402

DIM = 256



def archive(n: int, seed: int = 0) -> tuple[dict[str, Features], np.ndarray]:
    rng = np.random.default_rng(seed)
    shares = np.array([0.55, 0.25, 0.1, 0.05, 0.03, 0.02])  # the rest are one-off voices
    sizes = (shares * n * 0.98).astype(int)
    singles = n - sizes.sum()
    centres = rng.normal(size=(len(sizes) + singles, DIM)).astype(np.float32)
    truth = np.concatenate([np.full(s, g) for g, s in enumerate(sizes)] + [np.full(singles, -1)])
    centre_of = np.concatenate([np.full(s, g) for g, s in enumerate(sizes)] + [len(sizes) + np.arange(singles)])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    no_windows = np.zeros((0, DIM), np.float32)
    no_starts = np.zeros(0, np.float32)
    feats = {}
    for i in range(n):
        v = centres[centre_of[i]] + (0.75 / 16) * rng.normal(size=DIM).astype(np.float32)
        feats[f"rec/{i:07d}.wav"] = Features(v / np.linalg.norm(v), 2.0, no_windows, no_starts)
    return feats, truth


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000, 100000]
    print("| recordings | analyse_voices | peak RSS | groups | recordings in their voice's group |")
    print("|---|---|---|---|---|")
    for n in sizes:
        feats, truth = archive(n)
        t = time.perf_counter()
        report = analyse_voices(feats, {}, Decisions())
        dt = time.perf_counter() - t
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        labels = np.array([report.results[k].group for k in sorted(feats)])
        right = 0
        for g in np.unique(truth[truth >= 0]):
            ids, counts = np.unique(labels[truth == g], return_counts=True)
            right += counts[ids >= 0].max(initial=0)
        right += np.sum(labels[truth < 0] == -1)
        print(f"| {n:,} | {dt:.1f} s | {peak_mb:.0f} MB | {len(report.groups)} | {100 * right / n:.2f}% |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
