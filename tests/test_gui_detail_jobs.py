"""The detail view's background jobs (spectrogram and waveform) report through a QObject of the GUI thread that
lives as long as the view: no QObject of theirs dies in the pool's threads, and every result arrives.

Before, each job made a QObject of its own that PySide destroyed in the pool's thread after the job ran; when the
jobs had ended before the window's event loop ran (as here, after ``waitForDone``), none of the seven results
arrived, and the view would have said "Reading the audio..." for good."""

from __future__ import annotations

import gc
import io
import threading
import weakref

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QThreadPool

from voicearchive.gui import detail_view

pytestmark = pytest.mark.usefixtures("qapp")


def _wav(seconds: float) -> bytes:
    out = io.BytesIO()
    sf.write(out, (np.random.default_rng(0).standard_normal(int(seconds * 8000)) * 0.1).astype(np.float32), 8000,
             format="WAV")
    return out.getvalue()


def test_every_job_reports_and_no_qobject_dies_outside_the_gui_thread(qtbot, monkeypatch) -> None:
    deaths: list[str] = []
    made: list = []
    real_init = detail_view._JobSignals.__init__

    def init(self, *args) -> None:
        real_init(self, *args)
        made.append(weakref.ref(self, lambda _ref: deaths.append(threading.current_thread().name)))

    monkeypatch.setattr(detail_view._JobSignals, "__init__", init)
    arrived: list[float] = []
    real_ready = detail_view.DetailView._audio_ready

    def ready(self, generation, spec, envelope, duration) -> None:
        arrived.append(duration)
        real_ready(self, generation, spec, envelope, duration)

    monkeypatch.setattr(detail_view.DetailView, "_audio_ready", ready)
    view = detail_view.DetailView()
    for seconds in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
        view.load_audio(_wav(seconds))
    view.load_audio(b"not audio at all")
    QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.waitUntil(lambda: len(arrived) == 7, timeout=10_000)
    assert sorted(arrived) == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]  # the bad one: no spectrogram, no duration
    gc.collect()
    assert len(made) == 1  # the view's relay; no job made a QObject of its own
    assert set(deaths) <= {threading.main_thread().name}  # and none of them died in the pool's threads
