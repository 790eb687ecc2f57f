"""Time the voice map projection at 100,000 recordings (prints figures; no assertions)."""

import time

import numpy as np

from voicearchive.voices.projection import project_2d


def main() -> None:
    rng = np.random.default_rng(0)
    n, d = 100_000, 256
    x = rng.normal(size=(n, d)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    groups = rng.integers(-1, 40, size=n)
    for label, g in (("plain PCA", None), ("centroid fit, 40 groups", groups)):
        t0 = time.perf_counter()
        project_2d(x, g)
        print(f"project_2d {n} x {d} ({label}): {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
