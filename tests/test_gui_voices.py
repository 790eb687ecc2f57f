"""The voices view: groups, map clicks, the threshold slider and its live count, marking voices."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from tests.voices_fixtures import THRESHOLD, FakeLabels, make_items
from voicearchive.gui.threshold_histogram import slider_threshold, slider_value
from voicearchive.gui.voices_data import FlagCounter, VoicesSnapshot, default_group_name
from voicearchive.gui.voices_view import VoicesView
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER


def _snapshot(items=None, embeddings=None, **kw) -> VoicesSnapshot:
    if items is None:
        items, embeddings = make_items()
    return VoicesSnapshot.build(items, embeddings, threshold=kw.pop("threshold", THRESHOLD), **kw)


@pytest.fixture
def view(qtbot):
    labels = FakeLabels()
    v = VoicesView(None, labels)
    qtbot.addWidget(v)
    v.resize(1100, 700)
    v.show()
    qtbot.waitExposed(v)
    v.set_snapshot(_snapshot(group_roles={0: ROLE_OWNER}))
    return v, labels


# ---------------------------------------------------------------------------------- Qt-free parts
def test_flag_counter_matches_the_one_rule_at_every_threshold():
    items, _ = make_items()
    items[0].label.role = ROLE_STRANGER  # always flagged
    items[1].label.flag = False  # never flagged
    items[2].label.role = ROLE_OWNER  # clears the app's flag
    items[3].label.flag = True  # flagged by the user
    items[-1].voice.uncertain = True  # never flagged by the app
    items[4].voice.other_score = 0.1  # a second voice decides, whatever its own score
    counter = FlagCounter.from_items(items)
    for t in np.linspace(-1, 1, 81):
        assert counter.count(t) == sum(it.flagged_at(t) for it in items)
    assert counter.count(-1.0) == 2 and counter.count(1.01) == len(items) - 3


def _report_items():
    """A real VoiceReport over synthetic features: four voices, one of them named the household's."""
    from voicearchive.voices.features import VoiceFeatures
    from voicearchive.voices.owner import Decisions, analyse_voices

    rng = np.random.default_rng(4)
    centres = rng.normal(size=(4, 256))
    features = {}
    for v, n in enumerate((14, 8, 6, 5)):
        for i in range(n):
            e = centres[v] + 0.55 * rng.normal(size=256)
            e = (e / np.linalg.norm(e)).astype(np.float32)
            # The last two of voice 0 hold a second voice (windows of voice 3).
            w = np.stack([e, e, centres[3] / np.linalg.norm(centres[3])]).astype(np.float32)
            windows = w if (v == 0 and i >= n - 2) else np.stack([e, e])
            features[f"v{v}-{i:02d}"] = VoiceFeatures(e, 3.0, windows, np.arange(len(windows), dtype=np.float32))
    features["short"] = VoiceFeatures(features["v1-00"].embedding, 0.4, np.zeros((0, 256), np.float32),
                                      np.zeros(0, np.float32))
    first = analyse_voices(features, {}, Decisions())
    household = first.results["v1-00"].group
    previous = {k: r.group for k, r in first.results.items()}
    report = analyse_voices(features, {}, Decisions(voice_roles={household: ROLE_HOUSEHOLD}, previous=previous))
    from voicearchive.model import LOOSE, CaseItem, Label, Recording

    items = [
        CaseItem(Recording(key, "/evidence", f"{key}.wav", LOOSE, sha256=key), Label(key), result)
        for key, result in sorted(report.results.items())
    ]
    return report, items, features


def test_flag_counter_with_a_report_matches_owner_count_flagged():
    from voicearchive.gui.voices_data import decisive_scores
    from voicearchive.voices.owner import count_flagged

    report, items, _ = _report_items()
    assert any(g.role == ROLE_HOUSEHOLD for g in report.groups)
    assert "short" not in decisive_scores(report)  # too little speech: never flagged
    counter = FlagCounter.from_items(items)
    ts = np.linspace(-0.6, 0.8, 36)
    counts = [counter.count(t) for t in ts]
    assert counts == [count_flagged(report, t) for t in ts]
    assert counts[0] < counts[-1]
    # The user's own decisions win over the threshold.
    items[0].label.flag = True
    items[1].label.role = ROLE_OWNER
    decided = FlagCounter.from_items(items)
    for t in (-0.2, 0.5):
        assert decided.count(t) == sum(it.flagged_at(t) for it in items)


