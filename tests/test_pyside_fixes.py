"""PySide6 6.12.0 on Python 3.11 loses references to None and True; the app must survive it."""

import sys

from PySide6.QtCore import QObject, QTimer, Signal

from voicearchive.gui import pyside_fixes


class _Emitter(QObject):
    ping = Signal(int)


def test_singletons_outlive_many_void_calls_and_emits():
    for singleton in pyside_fixes.lost_singletons():
        # Either the binding keeps its references, or the net has given the singleton room to spare.
        assert sys.getrefcount(singleton) > pyside_fixes.HEADROOM // 2, singleton
    emitter, timer = _Emitter(), QTimer()
    received: list[int] = []
    emitter.ping.connect(received.append)
    for i in range(20_000):  # several times the references None and True usually have
        timer.setInterval(i % 50 + 1)
        emitter.ping.emit(i)
    assert received == list(range(20_000))
    assert sys.getrefcount(None) > 1_000 and sys.getrefcount(True) > 1_000
