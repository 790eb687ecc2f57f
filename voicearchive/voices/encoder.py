"""The GE2E speaker encoder's forward pass in numpy, float32.

Network (Resemblyzer 0.1.4): a 3-layer LSTM (40 -> 256, hidden 256) over 160 mel frames; the
last layer's final hidden state goes through Linear(256, 256), ReLU and L2 normalisation.

How it is made fast on one CPU core:

* Each layer's input projection ``x_t @ W_ih.T + b`` is computed for every time step and every
  partial of the batch in one large GEMM; only ``h_{t-1} @ W_hh.T`` stays inside the time loop.
* Sequences are stored time-major ``(T, B, ...)`` so each step reads a contiguous block.
* The gates are reordered to (input, forget, output, cell) and the rows of the three sigmoid
  gates are pre-scaled by 1/2, so one ``tanh`` over all 1024 gate columns serves every gate:
  ``sigmoid(z) = (1 + tanh(z / 2)) / 2``. No ``exp`` and no temporaries in the loop.
* Partials of many recordings are batched together (about 32 at a time) to fill the GEMMs. Larger
  batches are no faster once warm (this pass and ONNX Runtime's alike: within 2% at 32 and 128) and
  cost in a cold worker: ONNX Runtime keeps a batch's intermediates (the gates of all 160 steps: 21 MB
  a layer at 32 partials, 84 MB at 128), so a worker of 200 four-second files peaked at 392 MB and
  78,600 page faults at 128, against 186 MB and 25,800 at 32, for the same embeddings (``encoder_onnx``:
  a partial's embedding does not depend on its batch).

When onnxruntime is installed the same network runs in its fused LSTM kernels instead (``encoder_onnx``):
``backend="int8"`` (its last two layers in int8: 1.3-1.4 times faster than float32, cosine about 0.999 to its
embeddings; the default there, see below) or ``backend="onnx"`` (float32, equal to this module's pass to
float32 rounding; what ``int8`` falls back to when ONNX Runtime refuses its graph). ``backend="numpy"`` forces
this module's own pass. ``VOICEARCHIVE_ENCODER=numpy|onnx|int8`` in the environment chooses for
``backend="auto"``. ``precision`` says which embeddings a pass gives ("float32" or "int8"): they are cached
under different model versions (``features.model_version``), and the Resemblyzer parity tests run the float32
pass.

Why int8 is the default: on the evaluation's 250 command-length archives (clean and four degraded sets,
benchmarks/RESULTS-voices.md, tenth pass) the two passes decide alike: the owner's wrongly flagged recordings
average 1.07% with either, judged strangers flagged 55.1% (int8) and 55.0% (float32), and the flag rates move by
at most 3.3 points (int8) and 4.2 (float32) when the owner set's constant K moves by 0.2. (Before the owner set
was given its width floor, the int8 pass fell into a trap float32 escaped by chance, and float32 was the default.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from voicearchive.voices.weights import EMBEDDING, HIDDEN, N_MELS, Ge2eWeights, load_weights

DEFAULT_BATCH = 32
BACKENDS = ("auto", "numpy", "onnx", "int8")

# PyTorch stores gate rows as (input, forget, cell, output); we use (input, forget, output, cell).
_GATE_ORDER = (0, 1, 3, 2)


@dataclass(frozen=True)
class _Layer:
    w_ih_t: np.ndarray  # (n_in, 4H), sigmoid-gate columns scaled by 1/2
    w_hh_t: np.ndarray  # (H, 4H), likewise
    bias: np.ndarray  # (4H,) = b_ih + b_hh, likewise


def _prepare_gates(matrix: np.ndarray) -> np.ndarray:
    """Reorder PyTorch's gate blocks (along axis 0) and halve the three sigmoid gates."""
    blocks = np.split(matrix.astype(np.float64), 4, axis=0)
    ordered = [blocks[i] for i in _GATE_ORDER]
    for k in range(3):
        ordered[k] = ordered[k] * 0.5
    return np.concatenate(ordered, axis=0)


def asked_backend() -> str:
    """The pass ``VOICEARCHIVE_ENCODER`` asks for ("numpy", "onnx", "int8"; "" or anything else: the default)."""
    return os.environ.get("VOICEARCHIVE_ENCODER", "").strip().lower()


