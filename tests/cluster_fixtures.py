"""Helpers for the runner and cluster tests: a small folder of distinct recordings, and what a scan left."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import soundfile as sf

from voicearchive.case.store import CaseStore
from voicearchive.pipeline import Pipeline
from voicearchive.stages import STAGES

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"


def noise_wav(seconds: float, seed: int, rate: int = 16000, channels: int = 1, subtype: str = "PCM_16",
              marker: bytes = b"") -> bytes:
    """Distinct bytes per seed: a quiet tone with noise (``marker`` goes into a trailing LIST chunk)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    mono = 0.2 * np.sin(2 * np.pi * (150 + 10 * seed) * t) + 0.05 * rng.standard_normal(t.shape[0])
    data = np.repeat(mono[:, None], channels, axis=1).astype(np.float32)
    buf = io.BytesIO()
    sf.write(buf, data, rate, format="WAV", subtype=subtype)
    out = buf.getvalue()
    if marker:
        chunk = b"LIST" + len(marker).to_bytes(4, "little") + marker + (b"\0" if len(marker) % 2 else b"")
        out = out[:4] + (len(out) - 8 + len(chunk)).to_bytes(4, "little") + out[8:] + chunk
    return out


def make_folder(root: Path, noise: int = 6) -> Path:
    """The five golden speech clips, ``noise`` distinct noise WAVs and one file that is not audio."""
    root.mkdir(parents=True, exist_ok=True)
    for clip in sorted(GOLDEN.glob("*.flac")):
        shutil.copy(clip, root / clip.name)
    for k in range(noise):
        (root / f"noise{k:02d}.wav").write_bytes(noise_wav(1.5, k))
    (root / "notes.wav").write_bytes(b"<html>not audio</html>")
    return root


def scan(folder: Path, case: Path, **kwargs) -> Pipeline:
    """Import and analyse ``folder`` into ``case``; returns the (closed) pipeline with its last_run."""
    with CaseStore(case) as store:
        with Pipeline([folder], store, **kwargs) as p:
            p.import_archive()
            p.analyse()
    return p


def results(case: Path) -> dict:
    """Everything the stages and the voice analysis wrote, by member path (comparable across case files)."""
    from voicearchive.stages import voice_model_version

    with CaseStore(case) as store:
        items = store.items()
        shas = [i.rec.sha256 for i in items if i.rec.sha256]
        feats = store.voice_features_many(shas, voice_model_version())
        out = {}
        for i in items:
            f = feats.get(i.rec.sha256)
            out[i.rec.member_path] = {
                "problem": str(i.rec.problem),  # a Message or a text: compared as the English the CSV shows
                "envelope": store.envelope(i.rec.sha256) if i.rec.sha256 else None,
                "embedding": None if f is None or f["embedding"] is None else np.asarray(f["embedding"]),
                "windows": None if f is None else np.asarray(f["windows"]).shape,
                "group": i.voice.group if i.voice else None,
                "flagged": i.flagged,
            }
        missing = {s.id: set(shas) - s.done(store, shas) for s in STAGES}
    return {"items": out, "missing": missing}


def assert_same(a: dict, b: dict, atol: float = 1e-5) -> None:
    assert a["items"].keys() == b["items"].keys()
    for path, x in a["items"].items():
        y = b["items"][path]
        assert x["problem"] == y["problem"], path
        assert x["envelope"] == y["envelope"], path
        assert x["windows"] == y["windows"], path
        assert (x["embedding"] is None) == (y["embedding"] is None), path
        if x["embedding"] is not None:
            np.testing.assert_allclose(x["embedding"], y["embedding"], atol=atol, err_msg=path)
        assert (x["group"], x["flagged"]) == (y["group"], y["flagged"]), path
    assert a["missing"] == b["missing"]
