"""Shared pieces of the main-window tests: small WAV folders, an isolated window, waiting for work.

Fixture archives are made here with soundfile in ``tmp_path``: a few short tones (distinct lengths
and pitches, so rows differ), plus an optional file that only pretends to be audio. Nothing reads
``/work/shared`` or the user's real settings.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

RATE = 16000
ANALYSIS_TIMEOUT_MS = 90_000  # generous: two cores are shared with other test runs


def wav(seconds: float, freq: float, seed: int = 0) -> bytes:
    """A tone with a soft attack and a little noise, as WAV bytes."""
    t = np.arange(int(seconds * RATE)) / RATE
    rng = np.random.default_rng(seed)
    signal = 0.3 * np.sin(2 * np.pi * freq * t) * np.minimum(1.0, t * 8) + rng.normal(0, 0.01, t.size)
    buf = io.BytesIO()
    sf.write(buf, signal.astype(np.float32), RATE, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def make_wav_folder(root: Path, count: int = 5, *, broken: bool = True) -> Path:
    """``root`` with ``count`` tones ``clip-00.wav``... and, if ``broken``, ``broken.wav`` (not audio)."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / f"clip-{i:02d}.wav").write_bytes(wav(0.6 + 0.2 * i, 180.0 + 40.0 * i, seed=i))
    if broken:
        # RIFF magic so it is listed as audio, then nothing a decoder can use.
        (root / "broken.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEjunk" + bytes(64))
    return root


@pytest.fixture
def isolated_settings(tmp_path):
    """QSettings of this test live in its own folder (recent archives, geometry)."""
    from voicearchive.gui import settings

    folder = tmp_path / "qsettings"
    folder.mkdir()
    settings.isolate_settings(folder)
    settings.settings().clear()
    return folder


@pytest.fixture
def window(qtbot, isolated_settings):
    """A real main window, shown and active (so window shortcuts fire), analysis in-process."""
    from voicearchive.gui.main_window import MainWindow

    win = MainWindow(workers=1)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    yield win
    win.close_case()


def open_and_wait(qtbot, win, paths, case_path) -> str:
    """Open ``paths`` and wait until every background job has finished; returns the outcome."""
    with qtbot.waitSignal(win.analysisFinished, timeout=ANALYSIS_TIMEOUT_MS) as blocker:
        win.open_paths([str(p) for p in paths], str(case_path))
    return blocker.args[0]


def wait_idle(qtbot, win) -> None:
    """Wait until no background job runs and none is scheduled (e.g. a voices update after a mark)."""
    qtbot.waitUntil(lambda: win.worker is None and not win._voices_pending and not win._voices_timer.isActive(),
                    timeout=ANALYSIS_TIMEOUT_MS)


def press(qtbot, win, key, modifier=None) -> None:
    """Press ``key`` where the recordings table has focus, as a reviewer would."""
    from PySide6.QtCore import Qt

    win.table.setFocus()
    qtbot.keyClick(win.table, key, modifier or Qt.KeyboardModifier.NoModifier)


def view_cells(root, roles, max_rows: int = 200):
    """``(view, row, col, role, value)`` for every cell of every item view under ``root`` (its first
    ``max_rows`` rows) and each of ``roles``: what a walk over "everything the window shows" reads."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QAbstractItemView

    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:  # a list model hides it: one column
            columns = 1
        for row in range(min(model.rowCount(QModelIndex()), max_rows)):
            for col in range(columns):
                index = model.index(row, col)
                for role in roles:
                    yield view, row, col, role, index.data(role)
