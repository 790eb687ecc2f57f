"""Builders for vendor-export fixtures (formats.md §6), made from scratch in a test's tmp_path.

Audio is tiny and synthetic: tones and noise, in the three MP3 flavours measured in real Takeout exports (no
ID3 tag, no Xing header; ``tests/data/vendor/*.mp3``, made by ffmpeg with ``python -m tests.vendor_fixtures``,
committed so that the tests need no ffmpeg: without it 29 tests were skipped, on CI too), and 16 kHz mono WAV for
Alexa. JSON is written the way Google writes it (``'``, ``=``, ``&`` escaped as
``\\u0027``, ``\\u003d``, ``\\u0026``). The Alexa export layout is undocumented: those builders are
a guess, labelled as such.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

# ffmpeg arguments per Takeout MP3 flavour (formats.md §2.3).
MP3_FLAVOURS = {
    "mono24": ["-ar", "16000", "-ac", "1", "-b:a", "24k"],
    "stereo48": ["-ar", "16000", "-ac", "2", "-joint_stereo", "1", "-b:a", "48k"],
    "mono8": ["-ar", "8000", "-ac", "1", "-b:a", "8k"],
}


def wav_bytes(seconds: float = 0.4, freq: float = 220.0, rate: int = 16000, seed: int = 0) -> bytes:
    """A short 16-bit mono WAV: a tone plus a little noise (distinct per ``freq``/``seed``)."""
    t = np.arange(int(seconds * rate)) / rate
    noise = np.random.default_rng(seed).normal(0, 0.02, t.size)
    data = (0.3 * np.sin(2 * np.pi * freq * t) + noise).astype(np.float32)
    buf = io.BytesIO()
    sf.write(buf, data, rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


MP3_DIR = Path(__file__).resolve().parent / "data" / "vendor"


@functools.cache
def mp3_bytes(flavour: str) -> bytes:
    """An MP3 of 0.5 s in one of ``MP3_FLAVOURS``, as Google writes it (starts with a frame sync)."""
    return (MP3_DIR / f"{flavour}.mp3").read_bytes()


def encode_mp3(flavour: str) -> bytes:
    """Encode the fixture ``flavour`` with ffmpeg (how ``tests/data/vendor`` was made)."""
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise SystemExit("ffmpeg is not installed")
    src = wav_bytes(0.5, 330.0, 16000)
    out = subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", *MP3_FLAVOURS[flavour],
         "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1"],
        input=src, capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert out[:1] == b"\xff", "ffmpeg wrote an ID3 tag or no MP3"
    return out


@pytest.fixture(scope="session")
def vendor_audio() -> dict[str, bytes]:
    """The three MP3 flavours, made once per session."""
    return {name: mp3_bytes(name) for name in MP3_FLAVOURS}


def google_json(items: list[dict]) -> bytes:
    """``items`` as Google writes MyActivity.json: indented, with ``'``, ``=``, ``&`` as ``\\uXXXX``."""
    text = json.dumps(items, indent=2, ensure_ascii=False)
    for ch, esc in (("'", "\\u0027"), ("=", "\\u003d"), ("&", "\\u0026")):
        text = text.replace(ch, esc)
    return text.encode("utf-8")


