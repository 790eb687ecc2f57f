"""Speed of audio probing, decoding and envelopes, per format, in one process.

    python benchmarks/bench_decode.py [--clips 200] [--seconds 4] [--ffmpeg-clips 20] [--repeat 3]

Generates the clips (a voice-like signal: a gliding harmonic tone with syllable-rate amplitude
and a little noise): 16 kHz mono 16-bit WAV, 16 kHz mono MP3 written by libsndfile, the Google
Takeout MP3 flavour (24 kbit/s, no Xing, no ID3, made by ffmpeg), and a few M4A clips, whose
probe reads the MP4 boxes but whose decoding costs an ffmpeg subprocess each. Prints clips per second (best of --repeat) for probe(),
decode() and envelope() (1,000 bins) and for decode + envelope together. Figures only; nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voicearchive.audio import ffmpeg  # noqa: E402
from voicearchive.audio.decode import decode, probe  # noqa: E402
from voicearchive.audio.envelope import envelope  # noqa: E402

RATE = 16000


def voice_like(seconds: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    pitch = 110 + 60 * rng.random() + 20 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 8))
    syllables = np.clip(np.sin(2 * np.pi * (3 + rng.random()) * t), 0, None) ** 2
    signal = 0.25 * voiced * syllables + 0.01 * rng.standard_normal(t.size)
    return signal.astype(np.float32)


def encode_sf(samples: np.ndarray, fmt: str, subtype: str) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, RATE, format=fmt, subtype=subtype)
    return buf.getvalue()


def encode_ffmpeg(samples: np.ndarray, *args: str, suffix: str = ".mp3") -> bytes:
    """Encode through a temporary file, so that an M4A gets its index (moov) at the end, as usual."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"clip{suffix}"
        cmd = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "f32le", "-ar", str(RATE)]
        cmd += ["-ac", "1", "-i", "pipe:0", *args, str(out)]
        subprocess.run(cmd, input=samples.tobytes(), capture_output=True, check=True)
        return out.read_bytes()


def best_rate(work: Callable[[], object], count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return count / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--ffmpeg-clips", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    signals = [voice_like(args.seconds, seed) for seed in range(args.clips)]
    takeout = ["-f", "mp3", "-b:a", "24k", "-write_xing", "0", "-id3v2_version", "0"]
    m4a = ["-c:a", "aac", "-b:a", "32k"]
    sets = {
        "WAV 16 kHz PCM_16": [encode_sf(s, "WAV", "PCM_16") for s in signals],
        "MP3 (libsndfile, Xing)": [encode_sf(s, "MP3", "MPEG_LAYER_III") for s in signals],
        "MP3 (Takeout flavour)": [encode_ffmpeg(s, *takeout) for s in signals],
        "M4A/AAC (ffmpeg)": [encode_ffmpeg(s, *m4a, suffix=".m4a") for s in signals[: args.ffmpeg_clips]],
    }
    print(f"{args.clips} clips of {args.seconds:g} s ({args.ffmpeg_clips} for M4A), best of {args.repeat}, "
          "one process; clips per second:")
    print(f"{'format':<24}{'probe':>10}{'decode':>10}{'envelope':>10}{'dec+env':>10}")
    for name, clips in sets.items():
        decoded = [decode(c)[0] for c in clips]
        n = len(clips)
        rates = (
            best_rate(lambda: [probe(c) for c in clips], n, args.repeat),
            best_rate(lambda: [decode(c) for c in clips], n, args.repeat),
            best_rate(lambda: [envelope(s) for s in decoded], n, args.repeat),
            best_rate(lambda: [envelope(decode(c)[0]) for c in clips], n, args.repeat),
        )
        print(f"{name:<24}" + "".join(f"{r:>10,.0f}" for r in rates))


if __name__ == "__main__":
    main()
