"""End to end: a cold `voicearchive scan` of N four-second WAVs against Resemblyzer embedding the same files.

    python benchmarks/bench_scan.py [--n 400] [--repeat 3] [--voices DIR] [--resemblyzer-python PY]

The scan does everything (listing, SHA-256, probing, decoding, envelopes, embeddings in worker processes,
voice groups, CSV) on a new case file each run. Resemblyzer's figure is only `preprocess_wav(path)` +
`embed_utterance` for each file, run by a Python that has resemblyzer and torch installed (a throw-away venv;
never VoiceArchive's own), in two set-ups: the environment as it is, and with OPENBLAS_NUM_THREADS=1 (on machines
where OPENBLAS_CORETYPE is set, multi-threaded OpenBLAS makes librosa's mel step about 8x slower; one thread is
Resemblyzer's fair, best case). Medians of --repeat runs, all measured in the same run of this script.
"""

from __future__ import annotations

import argparse
import os
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
        scans: list[float] = []
        setups = {"as is": dict(os.environ), "OPENBLAS_NUM_THREADS=1": dict(os.environ, OPENBLAS_NUM_THREADS="1")}
        embeds: dict[str, list[float]] = {name: [] for name in setups}
        have_rz = Path(args.resemblyzer_python).exists()
        for r in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "voicearchive", "scan", str(archive), "--case",
                            str(tmp / f"case{r}.vacase"), "--csv", str(tmp / f"out{r}.csv"), "-q"],
                           check=True, stdout=subprocess.DEVNULL, cwd=REPO)
            scans.append(time.perf_counter() - t0)
            for name, env in setups.items() if have_rz else ():
                out = subprocess.run([args.resemblyzer_python, "-c", RESEMBLYZER, str(archive)], check=True,
                                     capture_output=True, text=True, env=env).stdout
                embeds[name].append(float(out.strip().splitlines()[-1]))
        scan = statistics.median(scans)
        print(f"{args.n} x 4 s WAV: cold voicearchive scan median {scan:.2f} s "
              f"(runs {', '.join(f'{x:.2f}' for x in scans)})")
        if not have_rz:
            print("Resemblyzer not available: pass --resemblyzer-python")
            return
        for name, runs in embeds.items():
            embed = statistics.median(runs)
            print(f"Resemblyzer preprocess_wav + embed_utterance ({name}) median {embed:.2f} s "
                  f"(runs {', '.join(f'{x:.2f}' for x in runs)}); scan / Resemblyzer = {scan / embed:.2f}")


if __name__ == "__main__":
    main()
