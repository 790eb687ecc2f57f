"""The speaker encoder's front end: resampling, volume, VAD trimming, partials and mel spectrogram."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voicearchive.voices import frontend as fe

GOLDEN = Path(__file__).parent / "data" / "golden"
SR = fe.SAMPLE_RATE


def tone(freq: float, seconds: float, rate: int = SR, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def silence(seconds: float, rate: int = SR) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.float32)


def dbfs(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2))))


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_resample_keeps_length_and_pitch(rate: int) -> None:
    x = tone(1000.0, 1.3, rate)
    y = fe.resample(x, rate)
    assert y.dtype == np.float32
    assert y.shape[0] == int(np.ceil(x.shape[0] * SR / rate))
    spectrum = np.abs(np.fft.rfft(y[2000:18000]))
    peak_hz = np.argmax(spectrum) * SR / 16000
    assert abs(peak_hz - 1000.0) <= 1.0


def test_resample_is_identity_at_16k() -> None:
    x = tone(300.0, 0.5)
    assert np.array_equal(fe.resample(x, SR), x)


def test_normalise_volume_raises_quiet_audio_to_minus_30_dbfs() -> None:
    quiet = tone(440.0, 1.0, amplitude=0.001)
    louder = fe.normalise_volume(quiet)
    assert dbfs(louder) == pytest.approx(-30.0, abs=0.01)
    ratio = louder[quiet != 0] / quiet[quiet != 0]
    assert np.allclose(ratio, ratio[0], rtol=1e-5)  # a pure gain


def test_normalise_volume_never_lowers() -> None:
    loud = tone(440.0, 1.0, amplitude=0.5)
    assert dbfs(loud) > -30
    assert fe.normalise_volume(loud) is loud
    zeros = silence(1.0)
    assert np.array_equal(fe.normalise_volume(zeros), zeros)  # digital silence: no NaN, no change


def test_vad_trims_silence_around_a_tone() -> None:
    x = np.concatenate([silence(3.0), tone(440.0, 2.0), silence(2.0)])
    trimmed = fe.trim_silences(x)
    kept_s = trimmed.kept_windows * fe.VAD_WINDOW / SR
    assert 2.8 <= kept_s.min() <= 3.0
    assert 5.0 <= kept_s.max() <= 5.3
    assert 2.0 <= trimmed.wav.shape[0] / SR <= 2.5
    # The kept samples are the input's own samples, in order, and map back to where they were.
    positions = trimmed.original_sample(np.arange(trimmed.wav.shape[0]))
    assert np.array_equal(trimmed.wav, x[positions])


def test_vad_finds_nothing_in_silence() -> None:
    assert fe.trim_silences(silence(2.0)).wav.shape[0] == 0
    assert fe.trim_silences(np.zeros(100, np.float32)).wav.shape[0] == 0  # shorter than one window


class _ScriptedVad:
    """Stands in for webrtcvad's C module: answers from a fixed list of decisions, one per window."""

    decisions: list[bool] = []

    def __init__(self) -> None:
        self.mode = None
        self._answers = iter(self.decisions)

    @staticmethod
    def create() -> _ScriptedVad:
        return _ScriptedVad()

    @staticmethod
    def init(vad: _ScriptedVad) -> None:
        vad._answers = iter(vad.decisions)

    @staticmethod
    def set_mode(vad: _ScriptedVad, mode: int) -> None:
        vad.mode = mode

    @staticmethod
    def process(vad: _ScriptedVad, rate: int, frame, length: int) -> bool:
        assert vad.mode == fe.VAD_MODE and rate == SR
        assert len(frame) == fe.VAD_WINDOW * 2 and length == fe.VAD_WINDOW
        return next(vad._answers)


@pytest.mark.parametrize(
    ("voiced_run", "expected_kept"),
    [
        (4, []),  # at best 4 of 8 voiced: a tie, which rounds to silence
        (5, list(range(7, 17))),  # smoothing keeps windows 10..13, dilation adds 3 on each side
        (8, list(range(7, 20))),  # smoothing keeps windows 10..16
    ],
)
def test_vad_smoothing_and_dilation(monkeypatch, voiced_run: int, expected_kept: list[int]) -> None:
    n = 40
    decisions = [10 <= k < 10 + voiced_run for k in range(n)]
    monkeypatch.setattr(_ScriptedVad, "decisions", decisions)
    monkeypatch.setattr(fe, "_webrtcvad", _ScriptedVad)
    kept = np.flatnonzero(fe.voice_windows(np.zeros(n * fe.VAD_WINDOW + 7, np.float32)))
    assert kept.tolist() == expected_kept


