"""The Words view: what recurs across the archive that is not everyday assistant talk.

Names of people, places, shops and companies, streets, phone numbers and times, each with the number of
recordings that hold it, the voices that said it and where its words came from (vendor, PDF, machine).
Fed by the Qt-free ``voicearchive.transcripts.words``; the terms are counted in a background thread when
the view is shown (a second at 100,000 recordings must not stall the window). Activating a row asks the
window to show those recordings (``termActivated(term, keys)``). Evidence text is shown as plain text.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from voicearchive.messages import render
from voicearchive.model import CaseItem
from voicearchive.transcripts.asr import asr_available
from voicearchive.transcripts.words import Term, build_terms

from . import plain
from .i18n import number

MAX_ROWS = 10_000


def tr(text: str) -> str:
    return QCoreApplication.translate("WordsView", text)


def kind_text(kind: str) -> str:
    return {
        "name": tr("name"), "street": tr("street"), "phone": tr("phone number"), "time": tr("time"),
        "word": tr("word"),
    }.get(kind, kind)


def source_text(source: str) -> str:
    return {"vendor": tr("vendor"), "pdf": tr("PDF"), "machine": tr("machine")}.get(source, source)


class TermsModel(QAbstractTableModel):
    """The terms as a table model: rows are drawn on demand (no item per cell), so 2,000 rows cost nothing."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.terms: list[Term] = []
        self.headers = [tr("Word"), tr("Kind"), tr("Recordings"), tr("Voices"), tr("Source")]

    def set_terms(self, terms: list[Term]) -> None:
        self.beginResetModel()
        self.terms = terms
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 (Qt's names)
        return 0 if parent.isValid() else len(self.terms)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        t, col = self.terms[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DisplayRole:  # words and voices come from evidence: one escaped line
            return plain.line(self._text(t, col, 4))
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(self._text(t, col, 20))
        return None

    @staticmethod
    def _text(t: Term, col: int, voices: int) -> str:
        if col == 0:
            return t.text  # plain text in a view, never rich text: the words come from evidence
        if col == 1:
            return kind_text(t.kind)
        if col == 2:
            return number(t.count)  # "1.234" in German
        if col == 3:
            return ", ".join(f"{name} ({n})" for name, n in t.voices.most_common(voices))
        return ", ".join(source_text(src) for src, _n in t.sources.most_common())


class _Relay(QObject):
    done = Signal(int, object)  # generation, list[Term]


class WordsView(QWidget):
    termActivated = Signal(str, list)  # the term, the keys of the recordings that hold it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Words"))
        self._items: list[CaseItem] = []
        self._terms: list[Term] = []
        self._stale = False
        self._generation = 0
        self._relay = _Relay(self)
        self._relay.done.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        self.summary = QLabel(tr("Words appear here once recordings have transcripts."), self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.model = TermsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Recurring words"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 110), (2, 90), (4, 190)):
            self.table.setColumnWidth(col, width)
        self.table.activated.connect(lambda index: self._activated(index.row(), index.column()))
        self.table.clicked.connect(lambda index: self._activated(index.row(), index.column()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    # --- API ------------------------------------------------------------------------------------------
    def set_items(self, items: Iterable[CaseItem]) -> None:
        """Count the terms of ``items`` (now in the background if visible, else when next shown)."""
        self._items = list(items)
        self._stale = True
        if self.isVisible():
            self._count()

    @property
    def terms(self) -> list[Term]:
        return list(self._terms)

    def wait_for_terms(self, timeout_s: float = 10.0) -> None:
        """For tests and benchmarks: count synchronously (in this thread)."""
        self._stale = False
        self._generation += 1
        self._arrived(self._generation, build_terms(self._items))

    # --- internals -----------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._count()

    def _count(self) -> None:
        self._stale = False
        self._generation += 1
        generation, items, relay = self._generation, self._items, self._relay
        self.summary.setText(tr("Counting words…"))

        def work() -> None:
            try:
                terms = build_terms(items)
            except Exception:  # noqa: BLE001 - a bad transcript must not kill the thread silently
                terms = []
            relay.done.emit(generation, terms)

        threading.Thread(target=work, name="words", daemon=True).start()

    def _arrived(self, generation: int, terms: list[Term]) -> None:
        if generation != self._generation:
            return  # an older count finished after a newer one started
        self._terms = terms
        self.model.set_terms(terms[:MAX_ROWS])
        if terms:
            more = tr(" (the first {0:,} are listed)").replace("{0:,}", number(MAX_ROWS)) if len(terms) > MAX_ROWS else ""
            self.summary.setText(tr("{0:,} words recur in more than one recording; activate one to list "
                                    "those recordings.").replace("{0:,}", number(len(terms))) + more)
        else:
            self.summary.setText(tr("No word recurs in the transcripts yet."))
        missing = asr_available()
        if missing is not None:  # say how to get machine transcripts for recordings without words
            self.summary.setText(f"{self.summary.text()} {render(missing)}")

    def _activated(self, row: int, _col: int) -> None:
        if 0 <= row < len(self._terms):
            t = self._terms[row]
            self.termActivated.emit(t.text, list(dict.fromkeys(t.keys)))
