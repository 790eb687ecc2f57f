"""The recordings table: a QAbstractTableModel over ``CaseItem`` rows.

Columns are declared once, as data (:data:`COLUMNS`): header, width, how a cell reads and how it
sorts. Sorting happens here, in Python, on native keys (``sorted`` over 100,000 rows takes tens of
milliseconds, where a proxy ``lessThan`` would call into Python millions of times); the proxy only
filters. Updates from the pipeline arrive as batches of items: new keys are appended, known keys get
one targeted ``dataChanged`` per changed row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from voicearchive.model import CaseItem
from voicearchive.transcripts.rows import SOURCE_MACHINE, shown

from . import plain
from .i18n import number, time_basis, ui, when

ItemRole = Qt.ItemDataRole.UserRole + 1  # the CaseItem behind a row (works through the proxy)
SortRole = Qt.ItemDataRole.UserRole + 2  # the native Python sort key
KeyRole = Qt.ItemDataRole.UserRole + 3  # the Recording.key

_Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("RecordingsModel", text)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{number(seconds, '.1f')} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def format_time(dt: datetime | None) -> str:
    """A recording's time in the viewer's local zone, ISO-like and sortable by eye."""
    if dt is None:
        return ""
    return when(dt.astimezone())  # 2026-09-02 15:54:05, in German 02.09.2026 15:54:05


def _duration(item: CaseItem) -> float | None:
    return item.rec.audio.duration_s if item.rec.audio else None


def _similarity(item: CaseItem) -> float | None:
    return item.voice.owner_similarity if item.voice else None


def group_name(item: CaseItem) -> str:
    """The Voice column's text: the user's role, else the analysis's group name."""
    if item.label.role:
        return {"owner": tr("Owner"), "household": tr("Household"), "stranger": tr("Stranger")}[item.label.role]
    if not item.voice:
        return ""
    if item.voice.uncertain:
        return tr("too little speech")
    return ui(item.voice.name or item.voice.group_name) or (tr("unique voice") if item.voice.group < 0 else f"#{item.voice.group}")


def _flag_text(item: CaseItem) -> str:
    return "⚑" if item.flagged else ""


def _transcript(item: CaseItem) -> str:
    if item.rec.problem and not (item.rec.transcript and not item.rec.member_path):
        return ui(item.rec.problem)  # an item without audio (a PDF entry, a table row) shows its words
    s = shown(item.rec, item.machine)  # type: ignore[arg-type]
    # A list cell shows one line: the first LIST_LIMIT characters are all it can show (a 1 MB text stalls it)
    text = s.text[: plain.LIST_LIMIT] if len(s.text) > plain.LIST_LIMIT else s.text
    if s.source == SOURCE_MACHINE:  # machine words are always marked as such
        mark = tr("(machine, uncertain)") if s.low_confidence else tr("(machine)")
        return f"{mark} {text}".replace("\n", " ")
    return text.replace("\n", " ")


def _file_name(item: CaseItem) -> str:
    return item.rec.member_path.rsplit("/", 1)[-1] if item.rec.member_path else item.rec.key


def _none_last(value: Any) -> tuple[bool, Any]:
    """A sort key ``(missing, value)``; rows with missing values stay last in either order."""
    return (value is None or value == "", value if value is not None else 0)


@dataclass(frozen=True)
class Column:
    id: str
    header: str
    width: int
    text: Callable[[CaseItem], str]
    sort_key: Callable[[CaseItem], tuple[bool, Any]]  # (missing, native value): missing rows sort last
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: Callable[[CaseItem], str] | None = None


_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter

COLUMNS: tuple[Column, ...] = (
    Column("flag", "⚑", 28, _flag_text, lambda i: (False, (not i.flagged, i.rec.key)), _CENTER,
           lambda i: ui(i.flag_reason)),
    Column("time", "Time", 138, lambda i: format_time(i.rec.recorded_at),
           lambda i: _none_last(i.rec.recorded_at.timestamp() if i.rec.recorded_at else None),
           tooltip=lambda i: f"{tr('Time')} {time_basis(i.rec.time_basis)}" if i.rec.time_basis else ""),
    Column("device", "Device", 64, lambda i: i.rec.device, lambda i: _none_last(i.rec.device.casefold())),
    Column("duration", "Duration", 60, lambda i: format_duration(_duration(i)),
           lambda i: _none_last(_duration(i)), _RIGHT),
    Column("waveform", "Waveform", 110, lambda i: "", lambda i: _none_last(_duration(i))),
    Column("transcript", "Transcript", 184, _transcript, lambda i: _none_last(_transcript(i).casefold()),
           tooltip=lambda i: _transcript(i)),
    Column("voice", "Voice", 96, group_name, lambda i: _none_last(group_name(i).casefold())),
    Column("similarity", "Owner similarity", 110,
           lambda i: "" if _similarity(i) is None else number(_similarity(i), ".2f"),
           lambda i: _none_last(_similarity(i)), _RIGHT),
    Column("note", "Note", 160, lambda i: i.label.note.replace("\n", " "),
           lambda i: _none_last(i.label.note.casefold()), tooltip=lambda i: i.label.note),
    Column("file", "File", 160, _file_name, lambda i: (False, _file_name(i).casefold()),
           tooltip=lambda i: f"{i.rec.archive}: {i.rec.member_path}" if i.rec.member_path else i.rec.archive),
)
COLUMN_IDS = tuple(c.id for c in COLUMNS)


