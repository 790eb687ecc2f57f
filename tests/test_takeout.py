"""Google Takeout importer: multi-part zips and folders, JSON and HTML, English and German."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vendor_fixtures import (
    assistant_folder,
    scan,
    MISSING_MP3,
    ORPHAN_MP3,
    activity_html,
    build_takeout,
    google_json,
    tree_digest,
    vendor_audio,  # noqa: F401 - session fixture
    write_zip,
)
from voicearchive.archive import open_archive
from voicearchive.archive.takeout import TakeoutImporter
from voicearchive.archive.takeout_activity import (
    activity_from_json,
    audio_name_time,
    is_activity_list,
    parse_rfc3339,
    transcript_from_title,
)
from voicearchive.archive.takeout_html import parse_activity_html, parse_date_text
from voicearchive.model import GOOGLE_TAKEOUT, JOIN_AUDIO_FILES, LOOSE, TIME_METADATA, Recording

UTC = timezone.utc




def by_transcript(recs: list[Recording]) -> dict[str, Recording]:
    return {r.transcript: r for r in recs if r.source_format == GOOGLE_TAKEOUT}


@pytest.mark.parametrize("unzipped", [False, True], ids=["zip-parts", "folders"])
@pytest.mark.parametrize("german", [False, True], ids=["en", "de"])
def test_multi_part_takeout(tmp_path: Path, vendor_audio: dict[str, bytes], german: bool, unzipped: bool) -> None:
    paths = build_takeout(tmp_path, vendor_audio, german=german, unzipped=unzipped)
    fmt, recs, problems = scan(paths)
    assert fmt == GOOGLE_TAKEOUT
    assert problems == []
    items = by_transcript(recs)
    assert set(items) == {"what's the weather in Paris", "turn off the lights", "set a timer", "call mum", "play music"}
    act = "Meine Aktivitäten" if german else "My Activity"

    paris = items["what's the weather in Paris"]  # its MP3 sits in part 2, its JSON in part 1
    assert paris.member_path == f"Takeout/{act}/Assistant/2018-04-16_11_42_55_659_UTC.mp3"
    assert Path(paris.archive).name.startswith("takeout-20260412T081523Z-002")
    assert paris.key == f"{Path(paris.archive).name}/{paris.member_path}"
    assert paris.join == JOIN_AUDIO_FILES and paris.has_audio
    # joined on audioFiles even though the file-name time is about 3 s later than `time`
    assert paris.recorded_at == datetime(2018, 4, 16, 11, 42, 52, 739000, tzinfo=UTC)
    assert paris.time_basis == TIME_METADATA
    assert paris.extra["audio_file_offset_s"] == pytest.approx(2.92)
    assert paris.assistant_response == "Right now in Paris it's forty-nine degrees."  # \u0027 unescaped
    assert paris.extra["started_by_hotword"] is True
    assert paris.extra["title"] == ("Gesagt: " if german else "Said ") + "what's the weather in Paris"
    assert paris.extra["locations"] == ["At this place"]
    assert paris.vendor_speaker_hint == "" and paris.device == ""
    assert paris.size == len(vendor_audio["mono24"])

    lights = items["turn off the lights"]
    assert lights.vendor_speaker_hint == "From unrecognized speaker"
    assert lights.device == "Google Home"
    assert lights.assistant_response == ""  # subtitles: [{}]

    timer = items["set a timer"]
    assert (timer.member_path, str(timer.problem)) == ("", "no audio in the export for this item")
    assert timer.recorded_at == datetime(2019, 10, 14, 1, 42, 14, 389352, tzinfo=UTC)
    assert timer.key.startswith(f"{GOOGLE_TAKEOUT}:") and timer.key.endswith(":2")

    assert items["call mum"].member_path.endswith("Voice and Audio/2015-06-01_08_00_00_100_UTC.mp3")
    name = "MeineAktivitäten.json" if german else "MyActivity.json"
    assert str(items["play music"].problem) == f"audio file {MISSING_MP3} named in {name} is missing from the export"
    assert not items["play music"].has_audio

    # the MP3 no item names is not lost: the loose pass lists it
    loose = [r for r in recs if r.source_format == LOOSE]
    assert [r.member_path.rsplit("/", 1)[-1] for r in loose] == [ORPHAN_MP3]
    assert len({r.key for r in recs}) == len(recs)


def test_keys_are_stable_across_reopens(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    paths = build_takeout(tmp_path, vendor_audio)
    assert [r.key for r in scan(paths)[1]] == [r.key for r in scan(paths)[1]]


def test_mp3_elsewhere_is_found_by_unique_name(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    items = [{"header": "Assistant", "title": "Said hello", "time": "2020-01-01T00:00:00Z",
              "audioFiles": ["2020-01-01_00_00_01_000_UTC.mp3"]}]  # fmt: skip
    zpath = write_zip(
        tmp_path / "takeout-1.zip",
        {
            "Takeout/My Activity/Assistant/MyActivity.json": google_json(items),
            "Takeout/audio/2020-01-01_00_00_01_000_UTC.mp3": vendor_audio["mono8"],
        },
    )
    _, recs, _ = scan([zpath])
    (rec,) = recs
    assert rec.member_path == "Takeout/audio/2020-01-01_00_00_01_000_UTC.mp3"
    assert rec.extra["audio_found_by"].startswith("found by file name")


def test_same_mp3_named_twice_and_not_audio(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    items = [
        {"header": "Assistant", "title": "Said one", "time": "2020-01-01T00:00:00Z", "audioFiles": ["a.mp3"]},
        {"header": "Assistant", "title": "Said two", "time": "2020-01-01T00:01:00Z", "audioFiles": ["a.mp3"]},
        {"header": "Assistant", "title": "Said three", "time": "2020-01-01T00:02:00Z", "audioFiles": ["b.mp3"]},
    ]  # fmt: skip
    folder = assistant_folder(tmp_path, items)
    (folder / "a.mp3").write_bytes(vendor_audio["mono24"])
    (folder / "b.mp3").write_bytes(b"<html>not found</html>")
    fmt, recs, problems = scan([tmp_path])
    got = by_transcript(recs)
    assert got["one"].has_audio
    assert str(got["two"].problem) == "audio file a.mp3 is already listed with another item"
    assert got["three"].member_path.endswith("b.mp3") and "not audio" in str(got["three"].problem)
    assert problems == []  # the fake MP3 is reported once, on its item, not again by the loose pass
    assert len({r.key for r in recs}) == 3


def test_broken_json_is_a_problem_and_the_rest_goes_on(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    good = [{"header": "Voice and Audio", "title": "Said hi", "time": "2015-01-01T00:00:00Z", "audioFiles": ["x.mp3"]}]
    zpath = write_zip(
        tmp_path / "takeout-20260101T000000Z-001.zip",
        {
            "Takeout/My Activity/Assistant/MyActivity.json": b'[{"header": "Assistant", "title": "Said',
            "Takeout/My Activity/Voice and Audio/MyActivity.json": google_json(good),
            "Takeout/My Activity/Voice and Audio/x.mp3": vendor_audio["mono8"],
        },
    )
    fmt, recs, problems = scan([zpath])
    assert fmt == GOOGLE_TAKEOUT
    assert [r.transcript for r in recs] == ["hi"]
    (problem,) = problems
    assert problem.member_path == "Takeout/My Activity/Assistant/MyActivity.json"
    assert str(problem.message).startswith("broken JSON at line 1")


def test_non_voice_activity_keeps_only_items_with_audio(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    search = [
        {"header": "Search", "title": "Searched for cats", "time": "2020-01-01T00:00:00Z", "products": ["Search"]},
        {"header": "Google App", "title": "Said weather", "time": "2020-01-02T00:00:00Z",
         "audioFiles": ["2020-01-02_00_00_00_500_UTC.mp3"], "products": ["Search"]},
    ]  # fmt: skip
    folder = tmp_path / "Takeout" / "My Activity" / "Search"
    folder.mkdir(parents=True)
    (folder / "MyActivity.json").write_bytes(google_json(search))
    (folder / "2020-01-02_00_00_00_500_UTC.mp3").write_bytes(vendor_audio["mono24"])
    fmt, recs, _ = scan([tmp_path])
    assert fmt == GOOGLE_TAKEOUT
    assert [(r.transcript, r.has_audio) for r in recs] == [("weather", True)]


def test_html_my_activity_split_files(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    folder = tmp_path / "Takeout" / "My Activity" / "Assistant"
    folder.mkdir(parents=True)
    page1 = activity_html(
        [("Assistant", "what time is it", "It's 5:14.", ["Assistant"], ["Started by hotword"],
          "Mar 8, 2018, 5:14:40 PM UTC"),
         ("Assistant", "lights on", "", ["Assistant", "Google Home"], ["From unrecognized speaker"],
          "Jan 3, 2021, 9:00:00\u202fAM PST")]
    )  # fmt: skip
    page1 = page1.replace(
        "It's 5:14.<br>", 'It&#39;s 5:14.<br><audio controls><source src="2018-03-08_17_14_43_000_UTC.mp3"></audio>'
    )
    page2 = activity_html([("Assistant", "stop", "", ["Assistant"], [], "Jul 1, 2017, 1:00:00 AM")])
    (folder / "MyActivity-1.html").write_text(page1, encoding="utf-8")
    (folder / "MyActivity-2.html").write_text(page2, encoding="utf-8")
    (folder / "2018-03-08_17_14_43_000_UTC.mp3").write_bytes(vendor_audio["mono24"])
    fmt, recs, problems = scan([tmp_path])
    assert fmt == GOOGLE_TAKEOUT and problems == []
    items = by_transcript(recs)
    assert set(items) == {"what time is it", "lights on", "stop"}
    first = items["what time is it"]
    assert first.has_audio and first.join == JOIN_AUDIO_FILES
    assert first.assistant_response == "It's 5:14."
    assert first.recorded_at == datetime(2018, 3, 8, 17, 14, 40, tzinfo=UTC)
    assert first.extra["started_by_hotword"] is True
    lights = items["lights on"]
    assert lights.recorded_at == datetime(2021, 1, 3, 17, 0, tzinfo=UTC)  # PST is UTC-8
    assert (lights.device, lights.vendor_speaker_hint) == ("Google Home", "From unrecognized speaker")
    assert str(lights.problem) == "no audio in the export for this item"
    assert items["stop"].recorded_at == datetime(2017, 7, 1, 1, 0, tzinfo=UTC)
    assert "taken as UTC" in items["stop"].extra["time_note"]


def test_detect_ignores_other_json_and_html(tmp_path: Path) -> None:
    (tmp_path / "Takeout").mkdir()
    (tmp_path / "Takeout" / "settings.json").write_text('[{"name": "x"}]', encoding="utf-8")
    (tmp_path / "Takeout" / "archive_browser.html").write_text("<html><body>index</body></html>", encoding="utf-8")
    (tmp_path / "notes.json").write_text('{"customerHistoryRecords": []}', encoding="utf-8")
    with open_archive([tmp_path]) as reader:
        assert TakeoutImporter().detect(reader.listing) == 0
        assert list(TakeoutImporter().items(reader.listing)) == []


def test_demo_archive_is_read_in_full() -> None:
    demo = Path(__file__).resolve().parents[1] / "resources" / "demo"
    parts = sorted(demo.glob("takeout-*.zip"))
    if not parts:
        pytest.skip("demo archive not present")
    fmt, recs, problems = scan(parts)
    assert fmt == GOOGLE_TAKEOUT and problems == []
    assert all(r.source_format == GOOGLE_TAKEOUT for r in recs)
    assert sum(r.has_audio for r in recs) == 34
    assert sum(str(r.problem) == "no audio in the export for this item" for r in recs) == 2


@pytest.mark.parametrize(
    ("title", "transcript"),
    [("Said turn on the light", "turn on the light"), ("Gesagt: Licht an", "Licht an"), ("Gesagt Licht", "Licht"),
     ("Used Assistant", "Used Assistant"), ("Said ", "Said")],
)  # fmt: skip
def test_transcript_from_title(title: str, transcript: str) -> None:
    assert transcript_from_title(title) == transcript


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-04-16T11:42:52.739Z", datetime(2018, 4, 16, 11, 42, 52, 739000, tzinfo=UTC)),
        ("2019-10-14T01:42:14.389352Z", datetime(2019, 10, 14, 1, 42, 14, 389352, tzinfo=UTC)),
        ("2019-10-14T01:42:14.389352123Z", datetime(2019, 10, 14, 1, 42, 14, 389352, tzinfo=UTC)),
        ("2019-10-14T03:42:14+02:00", datetime(2019, 10, 14, 1, 42, 14, tzinfo=UTC)),
        ("2019-10-14T01:42:14", datetime(2019, 10, 14, 1, 42, 14, tzinfo=UTC)),
        ("yesterday", None),
        ("2019-13-45T01:42:14Z", None),
    ],
)
def test_parse_rfc3339(text: str, expected: datetime | None) -> None:
    assert parse_rfc3339(text) == expected


def test_audio_name_time() -> None:
    assert audio_name_time("a/2018-04-16_11_42_55_659_UTC.mp3") == datetime(2018, 4, 16, 11, 42, 55, 659000, tzinfo=UTC)
    assert audio_name_time("2018-04-16_11_42_55_659_UTC-hey_google.mp3") is not None
    assert audio_name_time("recording.mp3") is None


@pytest.mark.parametrize(
    ("text", "expected", "noted"),
    [
        ("Mar 8, 2018, 5:14:40 PM", datetime(2018, 3, 8, 17, 14, 40, tzinfo=UTC), True),
        ("Mar 8, 2018, 12:14:40 AM UTC", datetime(2018, 3, 8, 0, 14, 40, tzinfo=UTC), False),
        ("Jun 8, 2021, 5:14:40 PM CEST", datetime(2021, 6, 8, 15, 14, 40, tzinfo=UTC), False),
        ("08.03.2018, 17:14:40 MEZ", datetime(2018, 3, 8, 16, 14, 40, tzinfo=UTC), False),
        ("8. März 2018, 17:14:40 MESZ", datetime(2018, 3, 8, 15, 14, 40, tzinfo=UTC), False),
        ("Mar 8, 2018, 5:14:40 PM GMT+05:30", datetime(2018, 3, 8, 11, 44, 40, tzinfo=UTC), False),
        ("Mar 8, 2018, 5:14:40 PM IST", datetime(2018, 3, 8, 17, 14, 40, tzinfo=UTC), True),
    ],
)
def test_html_date_text(text: str, expected: datetime, noted: bool) -> None:
    when, note = parse_date_text(text)
    assert when == expected
    assert bool(note) == noted


def test_is_activity_list_by_structure() -> None:
    assert is_activity_list([{"header": "Assistant", "title": "Said x", "time": "2020-01-01T00:00:00Z"}])
    assert is_activity_list([])
    assert not is_activity_list({"header": "x"})
    assert not is_activity_list([{"name": "x"}, {"name": "y"}])
    assert not is_activity_list([1, 2, 3])


def test_fixture_mp3s_match_real_takeout_headers(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    """The three flavours measured in real exports: no ID3, frame sync first (formats.md §2.3)."""
    heads = {name: data[:3].hex() for name, data in vendor_audio.items()}
    assert heads == {"mono24": "fff338", "stereo48": "fff368", "mono8": "ffe318"}
    paths = build_takeout(tmp_path, vendor_audio)
    with open_archive(paths) as reader:
        assert {reader.listing.audio_kind(m) for m in reader.listing.audio_members()} == {"mp3"}
        assert len(reader.listing.audio_members()) == 4


def test_every_extra_is_json_serialisable(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    import json

    for r in scan(build_takeout(tmp_path, vendor_audio))[1]:
        json.dumps(r.extra)


def test_same_export_zipped_and_unzipped_lists_each_item_once(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    zips = build_takeout(tmp_path / "zips", vendor_audio)
    folders = build_takeout(tmp_path / "folders", vendor_audio, unzipped=True)
    _, recs, problems = scan(zips + folders)
    assert problems == []
    assert sorted(r.transcript for r in recs if r.source_format == GOOGLE_TAKEOUT) == [
        "call mum", "play music", "set a timer", "turn off the lights", "what's the weather in Paris"]  # fmt: skip
    # the copies' MP3s are still evidence: listed as loose audio, not dropped
    assert sum(r.source_format == LOOSE for r in recs) == 5


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet='<>/="\' abcdivpclassoutercontentlbr&;\n', max_size=300))
def test_html_parser_never_raises_on_tag_soup(text: str) -> None:
    for act in parse_activity_html('<div class="outer-cell">' + text):
        assert isinstance(act.title, str)


def test_renamed_copy_is_found_by_its_unique_takeout_stem(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    """Copies renamed after export keep Google's name as a prefix (…_UTC-<transcript>.mp3)."""
    items = [{"header": "Assistant", "title": "Said it's late", "time": "2018-06-05T14:06:21.000Z",
              "audioFiles": ["2018-06-05_14_06_21_452_UTC.mp3"]}]  # fmt: skip
    assistant_folder(tmp_path, items)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "2018-06-05_14_06_21_452_UTC-it_s late.mp3").write_bytes(vendor_audio["mono24"])
    _, recs, _ = scan([tmp_path])
    (rec,) = recs
    assert rec.member_path == "shared/2018-06-05_14_06_21_452_UTC-it_s late.mp3"
    assert rec.join == JOIN_AUDIO_FILES and rec.extra["audio_found_by"].startswith("found as a renamed copy")


