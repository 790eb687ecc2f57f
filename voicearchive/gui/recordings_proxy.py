"""Filters over the recordings table.

The proxy only filters (the source model sorts, see ``recordings_model``). Each filter is a field of
:class:`Filters`; :meth:`RecordingsProxy.set_filters` applies a new set at once, so the view is
re-filtered once per change, not once per field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from voicearchive.messages import render
from voicearchive.model import CaseItem

from .recordings_model import RecordingsModel, column, group_name
from .search_text import searched_texts

_FILE_COLUMN = column("file")


@dataclass(frozen=True)
class Filters:
    text: str = ""  # case-insensitive substring of transcript, response, note, device or file path
    date_from: date | None = None  # inclusive, in the viewer's local time
    date_to: date | None = None  # inclusive
    device: str | None = None  # exact device name; None = any
    group: str | None = None  # voice group name as shown in the Voice column; None = any
    flagged_only: bool = False
    not_for_assistant_only: bool = False
    below_threshold: float | None = None  # only recordings whose owner similarity is below this
    keys: frozenset[str] | None = field(default=None)  # only these keys (a selection from another view)

    @property
    def active(self) -> bool:
        return self != Filters()


def matches(item: CaseItem, f: Filters, group_name: str = "") -> bool:
    """Whether ``item`` passes every filter of ``f`` (pure; tested without Qt views)."""
    rec = item.rec
    if f.keys is not None and rec.key not in f.keys:
        return False
    if f.flagged_only and not item.flagged:
        return False
    if f.not_for_assistant_only and not rec.not_for_assistant:
        return False
    if f.device is not None and rec.device != f.device:
        return False
    if f.group is not None and group_name != f.group:
        return False
    if f.below_threshold is not None:
        sim = item.voice.deciding_score if item.voice else None
        if sim is None or sim >= f.below_threshold:
            return False
    if f.date_from is not None or f.date_to is not None:
        if rec.recorded_at is None:
            return False
        day = rec.recorded_at.astimezone().date()
        if f.date_from is not None and day < f.date_from:
            return False
        if f.date_to is not None and day > f.date_to:
            return False
    if f.text:
        needle = f.text.casefold()
        haystack = "\n".join(searched_texts(item)).casefold()  # vendor, PDF and machine transcripts too
        if needle not in haystack:
            return False
    return True


class RecordingsProxy(QSortFilterProxyModel):
    """Filters rows of a :class:`RecordingsModel`; ``countsChanged(shown, total)`` after every change."""

    countsChanged = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._filters = Filters()
        self._verdicts: dict[str, bool] | None = None  # key -> passes the filters; None = no filter
        self.setDynamicSortFilter(False)
        self._refilter = QTimer(self)  # coalesces the refiltering that a burst of updates needs
        self._refilter.setSingleShot(True)
        self._refilter.setInterval(0)
        self._refilter.timeout.connect(self._refilter_now)
        # A refilter inserts and removes rows range by range: count once, when the burst is over.
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._emit_counts)
        for signal in (self.rowsInserted, self.rowsRemoved, self.modelReset, self.layoutChanged):
            signal.connect(self._count_timer.start)

    def setSourceModel(self, model: RecordingsModel) -> None:  # noqa: N802 (Qt name)
        super().setSourceModel(model)
        model.dataChanged.connect(self._source_data_changed)

    @property
    def filters(self) -> Filters:
        return self._filters

    def set_filters(self, filters: Filters) -> None:
        if filters == self._filters:
            return
        self._filters = filters
        source = self.sourceModel()
        if source is not None:
            source.set_search_text(filters.text)  # rows' tooltips say where the search matched
        self._judge_all()
        # A whole new filter: one layout change. Row-by-row insert/remove signals would cost the
        # views over half a second at 100,000 rows.
        self.invalidate()
        self._count_timer.stop()
        self._emit_counts()

    def update_filters(self, **changes) -> None:
        self.set_filters(replace(self._filters, **changes))

    # Sorting is the source model's job: keep the proxy in source order, pass the request on.
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        # Called once per source row on every refilter: keep it to a lookup. Verdicts are computed
        # in bulk (``_judge_all``) or on first sight of a row, and forgotten when its item changes.
        verdicts = self._verdicts
        if verdicts is None:
            return True
        item = self.sourceModel().item(source_row)
        verdict = verdicts.get(item.rec.key)
        if verdict is None:
            verdict = verdicts[item.rec.key] = matches(item, self._filters, group_name(item))
        return verdict

    def counts(self) -> tuple[int, int]:
        source = self.sourceModel()
        return self.rowCount(), source.rowCount() if source is not None else 0

    def source_item(self, proxy_row: int) -> CaseItem:
        source_index = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().item(source_index.row())

    def _judge_all(self) -> None:
        filters, source = self._filters, self.sourceModel()
        if not filters.active or source is None:
            self._verdicts = None
            return
        self._verdicts = {item.rec.key: matches(item, filters, group_name(item)) for item in source.items()}

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, *_roles) -> None:
        # A label or analysis result may move a row in or out of a filter (e.g. "flagged only").
        if self._verdicts is None:
            return
        if top_left.column() == bottom_right.column() == _FILE_COLUMN:
            return  # only the File column's label changed: no filter reads it
        source = self.sourceModel()
        for row in range(top_left.row(), bottom_right.row() + 1):
            self._verdicts.pop(source.item(row).rec.key, None)
        self._refilter.start()

    def _refilter_now(self) -> None:
        """Re-ask the filter for rows whose items changed (few rows move: fine-grained signals)."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()
        self._count_timer.stop()
        self._emit_counts()

    def _emit_counts(self, *_args) -> None:
        self.countsChanged.emit(*self.counts())


