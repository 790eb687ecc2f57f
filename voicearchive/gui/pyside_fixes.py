"""Work-arounds for PySide6 defects that would crash VoiceArchive. Importing this module applies them.

``SignalInstance.emit()`` in PySide6 6.12.0 returns ``True`` without taking a reference to it, so
each signal emitted from Python code takes one reference to ``True`` that nobody owned. Under
Python 3.11, where ``True`` is an ordinary reference-counted object, a few thousand emits later
the interpreter aborts with "Fatal Python error: bool_dealloc" (in a long review session, or at
exit after a test run). The defect is measured, not assumed: a probe signal is emitted a few
times and only if ``True`` loses references is ``emit`` wrapped to give the missing one back.
Giving back a reference can never do harm: at worst ``True`` lives on, as it does anyway.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 8
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def emit_loses_references() -> bool:
    """Whether emitting a signal from Python takes a reference to ``True`` it did not own."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    return before - sys.getrefcount(True) >= _PROBES


def install() -> bool:
    """Wrap ``SignalInstance.emit`` if this PySide6 needs it; True when the wrapper is in place."""
    if getattr(SignalInstance.emit, "__voicearchive_fix__", False):
        return True
    if not emit_loses_references():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: object) -> object:
        result = original(self, *args)
        if result is True or result is False:
            _incref(result)  # the reference PySide6 should have taken for us
        return result

    emit.__voicearchive_fix__ = True  # type: ignore[attr-defined]
    emit.__wrapped__ = original  # type: ignore[attr-defined]
    emit.__doc__ = original.__doc__
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True


install()
