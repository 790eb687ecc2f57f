"""Emitting signals from Python must not eat references to True (PySide6 6.12.0 defect, Python 3.11)."""

import sys

from PySide6.QtCore import QObject, Signal

from voicearchive.gui import pyside_fixes


class _Emitter(QObject):
    ping = Signal(int)


def test_many_emits_keep_true_alive():
    assert not pyside_fixes.emit_loses_references()
    emitter = _Emitter()
    received: list[int] = []
    emitter.ping.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(20_000):  # several times the references True has: without the fix, an abort
        assert emitter.ping.emit(i) is True
    assert sys.getrefcount(True) >= before
    assert received == list(range(20_000))
