"""Builders of synthetic evidence for archive tests: audio bytes, zips (also hand-crafted quirks), layouts.

Everything is deterministic and small. Other test modules may import these helpers.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path
from typing import Iterable

import numpy as np
import soundfile as sf

RATE = 16000


def tone(seconds: float = 0.25, rate: int = RATE, freq: float = 220.0, seed: int = 0) -> np.ndarray:
    """A quiet sine with a little deterministic noise, float32 mono."""
    t = np.arange(int(seconds * rate)) / rate
    noise = np.random.default_rng(seed).normal(0.0, 0.01, t.size)
    return (0.3 * np.sin(2 * np.pi * freq * t) + noise).astype(np.float32)


def audio_bytes(
    fmt: str = "WAV", seconds: float = 0.25, rate: int = RATE, freq: float = 220.0, subtype: str | None = None
) -> bytes:
    """Encoded audio made by soundfile: WAV, FLAC, OGG (VORBIS/OPUS subtype), MP3 (MPEG_LAYER_III), AIFF, RF64."""
    if fmt == "MP3" and subtype is None:
        subtype = "MPEG_LAYER_III"
    buf = io.BytesIO()
    sf.write(buf, tone(seconds, rate, freq), rate, format=fmt, subtype=subtype)
    return buf.getvalue()


def wav_bytes(seconds: float = 0.25, freq: float = 220.0) -> bytes:
    return audio_bytes("WAV", seconds, freq=freq)


def ffmpeg_bytes(suffix: str, *args: str, seconds: float = 0.3) -> bytes | None:
    """Audio encoded by ffmpeg (``suffix`` picks the container): the one the app installs (imageio-ffmpeg), or
    the system's where that one lacks the encoder (Speex); None when neither can."""
    from voicearchive.audio import ffmpeg

    try:
        bundled = ffmpeg.ffmpeg_exe()
    except ffmpeg.FFmpegError:
        bundled = None
    src = wav_bytes(seconds)
    for exe in dict.fromkeys(e for e in (bundled, shutil.which("ffmpeg")) if e):
        cmd = [exe, "-v", "error", "-f", "wav", "-i", "pipe:0", *args, "-f", suffix, "pipe:1"]
        done = subprocess.run(cmd, input=src, capture_output=True, timeout=60, check=False)
        if done.returncode == 0 and done.stdout:
            return done.stdout
    return None


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def zip_bytes(entries: Iterable[tuple[str, bytes]] | dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip holding ``entries`` (name -> bytes), built in memory."""
    items = entries.items() if isinstance(entries, dict) else entries
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in items:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2021, 3, 4, 12, 0, 0)), data, compress_type=compression)
    return buf.getvalue()


def write_zip(path: Path, entries, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    return write(path, zip_bytes(entries, compression))


def _central_entries(data: bytes) -> list[int]:
    """Offsets of every central-directory header in zip ``data``."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        offset = zf.start_dir
        count = len(zf.infolist())
    offsets = []
    for _ in range(count):
        assert data[offset : offset + 4] == b"PK\x01\x02"
        offsets.append(offset)
        n, m, k = struct.unpack_from("<HHH", data, offset + 28)
        offset += 46 + n + m + k
    return offsets


def set_encrypted(data: bytes, names: set[str]) -> bytes:
    """Mark entries as encrypted (flag bit 0) in local and central headers, as zipfile cannot write them."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        local = {i.filename: i.header_offset for i in zf.infolist()}
    for name in names:
        struct.pack_into("<H", out, local[name] + 6, struct.unpack_from("<H", out, local[name] + 6)[0] | 1)
    for offset in _central_entries(data):
        n = struct.unpack_from("<H", out, offset + 28)[0]
        if out[offset + 46 : offset + 46 + n].decode("utf-8") in names:
            struct.pack_into("<H", out, offset + 8, struct.unpack_from("<H", out, offset + 8)[0] | 1)
    return bytes(out)


def set_declared_size(data: bytes, name: str, size: int, crc: int | None = None) -> bytes:
    """Rewrite the uncompressed size (and optionally the CRC) the central directory declares for ``name``."""
    out = bytearray(data)
    for offset in _central_entries(data):
        n = struct.unpack_from("<H", out, offset + 28)[0]
        if out[offset + 46 : offset + 46 + n].decode("utf-8") == name:
            struct.pack_into("<I", out, offset + 24, size)
            if crc is not None:
                struct.pack_into("<I", out, offset + 16, crc)
    return bytes(out)


def zip_with_raw_names(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A zip whose entry names are the raw bytes given, with the UTF-8 flag cleared (as old tools write)."""
    placeholders = [(str(i).rjust(len(raw), "@"), raw) for i, (raw, _) in enumerate(entries)]
    data = bytearray(zip_bytes([(ph, body) for (ph, _), (_, body) in zip(placeholders, entries)], zipfile.ZIP_STORED))
    for placeholder, raw in placeholders:
        assert len(placeholder) == len(raw)
        ph = placeholder.encode("ascii")
        start = 0
        while (pos := data.find(ph, start)) >= 0:  # in the local header and in the central directory
            data[pos : pos + len(ph)] = raw
            start = pos + len(ph)
    return bytes(data)


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` (and the set of names), without following links."""
    digest: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = str(path.relative_to(root))
            if path.is_symlink():
                digest[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                try:
                    digest[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
                except PermissionError:
                    digest[rel] = f"unreadable:{path.stat().st_size}:{path.stat().st_mtime_ns}"
            else:
                digest[rel] = "dir"
    return digest


# ---------------------------------------------------------------------------- layouts

HA_DEVICE = "3f1c5e7a9b2d4c6e8f0a1b2c3d4e5f60"


def make_home_assistant(root: Path, with_device: bool = True) -> Path:
    """A debug_recording_dir with two runs (wake + stt) of one pipeline, optionally under a device id."""
    base = root / HA_DEVICE if with_device else root
    for run, freq in (("1523400117723500", 200.0), ("1523466214900200", 260.0)):
        folder = base / "Home Assistant" / run
        write(folder / "00_wake-wake_word.openwakeword.wav", wav_bytes(0.2, freq))
        write(folder / "01_stt-stt.faster_whisper.wav", wav_bytes(0.3, freq * 1.5))
    return root


MYCROFT_ACCOUNT = "5f2b6c1e-1111-2222-3333-444455556666"
MYCROFT_ENGINE = hashlib.md5(b"PreciseHotword").hexdigest()
MYCROFT_SESSION = "a1b2c3d4-aaaa-bbbb-cccc-ddddeeeeffff"
MYCROFT_WAKE_MS = 1614861296789  # 2021-03-04T12:34:56.789Z


def mycroft_wake_name(wake_word: str = "hey-mycroft", ms: int = MYCROFT_WAKE_MS, model: str = "0") -> str:
    return f"{MYCROFT_ACCOUNT}_{MYCROFT_ENGINE}_{model}_{wake_word}_{MYCROFT_SESSION}_{ms}.wav"


def mycroft_entries() -> dict[str, bytes]:
    """The Mycroft save folders: a str(datetime.now()) name, a monotonic_ns name, two wake words."""
    return {
        "mycroft_utterances/2021-03-04 12:34:56.789012.wav": wav_bytes(0.3, 210.0),
        "mycroft_utterances/2021-03-05 08:00:01.wav": wav_bytes(0.3, 230.0),
        "mycroft_utterances/81263511223344.wav": wav_bytes(0.3, 250.0),
        "mycroft_wake_words/" + mycroft_wake_name(): wav_bytes(0.2, 300.0),
        "mycroft_wake_words/"
        + mycroft_wake_name("hey_jarvis", MYCROFT_WAKE_MS + 60_000, hashlib.md5(b"model").hexdigest()): wav_bytes(0.2),
    }
