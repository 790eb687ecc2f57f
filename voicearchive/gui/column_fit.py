"""The recordings list's columns at any window width: the key columns always in view.

At 1024 px the list pane is about 650 px wide; with every column at its natural width the Owner score needed
horizontal scrolling. So the default order puts the Owner score right after the Transcript, and the Transcript
(the one column that elides well: its whole text is in the tooltip and the detail view) takes what the other
key columns leave: it shrinks to ``MIN_TRANSCRIPT`` before they scroll, and in a wider pane it leaves room for
the next columns (Voice, then Note...) as long as it keeps ``ROOMY_TRANSCRIPT``. Once
the user sizes a column by hand, or a case brings back its own layout, the columns are theirs and are left
alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

MIN_TRANSCRIPT = 140  # px: about 22 characters, still readable; less and the pane scrolls instead
ROOMY_TRANSCRIPT = 220  # px: a wider pane brings the next columns (Voice, Note...) in view while this is left
MAX_TRANSCRIPT = 520  # px: wider helps no one; the Note and File columns get the rest
FIT_COLUMNS = ("flag", "time", "device", "duration", "waveform", "transcript", "similarity")  # in view at 1024 px


class ColumnFitter(QObject):
    """Keeps ``transcript`` as wide as the pane allows with every column of ``FIT_COLUMNS`` in view."""

    def __init__(self, table: QTableView, column_of, transcript: str = "transcript", last: str = "similarity"):
        super().__init__(table)
        self.table, self.column_of = table, column_of
        self.transcript, self.last = column_of(transcript), column_of(last)
        self.auto = True  # False once the user (or a restored layout) decided the widths
        self._fitting = False
        header = table.horizontalHeader()
        header.sectionResized.connect(self._resized)
        table.viewport().installEventFilter(self)

    def put_after(self, moved: str, anchor: str) -> None:
        """Default order: ``moved`` right after ``anchor`` (visual order; the model's columns stay)."""
        header = self.table.horizontalHeader()
        self._fitting = True
        try:
            header.moveSection(header.visualIndex(self.column_of(moved)), header.visualIndex(self.column_of(anchor)) + 1)
        finally:
            self._fitting = False

    def stop(self) -> None:
        """The columns are the user's from now on (a case restored its layout)."""
        self.auto = False

    def fit(self) -> None:
        """Size the transcript column so that the key columns end inside the pane."""
        if not self.auto:
            return
        header: QHeaderView = self.table.horizontalHeader()
        end = header.visualIndex(self.last)
        if end < 0 or header.visualIndex(self.transcript) > end:
            return
        room = self.table.viewport().width() - 2

        def others(upto: int) -> int:  # the widths of the columns up to visual index ``upto``, but the transcript's
            return sum(header.sectionSize(header.logicalIndex(v)) for v in range(upto + 1)
                       if header.logicalIndex(v) != self.transcript and not header.isSectionHidden(header.logicalIndex(v)))

        # the last column of the stretch after the key ones that still leaves the transcript roomy
        while end + 1 < header.count() - 1 and room - others(end + 1) >= ROOMY_TRANSCRIPT:
            end += 1
        width = max(MIN_TRANSCRIPT, min(MAX_TRANSCRIPT, room - others(end)))
        if width != header.sectionSize(self.transcript):
            self._fitting = True
            try:
                header.resizeSection(self.transcript, width)
            finally:
                self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self.fit()
        return False

    def _resized(self, _index: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self.auto = False  # a hand-sized column: never fitted again
