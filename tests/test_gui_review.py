"""Reviewing by keyboard: every shortcut of the action table, undo/redo, and what a re-open restores."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from tests.gui_helpers import (  # noqa: F401
    isolated_settings,
    make_wav_folder,
    open_and_wait,
    press,
    wait_idle,
    window,
)
from voicearchive.gui.actions import ACTIONS, ShortcutHelpDialog, shortcut_rows
from voicearchive.gui.main_window import MainWindow
from voicearchive.gui.recordings_model import column

Key = Qt.Key
Mod = Qt.KeyboardModifier


@pytest.fixture
def case(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "evidence", count=4, broken=False)
    case_path = tmp_path / "case.vacase"
    open_and_wait(qtbot, window, [folder], case_path)
    window.select_proxy_row(0)
    return window, folder, case_path


def _key(win) -> str:
    return win.current_item().rec.key


def test_action_table_drives_menus_shortcuts_and_help(window):  # noqa: F811
    ids = [a.id for a in ACTIONS]
    assert len(ids) == len(set(ids))
    keys = [k for a in ACTIONS for k in a.keys]
    assert len(keys) == len(set(keys)), "no key is bound twice"
    menu_actions = {a.objectName() for m in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
                    for a in m.actions()}
    for entry in ACTIONS:
        action = window.actions[entry.id]
        assert action.shortcuts() == [QKeySequence(k) for k in entry.keys]
        assert f"action_{entry.id}" in menu_actions
    dialog = ShortcutHelpDialog(window)
    listed = {dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())}
    assert listed == {text for _keys, text, _desc in shortcut_rows()}
    assert dialog.table.rowCount() == sum(1 for a in ACTIONS if a.keys)


def test_next_previous_and_flagged_jumps(case, qtbot):
    win, folder, _ = case
    first = _key(win)
    press(qtbot, win, Key.Key_J)
    second = _key(win)
    assert second != first
    press(qtbot, win, Key.Key_K)
    assert _key(win) == first
    win.labels.set_flag([second], True)
    for key in [k for k in (win.model.item(r).rec.key for r in range(win.model.rowCount())) if k != second]:
        win.labels.set_flag([key], False)
    press(qtbot, win, Key.Key_J, Mod.ShiftModifier)
    assert _key(win) == second
    press(qtbot, win, Key.Key_K, Mod.ShiftModifier)
    assert _key(win) == second, "the only flagged recording: wraps onto itself"


def test_flag_unflag_roles_and_clear_by_keyboard(case, qtbot):
    win, _, _ = case
    key = _key(win)
    row = lambda: win.model.row_of(key)  # noqa: E731
    press(qtbot, win, Key.Key_F)
    assert win.labels.get(key).flag is True and win.model.item_by_key(key).flagged
    assert win.model.index(row(), column("flag")).data() == "⚑"
    press(qtbot, win, Key.Key_U)
    assert win.labels.get(key).flag is False and not win.model.item_by_key(key).flagged
    for letter, role in ((Key.Key_O, "owner"), (Key.Key_H, "household"), (Key.Key_S, "stranger")):
        press(qtbot, win, letter)
        assert win.labels.get(key).role == role
        assert win.model.item_by_key(key).label.role == role
    assert win.model.index(row(), column("voice")).data() == "Stranger"
    # U then S: the stranger mark drops the unflag (S always flags, voices.marks)
    assert win.labels.get(key).flag is None and win.model.item_by_key(key).flagged
    press(qtbot, win, Key.Key_F)
    press(qtbot, win, Key.Key_C)
    label = win.labels.get(key)
    assert label.flag is None and label.role is None
    win.labels.undo()  # clearing is one step: one undo brings back both the flag and the role
    label = win.labels.get(key)
    assert label.flag is True and label.role == "stranger"
    wait_idle(qtbot, win)  # the role changes re-ran the voice grouping in the background


def test_undo_and_redo_by_keyboard(case, qtbot):
    win, _, _ = case
    key = _key(win)
    press(qtbot, win, Key.Key_F)
    assert win.actions["undo"].text() == "Undo flagging 1 recording"
    press(qtbot, win, Key.Key_Z, Mod.ControlModifier)
    assert win.labels.get(key).flag is None and not win.model.item_by_key(key).label.flag
    assert win.status_label.text() == "Undone: flagging 1 recording"
    press(qtbot, win, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert win.labels.get(key).flag is True
    press(qtbot, win, Key.Key_Z, Mod.ControlModifier)
    press(qtbot, win, Key.Key_Y, Mod.ControlModifier)
    assert win.labels.get(key).flag is True


def test_edit_note_by_keyboard(case, qtbot):
    win, _, _ = case
    key = _key(win)
    press(qtbot, win, Key.Key_N)
    assert win.detail.note.hasFocus()
    qtbot.keyClicks(win.detail.note, "fremde Stimme")
    assert win.labels.get(key).note == "", "letters go into the note, not to the shortcuts"
    qtbot.keyClick(win.detail.note, Key.Key_Return, Mod.ControlModifier)
    assert win.labels.get(key).note == "fremde Stimme"
    assert win.model.index(win.model.row_of(key), column("note")).data() == "fremde Stimme"
    assert win.table.hasFocus(), "saving returns to the list for the next decision"
    press(qtbot, win, Key.Key_N)
    qtbot.keyClicks(win.detail.note, " - no")
    qtbot.keyClick(win.detail.note, Key.Key_Escape)
    assert win.labels.get(key).note == "fremde Stimme"
    assert win.detail.note.toPlainText() == "fremde Stimme", "Escape puts the saved note back"


def test_space_plays_and_pauses(case, qtbot):
    win, _, _ = case
    with qtbot.waitSignal(win.player.playingChanged, timeout=10_000) as started:
        press(qtbot, win, Key.Key_Space)
    assert started.args == [True]
    with qtbot.waitSignal(win.player.playingChanged, timeout=10_000) as paused:
        press(qtbot, win, Key.Key_Space)
    assert paused.args == [False]


def test_search_shortcut_focuses_the_search_field(case, qtbot):
    win, _, _ = case
    press(qtbot, win, Key.Key_F, Mod.ControlModifier)
    assert win.filter_bar.search.hasFocus()
    qtbot.keyClicks(win.filter_bar.search, "zzz")  # plain letters type, they do not flag
    assert win.labels.get(_key(win)).flag is None


def test_reopening_restores_labels_notes_layout_selection_and_undo(case, qtbot, tmp_path):
    win, folder, case_path = case
    press(qtbot, win, Key.Key_J)
    chosen = _key(win)
    press(qtbot, win, Key.Key_F)
    win.labels.set_note(chosen, "check this")
    header = win.table.horizontalHeader()
    header.resizeSection(column("transcript"), 333)
    header.moveSection(column("note"), 1)
    wait_idle(qtbot, win)
    win.close_case()
    assert win.stack.currentWidget() is win.start_screen

    again = MainWindow(workers=1)
    qtbot.addWidget(again)
    again.show()
    try:
        open_and_wait(qtbot, again, [folder], case_path)
        assert _key(again) == chosen, "the selection comes back"
        assert again.labels.get(chosen).flag is True and again.model.item_by_key(chosen).flagged
        assert again.model.item_by_key(chosen).label.note == "check this"
        assert again.table.horizontalHeader().sectionSize(column("transcript")) == 333
        assert again.table.horizontalHeader().visualIndex(column("note")) == 1
        again.actions["undo"].trigger()  # undo works across restarts
        assert again.labels.get(chosen).note == ""
        again.actions["undo"].trigger()
        assert again.labels.get(chosen).flag is None
    finally:
        again.close_case()


def test_export_of_flagged_recordings_from_the_window(case, qtbot, tmp_path):
    from voicearchive.gui.export_dialog import SCOPE_FLAGGED, ExportDialog

    win, folder, _ = case
    flagged = _key(win)
    press(qtbot, win, Key.Key_F)
    win.actions["export_csv"].trigger()
    dialog = win.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    out = tmp_path / "flagged.csv"
    with qtbot.waitSignal(dialog.exportFinished, timeout=10_000):
        rows = dialog.export_csv(out, SCOPE_FLAGGED)
    assert rows == sum(1 for item in win.model.items() if item.flagged) >= 1
    text = out.read_text(encoding="utf-8-sig")
    assert win.model.item_by_key(flagged).rec.sha256 in text
    assert "written" in win.status_label.text().lower() or str(out) in win.status_label.text()
    zipped = tmp_path / "evidence.zip"
    with qtbot.waitSignal(dialog.exportFinished, timeout=30_000):
        dialog.export_evidence(zipped)
    import zipfile

    with zipfile.ZipFile(zipped) as zf:
        names = zf.namelist()
    assert any(name.endswith(".csv") for name in names) and any("SHA256" in name.upper() for name in names)
    dialog.close()


def test_enrolling_the_owner_from_a_file_reruns_the_voices(case, qtbot):
    from pathlib import Path

    from voicearchive.gui.enrol_dialog import EnrolDialog

    win, _, _ = case
    sample = Path(__file__).parent / "data" / "enrol" / "3080-5032-0000.flac"
    win.actions["enrol"].trigger()
    dialog = win.findChild(EnrolDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    with qtbot.waitSignal(dialog.decisionsChanged, timeout=60_000):
        dialog.enrol_files([sample])
    assert len(win.store.enrolments()) == 1
    assert win._voices_pending or win.worker is not None, "the voices are grouped again"
    wait_idle(qtbot, win)
    dialog.close()
