"""The voices view: who speaks in the archive, which voice is the owner's, and where the line is drawn.

Left, the voice groups with their size, flagged count and role (owner, household, stranger), a clip
to play for each, and buttons to mark a whole voice. Right, a map of every recording (click a dot to
select and play it, then mark that one recording), and the owner threshold as a slider on a histogram
of owner scores with the number of flagged recordings updating live while it moves.

The view reads the case file only when it is visible (``refresh()`` on a hidden view just marks it
stale). It never re-runs the analysis itself: after a mark it emits ``decisionsChanged`` and after a
threshold change ``thresholdChanged``; the main window updates the voices and calls ``refresh()``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import SIGNAL, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voicearchive.gui import pyside_fixes  # noqa: F401  (PySide6 6.12.0 on Python 3.11)
from voicearchive.gui.background import Job
from voicearchive.gui.elided_label import ElidedLabel
from voicearchive.gui.i18n import legacy_core_text, number
from voicearchive.gui.plain import line as plain_line
from voicearchive.gui.plain import text as plain_text
from voicearchive.gui.threshold_histogram import ThresholdHistogram
from voicearchive.gui.voice_map import VoiceMap, group_colour
from voicearchive.gui.voices_data import UNIQUE_GROUP, GroupRow, VoicesSnapshot, snapshot_from_store
from voicearchive.messages import render
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER
from voicearchive.voices.owner import THRESHOLD_USER

DEFAULT_THRESHOLD = 0.75  # shown until the analysis has chosen one
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_KEYS: dict[int, str | None] = {  # key on the groups table -> the role it gives the selected voice
    Qt.Key.Key_O: ROLE_OWNER, Qt.Key.Key_H: ROLE_HOUSEHOLD, Qt.Key.Key_S: ROLE_STRANGER, Qt.Key.Key_C: None,
}


def role_text(role: str | None) -> str:
    return {
        ROLE_OWNER: QCoreApplication.translate("VoicesView", "Owner"),
        ROLE_HOUSEHOLD: QCoreApplication.translate("VoicesView", "Household"),
        ROLE_STRANGER: QCoreApplication.translate("VoicesView", "Stranger"),
    }.get(role or "", "")


def _swatch(colour: QColor, size: int = 12) -> QIcon:
    """A round colour sample matching the group's dots on the map."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 0))
    painter.setBrush(colour)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def group_title(row: GroupRow) -> str:
    if row.group == UNIQUE_GROUP:
        return QCoreApplication.translate("VoicesView", "Voices heard once")
    return row.name


