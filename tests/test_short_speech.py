"""Speech shorter than one 1.6 s partial is tiled, not zero-padded: its embedding does not depend on its length.

Real speech: the golden LibriSpeech clips (tests/data/golden, CC BY 4.0, see its README).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

from voicearchive.voices import frontend
from voicearchive.voices.features import MODEL_VERSION, MODEL_VERSION_INT8, analyse_audio, default_encoder, prepare_audio

GOLDEN = Path(__file__).parent / "data" / "golden"
NAMES = ("m1688_a", "f3080_a", "m2609_a_48k", "f3080_b_8k")


@lru_cache(maxsize=None)
def clip(name: str) -> tuple[np.ndarray, int]:
    x, sr = sf.read(GOLDEN / f"{name}.flac", dtype="float32")
    return x, sr


def _zero_padded_embedding(x: np.ndarray, sr: int) -> np.ndarray:
    """What the front end did before (and Resemblyzer does): trimmed speech + zeros to 1.6 s."""
    wav = frontend.resample(x, sr)
    gain = frontend.volume_gain(wav)
    wav = wav * gain if gain is not None else wav
    speech = frontend.trim_silences(wav).wav
    speech = np.pad(speech, (0, max(0, frontend.PARTIAL_SAMPLES - len(speech))))
    return default_encoder().embed_partials(frontend.mel_spectrogram(speech)[None, : frontend.PARTIAL_FRAMES])[0]


def test_tile_fills_one_partial_with_the_speech_itself() -> None:
    speech = np.arange(1, 10001, dtype=np.float32)
    tiled = frontend.tile_to_partial(speech)
    assert tiled.shape == (frontend.PARTIAL_SAMPLES,)
    assert np.array_equal(tiled[:10000], speech) and np.array_equal(tiled[10000:20000], speech)
    assert (tiled != 0).all()
    long = np.ones(frontend.PARTIAL_SAMPLES + 5, np.float32)
    assert frontend.tile_to_partial(long) is not None and frontend.tile_to_partial(long).shape == long.shape


def test_short_speech_gives_one_partial_without_silent_frames() -> None:
    x, sr = clip("m1688_a")
    prepared = prepare_audio(x[int(0.3 * sr) : int(1.2 * sr)], sr)
    assert 0.5 < prepared.speech_s < 1.6
    assert prepared.partials.shape == (1, frontend.PARTIAL_FRAMES, frontend.N_MELS)
    energy = prepared.partials[0].sum(axis=1)
    # zero padding would leave the partial's tail (more than 0.4 s) digital silence
    assert (energy[-40:] > 1e-3 * np.median(energy)).all()


def test_a_short_command_is_like_the_longer_command_holding_it() -> None:
    """A 0.8 s cut and the 1.5 s cut that starts with it: tiling keeps them closer than zero padding did."""
    tiled, padded = [], []
    for name in NAMES:
        x, sr = clip(name)
        for start in (0.3, 1.3, 2.0):
            a, b = x[int(start * sr) : int((start + 0.8) * sr)], x[int(start * sr) : int((start + 1.5) * sr)]
            tiled.append(float(analyse_audio(a, sr).embedding @ analyse_audio(b, sr).embedding))
            padded.append(float(_zero_padded_embedding(a, sr) @ _zero_padded_embedding(b, sr)))
    assert np.mean(tiled) > np.mean(padded) + 0.02  # measured 0.866 against 0.827
    assert np.mean(tiled) > 0.84


def test_speech_of_a_partial_or_more_is_cut_as_resemblyzer_cuts_it() -> None:
    x, sr = clip("m1688_a")
    prepared = prepare_audio(x, sr)
    assert prepared.speech_s >= 1.6
    n = int(round(prepared.speech_s * frontend.SAMPLE_RATE))
    assert np.array_equal(np.asarray(prepared.partials.shape[:1]), [len(frontend.partial_starts(n))])


def test_the_model_version_names_the_tiled_front_end() -> None:
    assert "tiled" in MODEL_VERSION and "tiled" in MODEL_VERSION_INT8