def tree_digest(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``root`` with its mtime and SHA-256: compare before and after to prove nothing changed."""
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


# Four Assistant items covering the checklist: an MP3 in the other part, the ~3 s offset between
# `time` and the file name, `\u0027`, `subtitles:[{}]`, an item without audioFiles, an unrecognized
# speaker, "Voice and Audio", a device product, and an audioFiles entry whose MP3 is missing.
TAKEOUT_ITEMS = [
    {"header": "Assistant", "title": "Said what's the weather in Paris",
     "titleUrl": "https://www.google.com/search?q=what's+the+weather+in+Paris",
     "time": "2018-04-16T11:42:52.739Z", "audioFiles": ["2018-04-16_11_42_55_659_UTC.mp3"],
     "products": ["Assistant"], "details": [{"name": "Started by hotword"}],
     "subtitles": [{"name": "Right now in Paris it's forty-nine degrees."}],
     "locationInfos": [{"name": "At this place", "url": "https://www.google.com/maps/search/?api=1&query=41.70,-88.31",
                        "source": "From your device"}]},
    {"header": "Assistant", "title": "Said turn off the lights", "time": "2018-02-02T02:05:07.765Z",
     "audioFiles": ["2018-02-02_02_05_07_765_UTC.mp3"], "products": ["Assistant", "Google Home"],
     "details": [{"name": "Started by hotword"}, {"name": "From unrecognized speaker"}], "subtitles": [{}]},
    {"header": "Assistant", "title": "Said set a timer", "time": "2019-10-14T01:42:14.389352Z",
     "products": ["Assistant"]},
    {"header": "Voice and Audio", "title": "Said call mum", "time": "2015-06-01T08:00:00.000Z",
     "audioFiles": ["2015-06-01_08_00_00_100_UTC.mp3"], "products": ["Voice and Audio"]},
    {"header": "Assistant", "title": "Said play music", "time": "2019-01-01T10:00:00.000Z",
     "audioFiles": ["2019-01-01_10_00_00_000_UTC.mp3"], "products": ["Assistant"]},
]  # fmt: skip
MISSING_MP3 = "2019-01-01_10_00_00_000_UTC.mp3"
ORPHAN_MP3 = "2020-05-05_05_05_05_555_UTC.mp3"


def build_takeout(root: Path, audio: dict[str, bytes], *, german: bool = False, unzipped: bool = False) -> list[Path]:
    """A two-part Takeout (``-001``/``-002``); the Paris MP3 and an orphan MP3 sit in part 2.

    With ``german`` the folder and file names are localized (``Meine Aktivitäten/…/MeineAktivitäten.json``)
    and titles use ``Gesagt: ``. With ``unzipped`` the parts are written as folders instead of zips.
    """
    act, name = ("Meine Aktivitäten", "MeineAktivitäten.json") if german else ("My Activity", "MyActivity.json")
    folder = f"Takeout/{act}/Assistant"
    items = json.loads(json.dumps(TAKEOUT_ITEMS))
    if german:
        for item in items:
            item["title"] = item["title"].replace("Said ", "Gesagt: ", 1)
    part1 = {
        ("Takeout/Archiv_Übersicht.html" if german else "Takeout/archive_browser.html"): b"<html></html>",
        f"{folder}/{name}": google_json(items[:3]),
        f"{folder}/2018-02-02_02_05_07_765_UTC.mp3": audio["stereo48"],
        f"Takeout/{act}/Voice and Audio/{name}": google_json(items[3:]),
        f"Takeout/{act}/Voice and Audio/2015-06-01_08_00_00_100_UTC.mp3": audio["mono8"],
    }
    part2 = {
        f"{folder}/2018-04-16_11_42_55_659_UTC.mp3": audio["mono24"],
        f"{folder}/{ORPHAN_MP3}": audio["mono24"],
    }
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, files in enumerate((part1, part2), start=1):
        if unzipped:
            base = root / f"takeout-20260412T081523Z-00{i}"
            for rel, data in files.items():
                (base / rel).parent.mkdir(parents=True, exist_ok=True)
                (base / rel).write_bytes(data)
            paths.append(base)
        else:
            paths.append(write_zip(root / f"takeout-20260412T081523Z-00{i}.zip", files))
    return paths


def activity_html(items: list[tuple[str, str, str, list[str], list[str], str]]) -> str:
    """My Activity HTML: ``items`` are (header, said, reply, products, details, date text)."""
    cells = []
    for header, said, reply, products, details, date in items:
        caption = "<b>Products:</b><br>" + "".join(f"&emsp;{p}<br>" for p in products)
        if details:
            caption += "<b>Details:</b><br>" + "".join(f"&emsp;{d}<br>" for d in details)
        reply_html = f"{reply}<br>" if reply else ""
        cells.append(
            '<div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid">'
            f'<div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">{header}<br></p></div>'
            '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">'
            f'Said&nbsp;<a href="https://www.google.com/search?q={said.replace(" ", "+")}">{said}</a><br>'
            f"{reply_html}{date}</div>"
            '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div>'
            f'<div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption">{caption}</div>'
            "</div></div>"
        )
    return (
        '<html><head><meta charset="UTF-8"><title>My Activity</title></head><body>'
        f'<div class="mdl-grid">{"".join(cells)}</div></body></html>'
    )


# --- Alexa ---------------------------------------------------------------------------------------

CUSTOMER = "A2P39TP3BRS5M7"
ECHO_TYPE = "A3RBAYBE7VM004"
ECHO_SERIAL = "G090XG1001420JB9"


def utterance_id(epoch_ms: int, uuid: str, part: int | None, serial: str = "DEVICE_UNSPECIFIED") -> str:
    """A well-formed utterance id for ``epoch_ms`` (the id carries the time to the second, in UTC)."""
    from datetime import datetime, timezone

    t = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc)
    tail = "" if part is None else f"/{part}"
    return f"{ECHO_TYPE}:1.0/{t:%Y/%m/%d/%H}/{serial}/{t:%M:%S}::TNIH_2V.{uuid}LPM{tail}"


def mangle(uid: str) -> str:
    """How a tool might save an utterance id as a file name: ``/`` and ``:`` become ``_``."""
    return uid.replace("/", "_").replace(":", "_")


UUIDS = [f"{i:08x}-0c15-4608-8453-6adb7aab7b38" for i in range(1, 9)]
T0 = 1634190269010  # 2021-10-14T05:44:29.010Z


def history_records() -> list[dict]:
    """Voice-history records: a German request with a profile (paired /0 wake word and /1 request),
    a record without personsInfo and without deviceName, and a WAKE_WORD_ONLY record."""
    def item(kind: str, text: str, uid: str | None, ts: int, persons: bool = False) -> dict:
        d = {"recordItemKey": f"{ts}#{ECHO_TYPE}#####{ts}-0", "recordItemType": kind, "timestamp": ts,
             "transcriptText": text, "agentVisualName": ""}
        if uid:
            d["utteranceId"] = uid
        if persons:
            d["personsInfo"] = [{"personId": "amzn1.actor.person.oid.AAOY96JJ8B54N", "personFirstName": "Simon",
                                 "personType": "ADULT"}]
        return d

    t1, t2, t3 = T0, T0 + 600_000, T0 + 1_200_000
    return [
        {"recordKey": f"{CUSTOMER}#{t1}#{ECHO_TYPE}#{ECHO_SERIAL}", "recordType": "VOICE_HISTORY", "timestamp": t1 + 1400,
         "customerId": CUSTOMER, "device": {"deviceName": "Echo Studio", "deviceEntityId": None},
         "utteranceType": "GENERAL", "domain": "ToDos", "intent": "AddToListIntent",
         "voiceHistoryRecordItems": [
             item("CUSTOMER_TRANSCRIPT", "Text nicht verfügbar – Audio war nicht für Alexa bestimmt",
                  utterance_id(t1, UUIDS[0], 0), t1),
             item("CUSTOMER_TRANSCRIPT", "alexa setze test auf meine einkaufsliste", utterance_id(t1, UUIDS[0], 1), t1,
                  persons=True),
             item("ALEXA_RESPONSE", "Ich habe test auf deine Einkaufsliste gesetzt.", None, t1 + 1200)],
         "personsInfo": [{"personId": "x", "personFirstName": "Simon", "personType": "ADULT"}]},
        {"recordKey": f"{CUSTOMER}#{t2}#{ECHO_TYPE}#{ECHO_SERIAL}", "recordType": "VOICE_HISTORY", "timestamp": t2,
         "customerId": CUSTOMER, "device": {"deviceEntityId": None}, "utteranceType": "GENERAL",
         "voiceHistoryRecordItems": [
             item("CUSTOMER_TRANSCRIPT", "what's the weather", utterance_id(t2, UUIDS[1], 1), t2),
             item("TTS_REPLACEMENT_TEXT", "It's 12 degrees.", None, t2 + 900)]},
        {"recordKey": f"{CUSTOMER}#{t3}#{ECHO_TYPE}#{ECHO_SERIAL}", "recordType": "VOICE_HISTORY", "timestamp": t3,
         "customerId": CUSTOMER, "device": {"deviceName": "Kitchen"}, "utteranceType": "WAKE_WORD_ONLY",
         "intent": "Unknown", "domain": "",
         "voiceHistoryRecordItems": [item("ASR_REPLACEMENT_TEXT", "alexa", utterance_id(t3, UUIDS[2], 0), t3)]},
    ]  # fmt: skip


def build_alexa_history(root: Path, *, bare_list: bool = False) -> Path:
    """A folder: the voice-history JSON page plus WAVs named by mangled utterance id (a scraper's save).
    The weather request's WAV is absent (deleted audio)."""
    root.mkdir(parents=True, exist_ok=True)
    records = history_records()
    body = records if bare_list else {"customerHistoryRecords": records, "encodedRequestToken": "abc"}
    (root / "voice_history.json").write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    audio = root / "audio"
    audio.mkdir()
    for rec in records:
        for it in rec["voiceHistoryRecordItems"]:
            uid = it.get("utteranceId")
            if uid and UUIDS[1] not in uid:
                (audio / f"{mangle(uid)}.wav").write_bytes(wav_bytes(0.3, 200 + len(uid) % 50))
    return root


def build_ct_leak(root: Path) -> Path:
    """A c't-style leak: 6 WAVs with meaningless names (two voices) plus one transcript CSV with a
    UTF-8 BOM, ISO-8601 times and a "Not Available" cell. Two rows name a file, one row joins by
    time only through a WAV whose name carries its time, and two rows join nothing."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(1, 5):
        (root / f"audio_{i:04d}.wav").write_bytes(wav_bytes(0.3, 180 + 20 * i, seed=i))
    (root / "2018-08-01T10-00-02Z.wav").write_bytes(wav_bytes(0.3, 420, seed=7))
    (root / "x9.wav").write_bytes(wav_bytes(0.3, 520, seed=8))  # a second voice, never in the table
    csv = (
        "Timestamp,Transcript,Device,Audio File\r\n"
        "2018-08-01T09:00:00Z,alexa wie spät ist es,Echo Dot,audio_0001.wav\r\n"
        "2018-08-01T09:30:00Z,alexa stopp,Echo Dot,audio_0002.wav\r\n"
        "2018-08-01T10:00:00Z,alexa spiel musik,Echo Dot,\r\n"
        "2018-08-01T11:00:00Z,Not Available,Echo Dot,\r\n"
        "2018-08-02T08:00:00Z,alexa licht aus,Not Available,\r\n"
    )
    (root / "Alexa Transcripts.csv").write_bytes(b"\xef\xbb\xbf" + csv.encode("utf-8"))
    return root


def scan(paths) -> tuple[str, list, list]:
    """Open an archive and return (source format, its recordings, its problems)."""
    from voicearchive.archive import open_archive
    from voicearchive.model import Problem, Recording

    with open_archive(paths) as reader:
        out = list(reader.items())
        fmt = reader.source_format
    return fmt, [r for r in out if isinstance(r, Recording)], [p for p in out if isinstance(p, Problem)]


def assistant_folder(root: Path, items: list[dict]) -> Path:
    """An unzipped Takeout under ``root`` whose Assistant folder holds MyActivity.json with ``items``."""
    folder = root / "Takeout" / "My Activity" / "Assistant"
    folder.mkdir(parents=True)
    (folder / "MyActivity.json").write_bytes(google_json(items))
    return folder


if __name__ == "__main__":  # python -m tests.vendor_fixtures: rewrite tests/data/vendor/*.mp3
    MP3_DIR.mkdir(parents=True, exist_ok=True)
    for name in MP3_FLAVOURS:
        (MP3_DIR / f"{name}.mp3").write_bytes(encode_mp3(name))
        print(MP3_DIR / f"{name}.mp3")