def column(column_id: str) -> int:
    """The index of a column by id."""
    return COLUMN_IDS.index(column_id)


class RecordingsModel(QAbstractTableModel):
    """All recordings of the open case, in the current sort order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[CaseItem] = []
        self._rows: dict[str, int] = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # --- reading ------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        col = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(col.header)
        if role == Qt.ItemDataRole.ToolTipRole and col.id == "flag":
            return tr("Flagged: probably not the owner's voice")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.align
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self._items[index.row()]
        col = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(item)
        if role == ItemRole:
            return item
        if role == KeyRole:
            return item.rec.key
        if role == SortRole:
            return col.sort_key(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain.tooltip(col.tooltip(item)) if col.tooltip else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.align
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.rec.problem and col.id == "transcript":
                return QBrush(_problem_colour())
            if col.id == "flag" and item.flagged:
                return QBrush(_flag_colour())
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return col.text(item) or col.header
        return None

    def item(self, row: int) -> CaseItem:
        return self._items[row]

    def items(self) -> Sequence[CaseItem]:
        return self._items

    def row_of(self, key: str) -> int:
        """The row of ``key`` or -1."""
        return self._rows.get(key, -1)

    def item_by_key(self, key: str) -> CaseItem | None:
        row = self._rows.get(key, -1)
        return self._items[row] if row >= 0 else None

    # --- writing ------------------------------------------------------------------------------
    def set_items(self, items: Iterable[CaseItem]) -> None:
        """Replace every row (opening a case)."""
        self.beginResetModel()
        self._items = list(items)
        if self._sort_column >= 0:
            self._items = [self._items[r] for r in self._sorted_rows(self._items)]
        self._reindex()
        self.endResetModel()

    def upsert(self, items: Iterable[CaseItem]) -> None:
        """Add new recordings and refresh known ones with a targeted ``dataChanged`` per row."""
        new: list[CaseItem] = []
        changed: list[int] = []
        for item in items:
            row = self._rows.get(item.rec.key)
            if row is None:
                new.append(item)
            else:
                self._items[row] = item
                changed.append(row)
        last = len(COLUMNS) - 1
        for first_row, last_row in _runs(sorted(changed)):
            self.dataChanged.emit(self.index(first_row, 0), self.index(last_row, last))
        if new:
            start = len(self._items)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._items.extend(new)
            for offset, item in enumerate(new):
                self._rows[item.rec.key] = start + offset
            self.endInsertRows()
        if self._sort_column >= 0 and (new or changed):
            self._resort()

    def clear(self) -> None:
        self.set_items([])

    # --- sorting ------------------------------------------------------------------------------
    def sort(self, column_index: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column_index
        self._sort_order = order
        if column_index >= 0:
            self._resort()

    def _resort(self) -> None:
        order = self._sorted_rows(self._items)
        if order == list(range(len(order))):
            return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        new_row_of_old = [0] * len(order)
        for new_row, old_row in enumerate(order):
            new_row_of_old[old_row] = new_row
        self._items = [self._items[r] for r in order]
        self._reindex()
        self.changePersistentIndexList(
            old_persistent,
            [self.index(new_row_of_old[i.row()], i.column()) if i.isValid() else QModelIndex()
             for i in old_persistent],
        )
        self.layoutChanged.emit()

    def _sorted_rows(self, items: Sequence[CaseItem]) -> list[int]:
        """Row numbers in the current order: present values sorted, then rows missing a value."""
        key = COLUMNS[self._sort_column].sort_key
        keys = [key(item) for item in items]
        present = [r for r, k in enumerate(keys) if not k[0]]
        missing = [r for r, k in enumerate(keys) if k[0]]
        present.sort(key=lambda r: keys[r][1], reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        return present + missing

    def _reindex(self) -> None:
        self._rows = {item.rec.key: row for row, item in enumerate(self._items)}


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    """Consecutive runs of sorted row numbers as (first, last)."""
    start = prev = None
    for row in rows:
        if start is None:
            start = prev = row
        elif row == prev + 1:
            prev = row
        else:
            yield start, prev
            start = prev = row
    if start is not None:
        yield start, prev


def _is_dark() -> bool:
    app = QApplication.instance()
    return bool(app) and app.palette().color(QPalette.ColorRole.Base).lightness() < 128


def _flag_colour() -> QColor:
    return QColor("#ff7a6b") if _is_dark() else QColor("#c0392b")


def _problem_colour() -> QColor:
    return QColor("#f0a35e") if _is_dark() else QColor("#a15c00")
