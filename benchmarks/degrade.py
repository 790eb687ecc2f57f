"""Degrade a folder of ``<speaker>/<clip>`` audio the way smart-speaker recordings are degraded.

    python benchmarks/degrade.py IN_DIR OUT_DIR [--steps room,8k,mp3] [--snr 10 20] [--kbps 8 16 24] [--devices N]

Each file goes through, in this order (each step optional):

``room``  far-field room: a synthetic exponentially decaying impulse response (RT60 0.3-0.6 s, direct-to-
          reverberant ratio 0-6 dB), then
          room noise (pink noise plus a faint mains hum) at a signal-to-noise ratio drawn from ``--snr``;
``8k``    resampled to 8 kHz, as telephone-band assistant audio is;
``mp3``   encoded with ffmpeg/libmp3lame at a bit rate drawn from ``--kbps`` and decoded again.

The result is written as 16-bit WAV under OUT_DIR with the same relative path (extension ``.wav``).
Random choices are seeded by the file's relative path, so the same input always gives the same output.
Nothing is written beside the input. Needs numpy, soundfile, soxr and ffmpeg on the PATH.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

AUDIO_SUFFIXES = {".flac", ".wav", ".mp3", ".ogg", ".opus", ".m4a"}


def _rng(rel: str) -> np.random.Generator:
    seed = int.from_bytes(hashlib.sha256(rel.encode()).digest()[:8], "little")
    return np.random.default_rng(seed)


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS 1/f noise made by shaping white noise in the frequency domain."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(f), n)
    return noise / (np.sqrt(np.mean(noise**2)) + 1e-12)


def room(
    x: np.ndarray, sr: int, rng: np.random.Generator, snr_db: tuple[float, float],
    device: np.random.Generator | None = None,
) -> np.ndarray:
    """Reverberate ``x`` with a synthetic room response and add room noise at a random SNR. With ``device``
    (a generator seeded by the device), the room's response and its hum are the device's, the talker's
    distance (direct-to-reverberant ratio), the noise and the SNR the recording's own."""
    fixed = device if device is not None else rng
    rt60 = fixed.uniform(0.3, 0.6)
    length = int(rt60 * sr)
    t = np.arange(length) / sr
    tail = fixed.standard_normal(length) * np.exp(-6.9 * t / rt60)  # -60 dB at rt60
    tail[0] = 0.0
    drr_db = rng.uniform(0.0, 6.0)  # direct-to-reverberant ratio of a talker 1-3 m from the device
    ir = tail / np.sqrt(np.sum(tail**2)) * 10 ** (-drr_db / 20)
    ir[0] = 1.0
    ir /= np.sqrt(np.sum(ir**2))
    wet = np.fft.irfft(np.fft.rfft(x, len(x) + length) * np.fft.rfft(ir, len(x) + length))[: len(x)]
    noise = pink_noise(len(x), rng)
    hum = np.sin(2 * np.pi * fixed.choice([50.0, 60.0]) * np.arange(len(x)) / sr + rng.uniform(0, 6.28))
    noise = noise + 0.3 * hum
    noise /= np.sqrt(np.mean(noise**2)) + 1e-12
    snr = rng.uniform(*snr_db)
    speech_rms = np.sqrt(np.mean(wet**2)) + 1e-12
    y = wet + noise * speech_rms / (10 ** (snr / 20))
    peak = np.max(np.abs(y))
    return y * (0.9 / peak) if peak > 0.9 else y


def _mp3_roundtrip_av(x: np.ndarray, sr: int, kbps: int) -> np.ndarray:
    """The same with PyAV's own libmp3lame (when no ffmpeg is on the PATH)."""
    import io

    import av

    buf = io.BytesIO()
    out = av.open(buf, "w", format="mp3")
    stream = out.add_stream("libmp3lame", rate=sr)
    stream.bit_rate = kbps * 1000
    stream.layout = "mono"
    frame = av.AudioFrame.from_ndarray(np.asarray(x, np.float32)[None, :], format="flt", layout="mono")
    frame.sample_rate = sr
    for packet in [*stream.encode(frame), *stream.encode(None)]:
        out.mux(packet)
    out.close()
    with av.open(io.BytesIO(buf.getvalue())) as inp:
        y = np.concatenate([f.to_ndarray().reshape(-1) for f in inp.decode(audio=0)])
    return y.astype(np.float64)