def test_snapshot_groups_map_and_names():
    items, emb = make_items()
    del emb[items[3].rec.key]  # one recording without an embedding is not on the map
    items[-1].label.role = ROLE_STRANGER
    s = VoicesSnapshot.build(items, emb, threshold=0.7, group_roles={0: ROLE_OWNER})
    assert [(g.group, g.size) for g in s.groups] == [(0, 12), (1, 7), (2, 5), (-1, 4)]
    assert s.groups[0].role == ROLE_OWNER
    assert s.groups[0].representative == "rec/Voice_A-11.wav"  # the most speech
    assert len(s.map_keys) == len(items) - 1 and s.map_points.shape == (len(items) - 1, 2)
    assert s.total == len(items)
    # The histogram holds what the threshold decides: every saved deciding score without a user decision.
    free = [it.voice.score for it in items if it.label.role is None and it.label.flag is None]
    assert sorted(free) == list(s.counter.free_scores) and 0 < len(free) < len(items)
    assert s.groups[-1].flagged == sum(1 for it in items if it.voice.group == -1 and it.flagged)
    assert default_group_name(0) == "Voice A" and default_group_name(27) == "Voice AB"


def test_recording_marks_never_give_a_voice_its_role():
    items, emb = make_items()
    for it in items:
        if it.voice.group == 2:
            it.label.role = ROLE_HOUSEHOLD
    s = VoicesSnapshot.build(items, emb, threshold=0.7)
    assert {g.group: g.role for g in s.groups}[2] is None  # a voice's role is a decision about the voice
    # ... but each marked recording is not flagged, whatever the threshold.
    assert s.counter.count(1.0) == len(items) - 5


def test_slider_mapping_round_trips():
    for t in (-1.0, -0.25, 0.0, 0.5, 0.735, 1.0):
        assert slider_threshold(slider_value(t)) == pytest.approx(t, abs=0.0025)
    assert slider_value(-1.3) == 0 and slider_value(1.7) == slider_value(1.0)


# -------------------------------------------------------------------------------------- the widget
def test_groups_table_lists_voices_owner_first(view):
    v, _ = view
    table = v.groups
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows[0] == ["Voice A", "12", "0", "Owner"]
    assert rows[1][:2] == ["Voice B", "7"] and rows[1][2] == "7"
    assert rows[-1][0] == "Voices heard once"
    assert table.item(0, 0).font().bold()
    assert v.message.text() == "3 voices in 28 recordings."


def test_an_archive_of_one_recording_reads_in_the_singular(view):
    v, _ = view
    items, embeddings = make_items()
    v.set_snapshot(_snapshot(items[:1], {k: e for k, e in embeddings.items() if k == items[0].rec.key}))
    assert v.count.text().startswith("0 of 1 recording flagged below "), v.count.text()  # not "1 recordings"


def test_clicking_a_dot_selects_and_plays_it(view, qtbot):
    v, labels = view
    # The dot farthest from its neighbours: a click on it can hit no other dot.
    p = v.snapshot.map_points
    gaps = np.linalg.norm(p[:, None] - p[None], axis=2) + np.eye(len(p)) * 9
    key = v.snapshot.map_keys[int(gaps.min(axis=1).argmax())]
    scene_pos = v.map.getPlotItem().vb.mapViewToScene(v.map.point_of(key))
    pos = v.map.mapFromScene(scene_pos)
    activated, played = [], []
    v.recordingActivated.connect(activated.append)
    v.playRequested.connect(played.append)
    with qtbot.waitSignals([v.recordingActivated, v.playRequested]):
        qtbot.mouseClick(v.map.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))
    assert activated == [key] and played == [key]
    assert v.map.selected_key == key
    assert key in v.selection.text() and "owner score" in v.selection.text()
    # Hovering the dot tells the same: which recording, which voice, how like the owner.
    from voicearchive.gui.plain import tooltip

    assert v.map._tip(0.0, 0.0, v.snapshot.map_keys.index(key)) == tooltip(v.selection.text())
    # The one recording can now be marked on its own.
    assert v.recording_buttons[ROLE_STRANGER].isEnabled()
    with qtbot.waitSignal(v.decisionsChanged):
        qtbot.mouseClick(v.recording_buttons[ROLE_STRANGER], Qt.MouseButton.LeftButton)
    assert labels.calls == [([key], ROLE_STRANGER)]


