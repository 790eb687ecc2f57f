"""What a member is, judged by its first bytes, never by its name.

``audio_kind(head)`` names the container (and the codec where the first bytes show it);
``text_kind(head)`` recognises tables and documents a transcript may come in. Both need only the
first 64 bytes and never raise.
"""

from __future__ import annotations

# audio kinds returned by audio_kind()
WAV, W64, MP3, AAC, FLAC, AIFF, AMR, CAF, AU = "wav", "w64", "mp3", "aac", "flac", "aiff", "amr", "caf", "au"
OGG, OGG_OPUS, OGG_VORBIS, OGG_FLAC, OGG_SPEEX = "ogg", "ogg/opus", "ogg/vorbis", "ogg/flac", "ogg/speex"
M4A, MP4, THREE_GP, WEBM, MKV, ASF = "m4a", "mp4", "3gp", "webm", "mkv", "asf"
AUDIO_KINDS = (
    WAV, W64, MP3, AAC, FLAC, AIFF, AMR, CAF, AU,
    OGG, OGG_OPUS, OGG_VORBIS, OGG_FLAC, OGG_SPEEX,
    M4A, MP4, THREE_GP, WEBM, MKV, ASF,
)

# file-name extensions that promise audio (for "named like audio but is not")
AUDIO_EXTENSIONS = frozenset(
    ".wav .wave .bwf .rf64 .mp3 .mp2 .aac .flac .ogg .oga .opus .m4a .mp4 .3gp .amr .awb .aif .aiff .aifc "
    ".webm .weba .mka .wma .caf .au .snd .w64".split()
)

_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_W64_RIFF = b"riff" + bytes.fromhex("2e91cf11a5d628db04c10000")
_W64_WAVE = b"wave" + bytes.fromhex("f3acd3118cd100c04f8edb8a")

# MPEG audio header tables: bitrate (kbit/s) by [version is MPEG-1][layer] and sample rates by version.
_BITRATES = {
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mpeg_frame_length(h: bytes) -> int | None:
    """Length in bytes of the MPEG Layer II/III frame whose 4-byte header is ``h``, or None if implausible."""
    if len(h) < 4 or h[0] != 0xFF or h[1] & 0xE0 != 0xE0:
        return None
    version = (h[1] >> 3) & 3  # 0 = MPEG-2.5, 1 = reserved, 2 = MPEG-2, 3 = MPEG-1
    layer = (h[1] >> 1) & 3  # 1 = III, 2 = II, 3 = I (not used by any assistant; UTF-16 BOMs look like it)
    bitrate_index = h[2] >> 4
    rate_index = (h[2] >> 2) & 3
    if version == 1 or layer not in (1, 2) or bitrate_index in (0, 15) or rate_index == 3 or h[3] & 3 == 2:
        return None
    mpeg1 = version == 3
    bitrate = _BITRATES[(mpeg1, 3 if layer == 1 else 2)][bitrate_index] * 1000
    rate = _RATES[version][rate_index]
    padding = (h[2] >> 1) & 1
    if layer == 1 and not mpeg1:
        return 72 * bitrate // rate + padding
    return 144 * bitrate // rate + padding


def _is_mpeg_audio(head: bytes) -> bool:
    length = _mpeg_frame_length(head)
    if length is None:
        return False
    if len(head) >= length + 4:
        # The next frame is visible: it must be a plausible header too.
        return _mpeg_frame_length(head[length : length + 4]) is not None
    return True


def _is_adts(head: bytes) -> bool:
    """An AAC ADTS frame header (raw .aac streams)."""
    if len(head) < 7 or head[0] != 0xFF or head[1] & 0xF6 != 0xF0:
        return False
    rate_index = (head[2] >> 2) & 0xF
    frame_length = ((head[3] & 3) << 11) | (head[4] << 3) | (head[5] >> 5)
    return rate_index < 13 and frame_length >= 7


def _is_id3(head: bytes) -> bool:
    return (
        len(head) >= 10
        and head[:3] == b"ID3"
        and head[3] in (2, 3, 4)
        and head[4] != 0xFF
        and all(b < 0x80 for b in head[6:10])
    )


def _ogg_kind(head: bytes) -> str:
    """``ogg/opus``, ``ogg/vorbis`` or ``ogg/flac`` from the first page's packet, else ``ogg``."""
    if len(head) < 27:
        return OGG
    segments = head[26]
    packet = head[27 + segments : 27 + segments + 8]
    if packet.startswith(b"OpusHead"):
        return OGG_OPUS
    if packet.startswith(b"\x01vorbis"):
        return OGG_VORBIS
    if packet.startswith(b"\x7fFLAC"):
        return OGG_FLAC
    if packet.startswith(b"Speex   "):
        return OGG_SPEEX
    return OGG


def _mp4_kind(head: bytes) -> str:
    brand = head[8:12]
    if brand in _M4A_BRANDS:
        return M4A
    if brand[:3] in (b"3gp", b"3g2"):
        return THREE_GP
    return MP4


def _ebml_kind(head: bytes) -> str:
    return WEBM if b"webm" in head[:64] else MKV


def audio_kind(head: bytes) -> str | None:
    """The audio container in ``head`` (the first bytes of a file), or None if it is not audio."""
    head = bytes(head[:64])
    if len(head) >= 12 and head[:4] in (b"RIFF", b"RIFX", b"RF64", b"BW64") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(_W64_RIFF) and head[24:40] == _W64_WAVE:
        return W64
    if head.startswith(b"caff\x00\x01"):
        return CAF
    if head.startswith(b".snd") and len(head) >= 24 and int.from_bytes(head[4:8], "big") >= 24:
        return AU
    if head.startswith(b"OggS") and len(head) >= 6 and head[4] == 0:
        return _ogg_kind(head)
    if _is_id3(head):
        return MP3
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _mp4_kind(head)
    if len(head) >= 12 and head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return AIFF
    if head.startswith((b"#!AMR\n", b"#!AMR-WB\n", b"#!AMR_MC1.0\n", b"#!AMR-WB_MC1.0\n")):
        return AMR
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _ebml_kind(head)
    if head.startswith(_ASF_GUID):
        return ASF
    if _is_mpeg_audio(head):
        return MP3
    if _is_adts(head):
        return AAC
    return None


def decode_head(head: bytes) -> str | None:
    """``head`` as text (UTF-8 with or without BOM, UTF-16 with BOM, cp1252), or None if binary."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if head[0] == 0xFF else "utf-16-be"
        body = head[2:]
        return body[: len(body) // 2 * 2].decode(codec, "replace")
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut off by the head's end
            return head[: exc.start].decode("utf-8")
    text = head.decode("cp1252", "replace")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n")
    return None if controls else text


def text_kind(head: bytes) -> str | None:
    """``"json"``, ``"csv"``, ``"html"`` or ``"pdf"`` judged by content, else None."""
    head = bytes(head[:64])
    if head.startswith(b"%PDF-"):
        return "pdf"
    text = decode_head(head)
    if text is None:
        return None
    stripped = text.lstrip()
    lower = stripped.lower()
    if stripped[:1] in ("{", "["):
        return "json"
    if lower.startswith(("<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<table")):
        return "html"
    if lower.startswith("<?xml") and "<html" in lower:
        return "html"
    if stripped[:1] == "<":
        return None
    first_line = stripped.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        if first_line.count(delimiter) >= 1 and ("\n" in stripped or first_line.count(delimiter) >= 2):
            return "csv"
    return None


def looks_like_audio_name(name: str) -> bool:
    """True if the file name's extension promises audio."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in AUDIO_EXTENSIONS
