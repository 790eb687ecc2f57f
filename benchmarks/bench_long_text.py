"""How long the window takes to show a recording with a 1 MB transcript (issue 9, item 19).

Prints the time of ``DetailView.show_item`` plus one layout pass, with the texts elided as shipped
(``gui/plain.py``) and with elision switched off (what the audit measured: 6.5 s). Figures, not asserts.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python benchmarks/bench_long_text.py
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication

from voicearchive.gui import plain
from voicearchive.gui.detail_view import DetailView
from voicearchive.model import CaseItem, Label, Recording


def measure(view: DetailView, item: CaseItem) -> float:
    view.show_item(None)
    QApplication.processEvents()
    start = time.perf_counter()
    view.show_item(item)
    view.adjustSize()
    QApplication.processEvents()
    return time.perf_counter() - start


def main() -> None:
    app = QApplication.instance() or QApplication([])
    text = "Said " + "long words " * 100_000
    item = CaseItem(Recording("k", "/archive", "a.wav", "audio-folder", transcript=text), Label("k"))
    view = DetailView()
    view.resize(440, 700)
    view.show()
    print(f"transcript: {len(text):,} characters")
    measure(view, item)  # warm-up
    print(f"elided (shipped):  {measure(view, item):.3f} s")
    saved = plain.elide
    plain.elide = lambda value, limit=0: saved(value, 10**9)
    try:
        print(f"not elided:        {measure(view, item):.3f} s")
    finally:
        plain.elide = saved
    view.close()
    app.processEvents()


if __name__ == "__main__":
    main()
