"""Amazon Alexa importer: voice-history JSON, transcript tables found by content, joins and their kinds.

The Alexa "Request your data" layout is undocumented; the export and leak fixtures here are guesses built
from the record shapes in formats.md §1, labelled as such in tests/vendor_fixtures.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vendor_fixtures import (
    scan,
    ECHO_SERIAL,
    T0,
    UUIDS,
    build_alexa_history,
    build_ct_leak,
    history_records,
    mangle,
    tree_digest,
    utterance_id,
    wav_bytes,
    write_zip,
)
from voicearchive.archive import open_archive
from voicearchive.archive.alexa import AlexaImporter
from voicearchive.archive.alexa_ids import parse_utterance_id, utterance_key
from voicearchive.archive.alexa_join import AudioRef, join
from voicearchive.archive.alexa_records import (
    NO_PROFILE,
    Entry,
    cell_time,
    classify_columns,
    clean_cell,
    is_not_available_text,
    json_rows,
)
from voicearchive.model import (
    ALEXA_EXPORT,
    ALEXA_HISTORY,
    JOIN_FILE_NAME,
    JOIN_NONE,
    JOIN_TIME,
    JOIN_UTTERANCE_ID,
    LOOSE,
    TIME_FILE_MTIME,
    TIME_METADATA,
    TIME_UTTERANCE_ID,
    Recording,
)

UTC = timezone.utc




def ms(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)


# --- voice-history JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize("bare_list", [False, True], ids=["customerHistoryRecords", "bare-list"])
def test_voice_history(tmp_path: Path, bare_list: bool) -> None:
    fmt, recs, problems = scan([build_alexa_history(tmp_path / "h", bare_list=bare_list)])
    assert fmt == ALEXA_HISTORY and problems == []
    assert len(recs) == 4 and all(r.source_format == ALEXA_HISTORY for r in recs)
    wake0, request1, weather, wake_only = recs

    # paired /0 (wake word, "Text not available") and /1 (the request), each joined to its own WAV
    assert wake0.member_path.endswith("LPM_0.wav") and request1.member_path.endswith("LPM_1.wav")
    assert UUIDS[0] in wake0.member_path and UUIDS[0] in request1.member_path
    assert wake0.join == request1.join == JOIN_UTTERANCE_ID
    assert wake0.not_for_assistant and not request1.not_for_assistant
    assert wake0.transcript == "Text nicht verfügbar – Audio war nicht für Alexa bestimmt"
    assert wake0.assistant_response == ""
    assert request1.transcript == "alexa setze test auf meine einkaufsliste"
    assert request1.assistant_response == "Ich habe test auf deine Einkaufsliste gesetzt."
    assert request1.vendor_speaker_hint == "Alexa voice profile: Simon"
    assert request1.device == "Echo Studio"
    assert request1.recorded_at == ms(T0) and request1.time_basis == TIME_METADATA
    assert request1.extra["vendor_id"] == utterance_id(T0, UUIDS[0], 1)
    assert request1.extra["intent"] == "AddToListIntent"

    # no personsInfo on a customer transcript; no deviceName: the serial from recordKey
    assert weather.vendor_speaker_hint == NO_PROFILE
    assert weather.device == ECHO_SERIAL
    assert weather.assistant_response == "It's 12 degrees."
    assert (weather.member_path, str(weather.problem)) == ("", "no audio in the export for this item")
    assert weather.key == f"{ALEXA_HISTORY}:{utterance_id(T0 + 600_000, UUIDS[1], 1)}"

    assert wake_only.not_for_assistant and wake_only.transcript == "alexa"
    assert wake_only.extra["utterance_type"] == "WAKE_WORD_ONLY"
    assert wake_only.vendor_speaker_hint == "" and wake_only.device == "Kitchen"
    assert len({r.key for r in recs}) == 4


def test_history_time_falls_back_to_the_utterance_id(tmp_path: Path) -> None:
    records = history_records()[:1]
    del records[0]["timestamp"]
    for item in records[0]["voiceHistoryRecordItems"]:
        item.pop("timestamp")
    (tmp_path / "page.json").write_text(json.dumps({"customerHistoryRecords": records}), encoding="utf-8")
    _, recs, _ = scan([tmp_path])
    assert recs[0].time_basis == TIME_UTTERANCE_ID
    assert recs[0].recorded_at == datetime(2021, 10, 14, 5, 44, 29, tzinfo=UTC)


def test_broken_json_is_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    root = build_alexa_history(tmp_path / "h")
    (root / "page-2.json").write_bytes(b'{"customerHistoryRecords": [{"recordKey": ')
    fmt, recs, problems = scan([root])
    assert fmt == ALEXA_HISTORY and len(recs) == 4
    (problem,) = problems
    assert problem.member_path == "page-2.json"
    assert str(problem.message).startswith("broken JSON at line 1, column 43")


# --- leaks and exports with transcript tables ------------------------------------------------------


def test_ct_style_leak_gives_every_wav_and_every_row(tmp_path: Path) -> None:
    root = build_ct_leak(tmp_path / "leak")
    fmt, recs, problems = scan([root])
    assert fmt == ALEXA_EXPORT and problems == []
    audio = {Path(r.member_path).name: r for r in recs if r.member_path}
    assert set(audio) == {"audio_0001.wav", "audio_0002.wav", "audio_0003.wav", "audio_0004.wav",
                          "2018-08-01T10-00-02Z.wav", "x9.wav"}  # fmt: skip
    assert all(r.source_format == ALEXA_EXPORT for r in recs)
    first = audio["audio_0001.wav"]
    assert (first.join, first.transcript, first.device) == (JOIN_FILE_NAME, "alexa wie spät ist es", "Echo Dot")
    assert first.recorded_at == datetime(2018, 8, 1, 9, 0, tzinfo=UTC)
    assert first.extra["csv_row"] == 2 and first.extra["metadata_file"] == "Alexa Transcripts.csv"
    by_time = audio["2018-08-01T10-00-02Z.wav"]
    assert (by_time.join, by_time.transcript) == (JOIN_TIME, "alexa spiel musik")
    assert by_time.extra["join_note"] == "2.0 s apart"
    lone = audio["x9.wav"]
    assert (lone.join, lone.transcript, lone.time_basis) == (JOIN_NONE, "", TIME_FILE_MTIME)
    rows = [r for r in recs if not r.member_path]
    assert [(r.transcript, r.device, str(r.problem)) for r in rows] == [
        ("", "Echo Dot", "no audio in the export for this item"),  # "Not Available" cell is empty
        ("alexa licht aus", "", "no audio in the export for this item"),
    ]
    assert rows[0].recorded_at == datetime(2018, 8, 1, 11, 0, tzinfo=UTC)
    assert len({r.key for r in recs}) == len(recs) == 8


def test_export_zip_with_cp1252_csv_joined_by_utterance_id(tmp_path: Path) -> None:
    """A guessed "Request your data" layout: a semicolon CSV in cp1252 and WAVs named by mangled id,
    one WAV in a nested zip, one whose id lost its /n part, and a row whose WAV is absent."""
    ids = [utterance_id(T0 + i * 60_000, UUIDS[i], 1, serial=ECHO_SERIAL) for i in range(4)]
    lines = ["Zeit;Gerät;Äußerung;Antwort;Utterance Id"]
    texts = ["alexa, mach das Licht an", "alexa, wie wird das Wetter", "Text not available", "alexa, stopp"]
    for i, (uid, text) in enumerate(zip(ids, texts)):
        lines.append(f"{ms(T0 + i * 60_000):%d.%m.%Y %H:%M:%S};Küche;{text};Gern geschehen – ok;{uid}")
    csv = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    inner = write_zip(tmp_path / "inner.zip", {f"{mangle(ids[1])}.wav": wav_bytes(0.2, 300)})
    files = {
        "Alexa/Alexa.VoiceInteractions.1/Alexa.VoiceInteractions.1.csv": csv,
        f"Alexa/Audio/{mangle(ids[0])}.wav": wav_bytes(0.2, 250),
        "Alexa/Audio/more.zip": inner.read_bytes(),
        f"Alexa/Audio/{mangle(ids[2]).removesuffix('_1')}.wav": wav_bytes(0.2, 350),
    }
    inner.unlink()
    fmt, recs, problems = scan([write_zip(tmp_path / "Alexa.zip", files)])
    assert fmt == ALEXA_EXPORT and problems == []
    got = {r.transcript: r for r in recs}
    light = got["alexa, mach das Licht an"]
    assert (light.join, light.device, light.assistant_response) == (JOIN_UTTERANCE_ID, "Küche", "Gern geschehen – ok")
    assert light.recorded_at == ms(T0).replace(microsecond=0) and light.time_basis == TIME_METADATA
    weather = got["alexa, wie wird das Wetter"]
    assert weather.member_path.startswith("Alexa/Audio/more.zip!/") and weather.join == JOIN_UTTERANCE_ID
    unavailable = got["Text not available"]
    assert unavailable.not_for_assistant and unavailable.join == JOIN_UTTERANCE_ID
    assert unavailable.extra["join_note"] == "matched without the /n part"
    stop = got["alexa, stopp"]
    assert (stop.member_path, str(stop.problem)) == ("", "no audio in the export for this item")
    assert stop.key == f"{ALEXA_EXPORT}:{ids[3]}"
    assert len(recs) == 4


def test_old_api_activities_json_with_embedded_description(tmp_path: Path) -> None:
    uid = "AB72C64C86AW2:1.0/2017/07/13/02/B0F00715535302W5/40:14::TNIH_2V.e68a46a9-875d-4623-a394-8274d257f349ZXV/0"
    activities = {"activities": [
        {"creationTimestamp": 1499913616321, "utteranceId": uid, "activityStatus": "SUCCESS",
         "description": json.dumps({"summary": "alexa what is the weather", "firstUtteranceId": uid}),
         "sourceDeviceIds": [{"serialNumber": "B0F00715535302W5", "deviceType": "AB72C64C86AW2"}]},
        {"creationTimestamp": 1499913716321, "utteranceId": uid.replace("e68a46a9", "e68a46aa"),
         "activityStatus": "DISCARDED_NON_DEVICE_DIRECTED_INTENT", "description": json.dumps({"summary": ""}),
         "sourceDeviceIds": [{"serialNumber": "B0F00715535302W5", "deviceType": "AB72C64C86AW2"}]},
    ]}  # fmt: skip
    (tmp_path / "activities.json").write_text(json.dumps(activities), encoding="utf-8")
    (tmp_path / f"{mangle(uid)}.wav").write_bytes(wav_bytes(0.2))
    fmt, recs, problems = scan([tmp_path])
    assert fmt == ALEXA_EXPORT and problems == []
    first, second = recs
    assert (first.transcript, first.join) == ("alexa what is the weather", JOIN_UTTERANCE_ID)
    assert first.device == "B0F00715535302W5"
    assert first.recorded_at == ms(1499913616321)
    assert second.not_for_assistant and not second.member_path


def test_pdf_transcripts_are_reported_and_wavs_kept(tmp_path: Path) -> None:
    root = tmp_path / "Alexa-Daten"
    root.mkdir()
    (root / "transkripte.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    for i in range(3):
        (root / f"{i}.wav").write_bytes(wav_bytes(0.2, 200 + 50 * i))
    fmt, recs, problems = scan([root])
    assert fmt == ALEXA_EXPORT
    assert len(recs) == 3 and all(r.has_audio for r in recs)
    assert [p.member_path for p in problems] == ["transkripte.pdf"]


def test_plain_audio_folder_is_not_alexa(tmp_path: Path) -> None:
    for i in range(2):
        (tmp_path / f"clip{i}.wav").write_bytes(wav_bytes(0.2))
    (tmp_path / "prices.csv").write_text("item,price\napple,1\n", encoding="utf-8")
    with open_archive([tmp_path]) as reader:
        assert AlexaImporter().detect(reader.listing) == 0
        assert {r.source_format for r in reader.items() if isinstance(r, Recording)} == {LOOSE}


# --- pure parts: ids, cells, columns, joins --------------------------------------------------------


def test_utterance_ids() -> None:
    raw = "AB72C64C86AW2:1.0/2017/07/13/02/B0F00715535302W5/40:14::TNIH_2V.e68a46a9-875d-4623-a394-8274d257f349ZXV/0"
    uid = parse_utterance_id(raw)
    assert uid is not None
    assert (uid.device_type, uid.serial, uid.part) == ("AB72C64C86AW2", "B0F00715535302W5", 0)
    assert uid.when == datetime(2017, 7, 13, 2, 40, 14, tzinfo=UTC)
    unspecified = parse_utterance_id(utterance_id(T0, UUIDS[0], None))
    assert unspecified is not None and unspecified.serial == "" and unspecified.part is None
    url = "https://alexa.amazon.com/api/utterance/audio/data?id=" + raw.replace("/", "%2F").replace(":", "%3A")
    assert parse_utterance_id(url) == uid
    assert parse_utterance_id(mangle(raw) + ".wav").match_key == uid.match_key  # type: ignore[union-attr]
    assert utterance_key("TNIH_2V.e68a46a9-875d-4623-a394-8274d257f349ZXV-1.wav") == (uid.uuid, 1)
    assert utterance_key("media/e68a46a9-875d-4623-a394-8274d257f349.jpeg") is None  # a bare UUID is not an id
    assert parse_utterance_id("2017/07/13") is None


@pytest.mark.parametrize(
    "text",
    ["Text not available – audio was not intended for Alexa", "Text not available", "text not available.",
     "Text nicht verfügbar – Audio war nicht für Alexa bestimmt", "Text nicht verfügbar", "TRANSCRIPT NOT AVAILABLE"],
)  # fmt: skip
def test_not_available_texts(text: str) -> None:
    assert is_not_available_text(text)


def test_ordinary_text_is_available() -> None:
    assert not is_not_available_text("alexa, text mum that dinner is ready")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-06-18T01:50:18Z", datetime(2025, 6, 18, 1, 50, 18, tzinfo=UTC)),
        ("2025-06-18 01:50:18 UTC", datetime(2025, 6, 18, 1, 50, 18, tzinfo=UTC)),
        ("1634190269010", datetime(2021, 10, 14, 5, 44, 29, 10000, tzinfo=UTC)),
        ("1634190269", datetime(2021, 10, 14, 5, 44, 29, tzinfo=UTC)),
        ("18.06.2025 01:50:18", datetime(2025, 6, 18, 1, 50, 18, tzinfo=UTC)),
        ("Not Available", None),
        ("12345", None),
        ("alexa", None),
    ],
)
def test_cell_time(cell: str, expected: datetime | None) -> None:
    assert cell_time(cell) == expected


def test_clean_cell() -> None:
    assert [clean_cell(c) for c in ("Not Available", " x ", None, 5, "N/A", "na")] == ["", "x", "", "5", "", "na"]


def test_classify_columns_by_content_not_names() -> None:
    rows = [{"c1": str(1634190269010 + i), "c2": f"alexa play song number {i}", "c3": "ECHO", "c4": f"{i}.wav"}
            for i in range(5)]  # fmt: skip
    cols = classify_columns(rows)
    assert (cols.time, cols.text, cols.file, cols.id) == ("c1", "c2", "c4", None)
    assert cols.is_transcript_table
    assert not classify_columns([{"item": "apple", "price": "1"}]).is_transcript_table


def test_json_rows_flatten_nested_objects() -> None:
    rows = json_rows({"cards": [{"playbackAudioAction": {"mainText": 'Alexa heard: "hi"'}, "ids": [1, 2]}], "n": 1})
    assert rows == [{"playbackAudioAction.mainText": 'Alexa heard: "hi"', "ids": "1, 2"}]
    assert json_rows({"a": 1}) is None


def _entry(when_s: float | None, uid: str = "", file_name: str = "") -> Entry:
    parsed = parse_utterance_id(uid) if uid else None
    return Entry(source_path="t.csv", index="1", source_format=ALEXA_EXPORT, uid=parsed, file_name=file_name,
                 when=ms(int(when_s * 1000)) if when_s is not None else None)  # fmt: skip


def _audio(path: str, when_s: float | None = None) -> AudioRef:
    uid = parse_utterance_id(path)
    when = uid.when if uid else (ms(int(when_s * 1000)) if when_s is not None else None)
    return AudioRef(path=path, key=utterance_key(path), uid=uid, when=when)


def test_time_join_needs_a_unique_mutual_candidate() -> None:
    base = 1_600_000_000.0
    entries = [_entry(base), _entry(base + 100), _entry(base + 101)]
    audio = [_audio("a.wav", base + 1), _audio("b.wav", base + 100.5), _audio("c.wav", base + 500)]
    pairs = join(entries, audio)
    assert [(p.entry is not None, p.audio.path if p.audio else None, p.how) for p in pairs] == [
        (True, "a.wav", JOIN_TIME),
        (True, None, JOIN_NONE),  # two rows within 3 s of b.wav: ambiguous, not joined
        (True, None, JOIN_NONE),
        (False, "b.wav", JOIN_NONE),
        (False, "c.wav", JOIN_NONE),
    ]


def test_different_utterance_ids_never_join_by_time() -> None:
    uid_a = utterance_id(T0, UUIDS[0], 1)
    uid_b = utterance_id(T0, UUIDS[1], 1)
    pairs = join([_entry(T0 / 1000, uid=uid_a)], [_audio(mangle(uid_b) + ".wav")])
    assert [p.how for p in pairs] == [JOIN_NONE, JOIN_NONE]


def test_file_name_join_is_case_insensitive_and_needs_uniqueness() -> None:
    entries = [_entry(None, file_name="C:\\Export\\AUDIO_1.WAV"), _entry(None, file_name="dup")]
    audio = [_audio("x/audio_1.wav"), _audio("a/dup.wav"), _audio("b/dup.mp3")]
    pairs = join(entries, audio)
    assert (pairs[0].how, pairs[0].audio.path) == (JOIN_FILE_NAME, "x/audio_1.wav")  # type: ignore[union-attr]
    assert pairs[1].audio is None and str(pairs[1].note) == "2 audio files are named dup"


def test_unrelated_amazon_tables_are_not_taken_for_transcripts(tmp_path: Path) -> None:
    """Alexa.zip holds other datasets (reminders, lists) with times and text; without utterance ids
    and without a transcript-like column or a voice-like path they stay out of the recordings."""
    reminders = "Customer Id,Created,Reminder Label\r\n" + "".join(
        f"A2P39TP3BRS5M7,2021-10-0{i}T08:00:00Z,call the dentist at {i}\r\n" for i in range(1, 4)
    )
    files = {
        "Alexa/Alexa.Reminders/Alexa.Reminders.csv": reminders.encode(),
        "Alexa/Alexa.Audio/a1.wav": wav_bytes(0.2, 300),
    }
    fmt, recs, problems = scan([write_zip(tmp_path / "Alexa.zip", files)])
    assert fmt == ALEXA_EXPORT and problems == []
    assert [(r.member_path, r.transcript) for r in recs] == [("Alexa/Alexa.Audio/a1.wav", "")]


def test_utterance_id_deep_in_a_large_json_is_detected(tmp_path: Path) -> None:
    uid = utterance_id(T0, UUIDS[4], 1)
    cards = {"padding": "x" * 6000, "cards": [{"id": "c1", "playbackAudioAction": {
        "mainText": 'Alexa heard: "play jazz"', "url": f"/api/utterance/audio/data?id={uid}"},
        "creationTimestamp": T0}]}  # fmt: skip
    (tmp_path / "cards.json").write_text(json.dumps(cards), encoding="utf-8")
    (tmp_path / "rec.wav").write_bytes(wav_bytes(0.2))
    with open_archive([tmp_path]) as reader:
        assert AlexaImporter().detect(reader.listing) == 70
        recs = [r for r in reader.items() if isinstance(r, Recording)]
    card = next(r for r in recs if r.transcript)
    assert (card.transcript, card.extra["vendor_id"]) == ("play jazz", uid)
    assert card.recorded_at == ms(T0)


def test_table_times_without_zone_are_noted(tmp_path: Path) -> None:
    root = tmp_path / "voice"
    root.mkdir()
    (root / "transcripts.csv").write_text("time,transcript\n2021-10-14 05:44:29,alexa stop\n", encoding="utf-8")
    (root / "a.wav").write_bytes(wav_bytes(0.2))
    _, recs, _ = scan([root])
    row = next(r for r in recs if r.transcript)
    assert row.recorded_at == datetime(2021, 10, 14, 5, 44, 29, tzinfo=UTC)
    assert row.extra["time_note"] == "no time zone in the table; taken as UTC"


def test_every_extra_is_json_serialisable(tmp_path: Path) -> None:
    for build in (build_alexa_history, build_ct_leak):
        _, recs, _ = scan([build(tmp_path / build.__name__)])
        for r in recs:
            json.dumps(r.extra)


def test_legacy_2018_web_page(tmp_path: Path) -> None:
    """Amazon's 2018 page (formats.md §1.3): audio ids with a summaryCss transcript in curly quotes, a
    TextClient id, an item with summaryNotAvailableCss; one WAV saved under the request's id."""
    ids = [
        "A3S5BH2HU6VAYF:1.0/2018/10/13/20/G090LF1181840BFC/57:10::TNIH_2V.a9baef64-be15-4776-8e84-f1830509730bZXV/1",
        "TextClient:1.0/2018/10/13/21/G090LF1181840BFC/01:02::TNIH_2V.a9baef64-be15-4776-8e84-f1830509730cZXV/1",
        "A3S5BH2HU6VAYF:1.0/2018/10/14/07/G090LF1181840BFC/00:05::TNIH_2V.a9baef64-be15-4776-8e84-f1830509730dYXV/0",
    ]
    def item(uid: str, cls: str, text: str) -> str:
        return (f'<audio id="audio-{uid}"> <source id="audioSource-{uid}"></audio>\n'
                f'<span class="playButton" attr="{uid}"><img src="x.png" /></span>\n'
                f'<div class="{cls}">\n      {text}</div>\n</span>\n')  # fmt: skip
    page = "<html><head><title>Alexa</title></head><body>" + "".join([
        item(ids[0], "summaryCss", "“when is kingdom hearts three coming out”"),
        item(ids[1], "summaryCss", "“this is a textclient example”"),
        item(ids[2], "summaryNotAvailableCss", "Text not available – audio was not intended for Alexa"),
    ]) + "</body></html>"  # fmt: skip
    (tmp_path / "Manage Your Content and Devices.html").write_text(page, encoding="utf-8")
    (tmp_path / f"{mangle(ids[0])}.wav").write_bytes(wav_bytes(0.2))
    fmt, recs, problems = scan([tmp_path])
    assert fmt == ALEXA_HISTORY and problems == []
    first, text_client, wake = recs
    assert (first.transcript, first.join, first.time_basis) == (
        "when is kingdom hearts three coming out", JOIN_UTTERANCE_ID, TIME_UTTERANCE_ID)  # fmt: skip
    assert first.recorded_at == datetime(2018, 10, 13, 20, 57, 10, tzinfo=UTC)
    assert first.device == "G090LF1181840BFC"
    assert text_client.transcript == "this is a textclient example" and not text_client.member_path
    assert wake.not_for_assistant and wake.recorded_at == datetime(2018, 10, 14, 7, 0, 5, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="AB12:/_-.TNIH2Vabcdef0123456789%FZXLPM ", max_size=200))
