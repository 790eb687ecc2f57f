"""The plainest WAV there is, read without libsndfile: 16-bit PCM, little-endian, every byte present.

Nearly every assistant recording is such a file (Alexa's, Home Assistant's, Mycroft's, most leaks). Through
``soundfile`` each one costs about 0.5 ms of wrappers and small virtual reads; the samples themselves are one
``int16 -> float32`` scaling, which this module does directly (0.05 ms for 4 s). The result is bit for bit what
libsndfile gives (it scales 16-bit PCM by 1/32768, a power of two, so the product is exact), and the facts are
the ones ``decode`` reports; ``tests/test_pcm_wav.py`` holds the two paths equal on generated files.

Only a file that leaves nothing to interpret is read here: ``RIFF``/``WAVE``, one ``fmt `` chunk of format tag 1
before the ``data`` chunk, 16 bits, a consistent block size and byte rate, a rate and channel count inside
``decode``'s bounds, a declared data size (no streaming placeholder) that the bytes and the RIFF size both hold
in full, and at least one frame. Anything else (RIFX, extensible or compressed formats, 8/24/32 bits, a cut or
odd header) is ``None``, and ``decode`` goes the usual way, with its messages.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

PCM_TAG = 1
SCALE = np.float32(1.0 / 32768.0)  # libsndfile's normalisation of 16-bit PCM
CODEC = "wav/PCM_16"
_BLOCK_FRAMES = 1 << 16  # frames down-mixed at a time: bounds the memory of a multi-channel file
_MAX_CHUNKS = 64  # chunks walked before the data chunk; more is not a plain file


@dataclass(frozen=True)
class PlainPcm:
    rate: int
    channels: int
    offset: int  # of the first sample
    frames: int  # whole frames the data chunk holds


def plain_pcm(data: bytes, min_rate: int, max_rate: int, max_channels: int) -> PlainPcm | None:
    """The layout of a plain 16-bit PCM WAV held whole in ``data``, or None for anything else.

    The chunks are walked here rather than by ``decode._riff_chunks``, which keeps the first of a repeated chunk:
    libsndfile refuses a file with two fmt chunks ("No 'data' chunk marker"), so this walk must see the second."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos, fmt = 12, None
    for _ in range(_MAX_CHUNKS):
        if pos + 8 > len(data):
            return None
        cid = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = pos + 8
        if cid == b"fmt ":
            if fmt is not None or size < 16 or body + 16 > len(data):
                return None
            fmt = struct.unpack_from("<HHIIHH", data, body)
        elif cid == b"data":
            riff_end = 8 + struct.unpack_from("<I", data, 4)[0]
            return _layout(fmt, body, size, len(data), min_rate, max_rate, max_channels, riff_end)
        pos = body + size + (size & 1)
    return None


def _layout(fmt, offset: int, size: int, total: int, min_rate: int, max_rate: int,
            max_channels: int, riff_end: int) -> PlainPcm | None:
    if fmt is None or size in (0, 0xFFFFFFFF) or offset + size > min(total, riff_end):
        return None
    tag, channels, rate, byte_rate, block, bits = fmt
    if tag != PCM_TAG or bits != 16 or not 1 <= channels <= max_channels or not min_rate <= rate <= max_rate:
        return None
    if block != 2 * channels or byte_rate != rate * block:
        return None
    frames = size // block
    return PlainPcm(rate, channels, offset, frames) if frames > 0 else None


def read(data: bytes, layout: PlainPcm, frames: int) -> np.ndarray:
    """The first ``frames`` frames as float32 mono in [-1, 1): channels averaged as ``decode`` averages them."""
    frames = max(0, min(frames, layout.frames))
    pcm = np.frombuffer(data, "<i2", frames * layout.channels, layout.offset)
    out = np.empty(frames, np.float32)
    if layout.channels == 1:
        np.multiply(pcm, SCALE, out=out, dtype=np.float32)
        return out
    wide = pcm.reshape(frames, layout.channels)
    for first in range(0, frames, _BLOCK_FRAMES):
        block = np.multiply(wide[first : first + _BLOCK_FRAMES], SCALE, dtype=np.float32)
        out[first : first + block.shape[0]] = block.mean(axis=1, dtype=np.float32)
    return out


__all__ = ["CODEC", "PlainPcm", "plain_pcm", "read"]
