"""Audio front end of the GE2E speaker encoder: the same steps, in the same order, as Resemblyzer 0.1.4.

1. resample to 16 kHz mono with soxr "HQ" (what ``librosa.resample`` does by default);
2. raise the volume to -30 dBFS RMS (never lower it);
3. cut silences with webrtcvad (mode 3, 30 ms windows, moving average of 8 windows, dilation of
   6 windows), remembering which samples were kept so times can be mapped back;
4. cut the trimmed audio into partials of 160 frames (1.6 s) at 1.3 partials per second, the last
   kept only if at least 75 % covered (or if it is the only one); speech shorter than one partial is
   repeated to fill it (``tile_to_partial``) where Resemblyzer zero-pads it: the one deliberate divergence,
   so that a short command's embedding does not depend on its length (see ``features.py``);
5. mel spectrogram: n_fft 400, hop 160, periodic Hann window, centred with zero padding, power 2,
   40 Slaney-normalised Slaney-scale mel bands, no log.

Every function is pure numpy (plus soxr and webrtcvad) and works on float32.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import _webrtcvad  # webrtcvad's C module, called directly (see ``_vad_decisions``)
import numpy as np
import soxr

SAMPLE_RATE = 16000
TARGET_DBFS = -30.0
INT16_MAX = 2**15 - 1

VAD_MODE = 3
VAD_WINDOW = 480  # samples: 30 ms at 16 kHz
VAD_AVERAGE_WIDTH = 8  # windows in the moving average
VAD_DILATION = 6  # windows of silence kept on either side of speech

N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40
PARTIAL_FRAMES = 160  # 1.6 s
PARTIAL_RATE = 1.3  # partials per second
MIN_COVERAGE = 0.75
PARTIAL_SAMPLES = PARTIAL_FRAMES * HOP  # 25,600 samples: less speech than this is tiled (tile_to_partial)
PARTIAL_STEP = int(round(SAMPLE_RATE / PARTIAL_RATE / HOP))  # 77 frames = 0.77 s

# Bounds on the temporary memory of long audio (an hour-long wake stream):
_MEL_CHUNK_FRAMES = 4096  # STFT frames computed at a time
_VAD_BLOCK_WINDOWS = 8192  # 30 ms windows converted to 16-bit PCM at a time (about 4 minutes)
_LONG_AUDIO_SAMPLES = 2**22  # above this (about 4.4 minutes) the RMS is summed block by block


def resample(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """float32 mono at ``sample_rate`` -> float32 at 16 kHz (soxr HQ, length ceil(n * ratio))."""
    samples = np.asarray(samples, dtype=np.float32)
    if sample_rate == SAMPLE_RATE:
        return samples
    out = soxr.resample(samples, sample_rate, SAMPLE_RATE, quality="HQ")
    n_out = int(np.ceil(samples.shape[0] * (SAMPLE_RATE / sample_rate)))
    if out.shape[0] >= n_out:
        return np.ascontiguousarray(out[:n_out], dtype=np.float32)
    return np.pad(out, (0, n_out - out.shape[0])).astype(np.float32, copy=False)


def volume_gain(wav: np.ndarray, target_dbfs: float = TARGET_DBFS) -> np.float32 | None:
    """The factor that brings ``wav`` up to ``target_dbfs`` RMS, or None when it is loud enough or silent."""
    if wav.shape[0] == 0:
        return None
    if wav.shape[0] <= _LONG_AUDIO_SAMPLES:
        rms = np.sqrt(np.mean((wav * INT16_MAX) ** 2))  # Resemblyzer's own float32 arithmetic
    else:  # no full-length temporary: float64 sums over blocks
        total = sum(
            float(np.dot(block, block.astype(np.float64)))
            for block in np.array_split(wav, -(-wav.shape[0] // _LONG_AUDIO_SAMPLES))
        )
        rms = np.float32(np.sqrt(total / wav.shape[0]) * INT16_MAX)
    if not rms > 0:
        return None
    change_db = target_dbfs - 20 * np.log10(rms / INT16_MAX)
    if change_db < 0:
        return None
    return 10 ** (change_db / 20)


def normalise_volume(wav: np.ndarray, target_dbfs: float = TARGET_DBFS) -> np.ndarray:
    """Scale ``wav`` up to ``target_dbfs`` RMS; louder audio and digital silence come back unchanged."""
    gain = volume_gain(wav, target_dbfs)
    return wav if gain is None else wav * gain


def voice_windows(wav: np.ndarray) -> np.ndarray:
    """Which 30 ms windows of ``wav`` to keep: VAD, smoothed and dilated. One bool per whole window."""
    n_windows = wav.shape[0] // VAD_WINDOW
    if n_windows == 0:
        return np.zeros(0, dtype=bool)
    flags = np.fromiter(_vad_decisions(wav, n_windows), dtype=np.int32, count=n_windows)
    # Moving average over windows [k-3, k+4] (zeros outside), rounded half to even: a window
    # counts as voiced when at least 5 of those 8 windows are.
    before, after = (VAD_AVERAGE_WIDTH - 1) // 2, VAD_AVERAGE_WIDTH // 2
    padded = np.concatenate((np.zeros(before + 1, np.int32), flags, np.zeros(after, np.int32)))
    sums = np.cumsum(padded)
    counts = sums[VAD_AVERAGE_WIDTH:] - sums[:-VAD_AVERAGE_WIDTH]
    voiced = np.round(counts / VAD_AVERAGE_WIDTH).astype(bool)
    # Binary dilation by a centred run of VAD_DILATION + 1 windows: keep a window when any voiced
    # window lies within VAD_DILATION / 2 windows of it.
    reach = VAD_DILATION // 2
    sums = np.cumsum(np.concatenate((np.zeros(reach + 1, np.int32), voiced, np.zeros(reach, np.int32))))
    return (sums[2 * reach + 1 :] - sums[: -2 * reach - 1]) > 0


def _vad_decisions(wav: np.ndarray, n_windows: int) -> Iterator[bool]:
    """webrtcvad's verdict on each 30 ms window, as 16-bit PCM, converted a block at a time.

    Samples pushed past full scale by the volume gain are clipped (Resemblyzer lets the int16
    conversion wrap around, which only differs on such already-distorted audio).

    ``webrtcvad.Vad`` is a thin wrapper of ``_webrtcvad``; called directly, with windows as memoryview slices
    rather than copies, the same decisions cost 15% less, and the wrapper's import (which asks
    ``importlib.metadata`` for its version, about 30 ms in each worker process) is never paid.
    """
    vad = _webrtcvad.create()
    _webrtcvad.init(vad)
    _webrtcvad.set_mode(vad, VAD_MODE)
    process, step = _webrtcvad.process, VAD_WINDOW * 2
    for first in range(0, n_windows, _VAD_BLOCK_WINDOWS):
        last = min(first + _VAD_BLOCK_WINDOWS, n_windows)
        block = wav[first * VAD_WINDOW : last * VAD_WINDOW] * INT16_MAX
        pcm = memoryview(np.clip(np.round(block), -INT16_MAX - 1, INT16_MAX).astype("<i2").tobytes())
        for k in range(last - first):
            yield process(vad, SAMPLE_RATE, pcm[k * step : (k + 1) * step], VAD_WINDOW)


@dataclass(frozen=True)
class Trimmed:
    """Speech left after VAD, with the map back to the 16 kHz input's sample positions."""

    wav: np.ndarray  # float32, the kept samples, concatenated
    kept_windows: np.ndarray  # int indices of the kept 30 ms windows of the input

    def original_sample(self, trimmed_sample: np.ndarray) -> np.ndarray:
        """Map sample positions in ``wav`` to positions in the untrimmed 16 kHz signal."""
        position = np.clip(np.asarray(trimmed_sample, dtype=np.int64), 0, max(self.wav.shape[0] - 1, 0))
        window = position // VAD_WINDOW
        return self.kept_windows[window] * VAD_WINDOW + position % VAD_WINDOW


