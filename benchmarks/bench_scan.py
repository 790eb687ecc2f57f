"""End to end: a cold `voicearchive scan` of N four-second WAVs, by stage, against Resemblyzer embedding them.

    python benchmarks/bench_scan.py [--n 400] [--repeat 1] [--voices DIR] [--resemblyzer-python PY]
                                    [--numpy-too] [--float-too]

1. **Cold scan**: ``voicearchive scan`` in a new process on a new case file (listing, SHA-256, probing, decoding,
   envelopes, embeddings, voice groups, CSV), wall clock, median of ``--repeat`` runs.
2. **Stages**, timed one after the other in this process on the same files, one BLAS thread: start-up (a new
   Python importing the CLI and the pipeline), listing + hashing + probing (``Pipeline.import_archive`` into a new
   case), hashing alone (read + SHA-256, part of the former), then, job by job as a worker runs them (files of
   about ``runner.JOB_BYTES`` decoded, prepared, and their partials embedded together), decoding, VAD + mel
   (``prepare_audio``) and the encoder (``embed_partials``), then grouping + owner + flags (``analyse_voices``)
   and the CSV. The encoder's
   share is its part of the stages' sum. CPU seconds are printed beside wall clock (on a shared machine they
   move less). ``--numpy-too`` also runs the scan and the encoder stage with the numpy pass (no onnxruntime),
   ``--float-too`` with ONNX Runtime's float32 pass (``VOICEARCHIVE_ENCODER=onnx``; the default is int8).
3. **Resemblyzer**, once after each round of scans (so both see the same load), its best set-up:
   ``torch.set_num_threads(2)``, ``OPENBLAS_NUM_THREADS=1``, timed after its
   model loaded: ``preprocess_wav(path)`` + ``embed_utterance`` for every file. Needs a Python with resemblyzer
   and torch (``pip install torch==2.13.0+cpu resemblyzer==0.1.4``; never a dependency of the app).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared" / "voices" / "librispeech-test-other"
sys.path.insert(0, str(REPO))

RESEMBLYZER = """
import sys, time
import torch
torch.set_num_threads(2)
from pathlib import Path
from resemblyzer import VoiceEncoder, preprocess_wav
enc = VoiceEncoder("cpu", verbose=False)
files = sorted(Path(sys.argv[1]).rglob("*.wav"))
enc.embed_utterance(preprocess_wav(files[0]))  # warm: the model is loaded and has run once
t0, c0 = time.perf_counter(), time.process_time()
for f in files:
    enc.embed_utterance(preprocess_wav(f))