def test_slider_recounts_live_and_commits_the_threshold(view, qtbot):
    v, _ = view
    s = v.snapshot
    assert v.count.text().startswith(f"{s.counter.count(THRESHOLD)} of 28")
    v.histogram.slider.setFocus()
    with qtbot.waitSignal(v.thresholdChanged) as blocker:
        for _ in range(20):  # 20 steps of 0.005 = 0.1 lower
            qtbot.keyClick(v.histogram.slider, Qt.Key.Key_Left)
    assert blocker.args[0] == pytest.approx(THRESHOLD - 0.1)
    assert v.count.text().startswith(f"{s.counter.count(THRESHOLD - 0.1)} of 28")
    assert s.counter.count(THRESHOLD - 0.1) < s.counter.count(THRESHOLD)
    # Dragging the line on the histogram moves the slider and the count with it.
    v.histogram._line.setValue(0.5)
    assert v.histogram.slider.value() == slider_value(0.5)
    assert f"{s.counter.count(0.5)} of 28" in v.count.text()
    with qtbot.waitSignal(v.thresholdChanged) as blocker:
        v.histogram._line.sigPositionChangeFinished.emit(v.histogram._line)
    assert blocker.args[0] == pytest.approx(0.5)


def test_automatic_threshold_is_offered_once_the_user_set_one(view, qtbot):
    from voicearchive.voices.owner import THRESHOLD_AUTO, THRESHOLD_USER

    v, _ = view
    items, emb = make_items()
    v.set_snapshot(VoicesSnapshot.build(items, emb, threshold=0.7, threshold_source=THRESHOLD_USER))
    assert not v.automatic.isVisible()  # nobody would act on it yet
    resets = []
    v.thresholdReset.connect(lambda: resets.append(1))
    v.set_snapshot(VoicesSnapshot.build(items, emb, threshold=0.7, threshold_source=THRESHOLD_USER))
    assert v.automatic.isVisible()
    qtbot.mouseClick(v.automatic, Qt.MouseButton.LeftButton)
    assert resets == [1]
    v.set_snapshot(VoicesSnapshot.build(items, emb, threshold=0.8, threshold_source=THRESHOLD_AUTO))
    assert not v.automatic.isVisible()


def test_marking_a_group_is_a_decision_about_the_voice_not_its_recordings(view, qtbot):
    v, labels = view
    v.select_group(1)
    assert v.selected_group() == 1
    with qtbot.waitSignal(v.decisionsChanged):
        qtbot.mouseClick(v.group_buttons[ROLE_HOUSEHOLD], Qt.MouseButton.LeftButton)
    assert labels.voice_calls[-1] == ([1], ROLE_HOUSEHOLD) and labels.calls == []
    qtbot.mouseClick(v.group_buttons[None], Qt.MouseButton.LeftButton)
    assert labels.voice_calls[-1] == ([1], None)


def test_the_owner_never_changes_without_a_confirmation(view, qtbot):
    v, labels = view
    asked = []
    v.confirm_owner_change = lambda row, role: asked.append((row.group, role)) or False
    v.select_group(0)  # the owner's voice
    qtbot.mouseClick(v.group_buttons[ROLE_STRANGER], Qt.MouseButton.LeftButton)
    v.select_group(2)
    qtbot.mouseClick(v.group_buttons[ROLE_OWNER], Qt.MouseButton.LeftButton)
    assert asked == [(0, ROLE_STRANGER), (2, ROLE_OWNER)] and labels.voice_calls == []  # refused: nothing saved
    v.confirm_owner_change = lambda row, role: True
    with qtbot.waitSignal(v.decisionsChanged):
        qtbot.mouseClick(v.group_buttons[ROLE_OWNER], Qt.MouseButton.LeftButton)
    assert labels.voice_calls == [([2], ROLE_OWNER)]


