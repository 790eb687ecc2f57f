"""Decode any recording's bytes to float32 mono, and read its facts cheaply.

The format is found by content, never by file name: a ``.mp3`` that is WAV inside decodes as WAV.
libsndfile (through ``soundfile``) reads WAV, AIFF, FLAC, Ogg Vorbis, Opus and MP3 in-process; only
what it cannot read (M4A/AAC, AMR, WebM, WMA, WAV holding a compressed codec, ...) goes to the
ffmpeg fallback in :mod:`voicearchive.audio.ffmpeg`. Every failure is a :class:`DecodeError` whose
``message`` is a catalogue :class:`Message` (``archive.audio_*``), shown in the user's language: "empty
file", "not audio: looks like HTML or XML (starts with 3C 68 74 6D)", "truncated WAV: header promises
3.2 s, 0.4 s present" ("abgeschnittene WAV-Datei: der Kopf verspricht 3,2 s, 0,4 s vorhanden").
"""

from __future__ import annotations

import io
import math
import struct

import numpy as np
import soundfile as sf

from voicearchive.audio import ffmpeg, mp4, mpeg, pcm_wav
from voicearchive.messages import Message, MessageError
from voicearchive.model import AudioFacts

# Bounds on what a header may declare, checked before anything is allocated or resampled.
MIN_RATE = 1_000  # below this no speech is left, and resampling to 16 kHz would multiply the length
MAX_RATE = 384_000  # the highest rate of studio audio
MAX_CHANNELS = 64
# ``decode`` holds a whole recording in memory: at most this long (longer ones are decoded from the start,
# with a note; ``voicearchive.audio.stream.iter_blocks`` reads any length in bounded memory).
MAX_DECODE_SECONDS = 3600.0
MAX_DECODE_FRAMES = 1 << 27  # 512 MiB of float32

# Container kinds sniffed from the first bytes, with the name a person knows them by.
_LABELS = {
    "wav": "WAV",
    "rf64": "RF64 WAV",
    "w64": "Wave64",
    "aiff": "AIFF",
    "au": "Sun AU",
    "caf": "CAF",
    "flac": "FLAC",
    "mp3": "MP3",
    "ogg/vorbis": "Ogg Vorbis",
    "ogg/opus": "Ogg Opus",
    "ogg/flac": "Ogg FLAC",
    "ogg/speex": "Ogg Speex",
    "ogg": "Ogg",
    "m4a": "M4A",
    "3gp": "3GP",
    "mov": "QuickTime",
    "aac": "AAC (ADTS)",
    "amr": "AMR",
    "webm": "WebM",
    "mka": "Matroska",
    "wma": "WMA",
}
# What libsndfile reads; everything else sniffed as audio goes to ffmpeg.
_SOUNDFILE_KINDS = {"wav", "rf64", "w64", "aiff", "au", "caf", "flac", "mp3", "ogg/vorbis", "ogg/opus"}
# WAV format tags libsndfile decodes: PCM, MS ADPCM, float, A-law, mu-law, IMA ADPCM, GSM 6.10.
_SOUNDFILE_WAV_TAGS = {0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031}
_NOT_AUDIO = (  # magic -> the code of what it is (archive.looks_*)
    (b"<", "archive.looks_markup"),
    (b"{", "archive.looks_json"),
    (b"[", "archive.looks_json"),
    (b"%PDF", "archive.looks_pdf"),
    (b"PK\x03\x04", "archive.looks_zip"),
    (b"\xff\xd8\xff", "archive.looks_jpeg"),
    (b"\x89PNG", "archive.looks_png"),
    (b"GIF8", "archive.looks_gif"),
    (b"\x1f\x8b", "archive.looks_gzip"),
)
# Integer encodings that libsndfile scales into [-1, 1) exactly: nothing to sanitise.
_EXACT_SUBTYPES = ("PCM_", "ULAW", "ALAW")
_BLOCK_FRAMES = 1 << 16  # frames read per block: bounds the memory of a multi-channel down-mix
_UNKNOWN_FRAMES = 1 << 40  # libsndfile says SF_COUNT_MAX frames when a header gives no length
_MP3_SLACK_FRAMES = 2 * 1152  # decoders drop encoder delay and padding: up to about two frames


