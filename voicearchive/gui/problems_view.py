"""The Problems tab: every file of the archive that could not be read, and why, searchable.

A leak's folder may hold a dozen files named ``.wav`` that are not audio; the recordings list shows only
what could be listed as a recording, so this view names the rest: files the listing could not read
(``CaseStore.problems()``), recordings whose audio could not be read or decoded, and recordings gone
from the archive since an earlier scan. Counts per kind stand above the table; the search field filters
on any column; activating a row that belongs to a recording selects it in the recordings list. Every
text is evidence and shown as plain text (a table cell is never rich text; tooltips go through
``plain.tooltip``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from voicearchive.messages import render
from voicearchive.model import CaseItem, Problem

from . import plain
from .i18n import number

KIND_FILE = "file"  # the listing could not read it (not audio, damaged, unsupported...)
KIND_AUDIO = "audio"  # a recording whose audio could not be read or decoded
KIND_GONE = "gone"  # a recording of an earlier scan no longer in the archive


def tr(text: str) -> str:
    return QCoreApplication.translate("ProblemsView", text)


def _headers() -> tuple[str, ...]:  # literal tr() calls, so packaging/update_translations.py keeps them
    return (tr("Kind"), tr("Archive"), tr("File"), tr("Problem"))


class ProblemRow(NamedTuple):
    kind: str
    archive: str
    member_path: str
    message: str
    key: str  # the recording's key, "" for a file that is no recording


def problem_rows(problems: Sequence[Problem], items: Sequence[CaseItem]) -> list[ProblemRow]:
    """Every problem as a row: the listing's problems, then recordings with bad audio, then gone ones."""
    rows = [ProblemRow(KIND_FILE, str(p.archive), p.member_path, render(p.message), "") for p in problems]
    for item in items:
        rec = item.rec
        if rec.problem and (rec.member_path or rec.extra.get("gone")):
            kind = KIND_GONE if rec.extra.get("gone") else KIND_AUDIO
            rows.append(ProblemRow(kind, rec.archive, rec.member_path, render(rec.problem), rec.key))
    return rows


class ProblemsModel(QAbstractTableModel):
    HEADERS = ("Kind", "Archive", "File", "Problem")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ProblemRow] = []

    def set_rows(self, rows: list[ProblemRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ProblemRow]:
        return self._rows

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _headers()[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (_kind_text(row.kind), row.archive, row.member_path, row.message)[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain.tooltip(text)
            return plain.line(text.replace("\n", " "))
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


def _kind_text(kind: str) -> str:
    return {KIND_FILE: tr("not read"), KIND_AUDIO: tr("bad audio"), KIND_GONE: tr("gone")}.get(kind, kind)


class _SearchProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._needle = ""

    def set_needle(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter is deprecated there
            self.beginFilterChange()
            self._needle = text.casefold().strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self._needle = text.casefold().strip()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        if not self._needle:
            return True
        row = self.sourceModel().rows()[source_row]
        haystack = f"{_kind_text(row.kind)}\n{row.archive}\n{row.member_path}\n{row.message}".casefold()
        return self._needle in haystack


class ProblemsView(QWidget):
    """Every file that could not be read; emits ``recordingActivated(key)`` for rows of a recording."""

    recordingActivated = Signal(str)
    countChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Problems"))
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(tr("Problem counts"))
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Search the problems (file name, archive, reason)"))
        self.search.setAccessibleName(tr("Search the problems"))
        self.search.setClearButtonEnabled(True)
        self.model = ProblemsModel(self)
        self.proxy = _SearchProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("problems")
        self.table.setAccessibleName(tr("Problems"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((1, 220), (2, 260)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(self._search)
        self.table.activated.connect(self._activated)
        self.set_rows([])

    def set_rows(self, rows: list[ProblemRow]) -> None:
        self.model.set_rows(rows)
        self._update_summary()
        self.countChanged.emit(len(rows))

    def set_case(self, problems: Sequence[Problem], items: Sequence[CaseItem]) -> None:
        self.set_rows(problem_rows(problems, items))

    def count(self) -> int:
        return self.model.rowCount()

    def title(self) -> str:
        """The tab's title: "Problems (12)"."""
        n = self.count()
        return tr("Problems (%1)").replace("%1", number(n)) if n else tr("Problems")

    def _search(self, text: str) -> None:
        self.proxy.set_needle(text)
        self._update_summary()

    def _update_summary(self) -> None:
        rows = self.model.rows()
        if not rows:
            self.summary.setText(tr("Every file of the archive could be read."))
            return
        kinds = {k: sum(1 for r in rows if r.kind == k) for k in (KIND_FILE, KIND_AUDIO, KIND_GONE)}

        def counted(n: int, one: str, many: str) -> str:  # "1 problem" / "12 problems", in the language's grammar
            return one if n == 1 else many.replace("%1", number(n))

        text = tr("%1: %2, %3, %4.").replace("%1", counted(len(rows), tr("1 problem"), tr("%1 problems"))).replace(
            "%2", counted(kinds[KIND_FILE], tr("1 file not read"), tr("%1 files not read"))).replace(
            "%3", counted(kinds[KIND_AUDIO], tr("1 recording with bad audio"), tr("%1 recordings with bad audio"))).replace(
            "%4", counted(kinds[KIND_GONE], tr("1 gone since the last scan"), tr("%1 gone since the last scan")))
        shown = self.proxy.rowCount()
        if shown != len(rows):
            text += " " + tr("Showing %1.").replace("%1", number(shown))
        self.summary.setText(text)

    def _activated(self, index: QModelIndex) -> None:
        row = self.proxy.data(index, Qt.ItemDataRole.UserRole)
        if row is not None and row.key:
            self.recordingActivated.emit(row.key)
