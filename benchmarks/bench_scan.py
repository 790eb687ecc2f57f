"""End to end: a cold `voicearchive scan` of N four-second WAVs against Resemblyzer embedding the same files.

    python benchmarks/bench_scan.py [--n 400] [--repeat 3] [--voices DIR] [--resemblyzer-python PY]

The scan does everything (listing, SHA-256, probing, decoding, envelopes, embeddings in worker processes,
voice groups, CSV) on a new case file each run. Resemblyzer's figure is only `preprocess_wav(path)` +
`embed_utterance` for each file, run by a Python that has resemblyzer and torch installed (a throw-away venv;
never VoiceArchive's own). Medians of --repeat runs, both measured in the same run of this script.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared" / "voices" / "librispeech-test-other"

RESEMBLYZER = """
import sys, time
from pathlib import Path
from resemblyzer import VoiceEncoder, preprocess_wav
enc = VoiceEncoder("cpu", verbose=False)
files = sorted(Path(sys.argv[1]).rglob("*.wav"))
t0 = time.perf_counter()
for f in files:
    enc.embed_utterance(preprocess_wav(f))
print(time.perf_counter() - t0)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--voices", type=Path, default=SHARED)
    ap.add_argument("--resemblyzer-python", default="/tmp/venv-rz/bin/python")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = tmp / "leak"
        extra = ["--voices", str(args.voices)] if args.voices.is_dir() else []
        subprocess.run([sys.executable, str(HERE / "make_archive.py"), str(archive), str(args.n), *extra],
                       check=True, stdout=subprocess.DEVNULL)
        scans, embeds = [], []
        for r in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "voicearchive", "scan", str(archive), "--case",
                            str(tmp / f"case{r}.vacase"), "--csv", str(tmp / f"out{r}.csv"), "-q"],
                           check=True, stdout=subprocess.DEVNULL, cwd=REPO)
            scans.append(time.perf_counter() - t0)
            if Path(args.resemblyzer_python).exists():
                out = subprocess.run([args.resemblyzer_python, "-c", RESEMBLYZER, str(archive)], check=True,
                                     capture_output=True, text=True).stdout
                embeds.append(float(out.strip().splitlines()[-1]))
        scan = statistics.median(scans)
        print(f"{args.n} x 4 s WAV: cold voicearchive scan median {scan:.2f} s "
              f"(runs {', '.join(f'{x:.2f}' for x in scans)})")
        if embeds:
            embed = statistics.median(embeds)
            print(f"Resemblyzer preprocess_wav + embed_utterance median {embed:.2f} s "
                  f"(runs {', '.join(f'{x:.2f}' for x in embeds)}); scan / Resemblyzer = {scan / embed:.2f}")
        else:
            print("Resemblyzer not available: pass --resemblyzer-python")


if __name__ == "__main__":
    main()
