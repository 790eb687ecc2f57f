"""Smoke test of the PyInstaller bundle: it builds from a clean checkout, starts offscreen, opens the demo archive.

It takes minutes, so it runs only when asked: `VOICEARCHIVE_BUNDLE_TEST=1 bash packaging/setup.sh test -m bundle`.
Set VOICEARCHIVE_BUNDLE_DIR to an already built `dist/` to skip the build.
"""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_ROWS = 36  # the demo Takeout: 34 recordings with audio and 2 activity entries without

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(not os.environ.get("VOICEARCHIVE_BUNDLE_TEST"), reason="set VOICEARCHIVE_BUNDLE_TEST=1"),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    ready = os.environ.get("VOICEARCHIVE_BUNDLE_DIR")
    if ready:
        return Path(ready) / "voicearchive"
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), str(out)], check=True, timeout=1800)
    return out / "voicearchive"


def test_bundle_reports_its_version(bundle: Path) -> None:
    from voicearchive import __version__

    run = subprocess.run([str(bundle / "voicearchive"), "--version"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and __version__ in run.stdout


def test_bundle_scans_and_screenshots_the_demo_offscreen(bundle: Path, tmp_path: Path) -> None:
    demo = sorted(str(p) for p in (bundle / "_internal" / "voicearchive" / "_resources" / "demo").glob("*.zip"))
    assert len(demo) == 2, "the demo archive ships inside the bundle"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    scan = subprocess.run([str(bundle / "voicearchive"), "scan", *demo, "--case", str(tmp_path / "c.vacase"),
                           "--csv", str(tmp_path / "out.csv")], capture_output=True, text=True, env=env, timeout=600)
    assert scan.returncode == 0, scan.stderr
    # What a user sees: the demo read as the Google Takeout it is (not as a plain folder of audio), every
    # row of its activity file with its transcript and the vendor's own time, and the voice analysis.
    assert "Archive: google-takeout; 36 recordings" in scan.stdout, scan.stdout
    assert "Voices:" in scan.stdout
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == DEMO_ROWS
    assert {r["source_format"] for r in rows} == {"google-takeout"}
    assert sum(1 for r in rows if r["transcript"]) == DEMO_ROWS
    assert all(r["recorded_at"] for r in rows)
    assert "what's the weather tomorrow" in {r["transcript"] for r in rows}
    shot = tmp_path / "shot.png"
    env["QT_LOGGING_RULES"] = "qt.multimedia.plugin=true"  # say which media backend loads
    run = subprocess.run([str(bundle / "voicearchive"), "open", *demo, "--case", str(tmp_path / "g.vacase"),
                          "--screenshot", str(shot)], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    # Playback needs Qt's FFmpeg backend, whose plugin links libraries a bundle easily leaves out.
    assert "No QtMultimedia backends found" not in run.stderr, run.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
