"""Embedding speed: the numpy encoder (1 and 2 processes) against Resemblyzer, same clips, same run.

Prints seconds of audio embedded per wall-clock second for each, and the ratio. Timed work is
everything after decoding: resampling, volume, VAD, mel, network. Worker processes run one
BLAS thread each, as the app's pipeline does.

Run it with an environment that has Resemblyzer and torch (never VoiceArchive's own), importing
VoiceArchive from the checkout::

    PYTHONPATH=/work/main /tmp/venv-rz/bin/python benchmarks/bench_embed.py --clips 400

Without Resemblyzer installed only VoiceArchive's figures are printed. Clips are cut (4 s by
default) from the FLAC/WAV files under ``--source`` (LibriSpeech test-other in the shared
folder by default, else the golden test clips), cycling through them until there are enough.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: one BLAS thread per process

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from voicearchive.voices.features import analyse_audio, default_encoder, embed_many  # noqa: E402

SHARED = REPO.parent / "shared" / "voices" / "librispeech-test-other"
GOLDEN = REPO / "tests" / "data" / "golden"


def load_clips(source: Path, count: int, seconds: float) -> list[tuple[np.ndarray, int]]:
    files = sorted(p for p in source.rglob("*") if p.suffix.lower() in (".flac", ".wav"))
    if not files:
        raise SystemExit(f"no .flac or .wav files under {source}")
    pieces: list[tuple[np.ndarray, int]] = []
    for path in files:
        samples, rate = sf.read(path, dtype="float32", always_2d=True)
        mono = samples.mean(axis=1).astype(np.float32)
        step = int(seconds * rate)
        for start in range(0, max(1, mono.shape[0] - step + 1), step):
            pieces.append((mono[start : start + step], rate))
    return [pieces[k % len(pieces)] for k in range(count)]


def _chunk_embeddings(chunk: list[tuple[np.ndarray, int]]) -> tuple[list[np.ndarray | None], float]:
    cpu = time.process_time()
    embeddings = [f.embedding for f in embed_many(chunk)]
    return embeddings, time.process_time() - cpu


def _warm_up() -> None:
    default_encoder()


def run_voicearchive(clips, processes: int, chunk_size: int = 32) -> tuple[float, float, list]:
    """Wall seconds, CPU seconds (all processes) and the embeddings."""
    if processes == 1:
        start, cpu = time.perf_counter(), time.process_time()
        embeddings = [f.embedding for f in embed_many(clips)]
        return time.perf_counter() - start, time.process_time() - cpu, embeddings
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=ctx, initializer=_warm_up) as pool:
        list(pool.map(_chunk_embeddings, [clips[:1]] * processes))  # start and load the model
        chunks = [clips[k : k + chunk_size] for k in range(0, len(clips), chunk_size)]
        start = time.perf_counter()
        results = list(pool.map(_chunk_embeddings, chunks))
        elapsed = time.perf_counter() - start
    cpu = sum(c for _, c in results)
    return elapsed, cpu, [e for chunk, _ in results for e in chunk]


def run_unbatched(clips) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    for samples, rate in clips:
        analyse_audio(samples, rate)
    return time.perf_counter() - start, time.process_time() - cpu


def run_resemblyzer(clips, threads: int | None) -> tuple[float, float, list] | None:
    try:
        import torch
        from resemblyzer import VoiceEncoder, preprocess_wav
    except ImportError:
        return None
    if threads:
        torch.set_num_threads(threads)
    encoder = VoiceEncoder("cpu", verbose=False)
    encoder.embed_utterance(preprocess_wav(clips[0][0], source_sr=clips[0][1]))  # warm up
    start, cpu = time.perf_counter(), time.process_time()
    embeddings = [encoder.embed_utterance(preprocess_wav(s, source_sr=r)) for s, r in clips]
    return time.perf_counter() - start, time.process_time() - cpu, embeddings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=200, help="number of clips (default 200)")
    parser.add_argument("--seconds", type=float, default=4.0, help="clip length (default 4 s)")
    parser.add_argument("--source", type=Path, default=SHARED if SHARED.is_dir() else GOLDEN)
    args = parser.parse_args(argv)

    clips = load_clips(args.source, args.clips, args.seconds)
    audio_s = sum(s.shape[0] / r for s, r in clips)
    print(f"{len(clips)} clips, {audio_s:.0f} s of audio, from {args.source}; {os.cpu_count()} CPUs")
    default_encoder()

    rows: list[tuple[str, float, float]] = []
    t1, c1, ours = run_voicearchive(clips, 1)
    rows.append(("voicearchive, 1 process, batched (embed_many)", t1, c1))
    rows.append(("voicearchive, 1 process, one clip at a time", *run_unbatched(clips)))
    t2, c2, ours2 = run_voicearchive(clips, 2)
    rows.append(("voicearchive, 2 processes, batched", t2, c2))
    reference = run_resemblyzer(clips, threads=None)
    if reference is not None:
        rows.append(("resemblyzer embed_utterance, torch default threads", *reference[:2]))
        reference_1 = run_resemblyzer(clips, threads=1)
        rows.append(("resemblyzer embed_utterance, torch 1 thread", *reference_1[:2]))

    print(f"{'':<52} {'wall':>9}  {'audio s per s':>13}  {'per CPU s':>9}")
    for label, seconds, cpu in rows:
        print(f"{label:<52} {seconds:7.2f} s  {audio_s / seconds:13.1f}  {audio_s / cpu:9.1f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"1-minute load average at the end: {load:.1f} (other work on the machine skews wall times)")
    if reference is not None:
        best_rz = min(reference[0], reference_1[0])
        print(f"ratio, wall time, resemblyzer (best) / voicearchive 2 processes: {best_rz / t2:.2f}")
        print(f"ratio, wall time, resemblyzer (best) / voicearchive 1 process:   {best_rz / t1:.2f}")
        print(f"ratio, CPU time, resemblyzer 1 thread / voicearchive 1 process:  {reference_1[1] / c1:.2f}")
        pairs = [(a, b) for a, b in zip(ours, reference[2]) if a is not None]
        cosines = np.array([float(a @ b) for a, b in pairs])
        print(f"agreement with resemblyzer: min cosine {cosines.min():.6f} over {len(pairs)} clips "
              f"({len(clips) - len(pairs)} without speech)")
    same = all((a is None and b is None) or float(a @ b) > 0.99999 for a, b in zip(ours, ours2))
    print(f"1-process and 2-process embeddings identical: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