class DecodeError(MessageError):
    """The bytes are not audio we can read. ``str(error)`` is a message for people (English);
    ``error.message`` is the str or ``Message`` to render in the user's language."""


def check_format(kind_label: str, rate: float, channels: int) -> None:
    """Raise ``DecodeError`` for a sample rate or channel count no recording has (1 Hz, 1e9 Hz, 0 or
    65535 channels): such a header would make decoding or resampling allocate gigabytes."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise DecodeError(
            Message.of("archive.audio_rate_bounds", label=kind_label, rate=int(rate), low=MIN_RATE, high=MAX_RATE)
        )
    if not 1 <= channels <= MAX_CHANNELS:
        raise DecodeError(Message.of("archive.audio_header_field", label=kind_label, field="channels", value=channels))


def decode_frame_limit(rate: int, max_seconds: float | None = None) -> int:
    """How many frames ``decode`` reads at ``rate``: the caller's limit, bounded by the caps."""
    seconds = MAX_DECODE_SECONDS if max_seconds is None else min(max_seconds, MAX_DECODE_SECONDS)
    return max(0, min(int(seconds * rate), MAX_DECODE_FRAMES))


def probe(data: bytes, *, size: int | None = None) -> AudioFacts:
    """Codec, sample rate, channels and duration from the header alone (fast: no decoding).

    ``size`` is the whole file's size when ``data`` holds only its start (a member too big to
    read at once): the truncation check then counts the whole file; WAV, AIFF, FLAC and MP3 with
    a Xing header take the duration from their header, other formats scale what the start
    shows (exact for constant bitrates, an estimate otherwise). libsndfile cannot open the start of
    an Ogg file alone (it reads the last page for the length): that is a DecodeError.
    Raises :class:`DecodeError` for empty, non-audio, truncated or unreadable input.
    """
    kind = _sniff(data)
    total = max(size or 0, len(data))
    plain = _plain(data) if kind == "wav" and total == len(data) else None
    if plain is not None:
        return AudioFacts(pcm_wav.CODEC, plain.rate, plain.channels, plain.frames / plain.rate)
    if kind not in _SOUNDFILE_KINDS or _needs_ffmpeg_wav(data, kind):
        return _probe_ffmpeg(data, kind)
    _check_header(data, kind)
    if kind in ("wav", "aiff"):
        _check_pcm_length(data, kind, total)
    try:
        info = sf.info(io.BytesIO(_soundfile_bytes(data, kind)))
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        raise DecodeError(_soundfile_reason(kind, exc)) from exc
    check_format(_LABELS[kind], info.samplerate, info.channels)
    if not 0 <= info.frames < _UNKNOWN_FRAMES:  # a streamed file that never said its length
        return decode(data)[2]
    seconds = info.frames / info.samplerate
    if total > len(data) and kind in ("wav", "aiff"):
        seconds = _pcm_seconds(data, kind, total) or seconds
    elif total > len(data) and kind != "flac" and not _mp3_has_length(data, kind):
        seconds *= total / len(data)  # libsndfile measured the start only: scale (an estimate)
    elif total == len(data) and kind == "mp3":
        walked = _mp3_walk(data)  # exact where libsndfile only estimates
        seconds = walked[0] / walked[1] if walked else seconds
    if seconds <= 0:
        raise DecodeError(Message.of("archive.audio_no_samples", label=_LABELS[kind]))
    note = _ogg_note(data, kind, seconds) if total == len(data) else None
    return AudioFacts(_codec(info.format, info.subtype), info.samplerate, info.channels, seconds, note)


