"""Case file speed: writing recordings, ``items()`` for the GUI, one label action, the member cache.

    python benchmarks/bench_store.py [--sizes 1700 100000] [--repeat 3] [--dir DIR]

For each size: a fresh case file of N synthetic recordings (a third labelled, all with a voice result).
Prints the median of --repeat runs. The label figures compare ``synchronous=FULL`` (what the store uses)
with NORMAL, to show what durability costs per user action. The case files go in a temporary folder
under --dir (default: benchmarks/out, on the same disk as the checkout, so fsync is real). Figures
only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from voicearchive.case.labels import LabelBook
from voicearchive.case.store import CaseStore
from voicearchive.model import ROLE_STRANGER, AudioFacts, Recording, VoiceResult

HERE = Path(__file__).resolve().parent
T0 = datetime(2023, 1, 1, tzinfo=timezone.utc)
BATCH = 500


def recording(i: int) -> Recording:
    return Recording(
        key=f"Takeout/My Activity/Assistant/{i:06d}.mp3",
        archive="/evidence/takeout-20240301T000000Z-001.zip",
        member_path=f"Takeout/My Activity/Assistant/{i:06d}.mp3",
        source_format="google-takeout",
        sha256=f"{i * 2654435761 % 2**64:064x}",
        size=48_000 + i % 1000,
        recorded_at=T0 + timedelta(seconds=(i * 7919) % 31_536_000),
        time_basis="metadata",
        device="Kitchen speaker",
        transcript=f"hey google what's the weather like tomorrow {i}",
        assistant_response="Tomorrow it will be sunny.",
        vendor_speaker_hint="From unrecognized speaker" if i % 9 == 0 else "",
        join="audioFiles",
        audio=AudioFacts("mp3", 24000, 1, 4.0 + i % 5),
        extra={"details": ["Started by hotword"]},
    )


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``fn`` (CPU shows the cost on a machine shared with others)."""
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def fmt(t: tuple[float, float], unit: str = "s") -> str:
    scale = 1000 if unit == "ms" else 1
    return f"{scale * t[0]:.3f} {unit} (CPU {scale * t[1]:.3f} {unit})"


def bench(folder: Path, n: int, repeat: int) -> None:
    path = folder / f"bench-{n}.vacase"
    recs = [recording(i) for i in range(n)]
    with CaseStore(path) as store:
        put_s = timed(lambda: [store.put_recordings(recs[i : i + BATCH]) for i in range(0, n, BATCH)], 1)
        keys = [r.key for r in recs]
        store.put_voice_results(
            [VoiceResult(k, group=i % 4, group_name=f"Voice {i % 4}", owner_similarity=0.5, flagged=i % 4 == 3)
             for i, k in enumerate(keys)],
            [{"id": g} for g in range(4)],
            {"threshold": 0.6},
        )  # fmt: skip
        book = LabelBook(store)
        book.set_role(keys[::3], ROLE_STRANGER)
        items_s = timed(store.items, repeat)
        tracemalloc.start()
        held = store.items()
        items_mb = tracemalloc.get_traced_memory()[0] / 1e6
        tracemalloc.stop()
        del held
        some = keys[:: max(1, n // 100)]
        subset_s = timed(lambda: store.items(some), repeat)
        entries = [("/ev/t.zip", r.member_path, f"fp{i}", r.sha256, r.size, r.audio, "") for i, r in enumerate(recs)]
        cache_put_s = timed(lambda: [store.cache_members(entries[i : i + BATCH]) for i in range(0, n, BATCH)], 1)
        cache_get_s = timed(lambda: store.cached_members((c, p, f) for c, p, f, *_ in entries), repeat)

        label_ms = {}
        for offset, mode in ((0, "NORMAL"), (1, "FULL")):  # FULL last: the store's own setting stays
            store.connection().execute(f"PRAGMA synchronous = {mode}")
            runs = []
            for key in keys[offset : 60 : 2]:
                t0 = time.perf_counter()
                book.set_flag([key], True)
                runs.append(time.perf_counter() - t0)
            label_ms[mode] = 1000 * statistics.median(runs)
        undo_redo = timed(lambda: (book.undo(), book.redo()), 10)
    size_mb = path.stat().st_size / 1e6
    print(f"N = {n:,} recordings (case file {size_mb:.1f} MB)")
    print(f"  put_recordings, batches of {BATCH}: {fmt(put_s)}")
    print(f"  items() all:             {fmt(items_s)}; the list holds {items_mb:.0f} MB")
    print(f"  items(keys) for {len(some)} keys: {fmt(subset_s, 'ms')}")
    print(f"  cache_members, batches of {BATCH}: {fmt(cache_put_s)}")
    print(f"  cached_members, all:     {fmt(cache_get_s)}")
    print(f"  one label action: {label_ms['FULL']:.2f} ms with synchronous=FULL, {label_ms['NORMAL']:.2f} ms NORMAL")
    print(f"  undo then redo: {fmt(undo_redo, 'ms')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1700, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        for n in args.sizes:
            bench(Path(folder), n, args.repeat)


if __name__ == "__main__":
    main()
