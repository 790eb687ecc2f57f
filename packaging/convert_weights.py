"""Convert Resemblyzer's GE2E checkpoint into the numpy weights VoiceArchive ships.

Source: ``resemblyzer/pretrained.pt`` of the PyPI package ``resemblyzer==0.1.4`` (Resemble AI,
Apache-2.0). The checkpoint uses torch's legacy (pre-1.6) serialisation: a few small pickles,
then the main pickle whose tensors point at "storages" by key, then the list of storage keys,
then each storage's raw bytes. This script reads that format with a restricted
``pickle.Unpickler`` (only the handful of globals a state dict needs; anything else is refused)
and numpy alone: torch is neither needed nor imported.

Usage (from the repository root)::

    pip download --no-deps resemblyzer==0.1.4 -d /tmp/rz
    python packaging/convert_weights.py /tmp/rz/resemblyzer-0.1.4-py3-none-any.whl

The argument may be the wheel or ``pretrained.pt`` itself. It writes
``resources/models/ge2e-resemblyzer.npz`` (byte-for-byte reproducible) and
``resources/models/SHA256`` (digests of the source checkpoint and of the converted file), and
prints the digest that ``voicearchive/voices/weights.py`` pins.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import pickle
import struct
import sys
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
WHEEL_MEMBER = "resemblyzer/pretrained.pt"
OUT_NAME = "ge2e-resemblyzer.npz"

# The parameters VoiceArchive keeps, with their expected shapes (PyTorch's own layout).
# The checkpoint also holds the GE2E loss's similarity_weight/bias, which inference never uses.
EXPECTED_SHAPES: dict[str, tuple[int, ...]] = {
    "lstm.weight_ih_l0": (1024, 40),
    "lstm.weight_hh_l0": (1024, 256),
    "lstm.bias_ih_l0": (1024,),
    "lstm.bias_hh_l0": (1024,),
    "lstm.weight_ih_l1": (1024, 256),
    "lstm.weight_hh_l1": (1024, 256),
    "lstm.bias_ih_l1": (1024,),
    "lstm.bias_hh_l1": (1024,),
    "lstm.weight_ih_l2": (1024, 256),
    "lstm.weight_hh_l2": (1024, 256),
    "lstm.bias_ih_l2": (1024,),
    "lstm.bias_hh_l2": (1024,),
    "linear.weight": (256, 256),
    "linear.bias": (256,),
}


@dataclass(frozen=True)
class _StorageRef:
    key: str
    numel: int


@dataclass(frozen=True)
class _TensorRef:
    storage: _StorageRef
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, hooks=None, *_):
    return _TensorRef(storage, int(storage_offset), tuple(size), tuple(stride))


_FLOAT_STORAGE = object()  # stands in for torch.FloatStorage, the only storage type accepted

_ALLOWED_GLOBALS = {
    ("collections", "OrderedDict"): OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch", "FloatStorage"): _FLOAT_STORAGE,
}


class _RestrictedUnpickler(pickle.Unpickler):
    """Resolves only the globals a float32 state dict needs; everything else is an error."""

    def find_class(self, module: str, name: str):
        try:
            return _ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"refusing global {module}.{name} in the checkpoint") from None

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 6 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        _, storage_type, key, _location, numel, view = pid
        if storage_type is not _FLOAT_STORAGE or view is not None:
            raise pickle.UnpicklingError("only plain float32 storages are supported")
        return _StorageRef(str(key), int(numel))


def _load(stream: io.BufferedIOBase):
    return _RestrictedUnpickler(stream).load()


def read_legacy_checkpoint(data: bytes) -> dict[str, np.ndarray]:
    """Return every float32 tensor of ``model_state`` in a legacy torch checkpoint as numpy."""
    stream = io.BytesIO(data)
    if _load(stream) != LEGACY_MAGIC:
        raise ValueError("not a legacy (pre-1.6) torch checkpoint")
    if _load(stream) != LEGACY_PROTOCOL:
        raise ValueError("unsupported legacy torch protocol version")
    sys_info = _load(stream)
    if not sys_info.get("little_endian", False):
        raise ValueError("big-endian checkpoints are not supported")
    checkpoint = _load(stream)
    storage_keys = _load(stream)

    storages: dict[str, np.ndarray] = {}
    for key in storage_keys:
        (numel,) = struct.unpack("<q", stream.read(8))
        raw = stream.read(numel * 4)
        if len(raw) != numel * 4:
            raise ValueError(f"checkpoint truncated inside storage {key}")
        storages[key] = np.frombuffer(raw, dtype="<f4")

    tensors: dict[str, np.ndarray] = {}
    for name, ref in checkpoint["model_state"].items():
        if not isinstance(ref, _TensorRef):
            continue
        storage = storages[ref.storage.key]
        view = np.lib.stride_tricks.as_strided(
            storage[ref.offset :],
            shape=ref.shape,
            strides=tuple(s * storage.itemsize for s in ref.stride),
            writeable=False,
        )
        tensors[name] = np.ascontiguousarray(view, dtype=np.float32)
    return tensors


def write_npz(tensors: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` that ``numpy.load`` reads, stored uncompressed with fixed timestamps, so its SHA-256
    does not depend on the zlib or numpy version."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(tensors):
            member = io.BytesIO()
            np.lib.format.write_array(member, tensors[name], allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            zf.writestr(info, member.getvalue())
    return buf.getvalue()


def read_source(path: Path) -> bytes:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            return wheel.read(WHEEL_MEMBER)
    return path.read_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="resemblyzer-0.1.4 wheel or its pretrained.pt")
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "resources" / "models",
    )
    args = parser.parse_args(argv)

    checkpoint = read_source(args.source)
    tensors = read_legacy_checkpoint(checkpoint)
    kept = {}
    for name, shape in EXPECTED_SHAPES.items():
        if name not in tensors:
            raise SystemExit(f"{name} is missing from the checkpoint")
        if tensors[name].shape != shape:
            raise SystemExit(f"{name} has shape {tensors[name].shape}, expected {shape}")
        kept[name] = tensors[name]

    npz = write_npz(kept)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / OUT_NAME).write_bytes(npz)
    src_sha = hashlib.sha256(checkpoint).hexdigest()
    out_sha = hashlib.sha256(npz).hexdigest()
    (args.out_dir / "SHA256").write_text(
        f"{src_sha}  resemblyzer-0.1.4/{WHEEL_MEMBER} (source checkpoint)\n{out_sha}  {OUT_NAME}\n"
    )
    n_params = sum(a.size for a in kept.values())
    print(f"source  {src_sha}  {WHEEL_MEMBER}")
    print(f"wrote   {out_sha}  {args.out_dir / OUT_NAME} ({n_params} parameters, {len(npz)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
