"""Read an MP4/M4A/3GP file's audio facts from its boxes, without starting ffmpeg.

Probing runs on every member while an archive is listed; a subprocess per M4A (about 30 ms)
would make a folder of phone voice memos slow to open. The ``moov`` box says what is needed: the
first sound track's time scale and duration (``mdhd``), and its sample entry (``stsd``) with the
codec, channel count and sample rate. Anything unusual (a fragmented file, a QuickTime version 2
sound description, no sound track) returns None and the caller asks ffmpeg instead.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

# sample-entry four-character code -> ffmpeg's codec name (so probe and decode agree)
_CODECS = {
    b"mp4a": "aac",
    b"alac": "alac",
    b"Opus": "opus",
    b"fLaC": "flac",
    b"samr": "amr_nb",
    b"sawb": "amr_wb",
    b"ac-3": "ac3",
    b"ec-3": "eac3",
    b".mp3": "mp3",
}


def audio_facts(data: bytes) -> tuple[str, int, int, float] | None:
    """(codec, sample rate, channels, seconds) of the first sound track, or None if unsure."""
    moov = _find(data, 0, len(data), b"moov")
    if moov is None:
        return None
    for kind, start, end in _boxes(data, *moov):
        if kind != b"trak":
            continue
        mdia = _find(data, start, end, b"mdia")
        if mdia is None or _handler(data, *mdia) != b"soun":
            continue
        timing, entry = _timing(data, *mdia), _sample_entry(data, *mdia)
        if timing is None or entry is None:
            return None
        timescale, duration = timing
        codec, channels, rate = entry
        if timescale <= 0 or duration <= 0 or rate <= 0 or channels <= 0:
            return None
        edited = _edited_seconds(data, start, end, _movie_timescale(data, *moov))
        return codec, rate, channels, edited or duration / timescale
    return None


def _movie_timescale(data: bytes, start: int, end: int) -> int:
    mvhd = _find(data, start, end, b"mvhd")
    if mvhd is None or mvhd[1] - mvhd[0] < 24:
        return 0
    return struct.unpack_from(">I", data, mvhd[0] + (20 if data[mvhd[0]] == 1 else 12))[0]


def _edited_seconds(data: bytes, start: int, end: int, movie_timescale: int) -> float | None:
    """What the edit list presents (the encoder's priming samples left out), in seconds."""
    elst = _path(data, start, end, b"edts", b"elst")
    if elst is None or movie_timescale <= 0 or elst[1] - elst[0] < 8:
        return None
    s, e = elst
    version, count = data[s], struct.unpack_from(">I", data, s + 4)[0]
    layout, size = (">QqI", 20) if version == 1 else (">IiI", 12)
    if count < 1 or s + 8 + count * size > e:
        return None
    total = 0
    for i in range(count):
        segment, media_time, _rate = struct.unpack_from(layout, data, s + 8 + i * size)
        if media_time != -1:  # -1 marks an empty edit (a pause), not media
            total += segment
    return total / movie_timescale if total > 0 else None


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box between ``start`` and ``end``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _find(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(((s, e) for k, s, e in _boxes(data, start, end) if k == kind), None)


def _path(data: bytes, start: int, end: int, *kinds: bytes) -> tuple[int, int] | None:
    span: tuple[int, int] | None = (start, end)
    for kind in kinds:
        if span is None:
            return None
        span = _find(data, *span, kind)
    return span


def _handler(data: bytes, start: int, end: int) -> bytes | None:
    hdlr = _find(data, start, end, b"hdlr")
    if hdlr is None or hdlr[1] - hdlr[0] < 12:
        return None
    return data[hdlr[0] + 8 : hdlr[0] + 12]


def _timing(data: bytes, start: int, end: int) -> tuple[int, int] | None:
    """(time scale, duration) from ``mdhd``."""
    mdhd = _find(data, start, end, b"mdhd")
    if mdhd is None:
        return None
    s, e = mdhd
    try:
        if data[s] == 1:
            return struct.unpack_from(">IQ", data, s + 20) if e - s >= 32 else None
        return struct.unpack_from(">II", data, s + 12) if e - s >= 20 else None
    except (struct.error, IndexError):
        return None


def _sample_entry(data: bytes, start: int, end: int) -> tuple[str, int, int] | None:
    """(codec, channels, sample rate) from the first entry of ``stsd``."""
    stsd = _path(data, start, end, b"minf", b"stbl", b"stsd")
    if stsd is None:
        return None
    entries = _boxes(data, stsd[0] + 8, stsd[1])  # skip version/flags and the entry count
    first = next(entries, None)
    if first is None:
        return None
    kind, s, e = first
    if kind not in _CODECS or e - s < 28:
        return None
    version, channels, _bits, _compression, _packet, rate_fixed = struct.unpack_from(">H6xHHHHI", data, s + 8)
    if version not in (0, 1):
        return None
    return _CODECS[kind], channels, rate_fixed >> 16