def trim_silences(wav: np.ndarray) -> Trimmed:
    """Keep the voiced windows of a 16 kHz signal (a trailing part window is dropped, as Resemblyzer does)."""
    keep = voice_windows(wav)
    kept_windows = np.flatnonzero(keep)
    if kept_windows.size == 0:
        return Trimmed(np.zeros(0, dtype=np.float32), kept_windows)
    frames = wav[: keep.shape[0] * VAD_WINDOW].reshape(-1, VAD_WINDOW)
    return Trimmed(np.ascontiguousarray(frames[keep].reshape(-1), dtype=np.float32), kept_windows)


def partial_starts(n_samples: int) -> np.ndarray:
    """First mel frame of each 160-frame partial of an utterance of ``n_samples`` samples."""
    n_frames = int(np.ceil((n_samples + 1) / HOP))
    steps = max(1, n_frames - PARTIAL_FRAMES + PARTIAL_STEP + 1)
    starts = np.arange(0, steps, PARTIAL_STEP)
    last_start = int(starts[-1]) * HOP
    coverage = (n_samples - last_start) / (PARTIAL_FRAMES * HOP)
    if coverage < MIN_COVERAGE and starts.shape[0] > 1:
        starts = starts[:-1]
    return starts


def tile_to_partial(speech: np.ndarray) -> np.ndarray:
    """Speech shorter than one partial, repeated end to end until it fills ``PARTIAL_SAMPLES`` samples.

    The whole partial is then speech, so its embedding no longer depends on how much silence padding
    would have filled it (zero padding makes a 0.8 s and a 1.5 s clip of one voice look like two voices).
    """
    speech = np.asarray(speech, dtype=np.float32)
    if speech.shape[0] == 0 or speech.shape[0] >= PARTIAL_SAMPLES:
        return speech
    reps = -(-PARTIAL_SAMPLES // speech.shape[0])
    return np.ascontiguousarray(np.tile(speech, reps)[:PARTIAL_SAMPLES])


@lru_cache(maxsize=1)
def mel_filterbank() -> np.ndarray:
    """(N_FFT // 2 + 1, N_MELS) float32: triangular Slaney-scale filters with Slaney (area) norm."""
    f_min, f_max = 0.0, SAMPLE_RATE / 2
    fft_freqs = np.fft.rfftfreq(N_FFT, d=1.0 / SAMPLE_RATE)
    band_edges = _mel_to_hz(np.linspace(_hz_to_mel(f_min), _hz_to_mel(f_max), N_MELS + 2))
    widths = np.diff(band_edges)
    distance = band_edges[:, None] - fft_freqs[None, :]
    rising = -distance[:-2] / widths[:-1, None]
    falling = distance[2:] / widths[1:, None]
    filters = np.maximum(0.0, np.minimum(rising, falling))
    filters *= (2.0 / (band_edges[2:] - band_edges[:-2]))[:, None]
    return np.ascontiguousarray(filters.T, dtype=np.float32)


_MEL_LINEAR_STEP = 200.0 / 3  # Hz per mel below 1 kHz (Slaney)
_MEL_LOG_START_HZ = 1000.0
_MEL_LOG_START = _MEL_LOG_START_HZ / _MEL_LINEAR_STEP
_MEL_LOG_STEP = np.log(6.4) / 27.0


def _hz_to_mel(hz: float) -> float:
    if hz < _MEL_LOG_START_HZ:
        return hz / _MEL_LINEAR_STEP
    return _MEL_LOG_START + np.log(hz / _MEL_LOG_START_HZ) / _MEL_LOG_STEP


def _mel_to_hz(mels: np.ndarray) -> np.ndarray:
    linear = mels * _MEL_LINEAR_STEP
    logarithmic = _MEL_LOG_START_HZ * np.exp(_MEL_LOG_STEP * (mels - _MEL_LOG_START))
    return np.where(mels >= _MEL_LOG_START, logarithmic, linear)


@lru_cache(maxsize=1)
def _hann_window() -> np.ndarray:
    n = np.arange(N_FFT)
    return (0.5 - 0.5 * np.cos(2 * np.pi * n / N_FFT)).astype(np.float32)  # periodic


@lru_cache(maxsize=1)
def _folded_dft() -> tuple[np.ndarray, np.ndarray]:
    """``(cos, sin)`` float32 matrices of the real DFT of a 400-sample frame folded in half.

    The frame is real, so sample ``n`` and sample ``N - n`` meet the same cosine and opposite sines: with
    ``even = [x_0, x_n + x_(N-n) for n = 1..N/2-1, x_(N/2)]`` and ``odd = [x_n - x_(N-n)]``, the real parts are
    ``even @ cos`` and the imaginary parts (up to their sign) ``odd @ sin``: half the products of the full DFT,
    1.3-1.5 times as fast here as the unfolded product (which was 2.5-3 times numpy's float64 FFT), equal to
    the FFT to 1e-6 of the frame's peak power."""
    half = N_FFT // 2
    n = np.arange(1, half, dtype=np.float64)[:, None]
    k = np.arange(half + 1, dtype=np.float64)[None, :]
    angle = 2.0 * np.pi * ((n * k) % N_FFT) / N_FFT
    cos = np.concatenate([np.ones_like(k), np.cos(angle), (-1.0) ** k], axis=0)
    return np.ascontiguousarray(cos, np.float32), np.ascontiguousarray(np.sin(angle), np.float32)


def mel_spectrogram(wav: np.ndarray) -> np.ndarray:
    """(1 + len // 160, 40) float32 power mel spectrogram of a 16 kHz signal, frames centred."""
    wav = np.asarray(wav, dtype=np.float32)
    n_frames = 1 + wav.shape[0] // HOP
    (cos, sin), filters, window = _folded_dft(), mel_filterbank(), _hann_window()
    mel = np.empty((n_frames, N_MELS), dtype=np.float32)
    half = N_FFT // 2
    for first in range(0, n_frames, _MEL_CHUNK_FRAMES):
        last = min(first + _MEL_CHUNK_FRAMES, n_frames)
        # Samples under frames first..last-1, zero-padded where they run past either end.
        lo, hi = first * HOP - half, (last - 1) * HOP + half
        segment = np.zeros(hi - lo, dtype=np.float32)
        segment[max(0, -lo) : min(hi, wav.shape[0]) - lo] = wav[max(lo, 0) : min(hi, wav.shape[0])]
        frames = np.lib.stride_tricks.sliding_window_view(segment, N_FFT)[::HOP] * window
        head, tail = frames[:, 1:half], frames[:, : half : -1]  # x_n and x_(N-n), n = 1 .. N/2 - 1
        even = np.empty((frames.shape[0], half + 1), dtype=np.float32)
        even[:, 0], even[:, half] = frames[:, 0], frames[:, half]
        np.add(head, tail, out=even[:, 1:half])
        power = even @ cos
        np.square(power, out=power)
        power += np.square((head - tail) @ sin)
        np.matmul(power, filters, out=mel[first:last])
    return mel
