"""The recordings table: a QAbstractTableModel over ``CaseItem`` rows.

Columns are declared once, as data (:data:`COLUMNS`): header, width, how a cell reads and how it
sorts. Sorting happens here, in Python, on native keys (``sorted`` over 100,000 rows takes tens of
milliseconds, where a proxy ``lessThan`` would call into Python millions of times); the proxy only
filters. Updates from the pipeline arrive as batches of items: new keys are appended, known keys get
one targeted ``dataChanged`` per changed row.
"""

from __future__ import annotations

from collections import Counter
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

from voicearchive.model import ANALYSIS_PENDING, CaseItem
from voicearchive.transcripts.rows import SOURCE_MACHINE, shown

from . import plain
from .i18n import number, time_basis, ui, when
from .search_text import match_text

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
    """The owner score the threshold is compared with (so the column, the filter and the flag agree)."""
    return item.voice.deciding_score if item.voice else None


def group_name(item: CaseItem) -> str:
    """The Voice column's text: the user's role, else the analysis's group name."""
    if item.label.role:
        return {"owner": tr("Owner"), "household": tr("Household"), "stranger": tr("Stranger")}[item.label.role]
    if not item.voice:
        return ""
    if item.voice.uncertain:
        return tr("too little speech")
    return ui(item.voice.name or item.voice.group_name) or (tr("unique voice") if item.voice.group < 0 else f"#{item.voice.group}")


def voice_text(item: CaseItem) -> str:
    """The Voice column: the voice's name, "not analysed yet", and a mark when another voice speaks too."""
    name = group_name(item)
    if not name and item.analysis_state == ANALYSIS_PENDING:
        return tr("not analysed yet")
    if item.voice is not None and item.voice.other_voice_spans:
        name = f"{name} {tr('+ another voice')}".strip()
    return name


def _voice_tooltip(item: CaseItem) -> str:
    spans = item.voice.other_voice_spans if item.voice else []
    if not spans:
        return ""
    where = ", ".join(f"{format_duration(a)}–{format_duration(b)}" for a, b in spans)
    return tr("Another voice speaks in this recording: %1").replace("%1", where)


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


def _path_parts(item: CaseItem) -> list[str]:
    """The archive's name, then the member's folders and name: what tells two files apart."""
    archive = item.rec.archive.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    member = item.rec.member_path.replace("!/", "/")
    return [archive, *[p for p in member.split("/") if p]] if member else [archive, item.rec.key]