class VoicesView(QWidget):
    refreshed = Signal()  # a snapshot read from the case file is now shown
    recordingActivated = Signal(str)  # a recording was picked on the map
    playRequested = Signal(str)  # play this recording (a dot, or a voice's sample clip)
    thresholdChanged = Signal(float)  # the user settled on a new owner threshold
    thresholdReset = Signal()  # the user wants the automatic threshold back (forget the one set)
    decisionsChanged = Signal()  # a voice or recording was marked: re-run the voice analysis

    def __init__(self, store=None, labels=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Voices"))
        self._store, self._labels = store, labels
        self._report = None  # the last VoiceReport the main window handed over
        self._snapshot: VoicesSnapshot | None = None
        self._stale = True
        self._generation = 0  # only the newest read of the case file is shown

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.reliability = QLabel(self)  # how far flags can be trusted in this archive (voices.reliability)
        self.reliability.setWordWrap(True)
        self.reliability.setTextFormat(Qt.TextFormat.PlainText)
        self.reliability.setAccessibleName(self.tr("How well voices can be told apart"))
        self.reliability.setVisible(False)
        self.message.setAccessibleName(self.tr("Voice analysis summary"))

        self.groups = QTableWidget(0, 4, self)
        self.groups.setAccessibleName(self.tr("Voice groups"))
        self.groups.setHorizontalHeaderLabels(
            [self.tr("Voice"), self.tr("Recordings"), self.tr("Flagged"), self.tr("Role")]
        )
        self.groups.verticalHeader().hide()
        self.groups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.groups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.groups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.groups.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            self.groups.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.groups.itemSelectionChanged.connect(self._on_group_selected)
        self.groups.itemActivated.connect(lambda _item: self.play_group_sample())
        self.groups.setToolTip(self.tr("O, H, S: mark the selected voice as owner, household or stranger; "
                                       "C: undecided; Enter: play a sample"))
        self.groups.installEventFilter(self)

        self.play_sample = self._button(self.tr("Play S&ample"), self.tr("Play a clip of the selected voice"))
        self.play_sample.clicked.connect(self.play_group_sample)
        self.group_buttons = {
            role: self._button(text, self.tr("Mark every recording of the selected voice"))
            for role, text in (
                (ROLE_OWNER, self.tr("Owner")),
                (ROLE_HOUSEHOLD, self.tr("Household")),
                (ROLE_STRANGER, self.tr("Stranger")),
                (None, self.tr("Undecided")),
            )
        }
        for role, button in self.group_buttons.items():
            button.setAccessibleName(self.tr("Mark voice as %1").replace("%1", button.text().replace("&", "")))
            button.clicked.connect(lambda _=False, r=role: self._mark_selected_group(r))

        self.map = VoiceMap(self)
        self.map.recordingClicked.connect(self._on_dot_clicked)
        self.map.describe = self._describe
        # Elided on one line: a long path must not widen the pane and move the map under the cursor.
        self.selection = ElidedLabel(self.tr("Click a dot to select and play its recording."), self)
        self.selection.setAccessibleName(self.tr("Selected recording"))
        self.selection.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recording_buttons = {
            role: self._button(text, self.tr("Mark only the selected recording"))
            for role, text in (
                (ROLE_OWNER, self.tr("Owner")),
                (ROLE_HOUSEHOLD, self.tr("Household")),
                (ROLE_STRANGER, self.tr("Stranger")),
            )
        }
        for role, button in self.recording_buttons.items():
            button.setAccessibleName(self.tr("Mark recording as %1").replace("%1", button.text()))
            button.clicked.connect(lambda _=False, r=role: self._mark_selected_recording(r))

        self.histogram = ThresholdHistogram(self)
        self.histogram.thresholdMoved.connect(self._update_count)
        self.histogram.thresholdCommitted.connect(self.thresholdChanged)
        self.count = QLabel(self)
        self.automatic = self._button(self.tr("A&utomatic Threshold"),
                                      self.tr("Forget the threshold you set and let VoiceArchive learn it again"))
        self.automatic.clicked.connect(self.thresholdReset)
        keep_room = self.automatic.sizePolicy()
        keep_room.setRetainSizeWhenHidden(True)  # the button appearing does not resize the histogram
        self.automatic.setSizePolicy(keep_room)
        self.automatic.hide()
        self.count.setAccessibleName(self.tr("Flagged recordings at this threshold"))

        self._layout()
        self._enable_buttons()

    # ------------------------------------------------------------------------------------------ API
    def set_case(self, store, labels) -> None:
        """Show another case (or none) and reload when visible."""
        self._store, self._labels, self._report = store, labels, None
        self.refresh()

    def refresh(self, report=None) -> None:
        """Reload from the case file now if the view is visible, else when it is next shown.

        ``report``: the ``VoiceReport`` that ``Pipeline.update_voices()`` just returned, if the caller
        has it. Its scores make the live count of flagged recordings exact once a household voice
        is marked; without it the view counts from what the case file holds.
        """
        self._report = report
        self._stale = True
        if self.isVisible():
            self._reload()

    def set_snapshot(self, snapshot: VoicesSnapshot) -> None:
        """Show ``snapshot`` (what ``refresh`` builds from the case file)."""
        self._snapshot = snapshot
        self._stale = False
        selected_group = self.selected_group()
        self.message.setText(plain_text(" ".join(t for t in (self._summary(snapshot), legacy_core_text(snapshot.message)) if t)))
        self._fill_groups(snapshot.groups, selected_group)
        self.map.set_data(snapshot.map_keys, snapshot.map_points, snapshot.map_groups)
        self.map.emphasise(self.selected_group())
        self.histogram.set_scores(snapshot.counter.free_scores, snapshot.owner_scores)
        self.histogram.set_threshold(DEFAULT_THRESHOLD if snapshot.threshold is None else snapshot.threshold)
        self._update_count(self.histogram.threshold())
        self._show_selection(self.map.selected_key)
        # Offered only when the user set the threshold and the window knows how to forget it.
        reset_wired = self.receivers(SIGNAL("thresholdReset()")) > 0
        self.automatic.setVisible(reset_wired and snapshot.threshold_source == THRESHOLD_USER)
        self.reliability.setText(plain_text(render(snapshot.reliability)))
        self.reliability.setVisible(bool(snapshot.reliability))
        self.reliability.setProperty("level", snapshot.reliability_level)

    @property
    def snapshot(self) -> VoicesSnapshot | None:
        return self._snapshot

    def selected_group(self) -> int | None:
        rows = self.groups.selectionModel().selectedRows()
        if not rows:
            return None
        return self.groups.item(rows[0].row(), 0).data(GROUP_ROLE)

    def select_group(self, group: int | None) -> None:
        for row in range(self.groups.rowCount()):
            if self.groups.item(row, 0).data(GROUP_ROLE) == group:
                self.groups.selectRow(row)
                return
        self.groups.clearSelection()

    def select_recording(self, key: str | None) -> None:
        """Ring ``key`` on the map (the main window's selection), without playing it."""
        self.map.select(key)
        self._show_selection(self.map.selected_key)

    def play_group_sample(self) -> None:
        row = self._group_row(self.selected_group())
        if row is not None and row.representative:
            self.playRequested.emit(row.representative)

    def mark_group(self, group: int, role: str | None) -> None:
        """Decide the role of voice ``group`` (its stable id; None = undecided). A decision about the voice,
        kept apart from its recordings' own marks; the owner changes only this way (or by enrolment)."""
        row = self._group_row(group)
        if row is None or group == UNIQUE_GROUP or self._labels is None:
            return
        owner = next((g for g in self._snapshot.groups if g.role == ROLE_OWNER), None) if self._snapshot else None
        changes_owner = (role == ROLE_OWNER and owner is not None and owner.group != group) or (
            owner is not None and owner.group == group and role != ROLE_OWNER)
        if changes_owner and not self.confirm_owner_change(row, role):
            return  # the owner never changes silently
        try:
            self._labels.set_voice_role([group], role)
        except Exception as exc:
            self.message.setText(self.tr("The decision could not be saved: %1").replace("%1", plain_text(str(exc))))
            return
        self.decisionsChanged.emit()

    def confirm_owner_change(self, row: GroupRow, role: str | None) -> bool:
        """Ask before a decision that changes who the owner is (tests replace this)."""
        text = self.tr("This changes whose voice is taken for the owner's, and every flag with it. Go on?")
        answer = QMessageBox.question(self, self.tr("Change the owner?"), text)
        return answer == QMessageBox.StandardButton.Yes

    def mark_recording(self, key: str, role: str | None) -> None:
        self._set_role([key], role)

    # ------------------------------------------------------------------------------------ internals
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """O, H, S and C on the voice groups mark the selected voice, like the review keys do a recording."""
        if watched is self.groups and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
            if plain and event.key() in GROUP_KEYS and self.selected_group() is not None:
                event.accept()  # the window's shortcuts for the same keys act on the list, not here
                if event.type() == QEvent.Type.KeyPress:
                    self._mark_selected_group(GROUP_KEYS[event.key()])
                return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._reload()

    def _reload(self) -> None:
        """Read the case file on a worker thread; a window with 100,000 recordings stays responsive."""
        self._stale = False
        self._generation += 1
        if self._store is None:  # no case open: show nothing
            self.set_snapshot(VoicesSnapshot.build([], {}, threshold=None))
            return
        generation, store, report = self._generation, self._store, self._report

        def read() -> tuple[int, VoicesSnapshot | None, str]:
            try:
                return generation, snapshot_from_store(store, report), ""
            except Exception as exc:  # a damaged case file must not take the window down
                return generation, None, str(exc) or exc.__class__.__name__

        job = Job(read, cleanup=getattr(store, "close_thread", None))
        job.succeeded.connect(self._loaded)  # a bound method: nothing arrives once the view is gone
        job.start()

    def _loaded(self, result: tuple[int, VoicesSnapshot | None, str]) -> None:
        generation, snapshot, problem = result
        if generation != self._generation:
            return  # a newer read is under way
        if snapshot is None:
            self.message.setText(self.tr("The voices could not be read from the case file: %1").replace("%1", plain_text(problem)))
            return
        self.set_snapshot(snapshot)
        self.refreshed.emit()

    def _set_role(self, keys: Sequence[str], role: str | None) -> None:
        if self._labels is None:
            return
        try:
            self._labels.set_role(list(keys), role)
        except Exception as exc:
            self.message.setText(self.tr("The decision could not be saved: %1").replace("%1", plain_text(str(exc))))
            return
        self.decisionsChanged.emit()

    def _mark_selected_group(self, role: str | None) -> None:
        group = self.selected_group()
        if group is not None:
            self.mark_group(group, role)

    def _mark_selected_recording(self, role: str) -> None:
        if self.map.selected_key:
            self.mark_recording(self.map.selected_key, role)

    def _group_row(self, group: int | None) -> GroupRow | None:
        if self._snapshot is None or group is None:
            return None
        return next((g for g in self._snapshot.groups if g.group == group), None)

    def _fill_groups(self, groups: list[GroupRow], keep: int | None) -> None:
        self.groups.blockSignals(True)
        self.groups.setRowCount(len(groups))
        for r, g in enumerate(groups):
            name = QTableWidgetItem(plain_line(group_title(g)))
            name.setData(GROUP_ROLE, g.group)
            name.setIcon(_swatch(group_colour(g.group)))
            name.setToolTip(self.tr("Double-click or press Enter to play a sample"))
            cells = [name, QTableWidgetItem(), QTableWidgetItem(), QTableWidgetItem(role_text(g.role))]
            cells[1].setData(Qt.ItemDataRole.DisplayRole, g.size)
            cells[2].setData(Qt.ItemDataRole.DisplayRole, g.flagged)
            for c, cell in enumerate(cells):
                if g.role == ROLE_OWNER:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.groups.setItem(r, c, cell)
        self.groups.blockSignals(False)
        self.select_group(keep)
        self._enable_buttons()

    def _summary(self, s: VoicesSnapshot) -> str:
        voices = sum(1 for g in s.groups if g.group != UNIQUE_GROUP)
        heard = self.tr("1 voice in %2 recordings.") if voices == 1 else self.tr("%1 voices in %2 recordings.")
        parts = [heard.replace("%1", number(voices)).replace("%2", number(s.total))]
        if s.owner_line:
            parts.append(legacy_core_text(s.owner_line))
        if s.owner_doubt:
            parts.append(legacy_core_text(s.owner_doubt) + ".")
        if s.threshold is not None and s.threshold_source:
            parts.append(self.tr("Threshold %1 (%2).").replace("%1", number(s.threshold, ".3f"))
                         .replace("%2", legacy_core_text(s.threshold_source)))
        return " ".join(parts)

    def _update_count(self, threshold: float) -> None:
        if self._snapshot is None:
            self.count.setText("")
            return
        n = self._snapshot.counter.count(threshold)
        text = (self.tr("%1 of 1 recording flagged below %3") if self._snapshot.total == 1
                else self.tr("%1 of %2 recordings flagged below %3"))
        self.count.setText(
            text
            .replace("%1", number(n))
            .replace("%2", number(self._snapshot.total))
            .replace("%3", number(threshold, ".3f"))
        )

    def _on_group_selected(self) -> None:
        self.map.emphasise(self.selected_group())
        self._enable_buttons()

    def _on_dot_clicked(self, key: str) -> None:
        self._show_selection(key)
        self._enable_buttons()
        self.recordingActivated.emit(key)
        self.playRequested.emit(key)

    def _describe(self, key: str) -> str:
        name, score = self._snapshot.details.get(key, ("", None)) if self._snapshot else ("", None)
        score_text = "–" if score is None else number(score, ".3f")
        return self.tr("%1 · %2 · owner score %3").replace("%1", key).replace("%2", name).replace("%3", score_text)

    def _show_selection(self, key: str | None) -> None:
        if not key or self._snapshot is None:
            self.selection.setText(self.tr("Click a dot to select and play its recording."))
        else:
            self.selection.setText(self._describe(key))
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        has_group = self.selected_group() is not None
        writable = self._labels is not None
        self.play_sample.setEnabled(has_group)
        for role, b in self.group_buttons.items():
            b.setEnabled(has_group and writable)
        for b in self.recording_buttons.values():
            b.setEnabled(bool(self.map.selected_key) and writable)

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", ""))
        return button

    def _layout(self) -> None:
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.message)
        lv.addWidget(self.reliability)
        lv.addWidget(self.groups, 1)
        lv.addWidget(self.play_sample)
        mark = QHBoxLayout()
        mark.addWidget(QLabel(self.tr("Mark voice:"), left))
        for b in self.group_buttons.values():
            mark.addWidget(b)
        lv.addLayout(mark)

        top = QWidget(self)
        tv = QVBoxLayout(top)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addWidget(self.map, 1)
        tv.addWidget(self.selection)
        rec = QHBoxLayout()
        rec.addWidget(QLabel(self.tr("Mark recording:"), top))
        for b in self.recording_buttons.values():
            rec.addWidget(b)
        rec.addStretch(1)
        tv.addLayout(rec)

        bottom = QWidget(self)
        bv = QVBoxLayout(bottom)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addWidget(self.histogram, 1)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count, 1)
        count_row.addWidget(self.automatic)
        bv.addLayout(count_row)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(top)
        right.addWidget(bottom)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        outer = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(left)
        outer.addWidget(right)
        outer.setStretchFactor(0, 2)
        outer.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(outer)
