"""Generate a synthetic archive of N recordings for benchmarks.

    python benchmarks/make_archive.py OUT_DIR N [--seconds 4] [--kind loose|takeout] [--zip] [--voices DIR]

loose:   a flat folder of WAVs (a c't-style leak), 16 kHz mono 16-bit, N files.
takeout: Takeout/My Activity/Assistant/MyActivity.json + MP3s (16 kHz mono 24 kbps), N items.
--zip writes the same tree into one zip instead of a folder. --voices takes a folder of <speaker>/*.flac and
cuts clips from real speech (speaker i % count), otherwise the audio is shaped noise with a few tones (fine for
listing and decoding benchmarks, not for voice analysis). Deterministic for a given N.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 16000


def synthetic_clip(i: int, seconds: float) -> np.ndarray:
    rng = np.random.default_rng(i)
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = 90 + (i % 7) * 25
    voiced = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6))
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 3 * t + i)
    return (0.2 * voiced * envelope + 0.02 * rng.standard_normal(t.size)).astype(np.float32)


def speech_clips(voices: Path):
    speakers = sorted(p for p in voices.iterdir() if p.is_dir())
    files = [sorted(s.glob("*.flac")) for s in speakers]
    cache: dict[Path, np.ndarray] = {}

    def clip(i: int, seconds: float) -> np.ndarray:
        sp = files[i % len(files)]
        f = sp[(i // len(files)) % len(sp)]
        if f not in cache:
            cache[f] = sf.read(f, dtype="float32")[0]
        data = cache[f]
        n = int(seconds * RATE)
        start = (i * 7919) % max(1, len(data) - n)
        return data[start : start + n]

    return clip


def wav_bytes(samples: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, RATE, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def mp3_bytes(samples: np.ndarray) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, RATE, format="MP3")
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--kind", choices=["loose", "takeout"], default="loose")
    ap.add_argument("--zip", action="store_true")
    ap.add_argument("--voices", type=Path)
    ap.add_argument("--same-audio", action="store_true",
                    help="write clip 0's bytes for every file but vary one sample (fast to make 100,000)")
    args = ap.parse_args()
    clip = speech_clips(args.voices) if args.voices else synthetic_clip

    base = datetime(2025, 1, 1, tzinfo=timezone.utc)
    entries: list[tuple[str, bytes]] = []
    activity = []
    template = None
    for i in range(args.n):
        when = base + timedelta(minutes=37 * i)
        if args.same_audio:
            if template is None:
                template = bytearray(wav_bytes(clip(0, args.seconds)))
            data = bytearray(template)
            data[-4:] = i.to_bytes(4, "little")  # unique content, unique hash
            data = bytes(data)
        else:
            samples = clip(i, args.seconds)
            data = wav_bytes(samples) if args.kind == "loose" else mp3_bytes(samples)
        if args.kind == "loose":
            entries.append((f"leak/{i // 1000:03d}/rec_{i:06d}.wav", data))
        else:
            name = when.strftime("%Y-%m-%d_%H_%M_%S_000_UTC.mp3")
            entries.append((f"Takeout/My Activity/Assistant/{name}", data))
            activity.append({"header": "Assistant", "title": f"Said command number {i}",
                             "time": when.isoformat().replace("+00:00", "Z"), "audioFiles": [name],
                             "products": ["Assistant"], "details": [{"name": "Started by hotword"}]})
    if activity:
        entries.append(("Takeout/My Activity/Assistant/MyActivity.json", json.dumps(activity).encode()))

    if args.zip:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(args.out, "w", zipfile.ZIP_STORED) as z:
            for name, data in entries:
                z.writestr(name, data)
    else:
        for name, data in entries:
            path = args.out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    print(f"{args.n} recordings written to {args.out}")


if __name__ == "__main__":
    main()
