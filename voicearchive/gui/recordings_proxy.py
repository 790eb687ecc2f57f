"""Filters over the recordings table.

The proxy only filters (the source model sorts, see ``recordings_model``). Each filter is a field of
:class:`Filters`; :meth:`RecordingsProxy.set_filters` applies a new set at once, so the view is
re-filtered once per change, not once per field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal

from voicearchive.model import CaseItem

from .recordings_model import RecordingsModel, column


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
        sim = item.voice.owner_similarity if item.voice else None
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
        haystack = "\n".join(
            (rec.transcript, rec.assistant_response, item.label.note, rec.device, rec.member_path, rec.problem)
        ).casefold()
        if needle not in haystack:
            return False
    return True


class RecordingsProxy(QSortFilterProxyModel):
    """Filters rows of a :class:`RecordingsModel`; ``countsChanged(shown, total)`` after every change."""

    countsChanged = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._filters = Filters()
        self.setDynamicSortFilter(False)
        self._refilter = QTimer(self)  # coalesces the refiltering that a burst of updates needs
        self._refilter.setSingleShot(True)
        self._refilter.setInterval(0)
        self._refilter.timeout.connect(self._refilter_now)
        self.rowsInserted.connect(self._emit_counts)
        self.rowsRemoved.connect(self._emit_counts)
        self.modelReset.connect(self._emit_counts)
        self.layoutChanged.connect(self._emit_counts)

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
        self._refilter_now()

    def update_filters(self, **changes) -> None:
        self.set_filters(replace(self._filters, **changes))

    # Sorting is the source model's job: keep the proxy in source order, pass the request on.
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not self._filters.active:
            return True
        model: RecordingsModel = self.sourceModel()
        item = model.item(source_row)
        group = ""
        if self._filters.group is not None:
            group = model.data(model.index(source_row, column("voice")))
        return matches(item, self._filters, group)

    def counts(self) -> tuple[int, int]:
        source = self.sourceModel()
        return self.rowCount(), source.rowCount() if source is not None else 0

    def source_item(self, proxy_row: int) -> CaseItem:
        source_index = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().item(source_index.row())

    def _source_data_changed(self, *_args) -> None:
        # A label or analysis result may move a row in or out of a filter (e.g. "flagged only").
        if self._filters.active:
            self._refilter.start()

    def _refilter_now(self) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()
        self._emit_counts()

    def _emit_counts(self, *_args) -> None:
        self.countsChanged.emit(*self.counts())


