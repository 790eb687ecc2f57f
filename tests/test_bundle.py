"""Smoke test of the PyInstaller bundle: it builds from a clean checkout, starts offscreen, opens the demo archive.

It takes minutes, so it runs only when asked: `VOICEARCHIVE_BUNDLE_TEST=1 bash packaging/setup.sh test -m bundle`.
Set VOICEARCHIVE_BUNDLE_DIR to an already built `dist/` to skip the build.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

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
    assert "Voices:" in scan.stdout and (tmp_path / "out.csv").stat().st_size > 1000
    shot = tmp_path / "shot.png"
    run = subprocess.run([str(bundle / "voicearchive"), "open", *demo, "--case", str(tmp_path / "g.vacase"),
                          "--screenshot", str(shot)], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
