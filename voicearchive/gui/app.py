"""The application: QApplication, palette, translations, calm error handling, and ``run_gui``.

``run_gui(paths, case_path=None, screenshot=None)`` is what the command line calls. With a
``screenshot`` path it opens the archive, waits until the analysis has finished, saves a picture of
the whole window and returns (this works with ``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QLocale, QSize, Qt, QThreadPool, QTimer, QTranslator
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from . import settings

log = logging.getLogger("voicearchive.gui")

# The pipeline's worker thread is busy Python code. Each time the GUI thread comes back from Qt it
# must win the GIL again, by default waiting up to 5 ms; one repaint makes dozens of such trips, so
# a 5 ms interval turns into 100-300 ms stalls while the analysis runs. A shorter interval hands the
# GIL over sooner (measured in benchmarks/bench_gui.py).
GIL_SWITCH_INTERVAL_S = 0.001

SCREENSHOT_TIMEOUT_MS = 15 * 60 * 1000  # a screenshot run never hangs forever
SCREENSHOT_SIZE = QSize(1280, 800)
SCREENSHOT_SETTLE_MS = 400  # let the detail view draw its spectrogram before the grab
# Which tab a screenshot shows (docs/screenshots/make.sh sets it): recordings, voices or timeline.
SCREENSHOT_VIEW_ENV = "VOICEARCHIVE_SCREENSHOT_VIEW"
SCREENSHOT_VIEWS = {"recordings": 0, "voices": 1, "timeline": 2, "words": 3, "problems": 4}
SCREENSHOT_SIZE_ENV = "VOICEARCHIVE_SCREENSHOT_SIZE"  # e.g. "1024x700" (default 1280x800)


def screenshot_size(env: dict | None = None) -> QSize:
    text = (os.environ if env is None else env).get(SCREENSHOT_SIZE_ENV, "")
    try:
        width, height = (int(v) for v in text.lower().split("x"))
        if 320 <= width <= 7680 and 240 <= height <= 4320:
            return QSize(width, height)
    except ValueError:
        pass
    return QSize(SCREENSHOT_SIZE)


def tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once), styled and translated."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(settings.ORGANISATION)
        QCoreApplication.setApplicationName(settings.APPLICATION)
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app.setApplicationDisplayName("VoiceArchive")
    app.setStyle("Fusion")
    apply_palette(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_palette(app))
    install_translators(app)
    _set_icon(app)
    return app


def is_dark(app: QGuiApplication) -> bool:
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def apply_palette(app: QApplication, dark: bool | None = None) -> None:
    """Follow the system's light or dark scheme (Fusion's palettes, with a calm dark variant)."""
    if dark is None:
        dark = is_dark(app)
    if not dark:
        app.setPalette(app.style().standardPalette())
        return
    pal = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f2023",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3a3d41",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#34373b",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff",
        QPalette.ColorRole.PlaceholderText: "#8a8d91",
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7b7e82"))
    app.setPalette(pal)


def install_translators(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Speak the language of ``locale`` (the one chosen in View > Language, else the system's, by default):
    Qt's and VoiceArchive's translations, the core's messages, number and date formats."""
    from .i18n import apply_language

    lang = locale.name().split("_")[0] if locale is not None else None
    return apply_language(app, lang)


def _set_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon

    try:
        from voicearchive.resources import resource

        for candidate in (resource("icons", "voicearchive.svg"), resource("icons", "voicearchive.png")):
            if Path(candidate).is_file():
                app.setWindowIcon(QIcon(str(candidate)))
                return
    except FileNotFoundError:
        return


def install_excepthook(window) -> None:
    """Log unexpected errors and show a calm status message; never a traceback dialog."""

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        try:
            window.show_status(f"{tr('Something went wrong')}: {exc}. {tr('Your labels are safe.')}")
        except Exception:  # noqa: BLE001 - the hook must never raise
            pass

    sys.excepthook = hook


def save_screenshot(window, out: str | Path) -> bool:
    """Grab the whole window into ``out`` (PNG); True if it was written."""
    QThreadPool.globalInstance().waitForDone(5000)
    QApplication.processEvents()
    return window.grab().save(str(out))


def _wait_for(signal, start, timeout_ms: int = 10_000) -> None:
    """Call ``start`` and run the event loop until ``signal`` fires (or the timeout passes)."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(loop.quit)


def run_gui(paths: Sequence[str], case_path: str | None = None, screenshot: str | None = None) -> int:
    """Show the window (the start screen with no paths) and run until it closes; the exit code."""
    if screenshot:  # never written inside the evidence (the command line checked too; other callers may not)
        from voicearchive.case.paths import InsideEvidenceError, check_outside_evidence

        try:
            check_outside_evidence(screenshot, paths, "case.what.screenshot")
        except InsideEvidenceError as exc:
            print(f"voicearchive: {exc}", file=sys.stderr)
            return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Qt Multimedia narrates every stream it opens; the window says itself what matters.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    app = application()
    from .main_window import MainWindow

    window = MainWindow()
    install_excepthook(window)
    window.show()
    if not screenshot:
        if paths:
            QTimer.singleShot(0, lambda: window.open_paths(list(paths), case_path))
        return app.exec()

    result = {"code": 1}
    window.resize(screenshot_size())  # the same picture whatever size the window had last time

    def grab(outcome: str) -> None:
        def finish() -> None:
            # The window can grow while the archive opens (a panel appearing at a narrow width asks for
            # more height): the picture is taken at the size asked for.
            window.resize(screenshot_size())
            QApplication.processEvents()
            view = os.environ.get(SCREENSHOT_VIEW_ENV, "recordings")
            if window.stack.currentWidget() is window.tabs:
                window.tabs.setCurrentIndex(SCREENSHOT_VIEWS.get(view, 0))
                if view == "voices":  # it reads the case file on a thread: wait for what it shows
                    _wait_for(window.voices_view.refreshed, window.voices_view.refresh)
            saved = save_screenshot(window, screenshot)
            if saved:
                print(f"Screenshot saved to {screenshot} ({outcome})")
                result["code"] = 0 if outcome == "done" else 1
            else:
                print(f"voicearchive: could not write {screenshot}", file=sys.stderr)
            window.close()
            app.quit()

        QTimer.singleShot(SCREENSHOT_SETTLE_MS, finish)

    if paths:
        window.analysisFinished.connect(grab)
        QTimer.singleShot(0, lambda: window.open_paths(list(paths), case_path))
    else:
        QTimer.singleShot(SCREENSHOT_SETTLE_MS, lambda: grab("done"))
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: grab("timeout"))
    app.exec()
    return result["code"]
