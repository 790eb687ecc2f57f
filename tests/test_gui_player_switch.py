"""Dropping a paused recording never freezes the window (``gui.player``: the old media is stopped and dropped by
queued calls, delivered by Qt without Python's lock, never from Python while Qt's audio renderer tears down in its
own thread): neither when the next recording is chosen (``unload``) nor when the window closes (``release``).

The rounds run in a child process with a time limit, so that the deadlock this guards against fails the test
instead of hanging the suite. Before the change, every one of eight such runs hung within 11-99 rounds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROUNDS = 150
LIMIT_S = 120  # about 15 s are needed; a hang never ends

SCRIPT = r"""
import io, sys
import numpy as np
import soundfile as sf
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from voicearchive.gui.player import Player

out = io.BytesIO()
sf.write(out, (np.random.default_rng(0).standard_normal(3 * 16000) * 0.1).astype(np.float32), 16000, format="WAV")
data = out.getvalue()


def spin(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


played = 0
for r in range(int(sys.argv[1])):
    player = Player()  # a new one each round, as each window of a session or of the tests has
    player.playingChanged.connect(lambda on: None)
    player.load("k", data, "clip.wav")
    spin(30)
    player.play()
    spin(40)
    played += player.playing
    player.pause()
    spin(r % 7)
    if r % 2:
        player.unload()  # as the next recording does
    else:
        player.release()  # as closing the window does
    player.deleteLater()
    spin(1)
print("rounds", r + 1, "played", played, flush=True)
"""


def test_play_pause_and_unload_with_new_players_never_freeze() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES="qt.multimedia.*=false")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROUNDS)], cwd=root, env=env, capture_output=True,
                          text=True, timeout=LIMIT_S)
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1].split()
    assert last[:2] == ["rounds", str(ROUNDS)]
    assert int(last[3]) >= ROUNDS // 2  # it really played (and so built the renderer that tears down)
