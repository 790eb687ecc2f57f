"""The same 400-recording analysis locally and on Dask (`local:1`, `local:2`), and what is shipped per recording.

    python benchmarks/bench_cluster.py [--n 400] [--voices DIR] [--modes local,local:1,local:2] [--long]
    python benchmarks/bench_cluster.py --n 0 --long      # only the 3-hour WAV

Each mode imports the archive into a new case file (not timed), then times `Pipeline.analyse()`: every stage
(decode, envelope, VAD + mel, embeddings) plus the voice grouping. "local" is the ordinary scan (two worker
processes on this machine); "local:N" runs the same jobs on a Dask LocalCluster of N single-threaded worker
processes (started before the clock starts: the figure is the engine's overhead, not its start-up, which is
printed separately). "shipped" is the audio bytes the coordinator sent per recording, and "pickled" what one
job weighs on the wire (bytes + job description) per recording.

--long also builds a 3-hour 44.1 kHz stereo 16-bit WAV (1.9 GB, written to the temporary folder) and prints the
peak memory (max RSS) of a `voicearchive scan` of it, with the time it took. Figures vary with the load of the
machine (other processes on the same two cores): run it on a quiet machine for numbers to quote.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "voices" / "librispeech-test-other"


def run_mode(mode: str, archive: Path, case: Path) -> dict:
    from voicearchive import runner
    from voicearchive.case.store import CaseStore
    from voicearchive.pipeline import Pipeline

    executor, start_s = None, 0.0
    if mode.startswith("local:"):
        from voicearchive.cluster import connect

        t0 = time.perf_counter()
        executor = connect(mode)
        start_s = time.perf_counter() - t0
    sizes = []
    real_jobs = runner.jobs.run_job

    try:
        with CaseStore(case) as store, Pipeline([archive], store, executor=executor, workers=2) as p:
            p.import_archive()
            seconds = sum(i.rec.audio.duration_s for i in store.items() if i.rec.audio)
            original = runner.StageRunner._submit

            def measuring(self, ex, inflight, w):
                if len(sizes) < 3:
                    sizes.append((len(pickle.dumps(w.job, protocol=5)), len(w.job.blobs)))
                return original(self, ex, inflight, w)

            runner.StageRunner._submit = measuring
            try:
                t0 = time.perf_counter()
                p.analyse()
                elapsed = time.perf_counter() - t0
            finally:
                runner.StageRunner._submit = original
            stats = p.last_run
    finally:
        if executor is not None:
            executor.close()
    assert runner.jobs.run_job is real_jobs
    pickled = sum(s for s, _ in sizes) / max(1, sum(n for _, n in sizes))
    return {"mode": mode, "start_s": start_s, "analyse_s": elapsed, "audio_s": seconds, "jobs": stats.jobs,
            "recordings": stats.recordings, "shipped": stats.shipped_bytes / max(1, stats.recordings),
            "pickled": pickled}


def long_wav(path: Path, hours: float = 3.0, rate: int = 44100) -> None:
    """A `hours`-long 16-bit stereo WAV: each minute starts with 8 s of real speech (the test clips), then
    quiet noise; written in blocks."""
    import numpy as np
    import soundfile as sf
    import soxr

    speech = []
    for clip in sorted((REPO / "tests" / "data" / "golden").glob("*.flac")):
        x, r = sf.read(clip, dtype="float32")
        speech.append(soxr.resample(x if x.ndim == 1 else x.mean(axis=1), r, rate).astype(np.float32))
    speech = np.concatenate(speech)
    rng = np.random.default_rng(0)
    frames = int(hours * 3600 * rate)
    with sf.SoundFile(path, "w", rate, 2, "PCM_16", format="WAV") as f:
        block = 60 * rate
        for k, start in enumerate(range(0, frames, block)):
            n = min(block, frames - start)
            x = 0.003 * rng.standard_normal(n).astype(np.float32)
            first = (k * 8 * rate) % max(1, speech.shape[0] - 8 * rate)
            piece = speech[first : first + min(8 * rate, n)]
            x[: piece.shape[0]] += piece
            f.write(np.stack([x, 0.9 * x], axis=1))


def bench_long(tmp: Path) -> None:
    folder = tmp / "long"
    folder.mkdir()
    wav = folder / "three-hours.wav"
    t0 = time.perf_counter()
    long_wav(wav)
    print(f"\nlong WAV: {wav.stat().st_size / 1e9:.2f} GB written in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "voicearchive", "scan", str(folder), "--case", str(tmp / "long.vacase"),
                    "-q"], check=True, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"scan of the 3-hour WAV: {time.perf_counter() - t0:.0f} s, peak memory (max RSS) {peak:.0f} MB")
    from voicearchive.case.store import CaseStore
    from voicearchive.stages import voice_model_version

    with CaseStore(tmp / "long.vacase") as store:
        rec = store.items()[0].rec
        feats = store.voice_features(rec.sha256, voice_model_version())
        has_env = store.envelope(rec.sha256) is not None
    print(f"  problem: {rec.problem or 'none'}; envelope: {has_env}; speech {feats and feats['speech_s']:.0f} s, "
          f"{0 if not feats else len(feats['window_starts'])} windows")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--voices", type=Path, default=SHARED)
    ap.add_argument("--modes", default="local,local:1,local:2")
    ap.add_argument("--long", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.n == 0 and args.long:
            bench_long(tmp)
            return
        archive = tmp / "leak"
        extra = ["--voices", str(args.voices)] if args.voices.is_dir() else []
        subprocess.run([sys.executable, str(HERE / "make_archive.py"), str(archive), str(args.n), *extra],
                       check=True, stdout=subprocess.DEVNULL)
        rows = [run_mode(mode, archive, tmp / f"{mode.replace(':', '-')}.vacase") for mode in args.modes.split(",")]
        print(f"{args.n} recordings, {rows[0]['audio_s']:.0f} s of audio")
        print(f"{'mode':<9} {'start':>7} {'analyse':>8} {'audio s/s':>10} {'jobs':>5} {'shipped/rec':>12} "
              f"{'pickled/rec':>12}")
        for r in rows:
            print(f"{r['mode']:<9} {r['start_s']:>6.1f}s {r['analyse_s']:>7.1f}s {r['audio_s'] / r['analyse_s']:>10.0f} "
                  f"{r['jobs']:>5} {r['shipped'] / 1024:>10.1f}KB {r['pickled'] / 1024:>10.1f}KB")
        if args.long:
            bench_long(tmp)


if __name__ == "__main__":
    main()
