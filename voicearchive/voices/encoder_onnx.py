"""The same GE2E forward pass run by ONNX Runtime's fused LSTM kernels, when onnxruntime is installed.

ONNX Runtime's LSTM does the element-wise gate math of each time step in one pass (the numpy encoder needs
about ten passes over memory per step). Nothing is downloaded and no model file is added: the graph (three LSTM
nodes, ``Linear``, ``ReLU``) is written here, as ONNX protobuf, around the weights of the verified
``ge2e-resemblyzer.npz`` (``weights.load_weights``), so the model stays the shipped, digest-checked one. The
weights are the graph's initializers, so ONNX Runtime packs them once for its GEMMs.

Two precisions:

* ``float32``: equal to the numpy encoder to float32 rounding (|difference| < 1e-5, tests/test_encoder.py).
* ``int8``: the second and third LSTM layers (78% of the network's work) run ONNX Runtime's
  ``DynamicQuantizeLSTM``: their weights are int8, one symmetric scale per gate row, and their inputs (the
  previous layer's hidden states, within -1..1) are quantised to 8 bits as they go. The first layer stays
  float32: its input is Resemblyzer's un-logged mel power, whose range 8 bits cannot hold (quantising it too
  gave a cosine of 0.5 to the float embeddings). Partial embeddings keep a cosine of about 0.999 to the float32
  ones on real speech (bounds tested); they are not the float ones, so they carry their own model version
  (``features.MODEL_VERSION_INT8``).

  **The same partial gives the same embedding in any batch.** ONNX Runtime quantises activations with a
  scale taken from the minimum and maximum of the whole batch, so a partial's embedding moved (cosine down
  to 0.999) with the other partials it was batched with: with 1 or 2 workers, or another archive, the same
  file would have had another embedding. Each quantised layer therefore carries two constant hidden units,
  held at exactly +1 and -1 (gates saturated open, cell state started at +-100, no weight to or from the real
  units), and its input two constant channels of +1 and -1: every batch's range is then the largest a hidden
  state can reach, whatever else is in it, and the embeddings are equal bit for bit (tested).

onnxruntime is an optional dependency (the ``fast`` extra; the speech-to-text extra pulls it in too):
without it, or when it refuses the graph, ``SpeakerEncoder`` uses its numpy pass.
"""

from __future__ import annotations

import numpy as np

from voicearchive.voices.weights import EMBEDDING, HIDDEN, N_MELS, Ge2eWeights

# ONNX gate order is (input, output, forget, cell); PyTorch's is (input, forget, cell, output).
_ONNX_GATES = (0, 3, 1, 2)
_FLOAT = 1  # TensorProto.FLOAT
_OPSET = 11  # Squeeze takes its axes as an attribute: the graph needs no initializer
_IR_VERSION = 6


# --- a minimal protobuf writer: only what the graph below needs ------------------------------------------
def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes | str | int) -> bytes:
    if isinstance(payload, int):
        return _varint(number << 3) + _varint(payload)
    data = payload.encode() if isinstance(payload, str) else payload
    return _varint((number << 3) | 2) + _varint(len(data)) + data


def _attr_int(name: str, value: int) -> bytes:
    return _field(1, name) + _field(3, value) + _field(20, 2)  # AttributeProto: name, i, type=INT


def _attr_ints(name: str, values: list[int]) -> bytes:
    return _field(1, name) + b"".join(_field(8, v) for v in values) + _field(20, 7)  # ints, type=INTS


def _node(op: str, inputs: list[str], outputs: list[str], *attributes: bytes) -> bytes:
    body = b"".join(_field(1, i) for i in inputs) + b"".join(_field(2, o) for o in outputs) + _field(4, op)
    return body + b"".join(_field(5, a) for a in attributes)


def _value_info(name: str, dims: list[int | str]) -> bytes:
    shape = b"".join(_field(1, _field(1, d) if isinstance(d, int) else _field(2, d)) for d in dims)
    tensor_type = _field(1, _FLOAT) + _field(2, shape)
    return _field(1, name) + _field(2, _field(1, tensor_type))


PRECISIONS = ("float32", "int8")
_INT8 = 3  # TensorProto.INT8
_MS_DOMAIN = "com.microsoft"  # ONNX Runtime's contrib operators (DynamicQuantizeLSTM)


