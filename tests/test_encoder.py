"""The numpy GE2E encoder: golden agreement with Resemblyzer, weights verification, features contract."""

from __future__ import annotations

import shutil
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voicearchive.resources import resource
from voicearchive.voices import features
from voicearchive.voices.encoder import SpeakerEncoder
from voicearchive.voices.features import VoiceFeatures, analyse_audio, embed_many
from voicearchive.voices.weights import WEIGHTS_FILE, WEIGHTS_SHA256, WeightsError, load_weights

GOLDEN = Path(__file__).parent / "data" / "golden"
CLIPS = sorted(p.stem for p in GOLDEN.glob("*.flac"))


@lru_cache(maxsize=None)
def clip(name: str) -> tuple[np.ndarray, int]:
    samples, rate = sf.read(GOLDEN / f"{name}.flac", dtype="float32")
    return samples, rate


@lru_cache(maxsize=1)
def float_encoder() -> SpeakerEncoder:
    """A float32 pass (ONNX Runtime's when installed, else numpy's): the one that reproduces Resemblyzer."""
    try:
        return SpeakerEncoder(backend="onnx")
    except ImportError:
        return SpeakerEncoder(backend="numpy")


@lru_cache(maxsize=None)
def analysed(name: str) -> VoiceFeatures:
    return analyse_audio(*clip(name), encoder=float_encoder())


def test_golden_clips_are_present() -> None:
    assert len(CLIPS) >= 5
    assert all((GOLDEN / f"{name}.npz").is_file() for name in CLIPS)


@pytest.mark.parametrize("name", CLIPS)
def test_matches_resemblyzer(name: str) -> None:
    golden = np.load(GOLDEN / f"{name}.npz")
    got = analysed(name)
    assert got.embedding is not None
    assert float(got.embedding @ golden["embedding"]) >= 0.9999
    assert got.windows.shape == golden["partials"].shape
    assert (np.sum(got.windows * golden["partials"], axis=1) >= 0.9999).all()
    assert got.speech_s == pytest.approx(int(golden["n_trimmed"]) / 16000)


@pytest.mark.parametrize("name", CLIPS)
def test_embeddings_are_unit_length(name: str) -> None:
    got = analysed(name)
    assert got.embedding.dtype == np.float32 and got.embedding.shape == (256,)
    assert np.linalg.norm(got.embedding) == pytest.approx(1.0, abs=1e-5)
    assert got.windows.dtype == np.float32
    assert np.allclose(np.linalg.norm(got.windows, axis=1), 1.0, atol=1e-5)


def test_same_speaker_is_closer_than_other_speakers() -> None:
    emb = {name: analysed(name).embedding for name in CLIPS}
    same_m = float(emb["m1688_a"] @ emb["m1688_b_padded"])
    same_f = float(emb["f3080_a"] @ emb["f3080_b_8k"])
    others_m = [float(emb["m1688_a"] @ emb[o]) for o in ("f3080_a", "f3080_b_8k", "m2609_a_48k")]
    others_f = [float(emb["f3080_a"] @ emb[o]) for o in ("m1688_a", "m1688_b_padded", "m2609_a_48k")]
    assert same_m > max(others_m)
    assert same_f > max(others_f)


def test_window_starts_are_in_the_original_recording_time() -> None:
    samples, rate = clip("m1688_a")
    lead = 3.0
    padded = np.concatenate([np.zeros(int(lead * rate), np.float32), samples, np.zeros(2 * rate, np.float32)])
    plain, shifted = analysed("m1688_a"), analyse_audio(padded, rate, encoder=float_encoder())
    assert shifted.window_starts.shape == plain.window_starts.shape
    assert np.allclose(shifted.window_starts, plain.window_starts + lead, atol=0.1)
    duration = padded.shape[0] / rate
    assert (np.diff(shifted.window_starts) > 0).all() and shifted.window_starts[-1] < duration


def test_window_starts_skip_a_cut_silence() -> None:
    """A window after a long pause starts after the pause in original time, not in trimmed time."""
    a, rate = clip("m1688_a")
    gap = 6.0
    joined = np.concatenate([a, np.zeros(int(gap * rate), np.float32), a])
    got = analyse_audio(joined, rate)
    assert got.speech_s < 2 * a.shape[0] / rate  # the pause is not speech
    first_of_second_half = np.flatnonzero(got.window_starts > a.shape[0] / rate)
    assert first_of_second_half.size >= 2
    assert got.window_starts[first_of_second_half[1]] > a.shape[0] / rate + gap


