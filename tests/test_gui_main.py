"""The main window on real fixture folders: opening, rows arriving, filtering, selecting, playback."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.gui_helpers import isolated_settings, make_wav_folder, open_and_wait, window  # noqa: F401
from voicearchive.gui import settings
from voicearchive.gui.recordings_model import COLUMNS, ItemRole, RecordingsModel, column, format_duration
from voicearchive.gui.recordings_proxy import Filters, RecordingsProxy, matches
from voicearchive.gui.workers import format_progress, format_seconds
from voicearchive.model import AudioFacts, CaseItem, Label, Recording, VoiceResult


@pytest.fixture
def opened(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "evidence", count=4)
    outcome = open_and_wait(qtbot, window, [folder], tmp_path / "case.vacase")
    return window, folder, outcome


def _item(key: str, **rec) -> CaseItem:
    voice = rec.pop("voice", None)
    label = rec.pop("label", None) or Label(key)
    return CaseItem(Recording(key=key, archive="/a", member_path=f"{key}.wav", source_format="audio-folder", **rec),
                    label, voice)


# ------------------------------------------------------------------------------------------ pure parts
def test_progress_line_says_stage_counts_and_time_left():
    assert format_seconds(8.4) == "8 s"
    assert format_seconds(190) == "3 min 10 s"
    assert format_seconds(3900) == "1 h 05 min"
    assert format_progress("analysing", 425, 1700, 70.0) == "Analysing voices 425 of 1,700 (25%) – about 1 min 10 s left"
    assert format_progress("listing", 0, None, None) == "Listing the archive"


def test_filters_match_every_field():
    when = datetime(2026, 3, 4, 12, 0, tzinfo=timezone.utc)
    a = _item("a", transcript="Turn on the lights", device="Kitchen", recorded_at=when,
              voice=VoiceResult("a", group=1, owner_similarity=0.4, flagged=True))
    b = _item("b", transcript="", not_for_assistant=True, label=Label("b", note="Who is this?"),
              voice=VoiceResult("b", owner_similarity=0.9))
    assert matches(a, Filters(text="LIGHTS")) and not matches(b, Filters(text="lights"))
    assert matches(b, Filters(text="who is")), "notes are searched too"
    assert matches(a, Filters(device="Kitchen")) and not matches(b, Filters(device="Kitchen"))
    assert matches(a, Filters(flagged_only=True)) and not matches(b, Filters(flagged_only=True))
    assert matches(b, Filters(not_for_assistant_only=True)) and not matches(a, Filters(not_for_assistant_only=True))
    assert matches(a, Filters(below_threshold=0.5)) and not matches(b, Filters(below_threshold=0.5))
    day = when.astimezone().date()
    assert matches(a, Filters(date_from=day, date_to=day))
    assert not matches(a, Filters(date_from=date(2027, 1, 1)))
    assert not matches(b, Filters(date_to=date(2030, 1, 1))), "no time: outside any date range"
    assert matches(a, Filters(group="Voice A"), group_name="Voice A")


def test_model_sorts_natively_and_updates_rows_in_place(qtbot):
    model = RecordingsModel()
    proxy = RecordingsProxy()
    proxy.setSourceModel(model)
    items = [_item(f"k{i}", audio=AudioFacts("wav", 16000, 1, d)) for i, d in enumerate((3.0, 12.5, 0.5))]
    model.set_items(items)
    proxy.sort(column("duration"), Qt.SortOrder.DescendingOrder)
    durations = [proxy.index(r, column("duration")).data() for r in range(3)]
    assert durations == [format_duration(12.5), format_duration(3.0), format_duration(0.5)]
    changed = []
    model.dataChanged.connect(lambda tl, br, roles=(): changed.append([model.item(r).rec.key
                                                                       for r in range(tl.row(), br.row() + 1)]))
    flagged = _item("k0", audio=AudioFacts("wav", 16000, 1, 3.0), label=Label("k0", flag=True))
    with qtbot.waitSignal(proxy.countsChanged, timeout=1000, raising=False):
        model.upsert([flagged, _item("k9")])
    assert changed == [["k0"]], "a known key gets a targeted dataChanged, not a reset"
    assert model.rowCount() == 4
    assert model.item(3).rec.key == "k9", "rows without a duration stay last"
    assert model.item_by_key("k0").flagged
    assert model.index(model.row_of("k0"), column("flag")).data() == "⚑"
    proxy.set_filters(Filters(flagged_only=True))
    assert proxy.counts() == (1, 4)
    assert proxy.index(0, 0).data(ItemRole).rec.key == "k0"
    assert [c.id for c in COLUMNS][:2] == ["flag", "time"]


# ------------------------------------------------------------------------------------------ the window
def test_no_archive_shows_the_start_screen(window):  # noqa: F811
    assert window.stack.currentWidget() is window.start_screen
    assert window.start_screen.recent.count() == 1  # the "nothing opened yet" line
    assert not window.actions["export_csv"].isEnabled()


def test_rows_arrive_and_fill_in_with_problems_in_their_row(opened):
    win, folder, outcome = opened
    assert outcome == "done"
    assert win.stack.currentWidget() is win.tabs
    assert win.model.rowCount() == 5
    broken = win.model.item_by_key(f"{folder.name}/broken.wav")
    assert broken is not None and broken.rec.problem
    row = win.model.row_of(broken.rec.key)
    assert win.model.index(row, column("transcript")).data() == str(broken.rec.problem)  # rendered (English here)
    good = win.model.item_by_key(f"{folder.name}/clip-02.wav")
    assert good.rec.sha256 and good.rec.audio.duration_s == pytest.approx(1.0, abs=0.01)
    assert win._envelope(good.rec.sha256) is not None, "analysis stored the thumbnail envelope"
    assert win.filter_bar.counts.text() == "5 recordings"
    assert settings.recent_archives()[0] == [str(folder.resolve())]


def test_opening_selects_a_row_and_shows_its_details(opened, qtbot):
    win, folder, _ = opened
    item = win.current_item()
    assert item is not None
    assert win.detail.fields["sha256"].text() == item.rec.sha256
    assert item.rec.member_path in win.detail.fields["file"].text()
    win.select_key(f"{folder.name}/clip-03.wav")
    assert win.detail.item.rec.key == f"{folder.name}/clip-03.wav"
    assert "16,000 Hz" in win.detail.fields["audio"].text()
    # Without a sound card (CI, offscreen) the window says so instead of failing silently.
    assert win.detail.playback_message.text() == win.player.availability_message()
    # The spectrogram arrives from a background job.
    qtbot.waitUntil(lambda: win.detail._image.image is not None, timeout=10_000)


def test_text_and_flag_filters_count_what_is_shown(opened, qtbot):
    win, folder, _ = opened
    win.labels.set_note(f"{folder.name}/clip-01.wav", "neighbour's voice?")
    win.filter_bar.search.setText("NEIGHBOUR")
    qtbot.waitUntil(lambda: win.proxy.rowCount() == 1, timeout=2000)
    assert win.proxy.source_item(0).rec.key == f"{folder.name}/clip-01.wav"
    assert win.filter_bar.counts.text() == "Showing 1 of 5"
    win.filter_bar.clear()
    assert win.proxy.rowCount() == 5
    win.labels.set_flag([f"{folder.name}/clip-02.wav"], True)
    win.actions["flagged_only"].trigger()
    assert win.filter_bar.flagged.isChecked()
    keys = {win.proxy.source_item(r).rec.key for r in range(win.proxy.rowCount())}
    assert f"{folder.name}/clip-02.wav" in keys and all(win.model.item_by_key(k).flagged for k in keys)


def test_play_and_pause_from_the_archive_bytes(opened, qtbot):
    win, folder, _ = opened
    win.select_key(f"{folder.name}/clip-03.wav")
    with qtbot.waitSignal(win.player.playingChanged, timeout=10_000) as started:
        win.actions["play_pause"].trigger()
    assert started.args == [True] and win.player.playing
    assert win.player.key == f"{folder.name}/clip-03.wav"
    assert win.detail.play_button.text() == "Pause"
    with qtbot.waitSignal(win.player.playingChanged, timeout=10_000) as paused:
        win.actions["play_pause"].trigger()
    assert paused.args == [False] and win.detail.play_button.text() == "Play"
    win.detail.seekRequested.emit(0.5)
    qtbot.waitUntil(lambda: abs(win.player.position - 0.5) < 0.05, timeout=5000)


def test_bad_input_path_gives_a_calm_message(window, tmp_path):  # noqa: F811
    window.open_paths([str(tmp_path / "missing.zip")])
    assert "missing.zip" in window.status_label.text()
    assert window.stack.currentWidget() is window.start_screen


def test_dropping_a_folder_opens_it(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "dropped", count=2, broken=False)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    # Drop with a case file of our own so nothing is written to the user's data folder.
    window.open_paths = (lambda paths, case_path=None, _o=window.open_paths:
                         _o(paths, str(tmp_path / "dropped.vacase")))
    with qtbot.waitSignal(window.analysisFinished, timeout=90_000):
        window.dropEvent(event)
    assert window.model.rowCount() == 2


def test_screenshot_run_writes_a_png(tmp_path):
    """``voicearchive open PATH --screenshot OUT`` end to end, in its own process (it runs its own
    event loop to the end, which a QApplication does only once)."""
    import os
    import subprocess
    import sys

    folder = make_wav_folder(tmp_path / "shot", count=2)
    out = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), VOICEARCHIVE_SCREENSHOT_SIZE="1024x700")
    done = subprocess.run(
        [sys.executable, "-m", "voicearchive", "open", str(folder), "--case", str(tmp_path / "shot.vacase"),
         "--screenshot", str(out)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Screenshot saved" in done.stdout
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # the IHDR chunk
    assert (width, height) == (1024, 700)  # the size asked for, not the default 1280x800
    assert "Traceback" not in done.stderr


def test_excepthook_logs_and_shows_a_status_message(window):  # noqa: F811
    import sys

    from voicearchive.gui.app import install_excepthook

    saved = sys.excepthook
    try:
        install_excepthook(window)
        try:
            raise RuntimeError("disk on fire")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = saved
    assert "disk on fire" in window.status_label.text()


def test_every_control_of_the_window_has_an_accessible_name(opened):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QProgressBar,
    )

    win, _, _ = opened
    kinds = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QProgressBar)
    mine = [win.start_screen, win.splitter, win.statusBar()]
    unnamed = []
    for root in mine:
        for widget in (w for kind in kinds for w in root.findChildren(kind)):
            if type(widget).__module__.startswith("pyqtgraph") or widget.window() is not win:
                continue  # plots are checked below; popups of combo boxes are Qt's own windows
            if not widget.isVisibleTo(root) or isinstance(widget.parent(), (QLineEdit, QAbstractSpinBox)):
                continue  # hidden, or the clear button inside a search field (part of the field)
            if not widget.accessibleName():
                unnamed.append(f"{type(widget).__name__} {widget.objectName()} in {type(widget.parent()).__name__}")
    assert not unnamed, unnamed
    for plot in (win.detail.waveform, win.detail.spectrogram):
        assert plot.accessibleName()


def test_dark_and_light_palettes(qapp):
    from PySide6.QtGui import QPalette

    from voicearchive.gui.app import apply_palette

    saved = qapp.palette()
    try:
        apply_palette(qapp, dark=True)
        pal = qapp.palette()
        assert pal.color(QPalette.ColorRole.Base).lightness() < 80
        assert pal.color(QPalette.ColorRole.Text).lightness() > 180, "light text on the dark base"
        apply_palette(qapp, dark=False)
        assert qapp.palette().color(QPalette.ColorRole.Base).lightness() > 200
    finally:
        qapp.setPalette(saved)


def test_german_translation_reaches_the_menus(qapp, isolated_settings):  # noqa: F811
    from PySide6.QtCore import QLocale

    from voicearchive.gui.app import install_translators
    from voicearchive.gui.main_window import MainWindow

    translators = install_translators(qapp, QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        assert translators, "the German .qm file ships in resources/translations"
        win = MainWindow()
        titles = [action.text() for action in win.menuBar().actions()]
        assert titles[0] != "&File" and "&Datei" in titles
        win.deleteLater()
    finally:
        install_translators(qapp, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def test_cancel_stops_the_work_and_keeps_the_window_usable(window, qtbot, tmp_path):  # noqa: F811
    folder = make_wav_folder(tmp_path / "big", count=3)
    with qtbot.waitSignal(window.analysisFinished, timeout=60_000) as finished:
        window.open_paths([str(folder)], str(tmp_path / "c.vacase"))
        assert window.cancel_button.isVisible() and window.actions["cancel"].isEnabled()
        window.actions["cancel"].trigger()
    assert finished.args == ["cancelled"]
    assert window.status_label.text() == "Stopped; what was done is kept"
    assert not window.cancel_button.isVisible()
    assert open_and_wait(qtbot, window, [folder], tmp_path / "c.vacase") == "done"
    assert window.model.rowCount() == 4


def test_click_on_the_waveform_seeks_and_other_voices_are_shaded(opened, qtbot):
    win, folder, _ = opened
    key = f"{folder.name}/clip-03.wav"
    win.select_key(key)
    plot = win.detail.waveform
    with qtbot.waitSignal(win.detail.seekRequested, timeout=5000) as seek:
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.viewport().rect().center())
    duration = win.current_item().rec.audio.duration_s
    assert 0.25 * duration < seek.args[0] < 0.75 * duration
    qtbot.waitUntil(lambda: abs(win.player.position - seek.args[0]) < 0.05, timeout=5000)
    item = win.current_item()
    item.voice = VoiceResult(key, other_voice_spans=[(0.1, 0.4), (0.9, 1.2)])
    win.detail.update_item(item)
    assert [r.getRegion() for r in win.detail._spans] == [(0.1, 0.4), (0.9, 1.2)]


def test_voices_and_timeline_views_drive_the_selection(opened, qtbot):
    win, folder, _ = opened
    key = f"{folder.name}/clip-01.wav"
    win.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(win.player.playingChanged, timeout=10_000):
        win.voices_view.playRequested.emit(key)
    assert win.current_item().rec.key == key and win.player.playing
    win.actions["play_pause"].trigger()
    qtbot.waitUntil(lambda: not win.player.playing, timeout=5000)
    day = date(2026, 5, 1)
    win.timeline_view.dayActivated.emit(day)
    assert win.proxy.filters.date_from == day and win.proxy.filters.date_to == day
    assert win.tabs.currentIndex() == 0
    assert win.proxy.rowCount() == 0, "the fixture files were not recorded on that day"


def test_threshold_from_the_voices_view_is_kept_in_the_case_and_reruns_voices(opened, qtbot):
    from tests.gui_helpers import wait_idle

    win, _, _ = opened
    win.voices_view.thresholdChanged.emit(0.42)
    assert win.store.get("threshold") == pytest.approx(0.42)
    assert win._voices_pending
    wait_idle(qtbot, win)
    assert win.filter_bar._threshold == pytest.approx(win.store.voice_meta().get("threshold"))
    win.voices_view.thresholdReset.emit()
    assert win.store.get("threshold") is None
    wait_idle(qtbot, win)


def test_file_open_takes_every_part_of_a_multi_part_takeout(window, qtbot, tmp_path, monkeypatch):  # noqa: F811
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    from voicearchive.resources import resource

    parts = sorted(str(p) for p in Path(resource("demo")).glob("takeout-*.zip"))
    assert len(parts) == 2
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: (parts, "")))
    opened = []
    monkeypatch.setattr(window, "open_paths", lambda paths, case_path=None: opened.append(paths))
    window.actions["open"].trigger()
    assert opened == [parts]
    monkeypatch.undo()
    assert open_and_wait(qtbot, window, parts, tmp_path / "demo.vacase") == "done"
    items = window.model.items()
    assert len(items) == 36 and {i.rec.source_format for i in items} == {"google-takeout"}
    assert {i.rec.archive for i in items if i.rec.member_path} == set(parts), "audio from both parts"
    assert window.windowTitle().startswith("takeout-")


def test_opening_another_archive_mid_analysis_shows_only_the_new_one(window, qtbot, tmp_path):  # noqa: F811
    first = make_wav_folder(tmp_path / "first", count=4)
    second = make_wav_folder(tmp_path / "second", count=2, broken=False)
    window.open_paths([str(first)], str(tmp_path / "first.vacase"))
    assert open_and_wait(qtbot, window, [second], tmp_path / "second.vacase") == "done"
    assert {i.rec.key.split("/")[0] for i in window.model.items()} == {"second"}
    assert window.model.rowCount() == 2
    assert window.store.path.name == "second.vacase"
