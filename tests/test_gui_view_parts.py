"""Parts of the window without an open archive (issue 11): dates, labels, bins, plurals, layout."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import QLocale, QPoint, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from voicearchive.model import AudioFacts, CaseItem, Label, Recording, VoiceResult


def _item(key, archive="/e/leak", member="", audio=True, voice=None, when=None, label=None) -> CaseItem:
    rec = Recording(key=key, archive=archive, member_path=member or f"{key}.wav", source_format="audio-folder",
                    audio=AudioFacts("wav", 16000, 1, 2.0) if audio else None, recorded_at=when,
                    problem="" if audio else "not audio")
    return CaseItem(rec, label or Label(key), voice)


def test_dates_are_read_in_iso_and_in_the_locales_format():
    from voicearchive.gui.date_field import format_date, parse_date

    german, us = QLocale(QLocale.Language.German, QLocale.Country.Germany), QLocale(QLocale.Language.English,
                                                                                   QLocale.Country.UnitedStates)
    day = date(2026, 9, 10)
    assert parse_date("2026-09-10", german) == parse_date("2026-09-10", us) == day
    assert parse_date("10.09.2026", german) == parse_date("10.9.26", german) == day
    assert parse_date("9/10/2026", us) == day
    assert format_date(day, german) == "10.09.2026"
    for nonsense in ("any20260910", "2026-13-01", "1.9.202", "tomorrow"):
        assert parse_date(nonsense, german) is None, nonsense
    assert parse_date("", german) is None


def test_a_half_typed_date_never_filters_and_a_wrong_one_is_marked(qtbot):
    from voicearchive.gui.date_field import DateField

    field = DateField("From date", "from: any date")
    qtbot.addWidget(field)
    seen = []
    field.dateChanged.connect(seen.append)
    field.edit.setText("2026-09-1")
    assert seen == [] and field.date() is None
    field.edit.setText("2026-09-10")
    assert seen == [date(2026, 9, 10)]
    field.edit.setText("2026-09-10x")
    field.edit.editingFinished.emit()
    assert not field.is_valid() and field.date() == date(2026, 9, 10), "the last good date stays"


def test_file_labels_tell_rows_of_one_name_apart():
    from voicearchive.gui.recordings_model import RecordingsModel, column, distinct_labels

    items = [_item("1", member="a/kitchen/own9.wav"), _item("2", member="b/kitchen/own9.wav"),
             _item("3", member="hall/own9.wav"), _item("4", archive="/e/other", member="hall/own9.wav"),
             _item("5", member="x/unique.wav")]
    assert distinct_labels(items[:4]) == ["a/kitchen/own9.wav", "b/kitchen/own9.wav", "leak/hall/own9.wav",
                                          "other/hall/own9.wav"]
    model = RecordingsModel()
    model.upsert(items[:1] + items[4:])
    assert model.index(0, column("file")).data() == "own9.wav", "alone, the base name is enough"
    model.upsert(items[1:4])
    shown = [model.index(model.row_of(k), column("file")).data() for k in "12345"]
    assert len(set(shown)) == 5 and shown[4] == "unique.wav"
    assert distinct_labels([_item("6", member="d1/rec.wav"), _item("7", member="deep/d1/rec.wav")])[0] == \
        "leak/d1/rec.wav"


def test_rows_not_analysed_yet_say_so_in_list_detail_and_csv():
    from voicearchive.export import CSV_COLUMNS, export_row
    from voicearchive.gui.detail_view import flag_text
    from voicearchive.gui.recordings_model import voice_text

    pending = _item("p")
    assert flag_text(pending) == "not analysed yet" and voice_text(pending) == "not analysed yet"
    assert dict(zip(CSV_COLUMNS, export_row(pending)))["flagged"] == "not analysed yet"
    analysed = _item("a", voice=VoiceResult("a", group=0, group_name="Voice A"))
    assert flag_text(analysed) == "not flagged" and voice_text(analysed) == "Voice A"
    assert dict(zip(CSV_COLUMNS, export_row(analysed)))["flagged"] == "no"
    decided = _item("d", label=Label("d", flag=False))
    assert flag_text(decided) == "not flagged"
    assert flag_text(_item("n", audio=False)) == "not analysed: no audio"


def test_search_says_what_it_searches_and_where_a_row_matched():
    from voicearchive.gui.filter_bar import FilterBar
    from voicearchive.gui.search_text import match_fields, match_text

    bar = FilterBar()
    for word in ("transcripts", "notes", "file paths", "problems"):
        assert word in bar.search.placeholderText()
    item = _item("k", member="kitchen/clip.wav")
    item.rec.transcript = "turn on the kitchen light"
    assert match_fields(item, "KITCHEN") == ["transcript", "file path"]
    assert match_text(item, "kitchen") == "“kitchen” found in: transcript, file path"
    assert match_text(item, "") == ""


def test_recent_archives_are_told_apart_and_counted_in_both_languages(qapp):
    from voicearchive.gui.start_screen import describe_paths
    from voicearchive.resources import resource

    home_a = describe_paths(["/cases/a/takeout-001.zip"])
    home_b = describe_paths(["/cases/b/takeout-001.zip"])
    assert home_a != home_b and "/cases/a" in home_a
    assert "(+1 more part)" in describe_paths(["/c/p1.zip", "/c/p2.zip"])
    assert "(+2 more parts)" in describe_paths(["/c/p1.zip", "/c/p2.zip", "/c/p3.zip"])
    translator = QTranslator()
    assert translator.load(str(resource("translations", "voicearchive_de.qm")))
    qapp.installTranslator(translator)
    try:
        assert "(+1 weiterer Teil)" in describe_paths(["/c/p1.zip", "/c/p2.zip"])
        assert "(+2 weitere Teile)" in describe_paths(["/c/p1.zip", "/c/p2.zip", "/c/p3.zip"])
    finally:
        qapp.removeTranslator(translator)


def test_timeline_bars_adapt_to_long_ranges_and_keep_a_legend(qtbot):
    from voicearchive.gui.timeline_data import DAY, MONTH, WEEK, YEAR, TimelineData, bin_unit, bins
    from voicearchive.gui.timeline_view import TimelineView, day_ticks

    assert bin_unit(date(2026, 1, 1), date(2026, 3, 1)) == DAY
    assert bin_unit(date(2026, 1, 1), date(2027, 1, 1)) == WEEK
    assert bin_unit(date(2020, 1, 1), date(2026, 1, 1)) == MONTH
    assert bin_unit(date(1990, 1, 1), date(2026, 1, 1)) == YEAR
    base = datetime(2021, 1, 15, 12, tzinfo=timezone.utc)
    items = [_item(str(i), when=base + timedelta(days=40 * i)) for i in range(50)]  # about five and a half years
    b = bins(TimelineData.from_items(items, timezone.utc))
    assert b.unit == MONTH and sum(b.totals) == 50 and b.starts[0] == date(2021, 1, 1)
    assert b.lasts[0] == date(2021, 1, 31) and b.at(date(2021, 1, 20)) == 0
    step, ticks = day_ticks(date(1990, 1, 1).toordinal(), date(2026, 1, 1).toordinal(), 10)
    assert step >= 365 and all(date.fromordinal(t).timetuple()[1:3] == (1, 1) for t in ticks)
    view = TimelineView(None, timezone.utc)
    qtbot.addWidget(view)
    view.set_items(items)
    view.show()
    assert "per month" in view.bars_caption.text()
    legend = [view.legend.itemAt(i).widget() for i in range(view.legend.count()) if view.legend.itemAt(i).widget()]
    texts = " ".join(w.text() for w in legend if w.text())
    assert "flagged" in texts and "night" in texts
    strings = view.per_day.getAxis("bottom").tickStrings([date(2023, 1, 1).toordinal()], 1, 365)
    assert strings == ["2023"]
    view.resize(900, 600)
    qtbot.waitExposed(view)
    scene = view.per_day.getPlotItem().vb.mapViewToScene(view.day_position(date(2021, 1, 15)))
    where = view.per_day.mapFromScene(scene)
    with qtbot.waitSignal(view.rangeActivated) as blocker:  # a month's bar lists that month
        qtbot.mouseClick(view.per_day.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where.x(), where.y()))
    assert blocker.args == [date(2021, 1, 1), date(2021, 1, 31)]


def test_voices_view_does_not_move_when_a_long_path_is_shown_or_the_button_appears(qtbot):
    from voicearchive.gui.voices_view import VoicesView

    view = VoicesView()
    qtbot.addWidget(view)
    view.thresholdReset.connect(lambda: None)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    before = (view.map.geometry(), view.groups.geometry(), view.histogram.geometry())
    view.selection.setText("Takeout/My Activity/Assistant/" + "very-long-folder-name/" * 20 + "clip.mp3")
    view.automatic.show()
    QApplication.processEvents()
    after = (view.map.geometry(), view.groups.geometry(), view.histogram.geometry())
    assert before == after
    assert view.selection.text().endswith("clip.mp3"), "the whole text is kept (and in the tooltip)"



def test_evidence_in_tooltips_shows_as_written():
    from PySide6.QtCore import Qt

    from voicearchive.gui.recordings_model import RecordingsModel, column
    from voicearchive.gui.recordings_proxy import Filters, RecordingsProxy

    item = _item("k", member="<img src=x>.wav")
    item.rec.transcript = "<b>open</b> the door"
    model = RecordingsModel()
    model.upsert([item])
    tip = model.index(0, column("transcript")).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<qt>") and "&lt;b&gt;open&lt;/b&gt;" in tip and "<b>" not in tip
    proxy = RecordingsProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(Filters(text="door"))
    tip = proxy.index(0, column("transcript")).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;open" in tip and "found in: transcript" in tip
    from voicearchive.gui.tooltips import plain_tooltip

    assert plain_tooltip("0.57 < 0.80 & more") == "0.57 < 0.80 & more", "text without a tag stays as it is"
    assert plain_tooltip("a </b> b").startswith("<qt>")