def decode(data: bytes, *, max_seconds: float | None = None) -> tuple[np.ndarray, int, AudioFacts]:
    """Decode to (samples, sample_rate, facts): float32 mono in [-1, 1] at the file's own rate.

    Channels are down-mixed by their mean. ``max_seconds`` decodes only the start of a long file
    (``facts.duration_s`` then still gives the whole length as the header states it).
    """
    kind = _sniff(data)
    plain = _plain(data) if kind == "wav" else None
    if plain is not None and (read := _read_plain(data, plain, max_seconds)) is not None:
        return read
    if kind not in _SOUNDFILE_KINDS or _needs_ffmpeg_wav(data, kind):
        return _decode_ffmpeg(data, kind, max_seconds)
    _check_header(data, kind)
    if kind in ("wav", "aiff"):
        _check_pcm_length(data, kind, len(data))
    walked = _mp3_walk(data) if kind == "mp3" else None
    note: Message | None = None
    try:
        with sf.SoundFile(io.BytesIO(_soundfile_bytes(data, kind))) as f:
            rate, channels, promised = f.samplerate, f.channels, f.frames
            check_format(_LABELS[kind], rate, channels)
            codec = _codec(f.format, f.subtype)
            if promised >= _UNKNOWN_FRAMES or (walked and walked[0] > promised + _MP3_SLACK_FRAMES):
                # libsndfile cannot read a stream of unknown length, and would stop at its own
                # estimate of a VBR MP3 without a length header: ffmpeg reads both to the end
                return _decode_ffmpeg(data, kind, max_seconds)
            cap = decode_frame_limit(rate)
            limit = None if max_seconds is None else max(int(max_seconds * rate), 0)
            if (limit is None or limit > cap) and promised > cap:
                note = Message.of(
                    "archive.audio_too_long", label=_LABELS[kind], seconds=promised / rate, limit=cap / rate
                )
            limit = (cap if promised > cap else None) if limit is None else min(limit, cap)
            samples, error = _read_mono(f, limit)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise DecodeError(_soundfile_reason(kind, exc)) from exc
    except MemoryError as exc:
        raise DecodeError(Message.of("archive.audio_no_memory", label=_LABELS[kind])) from exc
    present = samples.size if error is None else _readable_frames(_soundfile_bytes(data, kind))
    exact = kind != "mp3" or walked is None  # an MP3 without a length header has only an estimate
    if error is not None or (limit is None and exact and _short(kind, present, promised, rate)):
        label = _LABELS[kind]
        if promised > 0:
            raise DecodeError(
                Message.of("archive.audio_short_seconds", label=label, promised=promised / rate, present=present / rate)
            )
        raise DecodeError(_soundfile_reason(kind, error or RuntimeError("stream ends early")))
    if present == 0:
        raise DecodeError(Message.of("archive.audio_no_samples", label=_LABELS[kind]))
    if not codec.split("/")[-1].startswith(_EXACT_SUBTYPES):
        _sanitise(samples)  # lossy decoders overshoot; float files may hold anything
    duration = present / rate if limit is None or present < limit else max(promised, present) / rate
    note = note or _ogg_note(data, kind, duration)
    return samples, rate, AudioFacts(codec, rate, channels, duration, note)


def _plain(data: bytes) -> pcm_wav.PlainPcm | None:
    """The layout of a plain 16-bit PCM WAV (read without libsndfile, to the same result), or None."""
    return pcm_wav.plain_pcm(data, MIN_RATE, MAX_RATE, MAX_CHANNELS)


def _read_plain(data: bytes, plain: pcm_wav.PlainPcm, max_seconds: float | None):  # noqa: ANN202 - decode's tuple
    """What ``decode`` returns for a plain PCM WAV, or None where the usual path must speak (a file beyond the
    decode cap, which gets its note there; a limit of no samples, which is an error there)."""
    limit = None if max_seconds is None else max(int(max_seconds * plain.rate), 0)
    if plain.frames > decode_frame_limit(plain.rate) or limit == 0:
        return None
    samples = pcm_wav.read(data, plain, plain.frames if limit is None else limit)
    return samples, plain.rate, AudioFacts(pcm_wav.CODEC, plain.rate, plain.channels, plain.frames / plain.rate)


def _check_header(data: bytes, kind: str) -> None:
    """Bound a WAV's or AIFF's rate and channels from its own header, before libsndfile sees it."""
    try:
        if kind == "wav":
            fmt = _riff_chunks(data).get(b"fmt ")
            if fmt is None or fmt[1] < 16:
                return
            endian = ">" if data.startswith(b"RIFX") else "<"
            _tag, channels, rate = struct.unpack_from(endian + "HHI", data, fmt[0])
            bits = struct.unpack_from(endian + "H", data, fmt[0] + 14)[0]
            check_format(_LABELS[kind], rate, channels)
            if bits > 64:
                raise DecodeError(
                    Message.of("archive.audio_header_field", label=_LABELS[kind], field="bits per sample", value=bits)
                )
        elif kind == "aiff":
            comm = _riff_chunks(data).get(b"COMM")
            if comm is None or comm[1] < 18:
                return
            channels = struct.unpack_from(">h", data, comm[0])[0]
            rate = _extended_float(data[comm[0] + 8 : comm[0] + 18])
            check_format(_LABELS[kind], rate, channels)
    except struct.error:
        return


