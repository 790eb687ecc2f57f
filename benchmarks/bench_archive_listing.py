"""Time listing (Tree.open + Listing + importer items) of a large folder and a large zip.

    python benchmarks/bench_archive_listing.py [--n 100000] [--keep DIR]

Builds N small files (every 4th a tiny WAV, the rest text) in a folder and the same tree in one zip, then
prints the seconds to list each (cold: first open; warm: second open, page cache hot) and the peak RSS.
Only the first 64 bytes of each member are read. Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import io
import resource
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import soundfile as sf

from voicearchive.archive import open_archive
from voicearchive.model import Recording


def tiny_wav() -> bytes:
    buf = io.BytesIO()
    sf.write(buf, np.zeros(160, dtype=np.float32), 16000, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def build(base: Path, n: int) -> tuple[Path, Path]:
    folder, archive = base / "pile", base / "pile.zip"
    wav = tiny_wav()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            rel = f"d{i % 100:02d}/f{i:06d}" + (".wav" if i % 4 == 0 else ".txt")
            data = wav if i % 4 == 0 else b"note %d\n" % i
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            zf.writestr(rel, data)
    return folder, archive


def list_once(path: Path) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    with open_archive([path]) as reader:
        items = list(reader.items())
    seconds = time.perf_counter() - t0
    recordings = sum(isinstance(i, Recording) for i in items)
    return seconds, len(reader.listing.members), recordings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        t0 = time.perf_counter()
        folder, archive = build(base, args.n)
        print(f"built {args.n} files in {time.perf_counter() - t0:.1f} s")
        for label, path in (("folder", folder), ("zip", archive)):
            for run in ("first", "second"):
                seconds, members, recordings = list_once(path)
                print(f"{label:6s} {run:6s}: {members} members, {recordings} recordings listed in {seconds:.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
