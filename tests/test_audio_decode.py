"""Decoding by content: every format the app meets, and every way a file can be bad."""

from __future__ import annotations

import io
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voicearchive.audio import ffmpeg, mpeg
from voicearchive.audio.decode import DecodeError, decode, probe

RATE = 16000
SECONDS = 3.0


def tone(freq: float = 440.0, amp: float = 0.5, seconds: float = SECONDS, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def encode(samples: np.ndarray, fmt: str, subtype: str | None = None, rate: int = RATE) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, rate, format=fmt, subtype=subtype)
    return buf.getvalue()


def ffmpeg_encode(tmp: Path, samples: np.ndarray, name: str, *args: str, rate: int = RATE) -> bytes:
    """Encode with the bundled ffmpeg (the tests' only way to make M4A, AMR, WebM)."""
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    out = tmp / name
    cmd = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "f32le", "-ar", str(rate)]
    cmd += ["-ac", str(channels), "-i", "pipe:0", *args, str(out)]
    subprocess.run(cmd, input=np.ascontiguousarray(samples, dtype=np.float32).tobytes(), check=True)
    return out.read_bytes()


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    return float(np.argmax(spectrum) * rate / samples.size)


def reason(data: bytes, fn=decode) -> str:
    with pytest.raises(DecodeError) as caught:
        fn(data)
    return str(caught.value)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, bytes]:
    """One 3 s, 440 Hz, 0.5 amplitude clip per format, made here."""
    tmp = tmp_path_factory.mktemp("clips")
    mono = tone()
    return {
        "wav": encode(mono, "WAV", "PCM_16"),
        "wav-float": encode(mono, "WAV", "FLOAT"),
        "flac": encode(mono, "FLAC", "PCM_16"),
        "ogg": encode(mono, "OGG", "VORBIS"),
        "opus": encode(mono, "OGG", "OPUS"),
        "mp3": encode(mono, "MP3", "MPEG_LAYER_III"),
        "aiff": encode(mono, "AIFF", "PCM_16"),
        "m4a": ffmpeg_encode(tmp, mono, "a.m4a", "-c:a", "aac", "-b:a", "48k"),
        "m4a-faststart": ffmpeg_encode(tmp, mono, "b.m4a", "-c:a", "aac", "-movflags", "+faststart"),
        "amr": ffmpeg_encode(tmp, tone(rate=8000), "a.amr", "-c:a", "libopencore_amrnb", rate=8000),
        "webm": ffmpeg_encode(tmp, mono, "a.webm", "-c:a", "libopus", "-b:a", "32k"),
        "wav-mp3": ffmpeg_encode(tmp, mono, "mp3inside.wav", "-c:a", "libmp3lame", "-b:a", "32k"),
    }


