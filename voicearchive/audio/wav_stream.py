"""Read a PCM or float WAV from a stream, block by block: hours of audio in bounded memory.

:func:`open_wav` parses the RIFF header from the first bytes of a non-seekable stream (a zip entry, a file)
and returns a :class:`WavStream` whose :meth:`~WavStream.blocks` yields float32 mono blocks (channels
averaged, as :func:`voicearchive.audio.decode.decode` does) of at most ``frames`` frames. Rates and channel
counts are bounded before anything is allocated; a data chunk that ends early simply ends the stream
(``frames_read`` says how much was there).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO, Iterator

import numpy as np

MIN_RATE, MAX_RATE = 1000, 384000
MAX_CHANNELS = 32
_HEADER_LIMIT = 1 << 20  # bytes of chunks before "data" that are read and skipped at most
_EXTENSIBLE = 0xFFFE
_PCM, _FLOAT = 1, 3


class WavStreamError(ValueError):
    """Not a WAV this reader can stream; ``str()`` is a reason for people."""


@dataclass
class WavStream:
    stream: BinaryIO
    rate: int
    channels: int
    sample_bytes: int
    is_float: bool
    data_bytes: int  # as the header declares it (capped by the caller's size)
    frames_read: int = 0

    @property
    def frames(self) -> int:
        return self.data_bytes // (self.channels * self.sample_bytes)

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate

    def blocks(self, frames: int) -> Iterator[np.ndarray]:
        """float32 mono blocks of ``frames`` frames (the last may be shorter) until the data ends."""
        frame_bytes = self.channels * self.sample_bytes
        left = self.frames * frame_bytes
        while left > 0:
            want = min(frames * frame_bytes, left)
            data = _read_exact(self.stream, want)
            whole = len(data) - len(data) % frame_bytes
            if whole == 0:
                return
            left -= whole
            block = self._convert(data[:whole])
            self.frames_read += block.shape[0]
            yield block
            if len(data) < want:  # the stream ended before the header said
                return

    def _convert(self, data: bytes) -> np.ndarray:
        n = self.sample_bytes
        if self.is_float:
            x = np.frombuffer(data, "<f4" if n == 4 else "<f8").astype(np.float32)
            x = np.nan_to_num(np.clip(x, -1.0, 1.0), nan=0.0)
        elif n == 1:
            x = (np.frombuffer(data, np.uint8).astype(np.float32) - 128.0) / 128.0
        elif n == 2:
            x = np.frombuffer(data, "<i2").astype(np.float32) / 32768.0
        elif n == 3:
            raw = np.frombuffer(data, np.uint8).reshape(-1, 3)
            ints = (raw[:, 0].astype(np.int32) | (raw[:, 1].astype(np.int32) << 8)
                    | (raw[:, 2].astype(np.int8).astype(np.int32) << 16))
            x = ints.astype(np.float32) / 8388608.0
        else:
            x = (np.frombuffer(data, "<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
        if self.channels > 1:
            x = x.reshape(-1, self.channels).mean(axis=1, dtype=np.float32)
        return x


def open_wav(stream: BinaryIO, size: int) -> WavStream:
    """Parse the header of a ``size``-byte WAV from ``stream``, leaving it at the first sample."""
    head = _read_exact(stream, 12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
        raise WavStreamError("not a RIFF WAVE file")
    pos, fmt, skipped = 12, None, 0
    while True:
        chunk = _read_exact(stream, 8)
        if len(chunk) < 8:
            raise WavStreamError("no data chunk")
        cid, clen = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        pos += 8
        if cid == b"data":
            break
        if clen > _HEADER_LIMIT - skipped:
            raise WavStreamError(f"a {clen}-byte '{cid.decode('latin-1')}' chunk before the audio")
        body = _read_exact(stream, clen + (clen & 1))
        skipped += len(body)
        pos += len(body)
        if cid == b"fmt ":
            fmt = body[:clen]
    if fmt is None or len(fmt) < 16:
        raise WavStreamError("no format chunk before the audio")
    tag, channels, rate, _bps, _align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]
    if tag not in (_PCM, _FLOAT):
        raise WavStreamError(f"format tag 0x{tag:04X} is not PCM or float")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise WavStreamError(f"sample rate {rate} Hz outside {MIN_RATE}-{MAX_RATE} Hz")
    if not 1 <= channels <= MAX_CHANNELS:
        raise WavStreamError(f"{channels} channels")
    if bits % 8 or not (tag == _PCM and bits in (8, 16, 24, 32) or tag == _FLOAT and bits in (32, 64)):
        raise WavStreamError(f"{bits}-bit {'float' if tag == _FLOAT else 'PCM'} samples")
    available = max(0, size - pos)
    declared = clen if clen not in (0, 0xFFFFFFFF) else available  # RF64 and streamed WAVs say 0xFFFFFFFF
    return WavStream(stream, rate, channels, bits // 8, tag == _FLOAT, min(declared, available))


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    parts, left = [], n
    while left > 0:
        data = stream.read(left)
        if not data:
            break
        parts.append(data)
        left -= len(data)
    return b"".join(parts)
