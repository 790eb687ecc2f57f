"""Home Assistant, Mycroft and loose-audio importers, end to end through open_archive."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.archive_fixtures import (
    HA_DEVICE,
    MYCROFT_WAKE_MS,
    audio_bytes,
    make_home_assistant,
    mycroft_entries,
    mycroft_wake_name,
    wav_bytes,
    write,
    write_zip,
)
from voicearchive.archive import ArchiveReader, Tree, open_archive
from voicearchive.archive.loose import LooseImporter, time_from_name
from voicearchive.model import (
    HOME_ASSISTANT,
    JOIN_FILE_NAME,
    LOOSE,
    MYCROFT,
    TIME_FILE_MTIME,
    TIME_FILENAME,
    Problem,
    Recording,
)

MTIME_NS = 1_700_000_000_000_000_000  # 2023-11-14T22:13:20Z


def _recordings(paths) -> tuple[str, list[Recording], list[Problem]]:
    with open_archive(paths) as reader:
        items = list(reader.items())
        fmt = reader.source_format
    return fmt, [i for i in items if isinstance(i, Recording)], [i for i in items if isinstance(i, Problem)]


def _set_mtimes(root: Path, ns: int = MTIME_NS) -> None:
    for dirpath, _, files in os.walk(root):
        for name in files:
            os.utime(Path(dirpath, name), ns=(ns, ns))


# ---------------------------------------------------------------------------- Home Assistant


@pytest.mark.parametrize("with_device", [True, False])
def test_home_assistant_runs(tmp_path: Path, with_device: bool) -> None:
    root = make_home_assistant(tmp_path / "assist_pipeline", with_device)
    _set_mtimes(root)
    write(root / "README.txt", b"debug recordings")
    fmt, recs, problems = _recordings([root])
    assert fmt == HOME_ASSISTANT and problems == []
    assert len(recs) == 4 and {r.source_format for r in recs} == {HOME_ASSISTANT}
    by_stage = {(r.extra["run"], r.extra["stage"]): r for r in recs}
    wake = by_stage[("1523400117723500", "wake")]
    stt = by_stage[("1523400117723500", "stt")]
    assert wake.extra["engine"] == "wake_word.openwakeword" and stt.extra["engine"] == "stt.faster_whisper"
    assert wake.extra["pipeline"] == "Home Assistant"
    assert wake.not_for_assistant is False
    assert wake.device == (HA_DEVICE if with_device else "Home Assistant")
    assert ("device_id" in wake.extra) is with_device
    assert stt.recorded_at == datetime.fromtimestamp(MTIME_NS / 1e9, tz=timezone.utc)
    assert stt.time_basis == TIME_FILE_MTIME
    assert stt.key == f"assist_pipeline/{stt.member_path}" and stt.size == (tmp_path / "assist_pipeline" / stt.member_path).stat().st_size


def test_home_assistant_in_a_zip_with_a_stray_clip(tmp_path: Path) -> None:
    prefix = f"share/assist_pipeline/{HA_DEVICE}/Kitchen/99887766554433/"
    z = write_zip(tmp_path / "ha.zip", {
        prefix + "00_wake-wake_word.openwakeword.wav": wav_bytes(),
        prefix + "01_stt-stt.faster_whisper.wav": wav_bytes(),
        "share/other/stray.ogg": audio_bytes("OGG", subtype="VORBIS"),
    })
    fmt, recs, _ = _recordings([z])
    assert fmt == HOME_ASSISTANT
    assert sorted((r.source_format, r.device) for r in recs) == [
        (LOOSE, ""), (HOME_ASSISTANT, HA_DEVICE), (HOME_ASSISTANT, HA_DEVICE)
    ]
    stray = next(r for r in recs if r.source_format == LOOSE)
    assert stray.key == "ha.zip/share/other/stray.ogg" and stray.time_basis == TIME_FILE_MTIME


# ---------------------------------------------------------------------------- Mycroft


def test_mycroft_utterances_and_wake_words_in_a_zip(tmp_path: Path) -> None:
    z = write_zip(tmp_path / "mycroft.zip", {f"tmp/{k}": v for k, v in mycroft_entries().items()})
    fmt, recs, problems = _recordings([z])
    assert fmt == MYCROFT and problems == []
    by_name = {r.member_path.rsplit("/", 1)[-1]: r for r in recs}
    assert len(by_name) == 5
    now = by_name["2021-03-04 12:34:56.789012.wav"]
    assert now.recorded_at == datetime(2021, 3, 4, 12, 34, 56, 789012, tzinfo=timezone.utc)
    assert now.time_basis == TIME_FILENAME and not now.not_for_assistant
    assert now.key == "mycroft.zip/tmp/mycroft_utterances/2021-03-04 12:34:56.789012.wav"
    assert by_name["2021-03-05 08:00:01.wav"].recorded_at == datetime(2021, 3, 5, 8, 0, 1, tzinfo=timezone.utc)
    mono = by_name["81263511223344.wav"]
    assert mono.time_basis == TIME_FILE_MTIME and mono.recorded_at.year == 2021  # the zip entry's time
    wake = by_name[mycroft_wake_name()]
    assert wake.not_for_assistant is True
    assert wake.recorded_at == datetime.fromtimestamp(MYCROFT_WAKE_MS / 1000, tz=timezone.utc)
    assert wake.extra["wake_word"] == "hey-mycroft" and wake.extra["model_md5"] == "0"
    assert wake.transcript == "hey mycroft"
    jarvis = next(r for r in recs if "hey_jarvis" in r.member_path)
    assert jarvis.extra["wake_word"] == "hey_jarvis" and len(jarvis.extra["model_md5"]) == 32
    assert jarvis.extra["session_id"].startswith("a1b2c3d4")


def test_mycroft_folder_with_colons_in_names(tmp_path: Path) -> None:
    root = tmp_path / "mycroft"
    for name, data in mycroft_entries().items():
        write(root / name, data)
    _set_mtimes(root)
    fmt, recs, _ = _recordings([root])
    assert fmt == MYCROFT and len(recs) == 5
    mono = next(r for r in recs if r.member_path.endswith("81263511223344.wav"))
    assert mono.recorded_at == datetime.fromtimestamp(MTIME_NS / 1e9, tz=timezone.utc)


# ---------------------------------------------------------------------------- loose audio


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2021-03-04 12:34:56.wav", datetime(2021, 3, 4, 12, 34, 56)),
        ("rec 2021-03-04T12:34:56.250.wav", datetime(2021, 3, 4, 12, 34, 56, 250000)),
        ("2018-04-16_11_42_55_659_UTC.mp3", datetime(2018, 4, 16, 11, 42, 55, 659000)),
        ("VID_20210304_123456.m4a", datetime(2021, 3, 4, 12, 34, 56)),
        ("20210304T123456.wav", datetime(2021, 3, 4, 12, 34, 56)),
        ("clip-1614861296789.wav", datetime(2021, 3, 4, 12, 34, 56, 789000)),
        ("alexa_0042.wav", None),
        ("20211399_999999.wav", None),  # not a date
        ("12345678901234567890.wav", None),  # a monotonic clock, not epoch ms
        ("2021-03-04.wav", None),  # a date without a time is not enough
    ],
)
def test_time_from_name(name: str, expected: datetime | None) -> None:
    got = time_from_name(name)
    assert got == (expected.replace(tzinfo=timezone.utc) if expected else None)


def test_loose_folder_every_audio_whatever_its_name(tmp_path: Path) -> None:
    root = tmp_path / "leak"
    write(root / "0001.wav", wav_bytes())
    write(root / "sub/2021-03-04 12:34:56.flac", audio_bytes("FLAC"))
    write(root / "sub/noextension", audio_bytes("OGG", subtype="OPUS"))
    write(root / "sub/clip.mp3", audio_bytes("MP3"))
    write(root / "transcripts.pdf", b"%PDF-1.4\n")
    write(root / "fake.wav", b"<html>not found</html>")
    write(root / "empty.mp3", b"")
    _set_mtimes(root)
    fmt, recs, problems = _recordings([root])
    assert fmt == LOOSE
    kinds = {r.member_path: r.extra["audio_kind"] for r in recs}
    assert kinds == {"0001.wav": "wav", "sub/2021-03-04 12:34:56.flac": "flac", "sub/noextension": "ogg/opus", "sub/clip.mp3": "mp3"}
    dated = next(r for r in recs if r.member_path.startswith("sub/2021"))
    assert dated.time_basis == TIME_FILENAME and dated.recorded_at == datetime(2021, 3, 4, 12, 34, 56, tzinfo=timezone.utc)
    plain = next(r for r in recs if r.member_path == "0001.wav")
    assert plain.time_basis == TIME_FILE_MTIME
    assert plain.recorded_at == datetime.fromtimestamp(MTIME_NS / 1e9, tz=timezone.utc)
    assert all(r.key == f"leak/{r.member_path}" and r.archive == str(root) for r in recs)
    messages = {p.member_path: str(p.message) for p in problems}
    assert messages == {
        "fake.wav": 'named like audio but is not (starts with text "<html>not found<")',
        "empty.mp3": "named like audio but is not (is empty)",
        "transcripts.pdf": "this PDF is damaged and cannot be read (Stream has ended unexpectedly)",
    }


def _loose_only(paths) -> tuple[list[Recording], list[Problem]]:
    reader = ArchiveReader(Tree.open(paths), [LooseImporter()])
    items = list(reader.items())
    reader.close()
    return [i for i in items if isinstance(i, Recording)], [i for i in items if isinstance(i, Problem)]


def test_loose_joins_a_transcript_table_by_file_name(tmp_path: Path) -> None:
    root = tmp_path / "leak"
    for name in ("A1.wav", "a2.wav", "sub/b3.flac", "unlisted.wav"):
        write(root / name, audio_bytes("FLAC") if name.endswith(".flac") else wav_bytes())
    table = "Datei;Transkript;Antwort\r\na1.WAV;Alexa, wie spät ist es?;Es ist 12 Uhr.\r\nA2;Einkaufsliste;\r\nb3.flac;Licht aus;Okay\r\n"
    write(root / "Transkripte.csv", table.encode("cp1252"))
    write(root / "other.csv", b"name,price\nchair,12\n")  # names no audio: left alone
    recs, problems = _loose_only([root])
    assert problems == []
    by_path = {r.member_path: r for r in recs}
    assert by_path["A1.wav"].transcript == "Alexa, wie spät ist es?"
    assert by_path["A1.wav"].assistant_response == "Es ist 12 Uhr."
    assert by_path["A1.wav"].join == JOIN_FILE_NAME
    assert by_path["A1.wav"].extra["transcript_table"] == "Transkripte.csv"
    assert by_path["A1.wav"].extra["transcript_row"] == 1
    assert by_path["a2.wav"].transcript == "Einkaufsliste"
    assert by_path["sub/b3.flac"].transcript == "Licht aus"
    assert by_path["unlisted.wav"].transcript == "" and by_path["unlisted.wav"].join == ""


def test_loose_joins_a_json_list_and_reports_a_broken_table(tmp_path: Path) -> None:
    z = write_zip(tmp_path / "leak.zip", {
        "clips/0001.wav": wav_bytes(),
        "clips/0002.wav": wav_bytes(),
        "clips/index.json": json.dumps({"items": [{"file": "0002.wav", "text": "turn on the light"}]}).encode(),
        "clips/broken.json": b'[{"file": "0001.wav", "text": ',
    })
    recs, problems = _loose_only([z])
    by_path = {r.member_path: r for r in recs}
    assert by_path["clips/0002.wav"].transcript == "turn on the light"
    assert by_path["clips/0001.wav"].transcript == ""
    assert len(problems) == 1 and problems[0].member_path == "clips/broken.json"
    assert str(problems[0].message).startswith("table beside the audio cannot be read (broken JSON")


def test_layouts_recognised_when_a_folder_inside_them_is_opened(tmp_path: Path) -> None:
    root = make_home_assistant(tmp_path / "debug")
    run = root / HA_DEVICE / "Home Assistant" / "1523400117723500"
    fmt, recs, _ = _recordings([run])
    assert fmt == HOME_ASSISTANT and len(recs) == 2
    assert {r.device for r in recs} == {HA_DEVICE} and {r.extra["run"] for r in recs} == {"1523400117723500"}
    assert recs[0].key.startswith("1523400117723500/")
    for name, data in mycroft_entries().items():
        write(tmp_path / "mycroft" / name, data)
    fmt, recs, _ = _recordings([tmp_path / "mycroft" / "mycroft_wake_words"])
    assert fmt == MYCROFT and len(recs) == 2 and all(r.not_for_assistant for r in recs)