def test_original_sample_maps_through_the_keep_mask() -> None:
    trimmed = fe.Trimmed(np.zeros(3 * fe.VAD_WINDOW, np.float32), np.array([2, 3, 10]))
    w = fe.VAD_WINDOW
    got = trimmed.original_sample(np.array([0, w - 1, w, 2 * w + 5]))
    assert got.tolist() == [2 * w, 3 * w - 1, 3 * w, 10 * w + 5]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.0, [0]),  # always at least one partial
        (1.0, [0]),
        (1.9, [0]),  # a second partial (0.77 s .. 2.37 s) would be covered less than 75 %: dropped
        (2.0, [0, 77]),  # ... here 77 %: kept, zero-padded
        (2.8, [0, 77, 154]),
        (4.11, [0, 77, 154, 231]),
    ],
)
def test_partial_starts(seconds: float, expected: list[int]) -> None:
    assert fe.partial_starts(int(seconds * SR)).tolist() == expected


def test_mel_spectrogram_shape_and_tone_band() -> None:
    x = tone(1000.0, 1.0)
    mel = fe.mel_spectrogram(x)
    assert mel.shape == (1 + x.shape[0] // fe.HOP, fe.N_MELS)
    assert mel.dtype == np.float32
    centre_hz = fe._mel_to_hz(np.linspace(fe._hz_to_mel(0.0), fe._hz_to_mel(SR / 2), fe.N_MELS + 2))[1:-1]
    band = int(np.argmax(mel[50]))
    assert abs(centre_hz[band] - 1000.0) < 100.0
    # Power (not magnitude): twice the amplitude, four times the energy.
    assert np.allclose(fe.mel_spectrogram(2 * x)[50], 4 * mel[50], rtol=1e-4)


def test_mel_filterbank_is_slaney_normalised() -> None:
    filters = fe.mel_filterbank()
    assert filters.shape == (fe.N_FFT // 2 + 1, fe.N_MELS)
    assert (filters >= 0).all()
    peaks = np.argmax(filters, axis=0)
    assert (np.diff(peaks) >= 0).all()
    # Slaney area normalisation: each triangle's area (in Hz) is close to 1.
    areas = filters.sum(axis=0) * (SR / fe.N_FFT)
    assert np.allclose(areas[5:], 1.0, atol=0.15)


def test_mel_matches_librosa_on_real_speech() -> None:
    clip = GOLDEN / "m1688_a.flac"
    golden = np.load(clip.with_suffix(".npz"))
    samples, rate = sf.read(clip, dtype="float32")
    wav = fe.trim_silences(fe.normalise_volume(fe.resample(samples, rate))).wav
    assert wav.shape[0] == int(golden["n_trimmed"])
    mel = fe.mel_spectrogram(wav)[:200]
    reference = golden["mel_head"]
    assert np.abs(mel - reference).max() <= 1e-5 * reference.max()


@pytest.mark.parametrize("n_samples", [1, 399, 400, 401, 16_000, 16_123, 64_000])
def test_mel_equals_the_fft_power_spectrum_of_every_frame(n_samples: int, monkeypatch) -> None:
    """The folded DFT (and its chunks) against numpy's float64 FFT of the same centred, zero-padded frames."""
    x = np.random.default_rng(n_samples).standard_normal(n_samples).astype(np.float32) * 0.1
    half = fe.N_FFT // 2
    padded = np.pad(x.astype(np.float64), (half, half))
    n_frames = 1 + n_samples // fe.HOP
    frames = np.stack([padded[i * fe.HOP : i * fe.HOP + fe.N_FFT] for i in range(n_frames)])
    power = np.abs(np.fft.rfft(frames * fe._hann_window().astype(np.float64), axis=1)) ** 2
    reference = power @ fe.mel_filterbank().astype(np.float64)
    assert np.abs(fe.mel_spectrogram(x) - reference).max() <= 1e-5 * reference.max()
    monkeypatch.setattr(fe, "_MEL_CHUNK_FRAMES", 7)  # the same, computed a few frames at a time
    assert np.abs(fe.mel_spectrogram(x) - reference).max() <= 1e-5 * reference.max()


def test_long_audio_volume_uses_blocks_with_the_same_result(monkeypatch) -> None:
    x = tone(440.0, 2.0, amplitude=0.002)
    exact = fe.volume_gain(x)
    monkeypatch.setattr(fe, "_LONG_AUDIO_SAMPLES", 5000)
    assert fe.volume_gain(x) == pytest.approx(exact, rel=1e-5)


@pytest.mark.parametrize("name", ["f3080_a.flac", "f3080_b_8k.flac", "m1688_b_padded.flac"])
def test_vad_decisions_are_webrtcvads_own(name: str) -> None:
    """The C module called directly decides every window as its Python wrapper does (on real speech)."""
    import webrtcvad

    samples, rate = sf.read(GOLDEN / name, dtype="float32")
    wav = fe.normalise_volume(fe.resample(samples, rate))
    n = wav.shape[0] // fe.VAD_WINDOW
    pcm = np.clip(np.round(wav[: n * fe.VAD_WINDOW] * fe.INT16_MAX), -32768, 32767).astype("<i2").tobytes()
    vad, step = webrtcvad.Vad(fe.VAD_MODE), fe.VAD_WINDOW * 2
    wrapper = [vad.is_speech(pcm[k * step : (k + 1) * step], SR) for k in range(n)]
    assert list(fe._vad_decisions(wav, n)) == wrapper
    assert 0 < sum(wrapper) < n  # speech and pauses both: the comparison means something
