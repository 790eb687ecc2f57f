"""The hostile-input audit's big cases (issue 9): time and peak memory of each, one subprocess per case.

    python benchmarks/bench_hostile.py [--only NAME ...] [--scan] [--keep DIR]

Cases (built in a temporary folder, or in --keep DIR):

* ``zip-bomb``: a zip of eight 255 MiB entries of zeros (about 2 MB on disk, 2 GiB declared);
* ``wav-1hz``: a 44-byte WAV header declaring 1 Hz, then 400 KB of samples;
* ``wav-8hz``: a WAV header declaring 8 Hz, then 1 M samples;
* ``wav-1ghz``: a WAV declaring 1e9 Hz;
* ``wav-3h``: a 3-hour 44.1 kHz 16-bit stereo WAV (1.9 GB, sparse on disk), hashed and decoded in blocks
  with ``voicearchive.audio.stream.open_blocks``.

For each case the archive layer lists it (``open_archive`` + ``items()``), every member is hashed in a
streaming way and every audio member probed; the WAV cases are also decoded (``decode`` for the small
ones, ``open_blocks`` for the 3-hour one). With ``--scan`` the case also runs through
``python -m voicearchive scan`` (the whole pipeline, with analysis) in its own process.
Prints seconds and the peak RSS of each case's process; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES = ("zip-bomb", "wav-1hz", "wav-8hz", "wav-1ghz", "wav-3h")


def wav_header(rate: int, channels: int, bits: int, data_bytes: int) -> bytes:
    align = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 1, channels, rate, (rate * align) & 0xFFFFFFFF, align, bits)
    return (b"RIFF" + struct.pack("<I", (36 + data_bytes) & 0xFFFFFFFF) + b"WAVE" + b"fmt "
            + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", data_bytes & 0xFFFFFFFF))  # fmt: skip


def build(case: str, folder: Path) -> Path:
    """The evidence of one case under ``folder`` (built once, reused with --keep)."""
    folder.mkdir(parents=True, exist_ok=True)
    if case == "zip-bomb":
        path = folder / "bomb.zip"
        if not path.exists():
            zeros = bytes(1 << 20)
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                for i in range(8):
                    info = zipfile.ZipInfo(f"zeros{i}.wav")
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with zf.open(info, "w", force_zip64=True) as out:
                        for _ in range(255):
                            out.write(zeros)
        return path
    root = folder / case
    root.mkdir(exist_ok=True)
    wav = root / "rec.wav"
    if wav.exists():
        return root
    if case == "wav-1hz":
        wav.write_bytes(wav_header(1, 1, 16, 400_000) + os.urandom(400_000))
    elif case == "wav-8hz":
        wav.write_bytes(wav_header(8, 1, 16, 2_000_000) + os.urandom(2_000_000))
    elif case == "wav-1ghz":
        wav.write_bytes(wav_header(1_000_000_000, 1, 16, 400_000) + os.urandom(400_000))
    elif case == "wav-3h":
        size = 3 * 3600 * 44100 * 4
        with open(wav, "wb") as f:
            f.write(wav_header(44100, 2, 16, size))
            f.truncate(44 + size)  # sparse: reads as digital silence
    return root


def run_case(path: str, case: str) -> dict:
    """In the child: list, hash, probe and decode; return what happened."""
    from voicearchive.archive import open_archive
    from voicearchive.audio.decode import DecodeError, decode, probe
    from voicearchive.audio.stream import open_blocks
    from voicearchive.model import Problem, Recording

    t0 = time.monotonic()
    out: dict = {"recordings": 0, "problems": [], "decoded_s": 0.0}
    with open_archive([path]) as reader:
        for item in reader.items():
            if isinstance(item, Problem):
                out["problems"].append(str(item.message)[:120])
                continue
            if not isinstance(item, Recording) or not item.member_path:
                continue
            out["recordings"] += 1
            member = reader.tree.member(item.archive, item.member_path)
            h, head = hashlib.sha256(), b""
            with reader.tree.open(member) as f:
                while chunk := f.read(1 << 20):
                    head = head or chunk
                    h.update(chunk)
            try:
                facts = probe(head, size=member.size)
                out["facts"] = f"{facts.codec} {facts.sample_rate} Hz {facts.duration_s:.0f} s"
            except DecodeError as exc:
                out["problems"].append(f"probe: {exc}")
                continue
            if member.size <= 64 << 20:
                try:
                    samples, rate, _ = decode(reader.tree.read(member))
                    out["decoded_s"] += samples.size / rate
                except DecodeError as exc:
                    out["problems"].append(f"decode: {exc}")
            else:
                with reader.tree.open(member) as f:
                    stream = open_blocks(f, block_seconds=30.0)
                    for block in stream.blocks():
                        out["decoded_s"] += block.size / stream.rate
                    out["sha_matches"] = stream.sha256() == h.hexdigest()
    out["seconds"] = time.monotonic() - t0
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _run_measured(cmd: list[str], env: dict) -> tuple[int, float, str]:
    """Run ``cmd``; its exit code, the peak RSS of it and its children in MB (wait4), its last output line."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = [ln for ln in out.read().decode("utf-8", "replace").splitlines() if ln.strip()]
    return proc.returncode, usage.ru_maxrss / 1024, (lines[-1][:100] if lines else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", choices=CASES, default=list(CASES))
    ap.add_argument("--scan", action="store_true", help="also run `voicearchive scan` on each case")
    ap.add_argument("--keep", metavar="DIR", help="build the cases here and keep them")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child[0], args.child[1])))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        print(f"{'case':<10} {'seconds':>8} {'peak MB':>8}  result")
        for case in args.only:
            t0 = time.monotonic()
            path = build(case, folder)
            built = time.monotonic() - t0
            done = subprocess.run([sys.executable, __file__, "--child", str(path), case], env=env,
                                  capture_output=True, text=True, check=False)  # fmt: skip
            if done.returncode != 0:
                print(f"{case:<10} failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            detail = f"{r['recordings']} recordings, {len(r['problems'])} problems"
            if r["decoded_s"]:
                detail += f", {r['decoded_s']:.0f} s decoded"
            if "sha_matches" in r:
                detail += f", block hash matches: {r['sha_matches']}"
            print(f"{case:<10} {r['seconds']:8.2f} {r['peak_rss_mb']:8.0f}  {detail} (built in {built:.1f} s)")
            for p in r["problems"][:3]:
                print(f"{'':<29}{p}")
            if args.scan:
                with tempfile.TemporaryDirectory() as work:
                    t0 = time.monotonic()
                    cmd = [sys.executable, "-m", "voicearchive", "scan", str(path), "--case", os.path.join(work, "c.vacase")]
                    code, peak_mb, tail = _run_measured(cmd, env)
                    print(f"{'  scan':<10} {time.monotonic() - t0:8.2f} {peak_mb:8.0f}  exit {code}: {tail}")


if __name__ == "__main__":
    main()