def test_keys_on_the_groups_table_mark_the_selected_voice(view, qtbot):
    from PySide6.QtGui import QAction, QKeySequence

    v, labels = view
    # A window-wide shortcut on the same key (the main window has one) must not steal it here.
    stolen = []
    action = QAction(v)
    action.setShortcut(QKeySequence("S"))
    action.triggered.connect(lambda: stolen.append(1))
    v.addAction(action)
    v.groups.setFocus()
    v.select_group(2)
    with qtbot.waitSignal(v.decisionsChanged):
        qtbot.keyClick(v.groups, Qt.Key.Key_S)
    assert labels.voice_calls[-1] == ([2], ROLE_STRANGER)
    qtbot.keyClick(v.groups, Qt.Key.Key_C)
    assert labels.voice_calls[-1] == ([2], None)
    assert stolen == []
    v.groups.clearSelection()
    qtbot.keyClick(v.groups, Qt.Key.Key_O)  # nothing selected: nothing marked
    assert len(labels.voice_calls) == 2


def test_play_sample_and_group_emphasis(view, qtbot):
    v, _ = view
    assert not v.play_sample.isEnabled()
    v.select_group(2)
    assert v.play_sample.isEnabled()
    with qtbot.waitSignal(v.playRequested) as blocker:
        qtbot.mouseClick(v.play_sample, Qt.MouseButton.LeftButton)
    assert blocker.args == ["rec/Voice_C-04.wav"]
    assert v.map._items[2].opacity() == 1.0 and v.map._items[0].opacity() < 1.0


def test_refresh_waits_until_the_view_is_shown(qtbot):
    class Store:
        reads = 0

    store = Store()
    v = VoicesView(store, FakeLabels())
    qtbot.addWidget(v)
    loaded: list[object] = []
    v._reload = lambda: loaded.append(store)  # count reloads without a real case file
    v.refresh()
    assert loaded == []  # hidden: nothing read
    v.show()
    qtbot.waitExposed(v)
    assert loaded == [store]
    v.refresh()
    assert len(loaded) == 2


def test_every_control_has_an_accessible_name(view):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QTableWidget

    v, _ = view
    for cls in (QAbstractButton, QAbstractSlider, QTableWidget):
        for w in v.findChildren(cls):
            if w.isVisibleTo(v):
                assert w.accessibleName(), w


def test_view_reads_a_real_case_file_and_writes_labels(qtbot, tmp_path):
    from voicearchive.case.labels import LabelBook
    from voicearchive.case.store import CaseStore
    from voicearchive.pipeline import save_report
    from voicearchive.voices.features import MODEL_VERSION_INT8 as VERSION  # not the float one: read from the report

    report, items, features = _report_items()
    store = CaseStore(tmp_path / "case.voicearchive")
    store.put_recordings([it.rec for it in items])
    store.put_voice_features_many(
        VERSION,
        [(k, f.embedding, f.speech_s, f.windows, f.window_starts) for k, f in features.items()],
    )
    save_report(store, report, VERSION)
    labels = LabelBook(store)
    v = VoicesView(store, labels)
    qtbot.addWidget(v)
    v.refresh(report)
    with qtbot.waitSignal(v.refreshed):  # read on a worker thread once shown
        v.show()
    s = v.snapshot
    assert s is not None and s.total == len(items)
    assert len(s.map_keys) == len(items)  # every recording with speech has a dot
    assert s.threshold == pytest.approx(report.threshold)
    assert s.groups[0].role == ROLE_OWNER and s.groups[0].size >= 13
    assert v.groups.item(0, 3).text() == "Owner"
    owner = report.group(report.owner_group)
    assert f"Owner: {owner.name}, {report.owner_source}." in v.message.text()
    assert f"Threshold {report.threshold:.3f} ({report.threshold_source})." in v.message.text()
    assert v.reliability.text() == str(report.reliability) and v.reliability.isVisibleTo(v)
    from voicearchive.voices.owner import count_flagged

    assert v.count.text().startswith(f"{count_flagged(report, report.threshold)} of {len(items)}")
    stranger = next(g for g in s.groups if g.group >= 0 and g.role is None)
    v.select_group(stranger.group)
    with qtbot.waitSignal(v.decisionsChanged):
        qtbot.mouseClick(v.group_buttons[ROLE_STRANGER], Qt.MouseButton.LeftButton)
    assert labels.voice_roles() == {stranger.group: ROLE_STRANGER} and labels.all() == {}
    assert labels.can_undo()
    # Without the report (a re-opened case) the view still shows the stored state.
    with qtbot.waitSignal(v.refreshed):
        v.set_case(store, labels)
    assert v.snapshot.groups[0].role == ROLE_OWNER and len(v.snapshot.owner_scores) == len(report.owner_scores)
    # A case file that cannot be read says so in the view.
    store.close()
    v.refresh()
    qtbot.waitUntil(lambda: "could not be read from the case file" in v.message.text())
    v.set_case(None, None)  # the case closed: the view empties
    assert v.groups.rowCount() == 0 and v.snapshot.total == 0 and v.map.selected_key is None