def test_silence_gives_no_embedding() -> None:
    got = analyse_audio(np.zeros(3 * 16000, np.float32), 16000)
    assert got.embedding is None
    assert got.speech_s == 0.0
    assert got.windows.shape == (0, 256) and got.window_starts.shape == (0,)
    empty = analyse_audio(np.zeros(0, np.float32), 44100)
    assert empty.embedding is None


@pytest.mark.parametrize(
    ("samples", "rate", "message"),
    [
        (np.zeros((100, 2), np.float32), 16000, "mono"),
        (np.zeros(100, np.float32), 0, "sample rate"),
        (np.array([0.0, np.nan], np.float32), 16000, "NaN"),
        (np.zeros(100, np.int16), 16000, "floating-point"),
    ],
)
def test_bad_input_is_refused_clearly(samples: np.ndarray, rate: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        analyse_audio(samples, rate)


def test_embed_many_equals_one_by_one() -> None:
    recordings = [clip(name) for name in CLIPS] + [(np.zeros(16000, np.float32), 16000)]
    many = embed_many(recordings)
    assert len(many) == len(recordings)
    for name, got in zip(CLIPS, many):
        single = analyse_audio(*clip(name))  # the same (default) encoder, one recording at a time
        assert float(got.embedding @ single.embedding) >= 0.99999
        assert np.allclose(got.window_starts, single.window_starts)
    assert many[-1].embedding is None


def test_embed_many_batches_across_recordings(monkeypatch) -> None:
    calls: list[int] = []
    encoder = SpeakerEncoder(batch_size=8)
    original = encoder.embed_partials
    monkeypatch.setattr(encoder, "embed_partials", lambda mels: calls.append(mels.shape[0]) or original(mels))
    recordings = [clip(name) for name in CLIPS]
    embed_many(recordings, encoder)
    # 17 partials over 5 clips: one pass as soon as 8 are waiting, one for the rest; not one per clip.
    assert calls == [10, 7]


def test_long_recordings_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(features, "MAX_PARTIALS", 3)
    a, rate = clip("m1688_a")
    got = analyse_audio(np.tile(a, 3), rate)
    assert got.windows.shape == (3, 256)
    assert (np.diff(got.window_starts) > 0).all()
    assert got.window_starts[-1] > 2 * a.shape[0] / rate  # spread over the whole recording
    assert np.linalg.norm(got.embedding) == pytest.approx(1.0, abs=1e-5)


def reference_lstm_encoder(mels: np.ndarray) -> np.ndarray:
    """A plain, unoptimised float64 GE2E forward pass in PyTorch's gate order, for comparison."""
    w = load_weights()
    seq = mels.astype(np.float64)
    for layer in w.layers:
        h = np.zeros((seq.shape[0], 256))
        c = np.zeros((seq.shape[0], 256))
        outputs = []
        for t in range(seq.shape[1]):
            z = seq[:, t] @ layer.weight_ih.T + layer.bias_ih + h @ layer.weight_hh.T + layer.bias_hh
            i, f, g, o = np.split(z, 4, axis=1)
            sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
            outputs.append(h)
        seq = np.stack(outputs, axis=1)
    out = np.maximum(h @ w.linear_weight.T + w.linear_bias, 0)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def _backends() -> list[str]:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return ["numpy"]
    return ["numpy", "onnx"]


@pytest.mark.parametrize("backend", _backends())
def test_encoder_matches_a_plain_lstm(backend: str) -> None:
    rng = np.random.default_rng(7)
    mels = (rng.random((5, 30, 40)) ** 4 * 2).astype(np.float32)
    encoder = SpeakerEncoder(batch_size=2, backend=backend)
    assert encoder.backend == backend
    got = encoder.embed_partials(mels)
    expected = reference_lstm_encoder(mels)
    assert np.abs(got - expected).max() < 1e-5


def test_onnx_and_numpy_passes_agree_on_speech() -> None:
    pytest.importorskip("onnxruntime")
    prepared = [features.prepare_audio(*clip(name)) for name in CLIPS]
    mels = np.concatenate([p.partials for p in prepared])
    fast = SpeakerEncoder(backend="onnx").embed_partials(mels)
    plain = SpeakerEncoder(backend="numpy").embed_partials(mels)
    assert np.abs(fast - plain).max() < 1e-5
    assert (np.sum(fast * plain, axis=1) >= 0.99999).all()


def test_int8_pass_stays_close_to_the_float_pass_on_speech() -> None:
    """The int8 pass is an approximation with its own model version: bounded against float32 on real speech."""
    pytest.importorskip("onnxruntime")
    prepared = [features.prepare_audio(*clip(name)) for name in CLIPS]
    mels = np.concatenate([p.partials for p in prepared])
    int8 = SpeakerEncoder(backend="int8")
    assert int8.backend == "int8" and int8.precision == "int8"
    quick = int8.embed_partials(mels)
    exact = float_encoder().embed_partials(mels)
    cosines = np.sum(quick * exact, axis=1)
    assert cosines.min() >= 0.995 and cosines.mean() >= 0.998
    assert cosines.mean() < 0.99999  # it is the quantised network, not the float one under another name
    utterances = [analyse_audio(*clip(name), encoder=int8).embedding @ analysed(name).embedding for name in CLIPS]
    assert min(utterances) >= 0.997
    assert features.version_of(int8) == features.MODEL_VERSION_INT8 != features.version_of(float_encoder())


def test_int8_embeddings_do_not_depend_on_the_batch() -> None:
    """ONNX Runtime quantises with the batch's own range: the pinned units make that range fixed."""
    pytest.importorskip("onnxruntime")
    prepared = [features.prepare_audio(*clip(name)) for name in CLIPS]
    mels = np.concatenate([p.partials for p in prepared])
    loud = mels[::-1] * 40.0  # other batchmates, with other ranges
    encoder = SpeakerEncoder(backend="int8", batch_size=10_000)
    together = encoder.embed_partials(mels)
    alone = np.concatenate([encoder.embed_partials(mels[i : i + 1]) for i in range(mels.shape[0])])
    mixed = encoder.embed_partials(np.concatenate([loud, mels]))[loud.shape[0]:]
    assert np.array_equal(together, alone) and np.array_equal(together, mixed)


def test_int8_weights_are_the_float_weights_to_half_a_step() -> None:
    from voicearchive.voices.encoder_onnx import quantise_rows

    matrix = load_weights().layers[1].weight_hh
    q, scale = quantise_rows(matrix)
    assert q.dtype == np.int8 and np.abs(q).max() == 127
    assert np.abs(q * scale[:, None] - matrix).max() <= scale.max() / 2 + 1e-7
    assert (np.abs(q * scale[:, None] - matrix) <= scale[:, None] / 2 + 1e-7).all()


def test_the_onnx_graph_is_written_here_around_the_verified_weights() -> None:
    from voicearchive.voices.encoder_onnx import model_bytes

    weights = load_weights()
    exact, quick = model_bytes(weights), model_bytes(weights, "int8")
    assert exact == model_bytes(weights)  # deterministic: no file, nothing fetched
    assert b"LSTM" in exact and b"DynamicQuantizeLSTM" not in exact
    assert quick.count(b"DynamicQuantizeLSTM") == 2 and b"com.microsoft" in quick  # layers 2 and 3
    assert len(quick) < 0.5 * len(exact)  # int8 weights: a quarter of the size of those layers
    with pytest.raises(ValueError, match="precision"):
        model_bytes(weights, "int4")


def test_without_onnxruntime_the_numpy_pass_is_used(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if it were not installed
    encoder = SpeakerEncoder()
    assert encoder.backend == "numpy" and encoder.precision == "float32"
    assert features.version_of(encoder) == features.MODEL_VERSION
    for backend in ("onnx", "int8"):
        with pytest.raises(ImportError):
            SpeakerEncoder(backend=backend)
    monkeypatch.setenv("VOICEARCHIVE_ENCODER", "int8")  # what the environment names falls back, never fails
    assert SpeakerEncoder().backend == "numpy"


def test_the_default_pass_is_int8_and_float32_is_asked_for(monkeypatch) -> None:
    pytest.importorskip("onnxruntime")
    monkeypatch.delenv("VOICEARCHIVE_ENCODER", raising=False)
    default = SpeakerEncoder()
    assert default.backend == "int8" and features.version_of(default) == features.MODEL_VERSION_INT8
    monkeypatch.setenv("VOICEARCHIVE_ENCODER", "onnx")
    exact = SpeakerEncoder()
    assert exact.backend == "onnx" and features.version_of(exact) == features.MODEL_VERSION


def test_the_default_falls_back_to_float32_where_onnx_runtime_refuses_int8(monkeypatch) -> None:
    pytest.importorskip("onnxruntime")
    from voicearchive.voices import encoder_onnx

    real = encoder_onnx.OnnxForward.__init__

    def refuse_int8(self, weights, precision="float32"):
        if precision == "int8":
            raise RuntimeError("onnxruntime refused the int8 encoder graph: no DynamicQuantizeLSTM")
        real(self, weights, precision)

    monkeypatch.setattr(encoder_onnx.OnnxForward, "__init__", refuse_int8)
    monkeypatch.delenv("VOICEARCHIVE_ENCODER", raising=False)
    encoder = SpeakerEncoder()
    assert encoder.backend == "onnx" and features.version_of(encoder) == features.MODEL_VERSION
    with pytest.raises(RuntimeError):
        SpeakerEncoder(backend="int8")  # asked for by name: never silently another pass


def test_the_model_version_names_the_pass_that_loaded(monkeypatch) -> None:
    def never():
        raise AssertionError("the encoder was loaded")

    monkeypatch.setattr(features, "default_encoder", never)
    for asked in ("numpy", "onnx"):  # float32 embeddings whichever of the two runs: nothing to load
        monkeypatch.setenv("VOICEARCHIVE_ENCODER", asked)
        assert features.model_version() == features.MODEL_VERSION
    for asked in ("int8", ""):  # int8 asked for, or the default: the version of the pass that loaded
        monkeypatch.setenv("VOICEARCHIVE_ENCODER", asked)
        monkeypatch.setattr(features, "default_encoder", lambda: SpeakerEncoder(backend="numpy"))  # int8 failed
        assert features.model_version() == features.MODEL_VERSION
        if _backends()[-1] == "onnx":
            monkeypatch.setattr(features, "default_encoder", lambda: SpeakerEncoder(backend="int8"))
            assert features.model_version() == features.MODEL_VERSION_INT8


def test_a_version_reported_by_the_workers_answers_for_the_pass_they_were_asked_for(monkeypatch) -> None:
    def never():
        raise AssertionError("the encoder was loaded")

    monkeypatch.setattr(features, "default_encoder", never)
    monkeypatch.delenv("VOICEARCHIVE_ENCODER", raising=False)
    assert not features.adopt_model_version("not a model version")
    assert features.adopt_model_version(features.MODEL_VERSION_INT8)
    assert features.model_version() == features.MODEL_VERSION_INT8  # taken from the workers, nothing loaded
    monkeypatch.setenv("VOICEARCHIVE_ENCODER", "int8")  # another pass asked for: their word does not count
    with pytest.raises(AssertionError, match="loaded"):
        features.model_version()


def test_the_environment_can_force_the_numpy_pass(monkeypatch) -> None:
    monkeypatch.setenv("VOICEARCHIVE_ENCODER", "numpy")
    assert SpeakerEncoder().backend == "numpy"
    with pytest.raises(ValueError, match="backend"):
        SpeakerEncoder(backend="torch")


def test_encoder_rejects_wrong_shapes() -> None:
    with pytest.raises(ValueError, match="mel partials"):
        SpeakerEncoder().embed_partials(np.zeros((2, 160, 41), np.float32))


def test_shipped_weights_are_verified_and_documented() -> None:
    weights = load_weights()
    assert len(weights.layers) == 3
    models = resource("models")
    assert WEIGHTS_SHA256 in (models / "SHA256").read_text()
    assert "Apache License" in (models / "LICENSE").read_text()
    notice = (models / "NOTICE").read_text()
    assert "Resemblyzer 0.1.4" in notice and "pretrained.pt" in notice


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / WEIGHTS_FILE
    shutil.copyfile(resource("models", WEIGHTS_FILE), copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit inside a weight matrix
    copy.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match="damaged or has been altered"):
        load_weights(copy)


def test_missing_weights_are_reported(tmp_path: Path) -> None:
    with pytest.raises(WeightsError, match="cannot be read"):
        load_weights(tmp_path / "absent.npz")


def test_embed_stream_yields_before_reading_everything() -> None:
    consumed: list[str] = []

    def prepared():
        for name in CLIPS:
            consumed.append(name)
            yield features.prepare_audio(*clip(name))

    stream = features.embed_stream(prepared(), SpeakerEncoder(batch_size=6))
    first = next(stream)
    assert first.embedding is not None
    assert len(consumed) == 2  # 3 + 3 partials filled a batch of 6; the other clips are not read yet
    assert len([first, *stream]) == len(CLIPS)