class SpeakerEncoder:
    """Turns batches of 160-frame mel partials into L2-normalised 256-d embeddings."""

    def __init__(self, weights: Ge2eWeights | None = None, batch_size: int = DEFAULT_BATCH, backend: str = "auto"):
        weights = weights if weights is not None else load_weights()
        self.batch_size = int(batch_size)
        if backend not in BACKENDS:
            raise ValueError(f"unknown encoder backend {backend!r}")
        explicit = backend != "auto"
        if explicit:
            wanted: tuple[str, ...] = () if backend == "numpy" else (backend,)
        else:  # the environment may choose; what it names falls back to numpy when it cannot load
            wanted = {"numpy": (), "onnx": ("onnx",), "int8": ("int8",)}.get(asked_backend(), ("int8", "onnx"))
        self._onnx = None
        for candidate in wanted:
            try:
                from voicearchive.voices.encoder_onnx import OnnxForward

                self._onnx = OnnxForward(weights, "int8" if candidate == "int8" else "float32")
                self.backend = candidate
                break
            except (ImportError, RuntimeError):
                if explicit:
                    raise
        if self._onnx is None:
            self.backend = "numpy"
        self.precision = "int8" if self.backend == "int8" else "float32"
        if self._onnx is not None:  # the numpy pass's prepared weights are only needed when it runs
            return
        self._layers = tuple(
            _Layer(
                w_ih_t=np.ascontiguousarray(_prepare_gates(layer.weight_ih).T, dtype=np.float32),
                w_hh_t=np.ascontiguousarray(_prepare_gates(layer.weight_hh).T, dtype=np.float32),
                bias=_prepare_gates(layer.bias_ih.astype(np.float64) + layer.bias_hh).astype(np.float32),
            )
            for layer in weights.layers
        )
        self._linear_t = np.ascontiguousarray(weights.linear_weight.T, dtype=np.float32)
        self._linear_b = weights.linear_bias.astype(np.float32)

    def embed_partials(self, mels: np.ndarray) -> np.ndarray:
        """``(n, frames, 40)`` mel partials -> ``(n, 256)`` float32 embeddings, L2-normalised."""
        mels = np.asarray(mels, dtype=np.float32)
        if mels.ndim != 3 or mels.shape[2] != N_MELS:
            raise ValueError(f"expected mel partials of shape (n, frames, {N_MELS}), got {mels.shape}")
        n = mels.shape[0]
        out = np.empty((n, EMBEDDING), dtype=np.float32)
        # Near-equal chunks of about batch_size: 35 partials run as one pass, not 32 + 3.
        n_chunks = max(1, round(n / self.batch_size))
        bounds = np.linspace(0, n, n_chunks + 1).round().astype(int)
        for start, stop in zip(bounds[:-1], bounds[1:]):
            if stop > start:
                out[start:stop] = self._forward(mels[start:stop])
        return out

    def _forward(self, mels: np.ndarray) -> np.ndarray:
        if self._onnx is not None:
            embeds = self._onnx(mels)  # Linear and ReLU included
        else:
            seq = np.ascontiguousarray(mels.transpose(1, 0, 2))  # (T, B, 40), time-major
            for layer in self._layers[:-1]:
                seq = self._run_layer(layer, seq, keep_sequence=True)
            last_hidden = self._run_layer(self._layers[-1], seq, keep_sequence=False)
            embeds = last_hidden @ self._linear_t
            embeds += self._linear_b
            np.maximum(embeds, 0.0, out=embeds)
        norms = np.linalg.norm(embeds, axis=1, keepdims=True)
        np.maximum(norms, np.finfo(np.float32).tiny, out=norms)
        return embeds / norms

    @staticmethod
    def _run_layer(layer: _Layer, seq: np.ndarray, keep_sequence: bool) -> np.ndarray:
        """Run one LSTM layer over ``seq`` (T, B, n_in); return all hidden states or only the last."""
        steps, batch, n_in = seq.shape
        gates_in = (seq.reshape(steps * batch, n_in) @ layer.w_ih_t).reshape(steps, batch, 4 * HIDDEN)
        gates_in += layer.bias
        outputs = np.empty((steps, batch, HIDDEN), dtype=np.float32) if keep_sequence else None

        h = np.zeros((batch, HIDDEN), dtype=np.float32)
        c = np.zeros((batch, HIDDEN), dtype=np.float32)
        gates = np.empty((batch, 4 * HIDDEN), dtype=np.float32)
        scratch = np.empty((batch, HIDDEN), dtype=np.float32)
        sig = gates[:, : 3 * HIDDEN]
        i_gate = gates[:, :HIDDEN]
        f_gate = gates[:, HIDDEN : 2 * HIDDEN]
        o_gate = gates[:, 2 * HIDDEN : 3 * HIDDEN]
        g_gate = gates[:, 3 * HIDDEN :]
        for t in range(steps):
            np.matmul(h, layer.w_hh_t, out=gates)
            gates += gates_in[t]
            np.tanh(gates, out=gates)
            sig *= 0.5
            sig += 0.5
            c *= f_gate
            np.multiply(i_gate, g_gate, out=scratch)
            c += scratch
            np.tanh(c, out=scratch)
            np.multiply(o_gate, scratch, out=h)
            if outputs is not None:
                outputs[t] = h
        return outputs if outputs is not None else h