def ogg_truncated(data: bytes) -> bool:
    """Whether an Ogg stream ends without its last page (cut short): the final page is incomplete or
    lacks the end-of-stream flag."""
    pos = data.rfind(b"OggS")
    if pos < 0 or len(data) < pos + 27:
        return True
    segments = data[pos + 26]
    if len(data) < pos + 27 + segments:
        return True
    body = sum(data[pos + 27 : pos + 27 + segments])
    if len(data) < pos + 27 + segments + body:
        return True
    return not data[pos + 5] & 0x04


def _ogg_note(data: bytes, kind: str, seconds: float) -> Message | None:
    if not kind.startswith("ogg") or not ogg_truncated(data):
        return None
    return Message.of("archive.audio_truncated", label=_LABELS[kind], seconds=seconds)


def _read_mono(f: sf.SoundFile, limit: int | None) -> tuple[np.ndarray, Exception | None]:
    """Read up to ``limit`` frames (all when None), averaging channels as it goes.

    A mono file is read in one call straight into the result; more channels are read in blocks
    so that only one block is ever held at full width. Reading goes on until the stream ends,
    whatever the header said. Returns the samples and the error that stopped reading early (a
    damaged or cut stream), if any.
    """
    blocks: list[np.ndarray] = []
    total = 0
    error: Exception | None = None
    want = f.frames if f.channels == 1 and f.frames > 0 else _BLOCK_FRAMES
    while True:
        if limit is not None:
            want = min(want, limit - total)
        if want <= 0:
            break
        try:
            block = f.read(want, dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError) as exc:
            error = exc
            break
        got = block.shape[0]
        if got == 0:
            break
        blocks.append(block[:, 0] if f.channels == 1 else block.mean(axis=1, dtype=np.float32))
        total += got
        if got < want:
            break
        want = _BLOCK_FRAMES
    if len(blocks) == 1:
        return blocks[0], error
    return (np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)), error


def _soundfile_bytes(data: bytes, kind: str) -> bytes:
    """What libsndfile is given: an MP3 whose ID3 tag is followed by stray zero padding (which
    libsndfile does not skip) starts at its first frame instead."""
    if kind != "mp3":
        return data
    start = _mp3_start(data)
    return data[start:] if start > _id3_end(data) else data


def _mp3_start(data: bytes) -> int:
    """Offset of the first MPEG frame: after an ID3v2 tag and any zeros that pad it."""
    start = _id3_end(data)
    if start and not _mpeg_kind(data[start : start + 4]):
        padded = start
        while padded < len(data) and data[padded] == 0:
            padded += 1
        start = padded if _mpeg_kind(data[padded : padded + 4]) else start
    return start


def _mp3_has_length(data: bytes, kind: str) -> bool:
    return kind == "mp3" and mpeg.has_length_header(data, _mp3_start(data))


def _mp3_walk(data: bytes) -> tuple[int, int] | None:
    """(samples, rate) counted frame by frame, for an MP3 without a Xing/Info/VBRI length header."""
    start = _mp3_start(data)
    return None if mpeg.has_length_header(data, start) else mpeg.count_samples(data, start)


def _readable_frames(data: bytes) -> int:
    """How many frames of a damaged stream decode before the error (small blocks, for precision)."""
    count = 0
    try:
        with sf.SoundFile(io.BytesIO(data)) as f:
            while block := f.read(1024, dtype="float32", always_2d=True).shape[0]:
                count += block
    except (sf.LibsndfileError, RuntimeError):
        pass
    return count