# ------------------------------------------------------------------------------------------ timeline
def _timeline_items():
    from datetime import datetime, timedelta, timezone

    items, _ = make_items()
    base = datetime(2026, 3, 2, tzinfo=timezone.utc)
    # Day 0: three recordings at 08:00, 08:30 and 23:15 (flagged); day 2: one at 03:00 (flagged).
    times = [base + timedelta(hours=8), base + timedelta(hours=8, minutes=30),
             base + timedelta(hours=23, minutes=15), base + timedelta(days=2, hours=3)]
    chosen = []
    for when, it in zip(times, [items[0], items[1], items[15], items[16]]):
        it.rec.recorded_at = when
        chosen.append(it)
    undated = items[2]
    undated.rec.recorded_at = None
    assert [it.flagged for it in chosen] == [False, False, True, True]
    return chosen + [undated]


def test_timeline_counts_per_day_and_hour():
    from datetime import date, timedelta, timezone

    from voicearchive.gui.timeline_data import TimelineData

    items = _timeline_items()
    d = TimelineData.from_items(items, timezone.utc)
    assert d.day_totals == {date(2026, 3, 2): 3, date(2026, 3, 4): 1}
    assert d.day_flagged == {date(2026, 3, 2): 1, date(2026, 3, 4): 1}
    assert d.hour_totals[8] == 2 and d.hour_totals[23] == 1 and d.hour_totals[3] == 1
    assert d.hour_totals.sum() == 4 and d.hour_flagged.sum() == 2
    assert d.flagged_at_night == 2 and d.undated == 1
    assert d.hours[2] == pytest.approx(23.25)
    # In UTC+2 the 23:15 recording falls on the next day, at 01:15.
    east = TimelineData.from_items(items, timezone(timedelta(hours=2)))
    assert east.day_totals == {date(2026, 3, 2): 2, date(2026, 3, 3): 1, date(2026, 3, 4): 1}
    assert east.hour_totals[1] == 1 and east.hour_totals[10] == 2


def test_timeline_view_clicks_days_and_dots(qtbot):
    from datetime import date, timezone

    from voicearchive.gui.timeline_view import TimelineView

    v = TimelineView(None, timezone.utc)
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.set_items(_timeline_items())  # hidden: drawn when shown
    v.show()
    qtbot.waitExposed(v)
    assert "4 recordings on 2 days, 2 flagged (2 of them at night" in v.summary.text()
    assert "1 without a known time" in v.summary.text()
    one_day = [it for it in _timeline_items() if it.rec.recorded_at and it.rec.recorded_at.day == 4]
    v.set_items(one_day)
    assert v.summary.text().startswith("1 recording on 1 day, 1 flagged"), v.summary.text()  # not "1 days"

    def click(plot, point):
        scene = plot.getPlotItem().vb.mapViewToScene(point)
        pos = plot.mapFromScene(scene)
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))

    with qtbot.waitSignal(v.dayActivated) as blocker:
        click(v.per_day, v.day_position(date(2026, 3, 4)))
    assert blocker.args == [date(2026, 3, 4)]
    from PySide6.QtCore import QPointF

    with qtbot.waitSignal(v.recordingActivated) as blocker:
        click(v.scatter, QPointF(date(2026, 3, 4).toordinal(), 3.0))
    assert blocker.args == [_timeline_items()[3].rec.key]
