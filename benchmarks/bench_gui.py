"""How responsive the window stays: event-loop stalls during analysis, and scrolling 100,000 rows.

    python benchmarks/bench_gui.py [--count 1700] [--rows 100000] [--workers 2] [--skip-analysis]

1. Opens a synthetic Google Takeout of ``--count`` recordings (made by ``make_archive.py`` in a
   temporary folder) in the real main window and measures, while the import and analysis run, how
   late a 10 ms GUI-thread timer fires: every delay is time the event loop could not react.
2. Fills the recordings table with ``--rows`` synthetic rows (thumbnails from an envelope cache) and
   pages through all of it, repainting each page; prints the time per page, and what loading,
   sorting and filtering that many rows costs.

Prints figures; asserts nothing (timings are not tests). Runs offscreen without a display.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

HERE = Path(__file__).resolve().parent
TICK_MS = 10


class StallMeter:
    """A 10 ms timer on the GUI thread; records how late each tick arrives."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.stage = "opening"  # the pipeline stage reported last, to attribute stalls
        self.stalls_by_stage: dict[str, int] = {}
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        elapsed = self._clock.restart()
        delay = max(0.0, elapsed - TICK_MS)
        self.delays.append(delay)
        if delay > 100:
            self.stalls_by_stage[self.stage] = self.stalls_by_stage.get(self.stage, 0) + 1

    def summary(self) -> str:
        d = sorted(self.delays) or [0.0]
        p99 = d[min(len(d) - 1, int(0.99 * len(d)))]
        over = sum(1 for x in d if x > 100)
        by_stage = ", ".join(f"{stage} {n}" for stage, n in self.stalls_by_stage.items()) or "none"
        return (f"ticks {len(d):,}; delay median {statistics.median(d):.1f} ms, p99 {p99:.1f} ms, "
                f"max {d[-1]:.1f} ms; stalls > 100 ms: {over} (by stage: {by_stage})")


def make_takeout(out: Path, count: int) -> Path:
    target = out / "takeout-bench.zip"
    subprocess.run([sys.executable, str(HERE / "make_archive.py"), str(target), str(count), "--seconds", "3",
                    "--kind", "takeout", "--zip"], check=True, stdout=subprocess.DEVNULL)
    return target


def open_as_a_person_would(app: QApplication, window, meter: "StallMeter", paths, case: Path):
    """Open ``paths`` in ``window`` and run the event loop until something calls ``app.quit()`` (connect it to
    ``analysisFinished`` first), moving the selection every 250 ms as a person would (which loads audio each
    time) while ``meter`` attributes the loop's stalls to the stage the pipeline reported last.
    Returns ``(start, seconds, stages seen)``; ``start`` is ``time.perf_counter()`` when the meter started."""
    stages: list[str] = []
    original = window._progressed
    window._progressed = lambda stage, *rest: (setattr(meter, "stage", stage), stages.append(stage),
                                               original(stage, *rest))
    mover = QTimer()
    mover.timeout.connect(lambda: window.review.move(1))
    mover.start(250)
    start = time.perf_counter()
    meter.start()
    QTimer.singleShot(0, lambda: window.open_paths([str(p) for p in paths], str(case)))
    app.exec()
    mover.stop()
    meter.stop()
    return start, time.perf_counter() - start, stages


def bench_analysis(app: QApplication, count: int, workers: int, tmp: Path) -> None:
    from voicearchive.gui.main_window import MainWindow

    t0 = time.perf_counter()
    archive = make_takeout(tmp, count)
    print(f"archive: {count:,} recordings, {archive.stat().st_size / 1e6:.1f} MB, made in {time.perf_counter() - t0:.1f} s")
    window = MainWindow(workers=workers)
    window.resize(1280, 800)
    window.show()
    meter = StallMeter()
    rows_seen: list[tuple[float, int]] = []
    done: list[str] = []
    final_rows: list[int] = []
    window.analysisFinished.connect(
        lambda outcome: (done.append(outcome), final_rows.append(window.model.rowCount()), app.quit()))
    window.model.rowsInserted.connect(lambda *_: rows_seen.append((time.perf_counter(), window.model.rowCount())))
    start, total, _stages = open_as_a_person_would(app, window, meter, [archive], tmp / "bench.vacase")
    first_row = rows_seen[0][0] - start if rows_seen else float("nan")
    print(f"analysis: {done[0]} in {total:.1f} s with {workers} worker process(es); first rows after "
          f"{first_row:.2f} s; {final_rows[0]:,} rows")
    print(f"event loop during import + analysis: {meter.summary()}")
    window.close()


