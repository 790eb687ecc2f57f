"""Build the bundled demo archive: a two-part Google Takeout of Assistant recordings.

Run once by a developer (it reads LibriSpeech clips from ../shared/voices, which the app never needs):

    python packaging/make_demo.py ../shared/voices/librispeech-test-other resources/demo

Voices: the owner (LibriSpeech speaker 1688) in most recordings, a household member (3331), a stranger
(2609) who speaks only at night, and a voice heard once (367). The audio is read speech from LibriSpeech
(CC BY 4.0); the "transcripts" are invented assistant commands, since the demo shows the app, not an ASR.
MP3s are encoded as Google encodes them (16 kHz mono 24 kbps, no ID3 tag, no Xing header).
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import soundfile as sf

OWNER, HOUSEHOLD, STRANGER, ONCE = "1688", "3331", "2609", "367"
PLAN = [(OWNER, 20), (HOUSEHOLD, 8), (STRANGER, 5), (ONCE, 1)]
COMMANDS = [
    "what's the weather tomorrow", "set a timer for ten minutes", "play some jazz", "turn off the kitchen lights",
    "add milk to my shopping list", "what time is it", "remind me to call mum at six", "how tall is the eiffel tower",
    "stop", "turn the volume down", "what's on my calendar today", "wake me up at seven",
    "tell me a joke", "how long is my commute", "play the news", "what's the capital of australia",
    "turn on the heating", "call dad", "is it going to rain", "what's nine times seven",
    "open the garage door", "who won the match last night", "read my messages", "good night", "lock the front door",
]
RESPONSES = ["Sure.", "Okay, done.", "Here's what I found.", "It's 7:45 PM.", "Tomorrow will be cloudy, 14 degrees."]


def clips_for(speaker_dir: Path, count: int, rng: random.Random) -> list[np.ndarray]:
    files = sorted(speaker_dir.glob("*.flac"))
    out: list[np.ndarray] = []
    while len(out) < count:
        for f in files:
            data, sr = sf.read(f, dtype="float32")
            assert sr == 16000
            length = int(rng.uniform(2.6, 4.2) * sr)
            if len(data) < length + sr // 2:
                continue
            start = rng.randrange(sr // 4, len(data) - length)
            out.append(data[start : start + length])
            if len(out) == count:
                break
    return out


def mp3(samples: np.ndarray) -> bytes:
    wav = io.BytesIO()
    sf.write(wav, samples, 16000, format="WAV", subtype="PCM_16")
    cmd = ["ffmpeg", "-v", "error", "-f", "wav", "-i", "pipe:0", "-ar", "16000", "-ac", "1", "-b:a", "24k",
           "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "pipe:1"]
    return subprocess.run(cmd, input=wav.getvalue(), capture_output=True, check=True).stdout


def put(z: zipfile.ZipFile, name: str, data: bytes, method: int = zipfile.ZIP_STORED) -> None:
    """Write one entry with a fixed date, so the demo zips are byte-for-byte reproducible."""
    z.writestr(zipfile.ZipInfo(name, (2026, 10, 3, 12, 0, 0)), data, method)


def main(voices: Path, out: Path) -> None:
    rng = random.Random(20181220)
    base = datetime(2026, 9, 1, tzinfo=timezone.utc)
    entries: list[tuple[datetime, str, np.ndarray]] = []
    for speaker, count in PLAN:
        for clip in clips_for(voices / speaker, count, rng):
            day = base + timedelta(days=rng.randrange(0, 30))
            hour = rng.choice([1, 2, 3]) if speaker == STRANGER else rng.randrange(7, 23)
            when = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60),
                               microsecond=rng.randrange(1000) * 1000)
            entries.append((when, speaker, clip))
    entries.sort(key=lambda e: e[0])

    activity = []
    audio: list[tuple[str, bytes]] = []
    for i, (when, speaker, clip) in enumerate(entries):
        name = when.strftime("%Y-%m-%d_%H_%M_%S_") + f"{when.microsecond // 1000:03d}_UTC.mp3"
        said = COMMANDS[i % len(COMMANDS)]
        details = [{"name": "Started by hotword"}]
        if speaker in (STRANGER, ONCE):
            details.append({"name": "From unrecognized speaker"})
        item = {
            "header": "Assistant",
            "title": f"Said {said}",
            "titleUrl": "https://www.google.com/search?q=" + said.replace(" ", "+"),
            "time": (when - timedelta(milliseconds=rng.randrange(0, 3000))).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "audioFiles": [name],
            "products": ["Assistant"],
            "details": details,
            "subtitles": [{"name": rng.choice(RESPONSES)}],
        }
        activity.append(item)
        audio.append((name, mp3(clip)))
    # Two items the export kept without audio, as real exports do.
    for when, said in ((base + timedelta(days=3, hours=9), "what's the weather"),
                       (base + timedelta(days=17, hours=20), "set an alarm for six")):
        activity.append({"header": "Assistant", "title": f"Said {said}",
                         "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                         "products": ["Assistant"], "details": [{"name": "Started by hotword"}]})
    activity.sort(key=lambda a: a["time"], reverse=True)  # Google lists newest first

    folder = "Takeout/My Activity/Assistant/"
    js = json.dumps(activity, indent=2, ensure_ascii=True).replace("'", "\\u0027").replace("=", "\\u003d")
    out.mkdir(parents=True, exist_ok=True)
    half = len(audio) * 2 // 3
    parts = [out / "takeout-20261003T120000Z-001.zip", out / "takeout-20261003T120000Z-002.zip"]
    with zipfile.ZipFile(parts[0], "w", zipfile.ZIP_DEFLATED) as z:
        put(z, "Takeout/archive_browser.html", b"<html><body>Takeout demo</body></html>", zipfile.ZIP_DEFLATED)
        put(z, folder + "MyActivity.json", js.encode(), zipfile.ZIP_DEFLATED)
        for name, data in audio[:half]:
            put(z, folder + name, data)
    with zipfile.ZipFile(parts[1], "w") as z:
        for name, data in audio[half:]:
            put(z, folder + name, data)
    total = sum(p.stat().st_size for p in parts)
    print(f"{len(audio)} recordings, {len(activity)} activity items, {total / 1e6:.2f} MB in {len(parts)} parts")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