def _tensor(name: str, array: np.ndarray) -> bytes:
    """A TensorProto: dims, data_type, name, raw_data (little-endian, as numpy holds it here)."""
    array = np.ascontiguousarray(array)
    dtype = {np.dtype(np.float32): _FLOAT, np.dtype(np.int8): _INT8}[array.dtype]
    dims = b"".join(_field(1, int(d)) for d in array.shape)
    return dims + _field(2, dtype) + _field(8, name) + _field(9, array.astype(array.dtype.newbyteorder("<")).tobytes())


def _onnx_gates(matrix: np.ndarray) -> np.ndarray:
    blocks = np.split(matrix, 4, axis=0)
    return np.ascontiguousarray(np.concatenate([blocks[i] for i in _ONNX_GATES], axis=0), dtype=np.float32)


def quantise_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per row: ``matrix ~= q * scale[:, None]``, |q| <= 127."""
    peak = np.abs(matrix.astype(np.float64)).max(axis=1)
    scale = np.where(peak > 0, peak / 127.0, 1.0)
    q = np.clip(np.rint(matrix / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


# Two constant hidden units (+1, -1) per quantised layer fix the quantiser's range (see the module's notes).
_PINNED = 2
_PINNED_CELL = 100.0  # initial cell state of the pinned units; with gates saturated open, tanh(c) stays at 1
_WIDE = HIDDEN + _PINNED


def _biases(layer) -> np.ndarray:
    return np.concatenate([_onnx_gates(layer.bias_ih[:, None])[:, 0], _onnx_gates(layer.bias_hh[:, None])[:, 0]])


def _widen(matrix: np.ndarray, n_in: int) -> np.ndarray:
    """(4H, k) in ONNX gate order -> (4 * _WIDE, n_in): the real rows and columns, zeros for the pinned units."""
    out = np.zeros((4 * _WIDE, n_in), np.float32)
    for gate in range(4):
        out[gate * _WIDE : gate * _WIDE + HIDDEN, : matrix.shape[1]] = matrix[gate * HIDDEN : (gate + 1) * HIDDEN]
    return out


def _widen_bias(bias: np.ndarray) -> np.ndarray:
    """(8H,) = (Wb, Rb) -> (8 * _WIDE,): the pinned units' input, output and forget gates open (sigmoid(100) is
    1.0 in float32), their cell candidates +1 and -1."""
    out = np.zeros(8 * _WIDE, np.float32)
    for half in range(2):
        for gate in range(4):
            src = half * 4 * HIDDEN + gate * HIDDEN
            dst = half * 4 * _WIDE + gate * _WIDE
            out[dst : dst + HIDDEN] = bias[src : src + HIDDEN]
    for gate in range(3):  # i, o, f
        out[gate * _WIDE + HIDDEN : (gate + 1) * _WIDE] = _PINNED_CELL
    out[3 * _WIDE + HIDDEN : 4 * _WIDE] = (_PINNED_CELL, -_PINNED_CELL)  # c: +1 and -1 after tanh
    return out


def _float_layer(n: int, layer, source: str, outputs: list[str]) -> tuple[bytes, list[bytes]]:
    inits = [_tensor(f"W{n}", _onnx_gates(layer.weight_ih)[None]), _tensor(f"R{n}", _onnx_gates(layer.weight_hh)[None]),
             _tensor(f"B{n}", _biases(layer)[None])]
    return _node("LSTM", [source, f"W{n}", f"R{n}", f"B{n}"], outputs, _attr_int("hidden_size", HIDDEN)), inits


def _int8_layer(n: int, layer, source: str, outputs: list[str]) -> tuple[bytes, list[bytes]]:
    """A DynamicQuantizeLSTM over ``_WIDE`` units (W, R as (1, in, 4H), as it wants them), pinned units included."""
    inits = [_tensor(f"B{n}", _widen_bias(_biases(layer))[None])]
    names = []
    wide = {"W": _widen(_onnx_gates(layer.weight_ih), _WIDE), "R": _widen(_onnx_gates(layer.weight_hh), _WIDE)}
    for tag, matrix in wide.items():
        q, scale = quantise_rows(matrix)
        inits += [_tensor(f"{tag}{n}", q.T[None]), _tensor(f"{tag}s{n}", scale[None]),
                  _tensor(f"{tag}z{n}", np.zeros((1, matrix.shape[0]), np.int8))]
        names += [f"{tag}s{n}", f"{tag}z{n}"]
    inputs = [source, f"W{n}", f"R{n}", f"B{n}", "", "h0", "c0", "", *names]
    node = _node("DynamicQuantizeLSTM", inputs, outputs, _attr_int("hidden_size", _WIDE)) + _field(7, _MS_DOMAIN)
    return node, inits


def model_bytes(weights: Ge2eWeights, precision: str = "float32") -> bytes:
    """The ONNX model around ``weights``: input ``x`` (T, B, 40) time-major mels, output ``e`` (B, 256) pre-norm.

    ``precision="int8"`` quantises the second and third LSTM layers and adds the inputs ``pins`` (T, B, 2),
    ``h0`` and ``c0`` (1, B, 258) that hold the pinned units (``pinned_inputs``)."""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown encoder precision {precision!r}")
    int8 = precision == "int8"
    nodes: list[bytes] = []
    inits: list[bytes] = []
    previous = "x"
    for n, layer in enumerate(weights.layers):
        outputs = [f"Y{n}", f"Yh{n}"] if n < 2 else ["", "Yh2"]
        build = _int8_layer if int8 and n > 0 else _float_layer
        node, tensors = build(n, layer, previous, outputs)
        nodes.append(node)
        inits += tensors
        if n < 2:  # Y is (T, num_directions=1, B, H)
            nodes.append(_node("Squeeze", [f"Y{n}"], [f"S{n}"], _attr_ints("axes", [1])))
            previous = f"S{n}"
            if int8 and n == 0:  # the quantised layer's input: the hidden states and the +1/-1 channels
                nodes.append(_node("Concat", ["S0", "pins"], ["S0p"], _attr_int("axis", 2)))
                previous = "S0p"
    linear = np.zeros((_WIDE if int8 else HIDDEN, EMBEDDING), np.float32)
    linear[:HIDDEN] = weights.linear_weight.T
    inits += [_tensor("LW", linear), _tensor("LB", np.ascontiguousarray(weights.linear_bias, dtype=np.float32))]
    nodes += [
        _node("Squeeze", ["Yh2"], ["h"], _attr_ints("axes", [0])),
        _node("MatMul", ["h", "LW"], ["m"]),
        _node("Add", ["m", "LB"], ["a"]),
        _node("Relu", ["a"], ["e"]),
    ]
    graph = b"".join(_field(1, n) for n in nodes) + _field(2, "ge2e") + b"".join(_field(5, t) for t in inits)
    graph += _field(11, _value_info("x", ["T", "B", N_MELS]))
    if int8:
        graph += _field(11, _value_info("pins", ["T", "B", _PINNED]))
        graph += _field(11, _value_info("h0", [1, "B", _WIDE])) + _field(11, _value_info("c0", [1, "B", _WIDE]))
    graph += _field(12, _value_info("e", ["B", EMBEDDING]))
    opsets = _field(8, _field(1, "") + _field(2, _OPSET))
    if int8:
        opsets += _field(8, _field(1, _MS_DOMAIN) + _field(2, 1))
    return _field(1, _IR_VERSION) + _field(7, graph) + opsets


def pinned_inputs(steps: int, batch: int) -> dict[str, np.ndarray]:
    """The int8 graph's extra inputs: +1/-1 channels beside the first layer's output, and the pinned units'
    initial states (zero for the real units, as the float pass starts them)."""
    pins = np.empty((steps, batch, _PINNED), np.float32)
    pins[..., 0], pins[..., 1] = 1.0, -1.0
    h0 = np.zeros((1, batch, _WIDE), np.float32)
    c0 = np.zeros((1, batch, _WIDE), np.float32)
    h0[0, :, HIDDEN:] = (1.0, -1.0)
    c0[0, :, HIDDEN:] = (_PINNED_CELL, -_PINNED_CELL)
    return {"pins": pins, "h0": h0, "c0": c0}


class OnnxForward:
    """``forward(mels (B, T, 40)) -> (B, 256)`` before normalisation; raises ``ImportError``/``RuntimeError``
    when onnxruntime is missing or refuses the graph (the caller falls back)."""

    def __init__(self, weights: Ge2eWeights, precision: str = "float32") -> None:
        import onnxruntime as ort  # optional

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one core per worker process, as the BLAS of the numpy pass
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        model = model_bytes(weights, precision)
        try:
            self._session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - any refusal means: use another pass
            raise RuntimeError(f"onnxruntime refused the {precision} encoder graph: {exc}") from None
        self.precision = precision

    def __call__(self, mels: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(np.asarray(mels, dtype=np.float32).transpose(1, 0, 2))
        feeds = {"x": x, **pinned_inputs(x.shape[0], x.shape[1])} if self.precision == "int8" else {"x": x}
        return self._session.run(["e"], feeds)[0]


__all__ = ["PRECISIONS", "OnnxForward", "model_bytes", "pinned_inputs", "quantise_rows"]