def test_id_and_cell_parsers_never_raise(text: str) -> None:
    uid = parse_utterance_id(text)
    assert uid is None or uid.when.tzinfo is UTC
    utterance_key(text)
    cell_time(text)


def test_evidence_is_left_untouched(tmp_path: Path) -> None:
    roots = [build_alexa_history(tmp_path / "h"), build_ct_leak(tmp_path / "leak")]
    before = tree_digest(tmp_path)
    for root in roots:
        scan([root])
    assert tree_digest(tmp_path) == before


def test_row_naming_an_absent_file_says_so(tmp_path: Path) -> None:
    root = tmp_path / "voice"
    root.mkdir()
    (root / "transcripts.csv").write_text(
        "Timestamp,Transcript,Audio File\n2018-08-01T09:00:00Z,alexa stop,rec_0099.wav\n", encoding="utf-8"
    )
    (root / "rec_0001.wav").write_bytes(wav_bytes(0.2))
    _, recs, _ = scan([root])
    row = next(r for r in recs if r.transcript)
    assert str(row.problem) == "audio file rec_0099.wav named in transcripts.csv is missing from the export"
    assert [r.member_path for r in recs if r.member_path] == ["rec_0001.wav"]


def test_german_leak_table_with_time_only_columns_joins_by_time(tmp_path: Path) -> None:
    root = tmp_path / "daten"
    root.mkdir()
    (root / "liste.csv").write_bytes("Datum;Inhalt\n01.08.2018 09:00:00;alexa, wie spät ist es\n".encode("cp1252"))
    (root / "2018-08-01 09-00-01.wav").write_bytes(wav_bytes(0.2))
    fmt, recs, _ = scan([root])
    assert fmt == ALEXA_EXPORT
    (rec,) = recs
    assert (rec.transcript, rec.join, rec.extra["csv_row"]) == ("alexa, wie spät ist es", JOIN_TIME, 2)
