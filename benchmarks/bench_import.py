"""Time the import stage (listing, metadata, SHA-256 of every audio member, audio facts) and its memory.

    python benchmarks/bench_import.py [--n 1700] [--big 100000] [--repeat 3]

Prints, for N generated 4 s WAVs: the cold import (new case file) and the warm import (the case file already
knows every member), median of --repeat runs each, plus the peak RSS of a cold import of --big files
(measured in a child process so the figures do not mix). Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def make(out: Path, n: int, *extra: str) -> None:
    subprocess.run([sys.executable, str(HERE / "make_archive.py"), str(out), str(n), *extra], check=True,
                   stdout=subprocess.DEVNULL)


def import_once(archive: Path, case: Path) -> tuple[float, int]:
    from voicearchive.case.store import CaseStore
    from voicearchive.pipeline import Pipeline

    t0 = time.perf_counter()
    with CaseStore(case) as store:
        summary = Pipeline([archive], store).import_archive()
    return time.perf_counter() - t0, summary.recordings


def child_rss(archive: Path, case: Path) -> None:
    seconds, n = import_once(archive, case)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} {seconds:.2f} {peak_mb:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1700)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_rss(Path(args.child[0]), Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = tmp / "leak"
        make(archive, args.n)
        cold, warm = [], []
        for r in range(args.repeat):
            case = tmp / f"case{r}.vacase"
            cold.append(import_once(archive, case)[0])
            warm.append(import_once(archive, case)[0])
        print(f"{args.n} x 4 s WAV, folder: cold import median {statistics.median(cold):.2f} s "
              f"(runs {', '.join(f'{x:.2f}' for x in cold)}); warm median {statistics.median(warm):.2f} s "
              f"(runs {', '.join(f'{x:.2f}' for x in warm)}); cold/warm {statistics.median(cold) / statistics.median(warm):.1f}x")
        if args.big:
            big = tmp / "big"
            make(big, args.big, "--same-audio", "--seconds", "0.5")
            out = subprocess.run([sys.executable, __file__, "--child", str(big), str(tmp / "big.vacase")],
                                 check=True, capture_output=True, text=True).stdout.split()
            print(f"{int(out[0]):,} x 0.5 s WAV, folder: cold import {float(out[1]):.1f} s, peak RSS {out[2]} MB")


if __name__ == "__main__":
    main()
