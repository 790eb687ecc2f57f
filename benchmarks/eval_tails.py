"""The owner's worst cases over many command-length archives at once: how many archives fail the targets.

    python benchmarks/eval_tails.py DIR [DIR ...]            # e.g. the clean set and each degraded set
    VOICEARCHIVE_ENCODER=onnx python benchmarks/eval_tails.py DIR ...   # the same with the float32 encoder pass

For every folder (``<speaker>/<clip>``, as ``eval_voices.py --commands`` reads it), every archive shape of
``eval_commands.SHAPES`` and every speaker as owner, runs the app's analysis once and counts the archives where
more than 5% / 10% of the owner's recordings are wrongly flagged, or less than 95% / 80% of them are offered as
the owner's voice, then lists those archives. The means over all archives are printed too (owner wrongly
flagged; judged strangers flagged). One archive is one owner in one shape of one folder.

Why: the means of ``eval_voices.py`` hide single owners, and a method tuned on one set's means can fail the next
set's owners. Running this once with each encoder pass (float32, int8) shows how far decisions move under a
perturbation of the embeddings of cosine 0.999 (RESULTS-voices.md).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_commands as ec  # noqa: E402
from voice_clips import embed_clips  # noqa: E402


def tails(roots: list[Path], k: float | None = None) -> list[str]:
    rows = []
    for root in roots:
        cs = embed_clips(root, "voicearchive", 0.0)
        for shape in ec.SHAPES:
            for owner in sorted(set(cs.speakers)):
                r = ec.run(cs, owner, shape, k)
                rows.append((root.name, shape, owner, r["owner_flagged"], r["offered"], r["strangers_judged"]))
    flagged = np.array([r[3] for r in rows])
    offered = np.array([r[4] for r in rows])
    judged = np.array([r[5] for r in rows], dtype=float)
    lines = [
        f"{len(rows)} archives: owner wrongly flagged > 5% in {int(np.sum(flagged > 0.05))}, > 10% in "
        f"{int(np.sum(flagged > 0.10))}; owner offered < 95% in {int(np.sum(offered < 0.95))}, < 80% in "
        f"{int(np.sum(offered < 0.80))}; means: owner wrongly flagged {100 * flagged.mean():.2f}%, judged strangers "
        f"flagged {100 * np.nanmean(judged):.1f}%",
    ]
    lines += [f"  {name} / {shape} / owner {owner}: wrongly flagged {100 * f:.1f}%, offered {100 * o:.1f}%"
              for name, shape, owner, f, o, _ in rows if f > 0.05 or o < 0.95]
    return lines


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dirs", nargs="+", type=Path, help="folders of <speaker>/<clip> audio")
    p.add_argument("--k", type=float, default=None, help="the owner set's robust constant (default: the app's)")
    args = p.parse_args(argv)
    for line in tails(args.dirs, args.k):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