print(time.perf_counter() - t0, time.process_time() - c0)
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def stages(archive: Path, tmp: Path, backends: list[str]) -> dict[str, float]:
    import numpy as np

    from voicearchive.audio.decode import decode
    from voicearchive.case.store import CaseStore
    from voicearchive.export import write_csv
    from voicearchive.pipeline import Pipeline
    from voicearchive.runner import JOB_BYTES
    from voicearchive.voices.encoder import SpeakerEncoder
    from voicearchive.voices.features import VoiceFeatures, default_encoder, features_from_partials, prepare_audio
    from voicearchive.voices.owner import Decisions, analyse_voices

    out: dict[str, float] = {}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import voicearchive.cli, voicearchive.pipeline"], check=True, cwd=REPO)
    out["start-up (new Python, imports)"] = time.perf_counter() - t
    files = sorted(archive.rglob("*.wav"))
    with CaseStore(tmp / "stages.vacase") as store:
        t = time.perf_counter()
        with Pipeline([archive], store, workers=1) as p:
            p.import_archive()
        out["listing + hashing + probing"] = time.perf_counter() - t
        t = time.perf_counter()
        blobs = []
        for f in files:
            data = f.read_bytes()
            hashlib.sha256(data).hexdigest()
            blobs.append(data)
        out["  of which reading + SHA-256"] = time.perf_counter() - t
        # As a worker runs them (jobs.run_job): a job's files decoded, then prepared, then embedded together.
        # Timing each stage over all 400 files at once instead held every file's arrays at the same time and
        # measured page faults that a worker does not pay (VAD + mel 1.4 s instead of 0.8 s).
        per_job = max(1, JOB_BYTES // max(1, len(blobs[0]) if blobs else 1))
        encs = {b: (default_encoder() if b == "auto" else SpeakerEncoder(backend=b)) for b in backends}
        timing = {"decoding": 0.0, "VAD + mel": 0.0, **{b: [0.0, 0.0] for b in backends}}
        prepared, emb = [], {b: [] for b in backends}
        for first in range(0, len(blobs), per_job):
            t = time.perf_counter()
            decoded = [decode(b)[:2] for b in blobs[first : first + per_job]]
            timing["decoding"] += time.perf_counter() - t
            t = time.perf_counter()
            job = [prepare_audio(x, r) for x, r in decoded]
            timing["VAD + mel"] += time.perf_counter() - t
            prepared += job
            partials = np.concatenate([p.partials for p in job])
            for backend, enc in encs.items():
                t, c = time.perf_counter(), time.process_time()
                emb[backend].append(enc.embed_partials(partials))
                timing[backend][0] += time.perf_counter() - t
                timing[backend][1] += time.process_time() - c
        out["decoding"], out["VAD + mel"] = timing["decoding"], timing["VAD + mel"]
        n_partials = sum(len(p.partials) for p in prepared)
        for backend, enc in encs.items():  # the first is the one a scan uses; the others are printed beside it
            wall, cpu = timing[backend]
            out["encoder" if backend == backends[0] else f"  encoder, {backend} pass"] = wall
            out[f"  (CPU seconds of the {enc.backend} encoder, {n_partials} partials)"] = cpu
        emb = np.concatenate(emb[backends[0]])
        feats, offset = {}, 0
        for f, p in zip(files, prepared):
            k = len(p.partials)
            feats[f.name] = features_from_partials(p, emb[offset : offset + k]) if k else VoiceFeatures.no_speech()
            offset += k
        t = time.perf_counter()
        analyse_voices(feats, {}, Decisions())
        out["grouping + owner + flags"] = time.perf_counter() - t
        items = store.items()
        t = time.perf_counter()
        write_csv(items, tmp / "stages.csv", evidence_roots=[archive])
        out["CSV"] = time.perf_counter() - t
    return out


def _resemblyzer(python: str, archive: Path) -> tuple[float, float] | None:
    """(wall, CPU) seconds of Resemblyzer embedding every file, after its model loaded; None if unavailable."""
    try:
        out = subprocess.run([python, "-c", RESEMBLYZER, str(archive)], check=True, capture_output=True, text=True,
                             env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    except (OSError, subprocess.CalledProcessError):
        return None
    wall, cpu = (float(v) for v in out.stdout.strip().splitlines()[-1].split())
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description="A cold scan by stage, against Resemblyzer embedding the same files.")
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--voices", type=Path, default=SHARED)
    ap.add_argument("--resemblyzer-python", default=sys.executable)
    ap.add_argument("--numpy-too", action="store_true",
                    help="also scan with VOICEARCHIVE_ENCODER=numpy (the encoder without onnxruntime), interleaved")
    ap.add_argument("--float-too", action="store_true",
                    help="also scan with VOICEARCHIVE_ENCODER=onnx (ONNX Runtime's float32 pass), interleaved")
    args = ap.parse_args()
    variants = {"app": {}}
    if args.float_too:
        variants["float32 encoder"] = {"VOICEARCHIVE_ENCODER": "onnx"}
    if args.numpy_too:
        variants["numpy encoder"] = {"VOICEARCHIVE_ENCODER": "numpy"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = tmp / "leak"
        extra = ["--voices", str(args.voices)] if args.voices.is_dir() else []
        subprocess.run([sys.executable, str(HERE / "make_archive.py"), str(archive), str(args.n), *extra],
                       check=True, stdout=subprocess.DEVNULL)
        # An installed VoiceArchive carries its bytecode (pip compiles it); a checkout under
        # PYTHONDONTWRITEBYTECODE would compile every module again in each of the scan's processes.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "voicearchive")], check=True)
        scans: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
        resemblyzer: list[tuple[float, float] | None] = []
        for r in range(args.repeat):
            for name, env in variants.items():
                t0, c0 = time.perf_counter(), _children_cpu()
                subprocess.run([sys.executable, "-m", "voicearchive", "scan", str(archive), "--case",
                                str(tmp / f"case{r}-{len(scans[name])}-{name[:3]}.vacase"), "--csv",
                                str(tmp / f"out{r}.csv"), "-q",
                                "--no-asr"],  # speech-to-text is timed by bench_asr.py; this compares with embedding
                               check=True, stdout=subprocess.DEVNULL, cwd=REPO, env=dict(os.environ, **env))
                scans[name].append((time.perf_counter() - t0, _children_cpu() - c0))
            resemblyzer.append(_resemblyzer(args.resemblyzer_python, archive))  # interleaved: the same load
        medians = {}
        for name, runs in scans.items():
            medians[name] = statistics.median(w for w, _ in runs)
            print(f"{args.n} x 4 s WAV: cold voicearchive scan ({name}) median {medians[name]:.2f} s "
                  f"(runs {', '.join(f'{w:.2f}' for w, _ in runs)}; CPU seconds of all its processes "
                  f"{statistics.median(c for _, c in runs):.2f})")
        backends = ["auto"] + (["onnx"] if args.float_too else []) + (["numpy"] if args.numpy_too else [])
        parts = stages(archive, tmp, backends)
        total = sum(v for k, v in parts.items() if not k.startswith("  "))
        print("stages, one after the other in one process (one BLAS thread):")
        for name, seconds in parts.items():
            share = "" if name.startswith("  ") else f" ({100 * seconds / total:.0f}%)"
            print(f"  {name:32s} {seconds:6.2f} s{share}")
        print(f"  {'sum':32s} {total:6.2f} s; the encoder's share {100 * parts['encoder'] / total:.0f}%")
        runs = [r for r in resemblyzer if r is not None]
        if not runs:
            print("Resemblyzer not available: pass --resemblyzer-python")
            return
        embed = statistics.median(w for w, _ in runs)
        print(f"Resemblyzer preprocess_wav + embed_utterance (torch 2 threads, OPENBLAS_NUM_THREADS=1, after "
              f"model load) median {embed:.2f} s (runs {', '.join(f'{w:.2f}' for w, _ in runs)}; "
              f"{statistics.median(c for _, c in runs):.2f} CPU seconds), one run after each round of scans")
        for name, scan in medians.items():
            rounds = [w / r[0] for (w, _), r in zip(scans[name], resemblyzer) if r is not None]
            print(f"cold scan ({name}) / Resemblyzer = {scan / embed:.2f} (median of each round's own ratio "
                  f"{statistics.median(rounds):.2f})")
        print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