def synthetic_items(n: int):
    from voicearchive.model import AudioFacts, CaseItem, Label, Recording, VoiceResult

    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    rng = np.random.default_rng(0)
    words = ["turn", "on", "the", "lights", "play", "music", "what's", "weather", "stop", "timer", "call", "mum"]
    items = []
    for i in range(n):
        text = " ".join(words[j] for j in rng.integers(0, len(words), 4))
        rec = Recording(key=f"k{i:06d}", archive="/bench", member_path=f"rec/{i:06d}.wav", source_format="audio-folder",
                        sha256=f"{i % 500:064x}", size=48_000, recorded_at=base + timedelta(minutes=7 * i),
                        device=f"Speaker {i % 5}", transcript=text, audio=AudioFacts("wav", 16000, 1, 1 + (i % 9)))
        voice = VoiceResult(rec.key, group=i % 6, group_name=f"Voice {'ABCDEF'[i % 6]}",
                            owner_similarity=float(rng.random()), flagged=bool(i % 3 == 0))
        items.append(CaseItem(rec, Label(rec.key), voice))
    return items


def bench_scrolling(app: QApplication, rows: int) -> None:
    from voicearchive.gui.main_window import MainWindow
    from voicearchive.gui.recordings_model import column
    from voicearchive.gui.recordings_proxy import Filters

    envelopes = {f"{i:064x}": np.stack([-np.abs(np.random.default_rng(i).normal(0, .3, 1000)),
                                        np.abs(np.random.default_rng(i + 1).normal(0, .3, 1000))], 1).astype(np.float32)
                 for i in range(500)}
    window = MainWindow()
    window.resize(1280, 800)
    window.stack.setCurrentWidget(window.tabs)
    window.delegate.set_envelope_source(envelopes.get)
    window.show()
    app.processEvents()
    items = synthetic_items(rows)
    t0 = time.perf_counter()
    window.model.set_items(items)
    app.processEvents()
    load_s = time.perf_counter() - t0
    bar = window.table.verticalScrollBar()
    page = max(1, bar.pageStep())
    frame_ms = []
    for value in range(0, bar.maximum() + 1, page):
        t = time.perf_counter()
        bar.setValue(value)
        window.table.viewport().repaint()
        frame_ms.append((time.perf_counter() - t) * 1000)
    frame_ms.sort()
    print(f"scrolling {rows:,} rows: {len(frame_ms):,} pages of {page} rows; per page median "
          f"{statistics.median(frame_ms):.1f} ms, p99 {frame_ms[int(.99 * (len(frame_ms) - 1))]:.1f} ms, "
          f"max {frame_ms[-1]:.1f} ms; {window.delegate.renders:,} thumbnails rendered; model load {load_s * 1000:.0f} ms")
    t = time.perf_counter()
    window.proxy.sort(column("similarity"), Qt.SortOrder.DescendingOrder)
    app.processEvents()
    sort_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    window.proxy.set_filters(Filters(text="weather"))
    app.processEvents()
    filter_ms = (time.perf_counter() - t) * 1000
    shown = window.proxy.rowCount()
    t = time.perf_counter()
    window.proxy.set_filters(Filters())
    clear_ms = (time.perf_counter() - t) * 1000
    print(f"{rows:,} rows: sort by similarity {sort_ms:.0f} ms; text filter {filter_ms:.0f} ms ({shown:,} shown); "
          f"clearing it {clear_ms:.0f} ms")
    window.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1700)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-analysis", action="store_true")
    args = ap.parse_args()
    from voicearchive.gui import settings
    from voicearchive.gui.app import application

    with tempfile.TemporaryDirectory(prefix="va-bench-gui-") as tmp:
        settings.isolate_settings(Path(tmp) / "settings")
        app = application()
        if not args.skip_analysis:
            bench_analysis(app, args.count, args.workers, Path(tmp))
        bench_scrolling(app, args.rows)


if __name__ == "__main__":
    main()
