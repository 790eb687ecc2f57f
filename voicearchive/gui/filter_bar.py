"""The filter bar above the recordings table: search, dates, device, voice, flags; the counts.

A list of recordings chosen in another view (the Words view's "recordings that said this word") is shown
as a button in the bar saying what the list is limited to; pressing it (or clearing the filters) lifts it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from . import plain
from .date_field import DateField
from .flow_layout import FlowLayout
from .i18n import number
from .recordings_proxy import Filters

SEARCH_DELAY_MS = 200  # typing settles before 100,000 rows are filtered again
_KEEP = object()
MAX_LABEL_CHARS = 60  # of the text that names a chosen list of recordings (it may come from evidence)


def tr(text: str) -> str:
    return QCoreApplication.translate("FilterBar", text)


def format_counts(shown: int, total: int) -> str:
    if shown == total:
        return tr("1 recording") if total == 1 else f"{number(total)} {tr('recordings')}"
    return f"{tr('Showing')} {number(shown)} {tr('of')} {number(total)}"


class FilterBar(QWidget):
    """Edits a :class:`Filters`; emits ``filtersChanged`` with the new value."""

    filtersChanged = Signal(object)  # Filters

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Filters"))
        self._threshold: float | None = None
        self._filters = Filters()

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            tr("Search transcripts, responses, notes, devices, file paths and problems (Ctrl+F)"))
        self.search.setAccessibleName(tr("Search"))
        self.search.setToolTip(tr("Finds the text in a recording's transcript, the assistant's response, your note, "
                                  "the device, the file's path or the problem with it; a row's tooltip and the "
                                  "details say where it matched"))
        self._passed_keys: list[QKeySequence] = []
        self.search.installEventFilter(self)
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._emit)

        self.date_from = self._date_edit(tr("From date"), tr("from: any date"))
        self.date_to = self._date_edit(tr("To date"), tr("to: any date"))

        self.device = QComboBox(self)
        self.device.setAccessibleName(tr("Device"))
        self.device.setToolTip(tr("Only recordings of this device"))
        self.device.currentIndexChanged.connect(lambda _i: self._emit())
        self.group = QComboBox(self)
        self.group.setAccessibleName(tr("Voice"))
        self.group.setToolTip(tr("Only recordings of this voice"))
        self.group.currentIndexChanged.connect(lambda _i: self._emit())

        self.flagged = self._check(tr("Flagged"), tr("Only flagged recordings"))
        self.not_for_assistant = self._check(tr("Not meant for the assistant"),
                                             tr("Only recordings the vendor says were not meant for the assistant"))
        self.below = self._check(tr("Below threshold"), tr("Only recordings less similar to the owner than the threshold"))

        self.only = QToolButton(self)  # what the list is limited to, when another view chose its recordings
        self.only.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.only.setToolTip(tr("The list shows only these recordings; press to show all again"))
        self.only.clicked.connect(lambda: self.set_keys(None))
        self.only.hide()

        self.counts = QLabel("", self)
        self.counts.setAccessibleName(tr("Recordings shown"))
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.only)
        top.addWidget(self.counts)
        bottom = FlowLayout(spacing=6)  # wraps onto a second line in a narrow window
        for widget in (self.date_from, self.date_to, self.device, self.group, self.flagged,
                       self.not_for_assistant, self.below):
            bottom.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.set_choices([], [])

    # --- API ----------------------------------------------------------------------------------------
    @property
    def filters(self) -> Filters:
        return self._filters

    def set_choices(self, devices: list[str], groups: list[str]) -> None:
        """Offer these devices and voice names, keeping the current choice when it still exists."""
        for combo, everything, values in ((self.device, tr("All devices"), devices), (self.group, tr("All voices"), groups)):
            current = combo.currentData()
            wanted = [None, *values]
            if [combo.itemData(i) for i in range(combo.count())] == wanted:
                continue
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for value in values:
                combo.addItem(plain.line(value), value)  # a device's name from the evidence: escaped
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
            combo.setVisible(len(values) > 0 or current is not None)
        self._emit()

    def set_date_range(self, first: date | None, last: date | None,
                       days: Callable[[], frozenset[date]] | None = None) -> None:
        """The archive's first and last day (where the calendars open while no date is chosen), and
        ``days()``: the days that have recordings, bold in a calendar when it opens."""
        for field, page in ((self.date_from, first), (self.date_to, last)):
            field.set_page(page)
            field.days_source = days

    def pass_shortcuts(self, sequences: list[QKeySequence]) -> None:
        """Window shortcuts the search box must not swallow (Ctrl+E is "end of line" to a line edit)."""
        self._passed_keys = list(sequences)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.ShortcutOverride:
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(seq) == QKeySequence.SequenceMatch.ExactMatch for seq in self._passed_keys):
                return True  # not accepted: the window's action gets the key
        return super().eventFilter(watched, event)

    def set_threshold(self, threshold: float | None) -> None:
        """The owner threshold that "Below threshold" uses."""
        self._threshold = threshold
        self.below.setEnabled(threshold is not None)
        self._emit()

    def set_flagged_only(self, on: bool) -> None:
        self.flagged.setChecked(on)

    def set_counts(self, shown: int, total: int) -> None:
        self.counts.setText(format_counts(shown, total))

    def set_keys(self, keys, label: str = "") -> None:
        """Show only the recordings ``keys`` (None: all again), named in the bar by ``label`` (plain text)."""
        self._show_keys(keys, label)
        self._emit(keys=None if keys is None else frozenset(keys))

    def show_only(self, keys, label: str) -> None:
        """Exactly the recordings ``keys``: every other filter is lifted, and the list filtered once."""
        self._reset_widgets()
        self.set_keys(keys, label)

    def clear(self) -> None:
        self._reset_widgets()
        self.set_keys(None)

    def _reset_widgets(self) -> None:
        for widget in (self.search, self.date_from, self.date_to, self.device, self.group,
                       self.flagged, self.not_for_assistant, self.below):
            widget.blockSignals(True)
        self.search.clear()
        self.date_from.setDate(None)
        self.date_to.setDate(None)
        self.device.setCurrentIndex(0)
        self.group.setCurrentIndex(0)
        for box in (self.flagged, self.not_for_assistant, self.below):
            box.setChecked(False)
        for widget in (self.search, self.date_from, self.date_to, self.device, self.group,
                       self.flagged, self.not_for_assistant, self.below):
            widget.blockSignals(False)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- internals ----------------------------------------------------------------------------------
    def _date_edit(self, name: str, any_text: str) -> DateField:
        edit = DateField(name, any_text, self)
        edit.setAccessibleName(name)
        edit.dateChanged.connect(lambda _d: self._emit())
        return edit

    def _check(self, text: str, tip: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setAccessibleName(text)
        box.setToolTip(tip)
        box.toggled.connect(lambda _on: self._emit())
        return box

    def _show_keys(self, keys, label: str) -> None:
        if keys is None:
            self.only.hide()
            return
        text = " ".join(label.split())
        text = text if len(text) <= MAX_LABEL_CHARS else text[:MAX_LABEL_CHARS - 1] + "…"
        text = plain.line(text)  # a word from the transcripts: controls and bidi escaped
        said = tr("Only the %1 recordings that said “%2”").replace("%1", number(len(keys))).replace("%2", text)
        self.only.setText(said.replace("&", "&&") + "  ✕")  # a button's text is plain; "&" marks a shortcut
        self.only.setAccessibleName(said)
        self.only.show()

    def _emit(self, keys=_KEEP) -> None:
        self._search_timer.stop()
        filters = replace(
            self._filters,
            text=self.search.text().strip(),
            date_from=self.date_from.date(),
            date_to=self.date_to.date(),
            device=self.device.currentData(),
            group=self.group.currentData(),
            flagged_only=self.flagged.isChecked(),
            not_for_assistant_only=self.not_for_assistant.isChecked(),
            below_threshold=self._threshold if self.below.isChecked() and self._threshold is not None else None,
            keys=self._filters.keys if keys is _KEEP else keys,
        )
        if filters != self._filters:
            self._filters = filters
            self.filtersChanged.emit(filters)