EXPECTED = {
    "wav": ("wav/PCM_16", RATE),
    "wav-float": ("wav/FLOAT", RATE),
    "flac": ("flac", RATE),
    "ogg": ("ogg/vorbis", RATE),
    "opus": ("ogg/opus", RATE),
    "mp3": ("mp3", RATE),
    "aiff": ("aiff/PCM_16", RATE),
    "m4a": ("m4a/aac", RATE),
    "m4a-faststart": ("m4a/aac", RATE),
    "amr": ("amr/amr_nb", 8000),
    "webm": ("webm/opus", 48000),
    "wav-mp3": ("wav/mp3", RATE),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_probe_reads_header_facts(clips, kind):
    codec, rate = EXPECTED[kind]
    facts = probe(clips[kind])
    assert (facts.codec, facts.sample_rate, facts.channels) == (codec, rate, 1)
    assert facts.duration_s == pytest.approx(SECONDS, abs=0.15)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_decode_gives_the_tone_as_float32_mono(clips, kind):
    codec, rate = EXPECTED[kind]
    samples, got_rate, facts = decode(clips[kind])
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert got_rate == rate == facts.sample_rate and facts.codec == codec
    assert samples.size / rate == pytest.approx(SECONDS, abs=0.15)
    assert facts.duration_s == pytest.approx(samples.size / rate)
    assert np.abs(samples).max() <= 1.0
    middle = samples[rate // 2 : rate * 2]
    assert dominant_hz(middle, rate) == pytest.approx(440, abs=5)
    if kind != "amr":  # AMR is a speech codec: it does not keep a pure tone's level
        assert np.percentile(np.abs(middle), 99) == pytest.approx(0.5, abs=0.06)


def test_stereo_is_down_mixed_by_mean(tmp_path):
    left, right = tone(amp=0.6), tone(amp=0.2)
    stereo = np.stack([left, right], axis=1)
    data = encode(stereo, "WAV", "PCM_24")
    samples, rate, facts = decode(data)
    assert facts.channels == 2 and probe(data).channels == 2
    np.testing.assert_allclose(samples, (left + right) / 2, atol=1e-5)
    # the ffmpeg path averages too (a normalised matrix, not ffmpeg's default -3 dB sum)
    m4a = ffmpeg_encode(tmp_path, np.stack([left, np.zeros_like(left)], axis=1), "st.m4a", "-c:a", "aac")
    samples, rate, facts = decode(m4a)
    assert facts.channels == 2
    assert np.percentile(np.abs(samples[rate : 2 * rate]), 99) == pytest.approx(0.3, abs=0.03)


def test_takeout_mp3_flavours_without_id3_or_xing(tmp_path):
    """The three MP3 flavours measured in real Google Takeout exports (formats.md 2.3)."""
    src = tone()
    flavours = {
        "16k-mono": (["-ar", "16000", "-ac", "1", "-b:a", "24k"], 16000, 1, "fff3"),
        "16k-joint-stereo": (["-ar", "16000", "-ac", "2", "-joint_stereo", "1", "-b:a", "48k"], 16000, 2, "fff3"),
        "8k-mono": (["-ar", "8000", "-ac", "1", "-b:a", "8k"], 8000, 1, "ffe3"),
    }
    for name, (args, rate, channels, magic) in flavours.items():
        data = ffmpeg_encode(tmp_path, src, f"{name}.mp3", *args, "-write_xing", "0", "-id3v2_version", "0")
        assert data[:2].hex() == magic
        facts = probe(data)
        assert (facts.codec, facts.sample_rate, facts.channels) == ("mp3", rate, channels), name
        samples, got_rate, _ = decode(data)
        assert got_rate == rate and samples.size / rate == pytest.approx(SECONDS, abs=0.2)  # +- frames


def test_mp3_with_id3_tag(tmp_path):
    data = ffmpeg_encode(tmp_path, tone(), "tagged.mp3", "-metadata", "title=Küche", "-id3v2_version", "3")
    assert data.startswith(b"ID3")
    assert probe(data).codec == "mp3"
    assert decode(data)[0].size / RATE == pytest.approx(SECONDS, abs=0.15)


def test_format_is_found_by_content_not_name(tmp_path, clips):
    (tmp_path / "really-a-wav.mp3").write_bytes(clips["wav"])
    (tmp_path / "really-an-mp3.wav").write_bytes(clips["mp3"])
    assert probe((tmp_path / "really-a-wav.mp3").read_bytes()).codec == "wav/PCM_16"
    assert decode((tmp_path / "really-an-mp3.wav").read_bytes())[2].codec == "mp3"


def test_truncated_wav_says_how_much_is_missing(clips):
    data = clips["wav"]
    cut = data[: 44 + int(0.4 * RATE) * 2]
    expected = "truncated WAV: header promises 3.0 s, 0.4 s present"
    assert reason(cut, probe) == expected
    assert reason(cut, decode) == expected
    assert reason(data[:30]) == "truncated WAV: the file ends before any audio"


def test_probe_of_the_start_of_a_huge_file(clips):
    """The pipeline probes only the first MiB of a huge member and passes the whole size."""
    data = clips["wav"]
    facts = probe(data[:4096], size=len(data))
    assert facts.codec == "wav/PCM_16" and facts.duration_s == pytest.approx(SECONDS)
    assert reason(data[:4096], probe) == "truncated WAV: header promises 3.0 s, 0.1 s present"
    short = len(data) - RATE  # half a second of 16-bit samples missing
    with pytest.raises(DecodeError, match=r"truncated WAV: header promises 3.0 s, 2.5 s present"):
        probe(data[:4096], size=short)


def test_truncated_aiff(clips):
    assert reason(clips["aiff"][: len(clips["aiff"]) // 2], probe).startswith("truncated AIFF: header promises 3.0 s")


def test_truncated_flac_is_caught_while_decoding(clips):
    message = reason(clips["flac"][: len(clips["flac"]) // 3])
    assert message.startswith("truncated FLAC: header promises 3.0 s, ")
    present = float(message.split(", ")[1].split(" s")[0])
    assert 0.0 <= present < 3.0


def test_truncated_mp3_with_xing_header(clips):
    assert reason(clips["mp3"][: len(clips["mp3"]) // 4]).startswith("truncated MP3: header promises 3.0 s")


@pytest.mark.parametrize("kind,label", [("ogg", "Ogg Vorbis"), ("opus", "Ogg Opus"), ("m4a", "M4A")])
def test_damaged_streams(clips, kind, label):
    cut = clips[kind][: len(clips[kind]) // 4]
    assert reason(cut) == f"damaged or truncated {label}"
    assert reason(cut, probe) == f"damaged or truncated {label}"


def test_empty_short_and_random_bytes():
    assert reason(b"") == "empty file"
    assert reason(b"RIFF", probe) == "too short to be audio (4 bytes)"
    noise = bytes([0x13, 0x37, 0xBE, 0xEF]) + np.random.default_rng(7).bytes(4000)
    assert reason(noise) == "not audio (starts with 13 37 BE EF)"
    assert reason(noise, probe) == "not audio (starts with 13 37 BE EF)"


@pytest.mark.parametrize(
    "data,what",
    [
        (b"<html><body>Sorry</body></html>", "HTML or XML (starts with 3C 68 74 6D)"),
        (b'\xef\xbb\xbf{"audio": []}', "JSON (starts with EF BB BF 7B)"),
        (b"%PDF-1.7\n" + b"\0" * 40, "a PDF document (starts with 25 50 44 46)"),
        (b"PK\x03\x04" + b"\0" * 40, "a zip archive (starts with 50 4B 03 04)"),
    ],
)
def test_not_audio_names_what_it_looks_like(data, what):
    assert reason(data) == f"not audio: looks like {what}"


def test_wav_header_without_samples():
    assert reason(encode(np.zeros(0, dtype=np.float32), "WAV", "PCM_16"), probe) == "WAV holds no audio samples"


def test_streamed_wav_with_placeholder_size_decodes():
    """A recorder that died before fixing the header leaves 0xFFFFFFFF: read what is there."""
    data = bytearray(encode(tone(), "WAV", "PCM_16"))
    data[40:44] = struct.pack("<I", 0xFFFFFFFF)
    samples, rate, facts = decode(bytes(data))
    assert samples.size == int(SECONDS * RATE) and facts.duration_s == pytest.approx(SECONDS)


def test_float_wav_out_of_range_and_nan_are_made_safe():
    wild = tone(amp=3.0)
    wild[100:110] = np.nan
    samples, _, _ = decode(encode(wild, "WAV", "FLOAT"))
    assert np.isfinite(samples).all() and np.abs(samples).max() == pytest.approx(1.0)
    assert (samples[100:110] == 0).all()


@pytest.mark.parametrize("kind", ["wav", "mp3", "m4a"])
def test_max_seconds_decodes_only_the_start(clips, kind):
    samples, rate, facts = decode(clips[kind], max_seconds=1.0)
    assert samples.size == pytest.approx(rate, abs=rate * 0.05)
    assert facts.duration_s == pytest.approx(SECONDS, abs=0.15)


def test_missing_ffmpeg_is_a_clear_decode_error(clips, monkeypatch):
    def unavailable() -> str:
        raise ffmpeg.FFmpegError("ffmpeg is not available (not installed)")

    monkeypatch.setattr(ffmpeg, "ffmpeg_exe", unavailable)
    assert reason(clips["m4a"]) == "unreadable M4A (ffmpeg is not available (not installed))"
    assert probe(clips["wav"]).codec == "wav/PCM_16"  # soundfile formats never need it


def test_ffmpeg_timeout_is_a_clear_decode_error(clips, monkeypatch):
    monkeypatch.setattr(ffmpeg, "BASE_TIMEOUT_S", 0.001)
    monkeypatch.setattr(ffmpeg, "TIMEOUT_S_PER_MB", 0.0)
    assert reason(clips["m4a"]) == "unreadable M4A (ffmpeg gave up after 0 s)"


def test_video_without_audio_stream(tmp_path):
    out = tmp_path / "silent.webm"
    cmd = [ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i"]
    cmd += ["color=c=black:s=16x16:d=0.2", "-c:v", "libvpx", "-an", str(out)]
    if subprocess.run(cmd, capture_output=True).returncode != 0:
        pytest.skip("this ffmpeg build has no VP8 encoder")
    assert reason(out.read_bytes()) == "unreadable WebM (no audio stream in the file)"
    assert reason(out.read_bytes(), probe) == "unreadable WebM (no audio stream in the file)"


@pytest.mark.parametrize("inside,outside", [(137, 0), (100, 37)])
def test_id3_tag_with_zero_padding_before_the_first_frame(clips, inside, outside):
    """Padding inside the tag is normal; zeros after its declared end come from sloppy taggers."""
    tag = b"ID3\x03\x00\x00" + bytes([0, 0, inside >> 7, inside & 0x7F]) + b"\x00" * inside
    padded = tag + b"\x00" * outside + clips["mp3"]
    assert probe(padded).codec == "mp3"
    samples, rate, facts = decode(padded)
    assert facts.codec == "mp3" and samples.size / rate == pytest.approx(SECONDS, abs=0.15)


@pytest.mark.parametrize("loud_first", [True, False])
def test_vbr_mp3_without_length_header_is_decoded_whole(tmp_path, loud_first):
    """libsndfile guesses such a file's length from its first frame and stops there; we must not."""
    noise = (np.random.default_rng(3).standard_normal(2 * RATE) * 0.3).astype(np.float32)
    silence = np.zeros(2 * RATE, dtype=np.float32)
    signal = np.concatenate([noise, silence] if loud_first else [silence, noise])
    data = ffmpeg_encode(tmp_path, signal, "vbr.mp3", "-q:a", "2", "-write_xing", "0", "-id3v2_version", "0")
    assert b"Xing" not in data[:200] and b"Info" not in data[:200]
    assert probe(data).duration_s == pytest.approx(4.0, abs=0.15)
    samples, rate, facts = decode(data)
    assert samples.size / rate == pytest.approx(4.0, abs=0.15) and facts.codec == "mp3"
    loud = slice(0, 2 * rate) if loud_first else slice(2 * rate + rate // 4, 4 * rate)
    assert np.abs(samples[loud]).mean() > 0.1  # the noisy half is really there


def test_mpeg_frame_header_arithmetic():
    frame = mpeg.parse_header(bytes.fromhex("fff338c4"))  # Takeout: MPEG-2 layer III, 16 kHz, 24 kbit/s
    assert frame == mpeg.Frame(layer=3, sample_rate=16000, samples=576, length=108, bitrate=24)
    frame = mpeg.parse_header(bytes.fromhex("fffb9064"))  # MPEG-1 layer III, 44.1 kHz, 128 kbit/s
    assert frame is not None and (frame.sample_rate, frame.samples, frame.length) == (44100, 1152, 417)
    assert mpeg.parse_header(bytes.fromhex("fff3f8c4")) is None  # bitrate index 15 is invalid
    assert mpeg.parse_header(b"RIFF") is None
    chain = (bytes.fromhex("fff338c4") + bytes(104)) * 10 + b"TAG" + bytes(125)  # ten frames, an ID3v1 tag
    assert mpeg.count_samples(chain, 0) == (5760, 16000)


def test_flac_that_never_said_its_length(clips):
    """A streaming FLAC encoder leaves STREAMINFO's sample count at 0 (libsndfile: 'unknown')."""
    data = bytearray(clips["flac"])
    data[21] &= 0xF0  # STREAMINFO starts at byte 8; its 36-bit sample count ends the 18 bytes from 21
    data[22:26] = bytes(4)
    assert probe(bytes(data)).duration_s == pytest.approx(SECONDS)
    samples, rate, facts = decode(bytes(data))
    assert samples.size == int(SECONDS * RATE) and facts.duration_s == pytest.approx(SECONDS)


@pytest.mark.parametrize("kind", ["wav", "flac", "ogg", "opus", "mp3", "aiff"])
def test_damaged_bytes_give_decode_error_or_valid_audio(clips, kind):
    """Bytes flipped in the header or body, or the file cut anywhere: never another exception."""
    rng = np.random.default_rng(2024)
    original = clips[kind]
    for trial in range(24):
        data = bytearray(original)
        if trial % 3 == 2:
            data = data[: int(rng.integers(0, len(data)))]
        else:
            span = 200 if trial % 3 == 0 else len(data)
            for _ in range(int(rng.integers(1, 20))):
                data[int(rng.integers(0, min(span, len(data))))] = int(rng.integers(0, 256))
        for fn in (probe, decode):
            try:
                result = fn(bytes(data))
            except DecodeError as exc:
                assert str(exc)
                continue
            if fn is decode:
                samples = result[0]
                assert samples.dtype == np.float32 and samples.ndim == 1 and samples.size > 0
                assert np.isfinite(samples).all() and np.abs(samples).max() <= 1.0


def test_aiff_with_an_absurd_sample_rate_exponent(clips):
    data = bytearray(clips["aiff"])
    comm = data.index(b"COMM") + 8
    data[comm + 8 : comm + 10] = b"\x7f\xff"  # the 80-bit float's exponent: about 2 ** 16383
    with pytest.raises(DecodeError):
        decode(bytes(data[: len(data) // 2]))


@pytest.mark.parametrize(
    "head,label",
    [(b"\xff\xf1", "AAC (ADTS)"), (b"\x00\x00\x00\x18ftypM4A ", "M4A"), (b"\x1a\x45\xdf\xa3", "Matroska")],
)
def test_noise_behind_a_container_magic_is_damaged_not_a_crash(head, label):
    data = head + np.random.default_rng(1).bytes(900)
    assert reason(data, probe) == f"damaged or truncated {label}"
    assert reason(data) == f"damaged or truncated {label}"


@pytest.mark.parametrize(
    "name,args,codec,channels",
    [
        ("moov-at-end.m4a", ["-c:a", "aac"], "m4a/aac", 1),
        ("faststart.m4a", ["-c:a", "aac", "-movflags", "+faststart"], "m4a/aac", 1),
        ("stereo.m4a", ["-c:a", "aac", "-ac", "2"], "m4a/aac", 2),
        ("lossless.m4a", ["-c:a", "alac"], "m4a/alac", 1),
        ("phone.3gp", ["-c:a", "libopencore_amrnb", "-ar", "8000"], "3gp/amr_nb", 1),
    ],
)
def test_mp4_family_probe_reads_boxes_without_ffmpeg(tmp_path, monkeypatch, name, args, codec, channels):
    data = ffmpeg_encode(tmp_path, tone(), name, *args)
    decoded = decode(data)[2]  # ffmpeg's own view of the file
    monkeypatch.setattr(ffmpeg, "_run", lambda *a: pytest.fail("probe started ffmpeg"))
    facts = probe(data)
    assert (facts.codec, facts.channels, facts.sample_rate) == (codec, channels, decoded.sample_rate)
    assert facts.duration_s == pytest.approx(decoded.duration_s, abs=0.03)  # edit list: no priming


def test_fragmented_m4a_falls_back_to_ffmpeg_for_probe(tmp_path):
    data = ffmpeg_encode(tmp_path, tone(), "frag.m4a", "-c:a", "aac", "-movflags", "+frag_keyframe+empty_moov")
    facts = probe(data)
    assert facts.codec == "m4a/aac" and facts.duration_s == pytest.approx(SECONDS, abs=0.1)


@pytest.mark.parametrize("kind", ["flac", "mp3"])
def test_probe_of_the_start_of_other_formats_knows_the_whole_length(clips, tmp_path, kind):
    data = clips[kind]
    if kind == "mp3":  # the Takeout flavour: constant bitrate, no Xing header
        data = ffmpeg_encode(tmp_path, tone(), "cbr.mp3", "-b:a", "24k", "-write_xing", "0", "-id3v2_version", "0")
    head = data[: len(data) // 3]
    assert probe(head, size=len(data)).duration_s == pytest.approx(SECONDS, rel=0.1)
