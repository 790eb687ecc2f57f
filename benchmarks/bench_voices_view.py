"""Time the voices and timeline views with 100,000 recordings (prints figures; no assertions).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_voices_view.py [N]
"""

import sys
import time
from datetime import datetime, timedelta, timezone

import numpy as np
from PySide6.QtWidgets import QApplication

from voicearchive.gui.timeline_view import TimelineView
from voicearchive.gui.voices_data import VoicesSnapshot
from voicearchive.gui.voices_view import VoicesView
from voicearchive.model import LOOSE, CaseItem, Label, Recording, VoiceResult


def fixture(n: int, groups: int = 40):
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(groups, 256)).astype(np.float32)
    gid = rng.integers(-1, groups, size=n)
    emb = centres[gid] + 0.7 * rng.normal(size=(n, 256)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    sims = rng.uniform(0.2, 0.95, size=n)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    items, embeddings = [], {}
    for i in range(n):
        key = f"audio/{i:06d}.wav"
        rec = Recording(key, "/evidence", key, LOOSE, sha256=f"{i:064x}",
                        recorded_at=start + timedelta(minutes=7 * i))
        voice = VoiceResult(key, group=int(gid[i]), owner_similarity=float(sims[i]), flagged=bool(sims[i] < 0.75),
                            speech_s=2.0)
        items.append(CaseItem(rec, Label(key), voice))
        embeddings[key] = emb[i]
    return items, embeddings


def timed(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - t0:.3f} s")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    app = QApplication([])
    items, embeddings = timed(f"fixture of {n:,} recordings", lambda: fixture(n))
    snap = timed("VoicesSnapshot.build (groups, PCA map, counter)", lambda: VoicesSnapshot.build(
        items, embeddings, threshold=0.75))
    view = VoicesView()
    view.resize(1400, 850)
    view.show()
    timed("VoicesView.set_snapshot", lambda: view.set_snapshot(snap))
    timed("first paint of the voices view", lambda: (app.processEvents(), view.grab()))
    steps = np.linspace(0.3, 0.9, 200)
    t0 = time.perf_counter()
    for t in steps:
        view.histogram.slider.setValue(int(t * 200))
        app.processEvents()
    print(f"threshold drag step (recount + histogram repaint), mean of 200: "
          f"{(time.perf_counter() - t0) / len(steps) * 1000:.2f} ms")
    t0 = time.perf_counter()
    for t in steps:
        snap.counter.count(float(t))
    print(f"flag count alone, mean: {(time.perf_counter() - t0) / len(steps) * 1e6:.1f} µs")
    timeline = TimelineView(zone=timezone.utc)
    timeline.resize(1400, 850)
    timeline.show()
    timed("TimelineView.set_items + first paint", lambda: (timeline.set_items(items), app.processEvents(),
                                                         timeline.grab()))


if __name__ == "__main__":
    main()
