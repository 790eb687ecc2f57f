"""MPEG audio frame headers: enough to know an MP3's true length without decoding it.

libsndfile takes an MP3's length from its Xing/Info/VBRI header when there is one, and otherwise
estimates it from the first frame's bitrate and the file size. For a variable-bitrate file
without such a header the estimate is wrong, and libsndfile then stops decoding at the
estimate: audio would be lost without a word. Walking the frame headers (about 250 per 4 s
clip, well under a millisecond) gives the exact number of samples, so the decoder can tell.
"""

from __future__ import annotations

from dataclasses import dataclass

# kbit/s by (MPEG-1?, layer) and the header's 4-bit index (0 = free format, 15 = invalid).
_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
# sample rates by the header's 2-bit version field (0 = MPEG-2.5, 2 = MPEG-2, 3 = MPEG-1)
_RATES = {0: (11025, 12000, 8000), 2: (22050, 24000, 16000), 3: (44100, 48000, 32000)}


@dataclass(frozen=True)
class Frame:
    layer: int  # 1, 2 or 3
    sample_rate: int
    samples: int  # per frame
    length: int  # bytes, header included
    bitrate: int  # kbit/s


def parse_header(h: bytes) -> Frame | None:
    """The frame whose 4-byte header is ``h``, or None if it is not a usable MPEG audio header."""
    if len(h) < 4 or h[0] != 0xFF or (h[1] & 0xE0) != 0xE0:
        return None
    version, layer_bits = (h[1] >> 3) & 3, (h[1] >> 1) & 3
    rate_index, bitrate_index = (h[2] >> 2) & 3, h[2] >> 4
    if version == 1 or layer_bits == 0 or rate_index == 3 or bitrate_index in (0, 15):
        return None
    layer = 4 - layer_bits
    mpeg1 = version == 3
    rate = _RATES[version][rate_index]
    bitrate = _BITRATES[(mpeg1, layer)][bitrate_index]
    padding = (h[2] >> 1) & 1
    if layer == 1:
        return Frame(1, rate, 384, (12 * bitrate * 1000 // rate + padding) * 4, bitrate)
    samples = 1152 if layer == 2 or mpeg1 else 576
    return Frame(layer, rate, samples, samples // 8 * bitrate * 1000 // rate + padding, bitrate)


def has_length_header(data: bytes, start: int) -> bool:
    """Whether the first frame at ``start`` carries a Xing, Info or VBRI header (an exact length)."""
    first = data[start : start + 192]
    return b"Xing" in first or b"Info" in first or first[36:40] == b"VBRI"


def count_samples(data: bytes, start: int) -> tuple[int, int] | None:
    """(samples, sample_rate) of the frame chain from ``start`` to the end, or None when the
    chain cannot be walked (free-format bitrate, or no frame at ``start``).

    The walk stops at the first thing that is not a frame header (an ID3v1 or APE tag, junk);
    a final frame cut short still counts, as decoders play what is there.
    """
    first = parse_header(data[start : start + 4])
    if first is None:
        return None
    known: dict[bytes, tuple[int, int] | None] = {}  # header bytes 1-2 -> (samples, length)
    samples, pos, end = 0, start, len(data)
    while pos + 4 <= end and data[pos] == 0xFF:
        key = data[pos + 1 : pos + 3]
        if key not in known:
            frame = parse_header(data[pos : pos + 4])
            ok = frame is not None and frame.length >= 4 and frame.sample_rate == first.sample_rate
            known[key] = (frame.samples, frame.length) if ok and frame else None
        step = known[key]
        if step is None:
            break
        samples += step[0]
        pos += step[1]
    return samples, first.sample_rate