def _short(kind: str, present: int, promised: int, rate: int) -> bool:
    """Whether fewer frames decoded than the header promised (MP3 may differ by a frame or two)."""
    if promised <= 0:
        return False
    tolerance = max(int(0.1 * rate), promised // 100) if kind == "mp3" else 0
    return present < promised - tolerance


def _sanitise(samples: np.ndarray) -> None:
    """Make float input safe in place: NaN/inf become 0, values are clipped to [-1, 1]."""
    if not np.isfinite(samples).all():
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    np.clip(samples, -1.0, 1.0, out=samples)


def _codec(fmt: str, subtype: str) -> str:
    fmt, subtype = fmt.upper(), subtype.upper()
    if fmt == "MP3" or subtype.startswith("MPEG_LAYER"):
        return {"MPEG_LAYER_I": "mp1", "MPEG_LAYER_II": "mp2"}.get(subtype, "mp3")
    if fmt == "OGG":
        return f"ogg/{subtype.lower()}"
    if fmt == "FLAC":
        return "flac"
    container = {"WAVEX": "wav", "AIFF": "aiff"}.get(fmt, fmt.lower())
    return f"{container}/{subtype}"


def _sniff(data: bytes) -> str:
    """The container kind by magic bytes; raises DecodeError when the bytes are not audio."""
    if not data:
        raise DecodeError(Message.of("archive.audio_empty"))
    head = data[:64]
    if len(data) < 12:
        raise DecodeError(Message.of("archive.audio_too_short", size=len(data)))
    riff, form = head[:4], head[8:12]
    if riff in (b"RIFF", b"RIFX") and form == b"WAVE":
        return "wav"
    if riff in (b"RF64", b"BW64") and form == b"WAVE":
        return "rf64"
    if head.startswith(b"riff\x2e\x91\xcf\x11"):
        return "w64"
    if riff == b"FORM" and form in (b"AIFF", b"AIFC"):
        return "aiff"
    if head.startswith(b".snd"):
        return "au"
    if head.startswith(b"caff"):
        return "caf"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return _ogg_kind(data)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "3gp" if brand.startswith(b"3g") else "mov" if brand == b"qt  " else "m4a"
    if head.startswith(b"#!AMR"):
        return "amr"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in data[:64] else "mka"
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return "wma"
    offset = _id3_end(data)
    if offset:  # an ID3v2 tag: what follows it (after any zero padding) is nearly always MP3
        while offset < len(data) and data[offset] == 0:
            offset += 1
        if data[offset : offset + 4] == b"fLaC":
            return "flac"
        return _mpeg_kind(data[offset : offset + 4]) or "mp3"
    mpeg = _mpeg_kind(data[:4])
    if mpeg:
        return mpeg
    raise DecodeError(_not_audio(data))


def _ogg_kind(data: bytes) -> str:
    """Which codec the first Ogg page carries (its first packet names it)."""
    if len(data) < 28:
        return "ogg"
    packet = data[27 + data[26] : 27 + data[26] + 8]
    for magic, kind in ((b"\x01vorbis", "ogg/vorbis"), (b"OpusHead", "ogg/opus"), (b"\x7fFLAC", "ogg/flac")):
        if packet.startswith(magic):
            return kind
    return "ogg/speex" if packet.startswith(b"Speex") else "ogg"


def _id3_end(data: bytes) -> int:
    """Offset just after a leading ID3v2 tag, or 0."""
    if not data.startswith(b"ID3") or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _mpeg_kind(h: bytes) -> str | None:
    """"mp3" for an MPEG audio frame header (layers I-III), "aac" for ADTS, else None."""
    if len(h) < 4 or h[0] != 0xFF or (h[1] & 0xE0) != 0xE0:
        return None
    layer = (h[1] >> 1) & 3
    if layer == 0:
        return "aac" if (h[1] & 0xF6) == 0xF0 else None
    if (h[1] >> 3) & 3 == 1 or (h[2] >> 4) == 15 or (h[2] >> 2) & 3 == 3:
        return None  # reserved version, bad bitrate or bad sample-rate index: not a frame
    return "mp3"


def _not_audio(data: bytes) -> Message:
    start = " ".join(f"{b:02X}" for b in data[:4])
    stripped = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, what in _NOT_AUDIO:
        if stripped.startswith(magic):
            return Message.of("archive.audio_looks_like", what=Message.of(what), start=start)
    return Message.of("archive.audio_not_audio", start=start)


def _needs_ffmpeg_wav(data: bytes, kind: str) -> bool:
    """A WAV holding a codec libsndfile cannot decode (MP3, AAC, G.729, ...) goes to ffmpeg."""
    if kind != "wav":
        return False
    fmt = _riff_chunks(data).get(b"fmt ")
    if fmt is None or fmt[1] < 16:
        return False
    endian = ">" if data.startswith(b"RIFX") else "<"
    (tag,) = struct.unpack_from(endian + "H", data, fmt[0])
    if tag == 0xFFFE and fmt[1] >= 26:
        (tag,) = struct.unpack_from(endian + "H", data, fmt[0] + 24)
    return tag not in _SOUNDFILE_WAV_TAGS


def _riff_chunks(data: bytes) -> dict[bytes, tuple[int, int]]:
    """Chunk id -> (payload offset, declared size) for the top level of a RIFF/RIFX/FORM file."""
    endian = ">" if data[:4] in (b"RIFX", b"FORM") else "<"
    chunks: dict[bytes, tuple[int, int]] = {}
    pos = 12
    while pos + 8 <= len(data):
        cid = data[pos : pos + 4]
        (size,) = struct.unpack_from(endian + "I", data, pos + 4)
        chunks.setdefault(cid, (pos + 8, size))
        if cid in (b"data", b"SSND"):
            break  # audio runs to the end in practice; do not walk a huge payload
        pos += 8 + size + (size & 1)
    return chunks


def _check_pcm_length(data: bytes, kind: str, total: int) -> None:
    """Raise for a WAV/AIFF (of ``total`` bytes) whose audio chunk is shorter than its header promises.

    A declared size of 0 or 0xFFFFFFFF is a placeholder left by a streaming writer and is not
    checked: libsndfile then reads what is there.
    """
    chunks = _riff_chunks(data)
    audio_id, fmt_id = (b"data", b"fmt ") if kind == "wav" else (b"SSND", b"COMM")
    label = _LABELS[kind]
    if audio_id not in chunks:
        raise DecodeError(Message.of("archive.audio_ends_early", label=label))
    offset, size = chunks[audio_id]
    if size in (0, 0xFFFFFFFF) or fmt_id not in chunks:
        return
    present = max(total - offset, 0)
    if present >= size:
        return
    rate = _bytes_per_second(data, kind, chunks[fmt_id][0])
    if rate <= 0:
        raise DecodeError(Message.of("archive.audio_short_bytes", label=label, promised=size, present=present))
    raise DecodeError(Message.of("archive.audio_short_seconds", label=label, promised=size / rate, present=present / rate))


def _pcm_seconds(data: bytes, kind: str, total: int) -> float | None:
    """Duration of a WAV/AIFF of ``total`` bytes from its header, when only its start is at hand."""
    chunks = _riff_chunks(data)
    audio_id, fmt_id = (b"data", b"fmt ") if kind == "wav" else (b"SSND", b"COMM")
    if audio_id not in chunks or fmt_id not in chunks:
        return None
    offset, size = chunks[audio_id]
    available = total - offset
    if size not in (0, 0xFFFFFFFF):
        available = min(size, available)
    rate = _bytes_per_second(data, kind, chunks[fmt_id][0])
    return available / rate if rate > 0 else None


def _bytes_per_second(data: bytes, kind: str, fmt_offset: int) -> float:
    try:
        if kind == "wav":
            endian = ">" if data.startswith(b"RIFX") else "<"
            return float(struct.unpack_from(endian + "I", data, fmt_offset + 8)[0])
        channels, _frames, bits = struct.unpack_from(">hIh", data, fmt_offset)
        rate = _extended_float(data[fmt_offset + 8 : fmt_offset + 18])
        return channels * ((bits + 7) // 8) * rate
    except struct.error:
        return 0.0


def _extended_float(b: bytes) -> float:
    """AIFF's 80-bit IEEE extended sample rate."""
    if len(b) < 10:
        return 0.0
    exponent = ((b[0] & 0x7F) << 8) | b[1]
    mantissa = int.from_bytes(b[2:10], "big")
    if mantissa == 0 or not 16383 <= exponent <= 16383 + 31:  # a sample rate is 1 Hz to 2 GHz
        return 0.0
    return math.ldexp(mantissa, exponent - 16383 - 63)


def _soundfile_reason(kind: str, exc: BaseException) -> Message:
    label = _LABELS[kind]
    detail = getattr(exc, "error_string", "") or str(exc)
    detail = detail.split(": ", 1)[-1] if detail.startswith("Error") else detail
    detail = detail.strip().rstrip(".")
    lowered = detail.lower()
    if "not recognised" in lowered or "does not exist" in lowered:
        return Message.of("archive.audio_bad_header", label=label)
    if any(word in lowered for word in ("malformed", "unimplemented", "end of file", "lost sync")):
        return Message.of("archive.audio_damaged", label=label)
    if not detail:
        return Message.of("archive.audio_unreadable", label=label)
    said = Message.of("archive.libsndfile_said", detail=detail[:1].lower() + detail[1:])  # the library's words
    return Message.of("archive.audio_unreadable_detail", label=label, detail=said)


def _ffmpeg_codec(kind: str, codec: str) -> str:
    if "/" in kind or kind == codec:
        return kind
    return f"{kind}/{codec}"


def _ffmpeg_reason(kind: str, exc: ffmpeg.FFmpegError) -> Message:
    label = _LABELS[kind]
    if str(exc).lower() in ("end of file", "invalid data found when processing input", "moov atom not found"):
        return Message.of("archive.audio_damaged", label=label)
    return Message.of("archive.audio_unreadable_detail", label=label, detail=exc.message)


def _probe_ffmpeg(data: bytes, kind: str) -> AudioFacts:
    boxed = mp4.audio_facts(data) if kind in ("m4a", "3gp", "mov") else None
    if boxed is not None:  # the boxes said it all: no subprocess
        codec, rate, channels, seconds = boxed
        check_format(_LABELS[kind], rate, channels)
        return AudioFacts(_ffmpeg_codec(kind, codec), rate, channels, seconds)
    try:
        info = ffmpeg.probe(data)
    except ffmpeg.FFmpegError as exc:
        raise DecodeError(_ffmpeg_reason(kind, exc)) from exc
    if not info.duration_s:
        raise DecodeError(Message.of("archive.audio_no_samples", label=_LABELS[kind]))
    check_format(_LABELS[kind], info.sample_rate, max(info.channels, 1))
    return AudioFacts(_ffmpeg_codec(kind, info.codec), info.sample_rate, info.channels, info.duration_s)


def _decode_ffmpeg(data: bytes, kind: str, max_seconds: float | None) -> tuple[np.ndarray, int, AudioFacts]:
    boxed = mp4.audio_facts(data) if kind in ("m4a", "3gp", "mov") else None
    if boxed is not None:
        check_format(_LABELS[kind], boxed[1], boxed[2])
    asked = max_seconds
    max_seconds = MAX_DECODE_SECONDS if max_seconds is None else min(max_seconds, MAX_DECODE_SECONDS)
    try:
        samples, info = ffmpeg.decode(data, max_seconds=max_seconds, max_samples=MAX_DECODE_FRAMES)
    except ffmpeg.FFmpegError as exc:
        raise DecodeError(_ffmpeg_reason(kind, exc)) from exc
    check_format(_LABELS[kind], info.sample_rate, max(info.channels, 1))
    if samples.size == 0:
        raise DecodeError(Message.of("archive.audio_no_samples", label=_LABELS[kind]))
    _sanitise(samples)
    decoded = duration = samples.size / info.sample_rate
    if decoded >= max_seconds or samples.size >= MAX_DECODE_FRAMES:  # cut short: the header knows the rest
        try:
            duration = max(_probe_ffmpeg(data, kind).duration_s, duration)
        except DecodeError:
            pass
    note = None
    if (asked is None or asked > decoded) and duration > decoded:
        note = Message.of("archive.audio_too_long", label=_LABELS[kind], seconds=duration, limit=decoded)
    facts = AudioFacts(_ffmpeg_codec(kind, info.codec), info.sample_rate, info.channels, duration, note)
    return samples, info.sample_rate, facts
