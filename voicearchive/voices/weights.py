"""Load the shipped speaker-model weights, refusing any file whose SHA-256 is not the expected one.

The weights are Resemble AI's GE2E encoder from Resemblyzer 0.1.4 (Apache-2.0), converted to
``resources/models/ge2e-resemblyzer.npz`` by ``packaging/convert_weights.py`` (see the NOTICE
there). The digest is pinned here, in code, so a damaged or swapped file is refused rather than
silently producing different embeddings (and so different flags) in a forensic report.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicearchive.messages import Message, MessageError
from voicearchive.resources import resource

WEIGHTS_FILE = "ge2e-resemblyzer.npz"
WEIGHTS_SHA256 = "165be3b24c12213a9a5d7d7c10f6466a76eb7d5c8767e03f2f53e051a6dde879"

N_MELS = 40
HIDDEN = 256
EMBEDDING = 256
N_LAYERS = 3


class WeightsError(MessageError):
    """The speaker model cannot be used (missing, damaged or altered file). ``str(error)`` is English;
    ``error.message`` is the Message to render in the user's language."""


@dataclass(frozen=True)
class LstmLayer:
    """One LSTM layer in PyTorch's layout: gate rows ordered input, forget, cell, output."""

    weight_ih: np.ndarray  # (4*HIDDEN, n_in)
    weight_hh: np.ndarray  # (4*HIDDEN, HIDDEN)
    bias_ih: np.ndarray  # (4*HIDDEN,)
    bias_hh: np.ndarray  # (4*HIDDEN,)


@dataclass(frozen=True)
class Ge2eWeights:
    layers: tuple[LstmLayer, ...]
    linear_weight: np.ndarray  # (EMBEDDING, HIDDEN)
    linear_bias: np.ndarray  # (EMBEDDING,)


def default_weights_path() -> Path:
    return resource("models", WEIGHTS_FILE)


def load_weights(path: str | Path | None = None, expected_sha256: str = WEIGHTS_SHA256) -> Ge2eWeights:
    """Read and verify the weights file; raises ``WeightsError`` with a message a user can act on."""
    path = Path(path) if path is not None else default_weights_path()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WeightsError(Message.of("voices.model.unreadable", path=str(path), reason=exc.strerror or str(exc))
                           ) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256:
        raise WeightsError(Message.of("voices.model.altered", path=str(path), digest=digest,
                                      expected=expected_sha256))
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        return _assemble(arrays)
    except (ValueError, KeyError, OSError) as exc:  # only reachable if the pinned digest is wrong
        raise WeightsError(Message.of("voices.model.layout", path=str(path), reason=str(exc))) from None


def _take(arrays: dict[str, np.ndarray], name: str, shape: tuple[int, ...]) -> np.ndarray:
    array = arrays[name]
    if array.shape != shape or array.dtype != np.float32:
        raise ValueError(f"{name} is {array.dtype}{array.shape}, expected float32{shape}")
    return array


def _assemble(arrays: dict[str, np.ndarray]) -> Ge2eWeights:
    gates = 4 * HIDDEN
    layers = []
    for n in range(N_LAYERS):
        n_in = N_MELS if n == 0 else HIDDEN
        layers.append(
            LstmLayer(
                weight_ih=_take(arrays, f"lstm.weight_ih_l{n}", (gates, n_in)),
                weight_hh=_take(arrays, f"lstm.weight_hh_l{n}", (gates, HIDDEN)),
                bias_ih=_take(arrays, f"lstm.bias_ih_l{n}", (gates,)),
                bias_hh=_take(arrays, f"lstm.bias_hh_l{n}", (gates,)),
            )
        )
    return Ge2eWeights(
        layers=tuple(layers),
        linear_weight=_take(arrays, "linear.weight", (EMBEDDING, HIDDEN)),
        linear_bias=_take(arrays, "linear.bias", (EMBEDDING,)),
    )
