"""One function run off the GUI thread, reporting back through queued signals.

A running job is kept alive here, not by the widget that started it: a view or dialog closed while
its job runs must not take a running QThread down with it. Jobs still running when the application
quits are waited for (they are short: a file's analysis, a read of the case file).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QThread, Signal

from voicearchive.gui import pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)

_running: set["Job"] = set()
_waits_at_quit = False


def error_text(exc: BaseException) -> str:
    """What the user reads of a failure: the core's Message (``exc.message``) in the window's language, else
    the exception's text."""
    from voicearchive.messages import reason_of, render

    return render(reason_of(exc)) or exc.__class__.__name__


class Job(QThread):
    """Runs ``work()`` once on its own thread; ``succeeded(result)`` or ``failed(message)`` follows."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[], object], *, cleanup: Callable[[], None] | None = None) -> None:
        super().__init__()
        self._work, self._cleanup = work, cleanup

    def start(self, *args) -> None:  # noqa: D102 - QThread.start, registering the job first
        global _waits_at_quit
        app = QCoreApplication.instance()
        if app is not None and not _waits_at_quit:
            app.aboutToQuit.connect(wait_for_all)
            _waits_at_quit = True
        _running.add(self)
        # Connected last, so it runs after the slots connected before start(): letting go of the
        # job earlier would drop their queued calls.
        self.finished.connect(self._forget)
        super().start(*args)

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # shown calmly by whoever started the job: never a traceback
            self.failed.emit(error_text(exc))
        else:
            self.succeeded.emit(result)
        finally:
            if self._cleanup is not None:
                self._cleanup()

    def _forget(self) -> None:
        self.wait()  # "finished" is sent just before the thread ends: let it end before letting go
        _running.discard(self)


def wait_for_all() -> None:
    """Block until every running job has finished (at quit, and in tests)."""
    for job in list(_running):
        job.wait()