def distinct_labels(items: Sequence[CaseItem]) -> list[str]:
    """The shortest end of each item's path that no other item of ``items`` shares ("…/kitchen/own9.wav").

    One count of path ends per depth (not a comparison of every pair): 100,000 files of one name cost
    a few passes over them.
    """
    parts = [_path_parts(i) for i in items]
    depths = [1] * len(parts)
    open_rows = list(range(len(parts)))
    depth = 1
    while open_rows:
        ends = Counter(tuple(p[-depth:]) for p in parts)
        still = []
        for n in open_rows:
            if ends[tuple(parts[n][-depth:])] > 1 and depth < len(parts[n]):
                still.append(n)
            else:
                depths[n] = depth
        open_rows, depth = still, depth + 1
    labels = []
    for mine, d in zip(parts, depths):
        label = "/".join(mine[-d:])
        labels.append(label if d >= len(mine) - 1 else "…/" + label)
    return labels


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
    Column("device", "Device", 72, lambda i: i.rec.device, lambda i: _none_last(i.rec.device.casefold())),
    Column("duration", "Duration", 56, lambda i: format_duration(_duration(i)),
           lambda i: _none_last(_duration(i)), _RIGHT),
    Column("waveform", "Waveform", 80, lambda i: "", lambda i: _none_last(_duration(i))),
    Column("transcript", "Transcript", 184, _transcript, lambda i: _none_last(_transcript(i).casefold()),
           tooltip=lambda i: _transcript(i)),
    Column("voice", "Voice", 96, voice_text, lambda i: _none_last(group_name(i).casefold()),
           tooltip=_voice_tooltip),
    Column("similarity", "Owner score", 84,
           lambda i: "" if _similarity(i) is None else number(_similarity(i), ".2f"),
           lambda i: _none_last(_similarity(i)), _RIGHT),
    Column("note", "Note", 160, lambda i: i.label.note.replace("\n", " "),
           lambda i: _none_last(i.label.note.casefold()), tooltip=lambda i: i.label.note),
    # The text is the model's (``file_label``): the base name, with as many folders as tell it apart.
    Column("file", "File", 200, _file_name, lambda i: (False, (i.rec.archive, i.rec.member_path.casefold())),
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
        self._same_name: dict[str, list[str]] = {}  # a base name several rows share -> their keys
        self._name_count: Counter[str] = Counter()  # base name -> rows that have it
        self._first_key: dict[str, str] = {}  # base name -> the first row's key
        self._file_labels: dict[str, str] = {}  # key -> File column text, for names that several rows share
        self._dirty_names: set[str] = set()  # shared names whose labels must be recomputed
        self._search = ""  # the list's search text (tooltips say where it matched)

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
        if role == Qt.ItemDataRole.DisplayRole:  # one line, controls and bidi escaped (plain.line)
            return plain.line(self.file_label(item) if col.id == "file" else col.text(item))
        if role == ItemRole:
            return item
        if role == KeyRole:
            return item.rec.key
        if role == SortRole:
            return col.sort_key(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.tooltip_text(item, index.column())
            if self._search:  # why the search let the row through
                tip = "\n".join(t for t in (tip, match_text(item, self._search)) if t)
            return plain.tooltip(tip) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return col.align
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.rec.problem and col.id == "transcript":
                return QBrush(_problem_colour())
            if col.id == "flag" and item.flagged:
                return QBrush(_flag_colour())
            if col.id == "voice" and not group_name(item):
                return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return plain.line(self.file_label(item) if col.id == "file" else col.text(item)) or tr(col.header)
        return None

    def item(self, row: int) -> CaseItem:
        return self._items[row]

    def set_search_text(self, text: str) -> None:
        self._search = text

    def tooltip_text(self, item: CaseItem, column_index: int) -> str:
        """A cell's tooltip as plain text (``data`` escapes it: evidence never renders as HTML)."""
        col = COLUMNS[column_index]
        return col.tooltip(item) if col.tooltip else ""

    def file_label(self, item: CaseItem) -> str:
        """The File column: the base name, or enough of the path to tell rows of the same name apart."""
        name = _file_name(item)
        if name in self._dirty_names:  # relabelled when first shown, not per arriving batch
            self._dirty_names.discard(name)
            self._relabel({name})
        return self._file_labels.get(item.rec.key) or name

    def _note_names(self, items: Sequence[CaseItem]) -> set[str]:
        """Count new rows' base names; the names now shared by several rows (their labels change).

        Only shared names keep a list of their keys; 100,000 distinct names cost a count and a dict.
        """
        names = [i.rec.member_path.rpartition("/")[2] or i.rec.key for i in items]
        keys = [i.rec.key for i in items]
        self._name_count.update(names)
        first = self._first_key
        if first:
            for name, key in zip(names, keys):
                first.setdefault(name, key)
        else:  # a whole case at once: the first row of each name wins
            first.update(zip(reversed(names), reversed(keys)))
        counts = self._name_count
        grown = {name for name in names if counts[name] > 1}
        if grown:
            for name in grown:
                self._same_name.setdefault(name, [first[name]])
            for name, key in zip(names, keys):
                if name in grown and key != first[name]:
                    self._same_name[name].append(key)
        return grown

    def _relabel(self, names: set[str]) -> None:
        """Recompute the labels of the rows sharing one of ``names``."""
        for name in names:
            keys = self._same_name.get(name, [])
            group = [self._items[self._rows[k]] for k in keys if k in self._rows]
            for item, label in zip(group, distinct_labels(group)):
                self._file_labels[item.rec.key] = label

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
        self._same_name, self._file_labels, self._first_key, self._name_count = {}, {}, {}, Counter()
        self._dirty_names = self._note_names(self._items)
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
            grown = self._note_names(new)
            if grown:  # rows already shown may need a longer label now
                self._dirty_names |= grown
                file_column = column("file")
                self.dataChanged.emit(self.index(0, file_column), self.index(len(self._items) - 1, file_column))
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
