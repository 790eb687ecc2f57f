"""Decode a recording of any length in bounded memory: float32 mono blocks from a stream.

``open_blocks(f)`` reads from a binary stream (``Tree.open(member)``; it need not seek) and returns a
``BlockStream``: the ``facts`` and ``rate`` known from the header, and ``blocks()``, a generator of float32
mono blocks of ``block_frames`` frames (the last one shorter). PCM and float WAV (the format of long
recordings: Home Assistant streams, phone-call captures) are decoded straight from the stream, so a 3-hour
44.1 kHz stereo WAV (1.9 GB) never holds more than one block; every other format is read into memory up
to ``MAX_IN_MEMORY_BYTES`` and decoded by :func:`voicearchive.audio.decode.decode` (its own caps apply).

Every header field is bounded before anything is allocated (rate 1 kHz-384 kHz, 1-64 channels, 8/16/24/32
bit integer or 32/64 bit float). ``sha256`` of the bytes read so far is kept, so a caller that reads the
stream to its end also has its hash (``stream.sha256()``) and can compare it with the import hash.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from voicearchive.audio.decode import DecodeError, check_format, decode
from voicearchive.messages import Message
from voicearchive.model import AudioFacts

MAX_IN_MEMORY_BYTES = 512 << 20
DEFAULT_BLOCK_SECONDS = 30.0
_MAX_HEADER_BYTES = 1 << 20  # chunks before "data" (LIST, bext, ...) larger than this are not audio files


class _HashingReader:
    """Read from ``f`` and hash what was read."""

    def __init__(self, f: BinaryIO):
        self._f, self.hash, self.count = f, hashlib.sha256(), 0

    def read(self, n: int) -> bytes:
        parts, left = [], n
        while left > 0:
            data = self._f.read(left)
            if not data:
                break
            parts.append(data)
            left -= len(data)
        data = b"".join(parts)
        self.hash.update(data)
        self.count += len(data)
        return data

    def rest(self, chunk: int = 1 << 20) -> None:
        while self.read(chunk):
            pass


@dataclass
class BlockStream:
    facts: AudioFacts
    rate: int
    _blocks: Iterator[np.ndarray] = field(repr=False)
    _reader: _HashingReader = field(repr=False)

    def blocks(self) -> Iterator[np.ndarray]:
        """float32 mono blocks in [-1, 1], in order; each block is a new array."""
        return self._blocks

    def sha256(self) -> str:
        """SHA-256 of every byte of the stream (reads what the blocks left unread)."""
        self._reader.rest()
        return self._reader.hash.hexdigest()


def open_blocks(f: BinaryIO, *, block_seconds: float = DEFAULT_BLOCK_SECONDS) -> BlockStream:
    """Start decoding ``f``; raises :class:`DecodeError` for what is not audio or has bad header fields."""
    reader = _HashingReader(f)
    head = reader.read(12)
    if head[:4] in (b"RIFF", b"RIFX") and head[8:12] == b"WAVE":
        pcm = _wav_pcm(reader, head)
        if pcm is not None:
            return pcm(block_seconds)
    data = head + reader.read(MAX_IN_MEMORY_BYTES + 1 - len(head))
    if len(data) > MAX_IN_MEMORY_BYTES:
        raise DecodeError(Message.of("archive.audio_header_field", label="audio", field="size", value=len(data)))
    samples, rate, facts = decode(data)
    step = max(int(block_seconds * rate), 1)
    blocks = (samples[i : i + step].copy() for i in range(0, samples.size, step))
    return BlockStream(facts, rate, blocks, reader)


def _wav_pcm(reader: _HashingReader, head: bytes):  # noqa: ANN202 - returns a BlockStream factory or None
    """Parse a WAV header from the stream up to its data chunk; a factory of the BlockStream for PCM/float,
    None (after reading the header into ``reader``) for other codecs, which then go to ``decode``."""
    endian = ">" if head[:4] == b"RIFX" else "<"
    consumed = bytearray(head)
    fmt: tuple[int, int, int, int] | None = None
    while True:
        hdr = reader.read(8)
        consumed += hdr
        if len(hdr) < 8:
            raise DecodeError(Message.of("archive.audio_ends_early", label="WAV"))
        cid, size = hdr[:4], struct.unpack(endian + "I", hdr[4:])[0]
        if cid == b"data":
            break
        if size > _MAX_HEADER_BYTES or len(consumed) > _MAX_HEADER_BYTES:
            raise DecodeError(Message.of("archive.audio_header_field", label="WAV", field=cid.decode("latin-1"), value=size))
        body = reader.read(size + (size & 1))
        consumed += body
        if cid == b"fmt " and len(body) >= 16:
            tag, channels, rate = struct.unpack_from(endian + "HHI", body, 0)
            bits = struct.unpack_from(endian + "H", body, 14)[0]
            if tag == 0xFFFE and len(body) >= 26:
                tag = struct.unpack_from(endian + "H", body, 24)[0]
            fmt = (tag, channels, rate, bits)
    if fmt is None:
        raise DecodeError(Message.of("archive.audio_bad_header", label="WAV"))
    tag, channels, rate, bits = fmt
    check_format("WAV", rate, channels)
    dtype = _dtype(tag, bits, endian)
    if dtype is None:  # ADPCM, MP3-in-WAV, ...: decoded whole by decode()
        rest = reader.read(MAX_IN_MEMORY_BYTES + 1 - len(consumed))
        data = bytes(consumed) + rest
        if len(data) > MAX_IN_MEMORY_BYTES:
            raise DecodeError(Message.of("archive.audio_header_field", label="WAV", field="size", value=len(data)))

        def whole(block_seconds: float) -> BlockStream:
            samples, r, facts = decode(data)
            step = max(int(block_seconds * r), 1)
            return BlockStream(facts, r, (samples[i : i + step].copy() for i in range(0, samples.size, step)), reader)

        return whole
    width = bits // 8
    frame_bytes = width * channels
    declared = None if size in (0, 0xFFFFFFFF) else size // frame_bytes
    codec = f"wav/{'FLOAT' if tag == 3 and bits == 32 else 'DOUBLE' if tag == 3 else f'PCM_{bits:02d}' if bits > 8 else 'PCM_U8'}"

    def factory(block_seconds: float) -> BlockStream:
        frames = max(int(block_seconds * rate), 1)
        facts = AudioFacts(codec, rate, channels, (declared or 0) / rate)

        def gen() -> Iterator[np.ndarray]:
            left = declared
            while left is None or left > 0:
                want = frames if left is None else min(frames, left)
                raw = reader.read(want * frame_bytes)
                n = len(raw) // frame_bytes
                if n == 0:
                    return
                yield _to_mono(raw[: n * frame_bytes], dtype, bits, channels)
                if left is not None:
                    left -= n
                if n < want:
                    return

        return BlockStream(facts, rate, gen(), reader)

    return factory


def _dtype(tag: int, bits: int, endian: str) -> np.dtype | None:
    if tag == 1 and bits in (8, 16, 24, 32):
        return np.dtype({8: "u1", 16: endian + "i2", 24: endian + "i4", 32: endian + "i4"}[bits])
    if tag == 3 and bits in (32, 64):
        return np.dtype(endian + ("f4" if bits == 32 else "f8"))
    return None


def _to_mono(raw: bytes, dtype: np.dtype, bits: int, channels: int) -> np.ndarray:
    if bits == 24:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        if dtype.str[0] == ">":
            b = b[:, ::-1]
        x = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)).astype(np.int32)
        x = np.where(x >= 1 << 23, x - (1 << 24), x).astype(np.float32) / float(1 << 23)
    elif bits == 8:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif dtype.kind == "i":
        x = np.frombuffer(raw, dtype=dtype).astype(np.float32) / float(1 << (bits - 1))
    else:
        x = np.frombuffer(raw, dtype=dtype).astype(np.float32)
        np.nan_to_num(x, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
        np.clip(x, -1.0, 1.0, out=x)
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    return x
