"""Time the Google Takeout and Alexa importers on synthetic archives of N items (no audio analysis).

    python benchmarks/bench_vendor_import.py [--n 1700]

Builds, in a temporary folder: a two-part Takeout (MyActivity.json + N MP3s), an Alexa voice-history page
with N records and N WAVs named by utterance id, and a leak of N WAVs named by time plus a CSV of N rows
joined by time. Prints listing time (Tree + sniffing, A's code) and importer time (parsing + joining) apart.
The audio bytes are tiny and identical: importers never read audio, so content does not matter here.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voicearchive.archive import open_archive  # noqa: E402
from voicearchive.archive.alexa import AlexaImporter  # noqa: E402
from voicearchive.archive.takeout import TakeoutImporter  # noqa: E402
from voicearchive.model import Recording  # noqa: E402

# One MPEG-2 layer III frame header (16 kHz mono 24 kbps) followed by padding: enough for sniffing.
MP3 = b"\xff\xf3\x38\xc4" + bytes(212)
T0 = datetime(2021, 1, 1, tzinfo=timezone.utc)


def wav() -> bytes:
    buf = io.BytesIO()
    sf.write(buf, np.zeros(1600, np.float32), 16000, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def takeout(root: Path, n: int) -> list[Path]:
    items, names = [], []
    for i in range(n):
        t = T0 + timedelta(minutes=37 * i)
        name = f"{t + timedelta(seconds=2):%Y-%m-%d_%H_%M_%S}_{i % 1000:03d}_UTC.mp3"
        names.append(name)
        items.append({"header": "Assistant", "title": f"Said item number {i}", "time": t.isoformat(),
                      "audioFiles": [name], "products": ["Assistant"], "details": [{"name": "Started by hotword"}],
                      "subtitles": [{"name": "Okay."}]})  # fmt: skip
    folder = "Takeout/My Activity/Assistant/"
    parts = []
    for p in (1, 2):
        path = root / f"takeout-20260101T000000Z-00{p}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
            if p == 1:
                zf.writestr(folder + "MyActivity.json", json.dumps(items, indent=2))
            for name in names[p - 1 :: 2]:
                zf.writestr(folder + name, MP3)
        parts.append(path)
    return parts


def alexa_history(root: Path, n: int) -> list[Path]:
    root.mkdir()
    data, records = wav(), []
    for i in range(n):
        ms = int((T0 + timedelta(minutes=11 * i)).timestamp() * 1000)
        t = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
        uid = f"A3RBAYBE7VM004:1.0/{t:%Y/%m/%d/%H}/G090XG1001420JB9/{t:%M:%S}::TNIH_2V.{i:08x}-0c15-4608-8453-6adb7aab7b38LPM/1"
        records.append({"recordKey": f"C#{ms}#A3RBAYBE7VM004#G090XG1001420JB9", "timestamp": ms,
                        "device": {"deviceName": "Echo"}, "utteranceType": "GENERAL",
                        "voiceHistoryRecordItems": [{"recordItemType": "CUSTOMER_TRANSCRIPT", "utteranceId": uid,
                                                     "timestamp": ms, "transcriptText": f"alexa number {i}"}]})  # fmt: skip
        (root / (uid.replace("/", "_").replace(":", "_") + ".wav")).write_bytes(data)
    (root / "history.json").write_text(json.dumps({"customerHistoryRecords": records}), encoding="utf-8")
    return [root]


def leak(root: Path, n: int) -> list[Path]:
    root.mkdir()
    data, rows = wav(), ["Timestamp,Transcript,Device"]
    for i in range(n):
        t = T0 + timedelta(minutes=7 * i)
        rows.append(f"{t:%Y-%m-%dT%H:%M:%SZ},alexa request {i},Echo Dot")
        (root / f"{t + timedelta(seconds=1):%Y-%m-%dT%H-%M-%S}.wav").write_bytes(data)
    (root / "transcripts.csv").write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return [root]


def measure(label: str, paths: list[Path], importer_cls: type) -> None:
    t0 = time.perf_counter()
    with open_archive(paths) as reader:
        t1 = time.perf_counter()
        assert isinstance(reader.importer, importer_cls), type(reader.importer).__name__
        out = list(reader.importer.items(reader.listing))
        t2 = time.perf_counter()
    recs = [r for r in out if isinstance(r, Recording)]
    joined = sum(1 for r in recs if r.join)
    print(f"{label:<22} listing {t1 - t0:6.3f} s   importer {t2 - t1:6.3f} s   {len(recs)} items, {joined} joined")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1700)
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        measure("takeout (2 zip parts)", takeout(root, n), TakeoutImporter)
        measure("alexa voice history", alexa_history(root / "alexa", n), AlexaImporter)
        measure("leak + CSV (time join)", leak(root / "leak", n), AlexaImporter)


if __name__ == "__main__":
    main()
