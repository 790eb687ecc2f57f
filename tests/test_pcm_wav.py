"""A plain 16-bit PCM WAV is read without libsndfile, to exactly what libsndfile gives; anything else is not."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf
from hypothesis import given, settings
from hypothesis import strategies as st

from voicearchive.audio import decode as decode_module
from voicearchive.audio import pcm_wav
from voicearchive.audio.decode import MAX_CHANNELS, MAX_RATE, MIN_RATE, DecodeError, decode, probe


def _chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")


def _wav(samples: np.ndarray, rate: int, *, before: bytes = b"", after: bytes = b"", odd: bool = False,
         tag: int = 1, bits: int = 16, riff_size: int | None = None) -> bytes:
    channels = samples.shape[1]
    block = channels * bits // 8
    fmt = _chunk(b"fmt ", struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits))
    payload = samples.astype("<i2").tobytes() + (b"\x7f" if odd else b"")
    data = b"data" + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) & 1 else b"")
    body = b"WAVE" + before + fmt + data + after
    return b"RIFF" + struct.pack("<I", len(body) if riff_size is None else riff_size) + body


def _slow(monkeypatch):
    """decode/probe as they were before the plain path: every WAV through libsndfile."""
    monkeypatch.setattr(decode_module, "_plain", lambda data: None)


def _both(data: bytes, **kw):
    fast = decode(data, **kw)
    fast_facts = probe(data)
    with pytest.MonkeyPatch.context() as m:
        _slow(m)
        slow = decode(data, **kw)
        slow_facts = probe(data)
    return fast, slow, fast_facts, slow_facts


def _same(a, b) -> None:
    assert a[0].dtype == b[0].dtype == np.float32
    assert a[0].tobytes() == b[0].tobytes()  # bit for bit
    assert a[1] == b[1]
    assert (a[2].codec, a[2].sample_rate, a[2].channels, a[2].duration_s, a[2].note) == \
           (b[2].codec, b[2].sample_rate, b[2].channels, b[2].duration_s, b[2].note)


files = st.tuples(
    st.sampled_from([1000, 8000, 11025, 16000, 22050, 44100, 48000, 96000, 384000]),
    st.integers(1, 3),  # channels
    st.integers(1, 3000),  # frames
    st.integers(0, 2**32 - 1),  # seed
    st.sampled_from([b"", _chunk(b"LIST", b"INFOISFT\x03\0\0\0ab\0"), _chunk(b"fact", b"\1\2\3\4")]),
    st.sampled_from([b"", _chunk(b"LIST", b"odd"), _chunk(b"id3 ", bytes(10))]),
    st.booleans(),  # a stray byte at the end of the data chunk
)


@settings(max_examples=120, deadline=None)
@given(files)
def test_plain_pcm_equals_libsndfile(spec):
    rate, channels, frames, seed, before, after, odd = spec
    rng = np.random.default_rng(seed)
    samples = rng.integers(-32768, 32768, size=(frames, channels))
    samples[0] = -32768  # the extremes: libsndfile maps them to -1.0 and 32767/32768
    samples[-1] = 32767
    data = _wav(samples, rate, before=before, after=after, odd=odd)
    assert pcm_wav.plain_pcm(data, MIN_RATE, MAX_RATE, MAX_CHANNELS) is not None
    fast, slow, fast_facts, slow_facts = _both(data)
    _same(fast, slow)
    assert fast_facts == slow_facts and fast_facts.codec == "wav/PCM_16"
    if channels == 1:
        assert np.array_equal(fast[0], samples[:, 0].astype(np.float32) / 32768)


@pytest.mark.parametrize("seconds", [0.0001, 0.05, 0.1, 1.0])
def test_a_limit_reads_the_start_and_keeps_the_whole_duration(seconds):
    samples = np.random.default_rng(3).integers(-32768, 32768, size=(1600, 2))
    fast, slow, _, _ = _both(_wav(samples, 16000), max_seconds=seconds)
    _same(fast, slow)
    assert fast[0].shape[0] == min(1600, int(seconds * 16000))
    assert fast[2].duration_s == pytest.approx(0.1)


def test_the_plain_path_does_not_touch_libsndfile(monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("libsndfile was asked to read a plain PCM WAV")

    monkeypatch.setattr(sf, "SoundFile", refuse)
    monkeypatch.setattr(sf, "info", refuse)
    data = _wav(np.arange(-800, 800).reshape(-1, 1), 16000)
    samples, rate, facts = decode(data)
    assert rate == 16000 and samples.shape == (1600,) and facts.duration_s == pytest.approx(0.1)
    assert probe(data).duration_s == pytest.approx(0.1)


MONO = np.random.default_rng(7).integers(-32768, 32768, size=(800, 1))


@pytest.mark.parametrize("data", [
    _wav(MONO, 16000)[:-10],  # the data chunk is cut short
    _wav(MONO, 16000, riff_size=100),  # the RIFF size ends before the data does
    b"RIFX" + _wav(MONO, 16000)[4:],  # big-endian
    _wav(MONO, 16000, tag=3),  # float tag on 16 bits
    _wav(MONO, 16000, tag=0xFFFE),  # extensible
    _wav(MONO, 16000, bits=24),
    _wav(MONO, 999),  # below the rate bound
    _wav(MONO, 400000),  # above it
    _wav(np.zeros((0, 1)), 16000),  # no frame
    _wav(MONO, 16000, before=_chunk(b"fmt ", bytes(16))),  # two fmt chunks
    _wav(MONO, 16000).replace(b"fmt ", b"fmx ", 1),  # no fmt before the data
    _wav(MONO, 16000)[:40] + struct.pack("<I", 0xFFFFFFFF) + _wav(MONO, 16000)[44:],  # streaming placeholder
    _wav(MONO, 16000)[:40] + struct.pack("<I", 0) + _wav(MONO, 16000)[44:],
], ids=["cut", "riff-short", "rifx", "float-tag", "extensible", "24-bit", "low-rate", "high-rate", "empty",
        "two-fmt", "no-fmt", "placeholder", "zero-size"])
def test_anything_else_goes_the_usual_way(monkeypatch, data):
    assert pcm_wav.plain_pcm(data, MIN_RATE, MAX_RATE, MAX_CHANNELS) is None
    outcomes = []
    for slow in (False, True):
        with monkeypatch.context() as m:
            if slow:
                _slow(m)
            try:
                samples, rate, facts = decode(data)
                outcomes.append((samples.tobytes(), rate, facts.codec, facts.duration_s))
            except DecodeError as exc:
                outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]


def test_a_cut_file_still_says_so():
    with pytest.raises(DecodeError, match="truncated WAV"):
        decode(_wav(MONO, 16000)[:-10])


@pytest.mark.parametrize("riff_size", [0xFFFFFFFF, 10**6])
def test_a_riff_size_past_the_end_reads_alike(riff_size):
    data = _wav(MONO, 16000, after=_chunk(b"LIST", b"abcd"), riff_size=riff_size)
    assert pcm_wav.plain_pcm(data, MIN_RATE, MAX_RATE, MAX_CHANNELS) is not None
    fast, slow, fast_facts, slow_facts = _both(data)
    _same(fast, slow)
    assert fast_facts == slow_facts