def test_evidence_is_left_untouched(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    build_takeout(tmp_path / "zips", vendor_audio)
    build_takeout(tmp_path / "folders", vendor_audio, german=True, unzipped=True)
    before = tree_digest(tmp_path)
    scan(sorted((tmp_path / "zips").iterdir()))
    scan(sorted((tmp_path / "folders").iterdir()))
    assert tree_digest(tmp_path) == before


def test_missing_time_falls_back_to_the_file_name(tmp_path: Path, vendor_audio: dict[str, bytes]) -> None:
    items = [{"header": "Assistant", "title": "Said hi", "time": "not a time",
              "audioFiles": ["2020-02-02_02_02_02_202_UTC.mp3"]}]  # fmt: skip
    folder = assistant_folder(tmp_path, items)
    (folder / "2020-02-02_02_02_02_202_UTC.mp3").write_bytes(vendor_audio["mono8"])
    (rec,) = scan([tmp_path])[1]
    assert rec.recorded_at == datetime(2020, 2, 2, 2, 2, 2, 202000, tzinfo=UTC)
    assert rec.time_basis == "file-name"


def test_details_in_other_words_keep_the_vendors_text() -> None:
    act = activity_from_json(0, {"header": "Assistant", "title": "Gesagt: Licht an", "time": "2020-01-01T00:00:00Z",
                                 "details": [{"name": "Durch Hotword gestartet"},
                                             {"name": "Von einem nicht erkannten Sprecher"}]})  # fmt: skip
    assert act is not None
    assert act.started_by_hotword
    assert act.speaker_hint == "Von einem nicht erkannten Sprecher"
    plain = activity_from_json(1, {"header": "Assistant", "title": "Said hi", "time": "2020-01-01T00:00:00Z",
                                   "details": [{"name": "Befehl nicht erkannt"}]})  # fmt: skip
    assert plain is not None and plain.speaker_hint == "" and not plain.started_by_hotword


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_activity_json_in_another_encoding(tmp_path: Path, vendor_audio: dict[str, bytes], encoding: str) -> None:
    items = [{"header": "Assistant", "title": "Gesagt: Grüße an Jürgen", "time": "2020-01-01T00:00:00Z",
              "audioFiles": ["2020-01-01_00_00_01_000_UTC.mp3"]}]  # fmt: skip
    folder = tmp_path / "Takeout" / "Meine Aktivitäten" / "Assistant"
    folder.mkdir(parents=True)
    (folder / "MeineAktivitäten.json").write_bytes(google_json(items).decode("utf-8").encode(encoding))
    (folder / "2020-01-01_00_00_01_000_UTC.mp3").write_bytes(vendor_audio["mono24"])
    fmt, recs, problems = scan([tmp_path])
    assert fmt == GOOGLE_TAKEOUT and problems == []
    assert [(r.transcript, r.has_audio) for r in recs] == [("Grüße an Jürgen", True)]
