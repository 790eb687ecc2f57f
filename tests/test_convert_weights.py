"""packaging/convert_weights.py reads torch's legacy checkpoint format without torch, and nothing else."""

from __future__ import annotations

import importlib.util
import io
import os
import pickle
import struct
import sys
import types
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "packaging" / "convert_weights.py"


@pytest.fixture(scope="module")
def convert():
    name = "packaging_convert_weights"
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]


class _Storage:
    def __init__(self, key: str, data: np.ndarray) -> None:
        self.key, self.data = key, data


class _Tensor:
    def __init__(self, storage: _Storage, offset: int, shape: tuple, stride: tuple) -> None:
        self.args = (storage, offset, shape, stride, False, OrderedDict())

    def __reduce__(self):
        return (sys.modules["torch._utils"]._rebuild_tensor_v2, self.args)


def _legacy_checkpoint(state: OrderedDict, storages: list[_Storage], monkeypatch) -> bytes:
    """Write the pre-1.6 torch layout with stand-in 'torch' modules (only their names matter)."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    class FloatStorage:
        pass

    def _rebuild_tensor_v2(*args):
        raise AssertionError("never called while writing")

    FloatStorage.__module__, FloatStorage.__qualname__ = "torch", "FloatStorage"
    _rebuild_tensor_v2.__module__, _rebuild_tensor_v2.__qualname__ = "torch._utils", "_rebuild_tensor_v2"
    torch.FloatStorage, utils._rebuild_tensor_v2 = FloatStorage, _rebuild_tensor_v2
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)

    class Writer(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, _Storage):
                return ("storage", FloatStorage, obj.key, "cpu", obj.data.size, None)
            return None

    out = io.BytesIO()
    for header in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True}):
        pickle.dump(header, out, protocol=2)
    Writer(out, protocol=2).dump({"model_state": state, "step": 3})
    pickle.dump([s.key for s in storages], out, protocol=2)
    for s in storages:
        out.write(struct.pack("<q", s.data.size))
        out.write(s.data.astype("<f4").tobytes())
    return out.getvalue()


def test_reads_tensors_with_offsets_and_strides(convert, monkeypatch) -> None:
    flat = np.arange(20, dtype=np.float32)
    shared = _Storage("140", flat)
    state = OrderedDict(
        [
            ("a", _Tensor(shared, 0, (2, 3), (3, 1))),
            ("b_transposed", _Tensor(shared, 6, (3, 2), (1, 3))),
            ("c", _Tensor(shared, 12, (8,), (1,))),
        ]
    )
    tensors = convert.read_legacy_checkpoint(_legacy_checkpoint(state, [shared], monkeypatch))
    assert np.array_equal(tensors["a"], flat[:6].reshape(2, 3))
    assert np.array_equal(tensors["b_transposed"], flat[6:12].reshape(2, 3).T)
    assert np.array_equal(tensors["c"], flat[12:])
    assert all(t.dtype == np.float32 and t.flags.c_contiguous for t in tensors.values())


def test_refuses_any_other_global(convert) -> None:
    out = io.BytesIO()
    for header in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}):
        pickle.dump(header, out, protocol=2)
    out.write(pickle.dumps(os.system, protocol=2))  # what a booby-trapped checkpoint would call
    with pytest.raises(pickle.UnpicklingError, match="refusing global"):
        convert.read_legacy_checkpoint(out.getvalue())


def test_refuses_a_file_that_is_not_a_legacy_checkpoint(convert) -> None:
    with pytest.raises(ValueError, match="legacy"):
        convert.read_legacy_checkpoint(pickle.dumps(12345))


def test_npz_is_reproducible_and_loadable(convert) -> None:
    tensors = {"x": np.ones((2, 2), np.float32), "y": np.arange(3, dtype=np.float32)}
    first, second = convert.write_npz(tensors), convert.write_npz(dict(reversed(tensors.items())))
    assert first == second
    with np.load(io.BytesIO(first), allow_pickle=False) as npz:
        assert np.array_equal(npz["y"], tensors["y"])
