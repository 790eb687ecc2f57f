"""A date the user types or picks: ISO (2026-09-10) or the locale's own format (10.09.2026), empty = any.

Qt's QDateEdit edits a date section by section, which turns "Ctrl+A, 2026-09-10" into nonsense and
opens its calendar at the minimum date. This field is a line edit that understands whole typed dates,
with a calendar button that opens at the archive's own dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, Signal
from PySide6.QtGui import QFont, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

EXAMPLE = date(2026, 9, 10)
MIN_YEAR = 1900  # "1.9.202" half typed is not the year 202


def tr(text: str) -> str:
    return QCoreApplication.translate("DateField", text)


def locale_format(locale: QLocale | None = None) -> str:
    """The locale's short date format with a four-digit year (``dd.MM.yyyy``, ``M/d/yyyy``)."""
    fmt = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    return fmt


def parse_date(text: str, locale: QLocale | None = None, *, whole_year: bool = False) -> date | None:
    """``text`` as a date (ISO or the locale's short format, 2- or 4-digit year); None if it is none.

    ``whole_year``: only a four-digit year counts (while typing, "10.9.20" is not yet a date).
    """
    text = text.strip()
    if not text:
        return None
    try:
        parsed = date.fromisoformat(text)
        return parsed if parsed.year >= MIN_YEAR else None
    except ValueError:
        pass
    locale = locale or QLocale()
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    loose = short.replace("dd", "d").replace("MM", "M")
    formats = [loose.replace("yyyy", "yy").replace("yy", "yyyy"), loose.replace("yyyy", "yy")]
    for fmt in dict.fromkeys(formats[:1] if whole_year else formats):
        value = locale.toDate(text, fmt)
        if value.isValid():
            if fmt.count("y") == 2 and value.year() < 2000:  # QLocale reads "26" as 1926
                value = value.addYears(100)
            if value.year() >= MIN_YEAR:
                return date(value.year(), value.month(), value.day())
    return None


def format_date(value: date | None, locale: QLocale | None = None) -> str:
    if value is None:
        return ""
    return (locale or QLocale()).toString(QDate(value.year, value.month, value.day), locale_format(locale))


class DateField(QWidget):
    """``dateChanged(date | None)`` when a whole valid date (or nothing) has been typed or picked."""

    dateChanged = Signal(object)

    def __init__(self, name: str, any_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date: date | None = None
        self._page: date | None = None  # where the calendar opens while no date is set
        self.days_source: Callable[[], Iterable[date]] | None = None  # days to show bold when the calendar opens
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(any_text)
        self.edit.setAccessibleName(name)
        example = tr("Type a date (%1 or %2) or pick one; empty: any date").replace(
            "%1", format_date(EXAMPLE)).replace("%2", EXAMPLE.isoformat())
        self._tip = f"{name}: {example}"
        self.edit.setToolTip(self._tip)
        self.edit.setClearButtonEnabled(True)
        width = self.edit.fontMetrics().horizontalAdvance("0000-00-00") + 44
        self.edit.setFixedWidth(max(width, self.edit.fontMetrics().horizontalAdvance(any_text) + 44))
        self.edit.textChanged.connect(self._typed)
        self.edit.editingFinished.connect(self._finished)

        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self._menu = QMenu(self)
        holder = QWidgetAction(self._menu)
        holder.setDefaultWidget(self.calendar)
        self._menu.addAction(holder)
        self._menu.aboutToShow.connect(self._open_page)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setAccessibleName(tr("Pick %1 from a calendar").replace("%1", name))
        self.button.setToolTip(tr("Pick a date from a calendar"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self._menu)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)

    # --- API --------------------------------------------------------------------------------------
    def date(self) -> date | None:
        return self._date

    def setDate(self, value) -> None:  # noqa: N802 (Qt-like name; main window and tests call it)
        """Set a ``datetime.date``, a ``QDate`` or None (any date); emits ``dateChanged`` if it changed."""
        if isinstance(value, QDate):
            value = date(value.year(), value.month(), value.day()) if value.isValid() else None
        self.edit.blockSignals(True)
        self.edit.setText(format_date(value))
        self.edit.blockSignals(False)
        self._set_valid(True)
        self._set(value)

    def set_page(self, value: date | None) -> None:
        """Where the calendar opens while no date is chosen (the archive's first or last day)."""
        self._page = value

    def mark_days(self, days: Iterable[date]) -> None:
        """Days with recordings are bold in the calendar (what was marked before is cleared)."""
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # a null date clears every format
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        for day in days:
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), bold)

    def is_valid(self) -> bool:
        return not self.edit.property("invalid")

    # --- internals --------------------------------------------------------------------------------
    def _set(self, value: date | None) -> None:
        if value != self._date:
            self._date = value
            self.dateChanged.emit(value)

    def _typed(self, text: str) -> None:
        value = parse_date(text, whole_year=True)
        if value is not None or not text.strip():
            self._set_valid(True)
            self._set(value)

    def _finished(self) -> None:
        text = self.edit.text()
        value = parse_date(text)
        if value is None and text.strip():
            self._set_valid(False)  # keep the last good date; say what is wrong
            return
        self._set_valid(True)
        self._set(value)
        if value is not None:
            self.edit.blockSignals(True)
            self.edit.setText(format_date(value))
            self.edit.blockSignals(False)

    def _set_valid(self, valid: bool) -> None:
        self.edit.setProperty("invalid", not valid)
        self.edit.setStyleSheet("" if valid else "QLineEdit { border: 1px solid #c0392b; }")
        self.edit.setToolTip(self._tip if valid else tr("Not a date I can read.") + " " + self._tip)

    def _open_page(self) -> None:
        if self.days_source is not None:
            self.mark_days(self.days_source())
        shown = self._date or self._page
        if shown is not None:
            self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
            self.calendar.setCurrentPage(shown.year, shown.month)

    def _picked(self, value: QDate) -> None:
        self._menu.close()
        self.setDate(value)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
