"""A safety net for PySide6 builds that lose references to ``None`` and ``True`` on Python 3.11.

PySide6 6.12.0 returns ``None`` from every void method (``timer.start()``, ``label.setText()``...)
and ``True`` from ``signal.emit()`` without taking a reference for the caller. Python 3.12 and
later make these singletons immortal, so nothing happens there; on Python 3.11 every such call
removes a reference nobody owned, and after some tens of thousands of calls (a review session,
or the exit after a test run) the interpreter aborts with "Fatal Python error: none_dealloc".
PySide6 6.11.3 does not have the defect: the dependency pin is the real fix. This module is the
net under it: it measures whether the installed PySide6 loses references and, only if it does,
gives each affected singleton a reference count no session can use up, which is what Python
3.12 does for every singleton by design. Importing the module applies it.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer, Signal

_PROBES = 8
HEADROOM = 1 << 40  # references added to a singleton the binding loses references to


class _Probe(QObject):
    ping = Signal()


def lost_singletons() -> list[object]:
    """The singletons the installed PySide6 takes references to that it never owned."""
    lost: list[object] = []
    timer, probe = QTimer(), _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        timer.setInterval(1)  # a void method: returns None
    if before - sys.getrefcount(None) >= _PROBES:
        lost.append(None)
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()  # returns True
    if before - sys.getrefcount(True) >= _PROBES:
        lost += [True, False]
    return lost


def install() -> list[object]:
    """Protect the singletons this PySide6 loses references to; returns the ones protected."""
    if sys.version_info >= (3, 12) or getattr(sys, "_voicearchive_singletons_protected", False):
        return []
    lost = lost_singletons()
    for singleton in lost:
        # ob_refcnt is the first field of every object in a regular CPython 3.11 build.
        ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM
    sys._voicearchive_singletons_protected = True  # type: ignore[attr-defined]
    return lost


install()