def mp3_roundtrip(x: np.ndarray, sr: int, kbps: int) -> np.ndarray:
    """Encode ``x`` as MP3 at ``kbps`` with ffmpeg (or PyAV) and decode it back at the same rate."""
    import shutil

    if shutil.which("ffmpeg") is None:
        return _mp3_roundtrip_av(x, sr, kbps)
    with tempfile.TemporaryDirectory() as tmp:
        src, mp3 = Path(tmp) / "in.wav", Path(tmp) / "out.mp3"
        sf.write(src, x, sr, subtype="PCM_16")
        run = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
        subprocess.run([*run, "-i", str(src), "-c:a", "libmp3lame", "-b:a", f"{kbps}k", str(mp3)], check=True)
        out = subprocess.run(
            [*run, "-i", str(mp3), "-f", "f32le", "-ac", "1", "-ar", str(sr), "-"],
            check=True,
            capture_output=True,
        ).stdout
    return np.frombuffer(out, dtype="<f4").astype(np.float64)


def device_of(rel: str, devices: int) -> int:
    """The device (0 .. devices - 1) a file is heard through: by a hash of its path, so speakers share devices."""
    return int.from_bytes(hashlib.sha256(f"device|{rel}".encode()).digest()[:4], "little") % devices


def degrade_file(
    src: Path, dst: Path, rel: str, steps: set[str], snr: tuple[float, float], kbps: list[int], devices: int = 0
) -> str:
    """Degrade one file; returns a short description of what was done. With ``devices``, the file is heard
    through one of that many devices (``device_of``), each with its own room and bit rate."""
    x, sr = sf.read(src, dtype="float64", always_2d=True)
    x = x.mean(axis=1)
    rng = _rng(rel)
    device = _rng(f"device-{device_of(rel, devices)}") if devices else None
    done = [f"device {device_of(rel, devices)}"] if devices else []
    if "room" in steps:
        x = room(x, sr, rng, snr, _rng(f"device-{device_of(rel, devices)}") if devices else None)
        done.append("room")
    if "8k" in steps and sr != 8000:
        x = soxr.resample(x, sr, 8000, quality="HQ")
        sr = 8000
        done.append("8k")
    if "mp3" in steps:
        rate = int((device if device is not None else rng).choice(kbps))
        x = mp3_roundtrip(x, sr, rate)
        done.append(f"mp3@{rate}k")
    dst.parent.mkdir(parents=True, exist_ok=True)
    sf.write(dst, np.clip(x, -1.0, 1.0), sr, subtype="PCM_16")
    return "+".join(done)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("src", type=Path)
    p.add_argument("dst", type=Path)
    p.add_argument("--steps", default="room,8k,mp3", help="comma-separated subset of room,8k,mp3")
    p.add_argument("--snr", type=float, nargs=2, default=(10.0, 20.0), metavar=("LO", "HI"))
    p.add_argument("--kbps", type=int, nargs="+", default=[8, 16, 24])
    p.add_argument("--devices", type=int, default=0,
                   help="hear every file through one of N devices (fixed room and bit rate each) instead of a room "
                   "and bit rate of its own; OUT_DIR/devices.tsv names each file's device")
    a = p.parse_args(argv)
    steps = {s.strip() for s in a.steps.split(",") if s.strip()}
    unknown = steps - {"room", "8k", "mp3"}
    if unknown:
        p.error(f"unknown steps: {', '.join(sorted(unknown))}")
    if a.dst.resolve().is_relative_to(a.src.resolve()):
        p.error("the output folder must not be inside the input folder")
    files = sorted(f for f in a.src.rglob("*") if f.suffix.lower() in AUDIO_SUFFIXES)
    if not files:
        print(f"{a.src}: no audio files", file=sys.stderr)
        return 1
    if a.devices:
        a.dst.mkdir(parents=True, exist_ok=True)
        (a.dst / "devices.tsv").write_text("".join(
            f"{Path(f.relative_to(a.src).as_posix()).with_suffix('.wav').as_posix()}\t"
            f"{device_of(f.relative_to(a.src).as_posix(), a.devices)}\n" for f in files))
    for f in files:
        rel = f.relative_to(a.src).as_posix()
        try:
            what = degrade_file(f, (a.dst / rel).with_suffix(".wav"), rel, steps, tuple(a.snr), a.kbps, a.devices)
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            print(f"{rel}: skipped ({e})", file=sys.stderr)
            continue
        print(f"{rel}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
