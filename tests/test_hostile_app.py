"""Issue 9, the case file, export and command line: each audit defect rebuilt from its own input.

Items: 3 (nothing written inside the evidence), 8 (no tracebacks), 10 (a case holds one archive; gone
files), 11 (every problem in the CSV, the README and a truthful summary), 13 (hash what is read again),
15 (no terminal escapes), 16 (case errors that say what is wrong), 21 (README names and line ends; the
summary's time; the progress line's newline), and Message values kept by the case file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.archive_fixtures import tree_digest, wav_bytes, write_zip
from voicearchive.case import store as store_module
from voicearchive.case.store import CaseError, CaseStore
from voicearchive.cli import main
from voicearchive.messages import Message, render
from voicearchive.model import CaseItem, Label, Problem, Recording, VoiceResult

ROOT = Path(__file__).resolve().parent.parent


def evidence(root: Path, good: int = 3, bad: dict[str, bytes] | None = None) -> Path:
    """A folder of ``good`` short WAVs (distinct pitches) and ``bad`` files that only pretend to be audio."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(good):
        (root / f"clip-{i}.wav").write_bytes(wav_bytes(0.3, 200.0 + 60 * i))
    for name, data in (bad or {}).items():
        (root / name).write_bytes(data)
    return root


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_bytes().decode("utf-8-sig").splitlines()))


def scan(*args: str) -> int:
    return main(["scan", *args, "--no-voices", "-q"])


# ------------------------------------------------------------------------------------------ item 3
def test_an_evidence_file_never_becomes_a_case_file(tmp_path, capsys):
    ev = evidence(tmp_path / "ev")
    (ev / "notes.db").write_bytes(b"")
    before = tree_digest(ev)
    for case in (ev / "notes.db", ev / "case.vacase", ev / "sub" / ".." / "x.vacase"):
        assert scan(str(ev), "--case", str(case)) == 2
        err = capsys.readouterr().err
        assert "inside the evidence" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    # a link outside that points into the evidence is refused as well
    (tmp_path / "link.vacase").symlink_to(ev / "notes.db")
    assert scan(str(ev), "--case", str(tmp_path / "link.vacase")) == 2
    assert "inside the evidence" in capsys.readouterr().err
    assert tree_digest(ev) == before and (ev / "notes.db").stat().st_size == 0


def test_screenshot_and_case_of_the_window_are_checked_before_it_opens(tmp_path, capsys):
    ev = evidence(tmp_path / "ev", good=1)
    before = tree_digest(ev)
    assert main(["open", str(ev), "--screenshot", str(ev / "shot.png")]) == 2
    assert "screenshot" in capsys.readouterr().err
    assert main(["open", str(ev), "--case", str(ev / "c.vacase")]) == 2
    assert "case file" in capsys.readouterr().err
    assert tree_digest(ev) == before


def test_one_check_for_every_written_path(tmp_path):
    from voicearchive.case.paths import InsideEvidenceError, check_case_path, check_outside_evidence

    ev = evidence(tmp_path / "ev", good=1)
    zipped = write_zip(tmp_path / "leak.zip", {"a.wav": wav_bytes()})
    with pytest.raises(InsideEvidenceError, match="inside the evidence"):
        check_outside_evidence(zipped, [zipped], "case.what.export")  # the opened zip itself
    with pytest.raises(InsideEvidenceError, match="the model"):
        check_outside_evidence(ev / "models" / "m.onnx", [ev], "case.what.model")
    assert check_outside_evidence(tmp_path / "beside.csv", [ev, zipped]) == tmp_path / "beside.csv"
    # the journal files SQLite keeps beside a case file count too
    (tmp_path / "c.vacase-wal").symlink_to(ev / "clip-0.wav")
    with pytest.raises(InsideEvidenceError):
        check_case_path(tmp_path / "c.vacase", [ev])
    with pytest.raises(CaseError, match="inside the evidence"):
        CaseStore(ev / "x.vacase", evidence_roots=[ev])
    assert not (ev / "x.vacase").exists()


# ------------------------------------------------------------------------------------------ item 8 / 16
def _case_with_rows(tmp_path: Path) -> tuple[Path, Path]:
    ev = evidence(tmp_path / "ev", good=3)
    case = tmp_path / "c.vacase"
    assert scan(str(ev), "--case", str(case)) == 0
    with CaseStore(case) as store:  # enough pages that damage and truncation hit data
        store.set("padding", ["x" * 200] * 400)
    return ev, case


def test_a_damaged_case_is_a_message_not_a_traceback(tmp_path, capsys):
    ev, case = _case_with_rows(tmp_path)
    capsys.readouterr()
    data = bytearray(case.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for start in range(2 * page, len(data), page):  # every page but the first two: corrupt
        data[start : start + page] = b"\xa5" * page
    case.write_bytes(bytes(data))
    assert scan(str(ev), "--case", str(case)) == 2
    err = capsys.readouterr().err
    assert "is damaged (" in err and "Traceback" not in err


def test_a_truncated_case_is_called_truncated(tmp_path, capsys):
    ev, case = _case_with_rows(tmp_path)
    capsys.readouterr()
    data = case.read_bytes()
    case.write_bytes(data[: len(data) // 3])
    before = hashlib.sha256(case.read_bytes()).hexdigest()
    assert scan(str(ev), "--case", str(case)) == 2
    err = capsys.readouterr().err
    assert "is truncated: it has" in err and "not a VoiceArchive case file" not in err
    assert hashlib.sha256(case.read_bytes()).hexdigest() == before


def test_not_a_case_file_says_so(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my notes, not a database" * 10)
    with pytest.raises(CaseError, match="not an SQLite database") as info:
        CaseStore(path)
    assert info.value.message.code == "case.not_sqlite"


def _deny(monkeypatch, denied: Path) -> None:
    """As root every file is writable: make ``denied`` look read-only the way a user would meet it."""
    real = os.access

    def access(path, mode, *args, **kwargs):
        if Path(path) == denied and mode & os.W_OK:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(store_module.os, "access", access)


def test_a_read_only_case_file_is_named_read_only(tmp_path, capsys, monkeypatch):
    ev, case = _case_with_rows(tmp_path)
    capsys.readouterr()
    _deny(monkeypatch, case)
    assert scan(str(ev), "--case", str(case)) == 2
    err = capsys.readouterr().err
    assert "(it is read-only:" in err and "Traceback" not in err and "not a VoiceArchive" not in err
    # met later (a disk remounted read-only): the same message, from SQLite's own error
    from voicearchive.case.store import describe_error

    msg = describe_error(case, sqlite3.OperationalError("attempt to write a readonly database"))
    assert msg.code == "case.read_only"


def test_a_case_in_a_read_only_folder_says_it_is_the_folder(tmp_path, capsys, monkeypatch):
    ev, case = _case_with_rows(tmp_path)
    for leftover in (Path(f"{case}-wal"), Path(f"{case}-shm")):
        leftover.unlink(missing_ok=True)
    capsys.readouterr()
    _deny(monkeypatch, case.parent)
    assert scan(str(ev), "--case", str(case)) == 2
    err = capsys.readouterr().err
    assert "its folder" in err and "cannot be written" in err and "not a VoiceArchive" not in err


class _ClosedPipe(io.TextIOBase):
    """A stdout whose reader went away (``| head -1``)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return False


def test_a_closed_stdout_ends_quietly_and_the_csv_is_written_first(tmp_path, monkeypatch):
    ev = evidence(tmp_path / "ev", good=2)
    out = tmp_path / "o.csv"
    sink = os.open(tmp_path / "sink", os.O_WRONLY | os.O_CREAT)
    monkeypatch.setattr(sys, "stdout", _ClosedPipe(sink))
    assert scan(str(ev), "--case", str(tmp_path / "c.vacase"), "--csv", str(out)) == 0
    os.close(sink)
    assert len(rows_of(out)) == 2


def test_scan_piped_into_head_leaves_no_traceback(tmp_path):
    ev = evidence(tmp_path / "ev", good=2)
    out = tmp_path / "o.csv"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write meets a closed pipe
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "voicearchive", "scan", str(ev), "--case", str(tmp_path / "c.vacase"),
         "--csv", str(out), "--no-voices", "-q"],
        stdout=write_end, stderr=subprocess.PIPE, text=True, env=env, timeout=120,
    )
    os.close(write_end)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert done.returncode == 0 and len(rows_of(out)) == 2


# ------------------------------------------------------------------------------------------ item 10
def test_a_case_holds_one_archive(tmp_path, capsys):
    first, second = evidence(tmp_path / "one", good=2), evidence(tmp_path / "two", good=3)
    case = tmp_path / "c.vacase"
    assert scan(str(first), "--case", str(case)) == 0
    capsys.readouterr()
    out = tmp_path / "o.csv"
    assert scan(str(second), "--case", str(case), "--csv", str(out)) == 2
    err = capsys.readouterr().err
    assert "belongs to another archive (" in err and str(first) in err
    assert not out.exists()
    with CaseStore(case) as store:
        assert {Path(r.archive) for r in store.recordings()} == {first}


def test_files_gone_since_the_last_scan_are_marked_gone(tmp_path, capsys):
    ev = evidence(tmp_path / "ev", good=3)
    case, out = tmp_path / "c.vacase", tmp_path / "o.csv"
    assert scan(str(ev), "--case", str(case)) == 0
    (ev / "clip-1.wav").unlink()
    capsys.readouterr()
    assert scan(str(ev), "--case", str(case), "--csv", str(out)) == 0
    printed = capsys.readouterr().out
    assert "with audio: 2" in printed and "gone since the last scan: 1" in printed
    rows = {r["member_path"]: r for r in rows_of(out)}
    assert "no longer in the archive" in rows["clip-1.wav"]["problem"]
    assert not rows["clip-0.wav"]["problem"]
    # back again: present again
    (ev / "clip-1.wav").write_bytes(wav_bytes(0.3, 260.0))
    assert scan(str(ev), "--case", str(case), "--csv", str(out)) == 0
    assert not {r["member_path"]: r for r in rows_of(out)}["clip-1.wav"]["problem"]


# ------------------------------------------------------------------------------------------ item 11
def test_every_unreadable_file_is_a_csv_row_and_the_summary_tells_the_truth(tmp_path, capsys):
    entries = {f"note-{i:02d}.wav": f"just some text {i}\n".encode() for i in range(12)}
    entries["good.wav"] = wav_bytes(0.3)
    leak = write_zip(tmp_path / "leak.zip", entries)
    out = tmp_path / "o.csv"
    assert scan(str(leak), "--case", str(tmp_path / "c.vacase"), "--csv", str(out)) == 0
    printed = capsys.readouterr().out
    rows = rows_of(out)
    assert len(rows) == 13
    bad = [r for r in rows if r["member_path"].startswith("note-")]
    assert len(bad) == 12 and all(r["problem"] for r in bad)
    assert "problems: 12" in printed
    assert f"every problem is a row of {out}" in printed
    assert "(the CSV's problem column has them all)" not in printed
    # without a CSV the summary says where to find them instead
    assert scan(str(leak), "--case", str(tmp_path / "c.vacase")) == 0
    assert "run with --csv FILE" in capsys.readouterr().out


def test_the_evidence_readme_lists_every_problem(tmp_path):
    from voicearchive.export import write_evidence_zip

    audio = wav_bytes(0.3)
    rec = Recording("k1", str(tmp_path), "a.wav", "audio-folder", sha256=hashlib.sha256(audio).hexdigest())
    items = [CaseItem(rec, Label("k1", flag=True))]
    problems = [Problem(str(tmp_path), f"bad-{i}.wav", Message.of("text", text="not audio")) for i in range(3)]
    report = write_evidence_zip(items, tmp_path / "out.zip", lambda r: io.BytesIO(audio), problems=problems)
    with zipfile.ZipFile(report.path) as zf:
        readme = zf.read("README.txt").decode()
        table = rows_of_bytes(zf.read("recordings.csv"))
    assert "Problems" in readme and all(f"bad-{i}.wav: not audio" in readme for i in range(3))
    assert sum(1 for r in table if r["problem"] == "not audio") == 3


def rows_of_bytes(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(data.decode("utf-8-sig").splitlines()))


# ------------------------------------------------------------------------------------------ item 13
def test_bytes_read_again_are_hashed_and_a_change_is_said(tmp_path):
    from voicearchive.archive.verify import ContentChanged
    from voicearchive.pipeline import Pipeline

    ev = evidence(tmp_path / "ev", good=2)
    target = ev / "clip-0.wav"
    with CaseStore(tmp_path / "c.vacase") as store, Pipeline([str(ev)], store) as pipeline:
        pipeline.import_archive()
        rec = next(r for r in store.recordings() if r.member_path == "clip-0.wav")
        assert pipeline.read_audio(rec) == target.read_bytes()
        st = target.stat()
        changed = bytearray(target.read_bytes())
        changed[-100:] = bytes(100)  # same size, different samples, and the old mtime put back
        target.write_bytes(bytes(changed))
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        with pytest.raises(ContentChanged) as info:
            pipeline.read_audio(rec)
        assert info.value.then == rec.sha256 and info.value.now == hashlib.sha256(changed).hexdigest()
        assert "changed" in str(info.value)
    # a re-scan does not keep the stale hash (the cache knows the file was rewritten)
    with CaseStore(tmp_path / "c.vacase") as store, Pipeline([str(ev)], store) as pipeline:
        pipeline.import_archive()
        rec = next(r for r in store.recordings() if r.member_path == "clip-0.wav")
        assert rec.sha256 == hashlib.sha256(changed).hexdigest()


def test_a_member_changed_after_listing_is_named_and_not_analysed(tmp_path, monkeypatch):
    from voicearchive.messages import render
    from voicearchive.pipeline import Pipeline

    ev = evidence(tmp_path / "ev", good=2)
    target = ev / "clip-0.wav"
    hashed = []
    real_sha256 = hashlib.sha256
    with CaseStore(tmp_path / "c.vacase") as store, Pipeline([str(ev)], store, workers=1) as pipeline:
        pipeline.import_archive()
        st = target.stat()
        changed = bytearray(target.read_bytes())
        changed[-100:] = bytes(100)  # same size, different samples, and the old mtime put back
        target.write_bytes(bytes(changed))
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        monkeypatch.setattr(hashlib, "sha256", lambda data=b"": hashed.append(len(data)) or real_sha256(data))
        pipeline.analyse()
        monkeypatch.setattr(hashlib, "sha256", real_sha256)
        rows = {Path(i.rec.member_path).name: i for i in store.items()}
    problem = rows["clip-0.wav"].rec.problem
    assert render(problem, "en").startswith("the file changed since it was listed")  # said as what it is
    assert rows["clip-0.wav"].voice is None and rows["clip-1.wav"].voice is not None  # the rest goes on
    assert hashed.count(len(changed)) == 2  # each member's bytes hashed once as they are read again, not twice


# ------------------------------------------------------------------------------------------ item 15
def test_member_names_cannot_drive_the_terminal(tmp_path, capsys):
    name = "bad\x1b]0;TITLE\x07\x1b[2J\x1b[1;1HFAKE: problems: 0.wav"
    ev = evidence(tmp_path / "ev", good=1, bad={name: b"not audio at all", "evil\u202eVAW.wav": b"also text"})
    assert scan(str(ev), "--case", str(tmp_path / "c.vacase")) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed
    assert "bad\\x1b]0;TITLE\\x07\\x1b[2J" in printed and "evil\\u202eVAW.wav" in printed
    assert not any(line.startswith("FAKE") for line in printed.splitlines())


# ------------------------------------------------------------------------------------------ item 21
def test_readme_escapes_names_and_uses_one_line_ending(tmp_path):
    from voicearchive.export import write_evidence_zip

    audio = wav_bytes(0.3)
    name = "x\nFAKE LINE\x1b[2J\u202eevil.wav"
    rec = Recording("k", str(tmp_path), name, "audio-folder", sha256="0" * 64,
                    recorded_at=datetime(2020, 1, 1, tzinfo=timezone.utc))
    report = write_evidence_zip([CaseItem(rec, Label("k", flag=True))], tmp_path / "e.zip",
                                lambda r: io.BytesIO(audio))
    assert report.mismatches  # the hash differs: named in the README, escaped too
    with zipfile.ZipFile(report.path) as zf:
        raw = zf.read("README.txt")
    text = raw.decode("utf-8")
    assert "\x1b" not in text and "\u202e" not in text
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"\r\r" not in raw
    assert not any(line.startswith("FAKE LINE") for line in text.split("\r\n"))
    assert "x\\nFAKE LINE\\x1b[2J\\u202eevil.wav" in text


def test_the_summary_time_is_not_audio_length_and_progress_ends_its_line(tmp_path, capsys, monkeypatch):
    from voicearchive.cli import _ProgressPrinter
    from voicearchive.pipeline import Progress

    ev = evidence(tmp_path / "ev", good=1)
    assert scan(str(ev), "--case", str(tmp_path / "c.vacase")) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "(listed in " in first and "recordings (0.0 s)" not in first and "recording (0.0 s)" not in first

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for tty in (True, False):
        err = Tty() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        show = _ProgressPrinter(quiet=False)
        show(Progress("reading", 1, 2, None, "Read 1 items"))
        show(Progress("done", 2, 2, 0.0, "Analysis complete"))
        show.finish()
        assert err.getvalue().endswith("\n") and "Analysis complete" in err.getvalue()


# ------------------------------------------------------------------------------------------ messages
def test_the_case_file_keeps_messages_and_export_renders_them(tmp_path):
    from voicearchive.export import write_csv

    problem = Message.of("case.changed", now="a" * 64, then="b" * 64)
    reason = Message.of("case.gone")
    rec = Recording("k", "arch", "a.wav", "audio-folder", problem=problem)
    with CaseStore(tmp_path / "c.vacase") as store:
        store.put_recordings([rec, Recording("old", "arch", "b.wav", "audio-folder", problem="plain old text")])
        store.put_voice_results([VoiceResult("k", flagged=True, flag_reason=reason)], [], {})
        store.put_problems([Problem("arch", "c.wav", Message.of("export.problem_row", reason="x")),
                            Problem("arch", "d.wav", "legacy words")])
        items = {i.rec.key: i for i in store.items()}
        problems = store.problems()
    assert items["k"].rec.problem == problem and items["k"].voice.flag_reason == reason
    assert items["old"].rec.problem == "plain old text"  # a legacy string is kept as it was
    assert problems[0].message == Message.of("export.problem_row", reason="x")
    assert render(problems[1].message) == "legacy words"
    for lang, word in (("en", "the file changed"), ("de", "Datei hat sich verändert")):
        out = tmp_path / f"{lang}.csv"
        write_csv(items.values(), out, problems=problems, lang=lang)
        rows = rows_of(out)
        assert any(word in r["problem"] for r in rows)
        assert any(r["member_path"] == "c.wav" and r["problem"] for r in rows)


def test_a_forgotten_takeout_part_may_join_its_case(tmp_path, capsys):
    part1 = write_zip(tmp_path / "takeout-001.zip", {"a.wav": wav_bytes(0.3, 200)})
    part2 = write_zip(tmp_path / "takeout-002.zip", {"b.wav": wav_bytes(0.3, 300)})
    case = tmp_path / "c.vacase"
    assert scan(str(part1), "--case", str(case)) == 0
    assert scan(str(part1), str(part2), "--case", str(case)) == 0  # the same archive, completed
    assert scan(str(part2), "--case", str(case)) == 2  # a part alone is not the archive the case holds
    assert "belongs to another archive (" in capsys.readouterr().err


def test_the_default_case_folder_inside_the_evidence_is_refused_before_it_is_made(tmp_path, capsys, monkeypatch):
    home = evidence(tmp_path / "home", good=1)  # the user opened the folder that holds their data folder
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    before = tree_digest(home)
    assert scan(str(home)) == 2
    assert "inside the evidence" in capsys.readouterr().err
    assert tree_digest(home) == before and not (home / ".local").exists()


def test_a_streamed_read_is_checked_at_its_end(tmp_path):
    from voicearchive.archive.source import Tree
    from voicearchive.archive.verify import ContentChanged, open_verified

    ev = evidence(tmp_path / "ev", good=1)
    data = (ev / "clip-0.wav").read_bytes()
    with Tree.open([str(ev)]) as tree:
        member = tree.member(str(ev), "clip-0.wav")
        with open_verified(tree, member, hashlib.sha256(data).hexdigest()) as stream:
            assert b"".join(iter(lambda: stream.read(1000), b"")) == data
        with pytest.raises(ContentChanged, match="changed"):
            with open_verified(tree, member, "0" * 64) as stream:
                while stream.read(1000):
                    pass


def test_an_audio_note_survives_the_case_file_and_reaches_the_csv(tmp_path):
    from voicearchive.export import write_csv
    from voicearchive.model import AudioFacts

    note = Message.of("text", text="truncated: the last page is missing")
    facts = AudioFacts("ogg/vorbis", 16000, 1, 1.5, note)
    rec = Recording("k", "arch", "a.ogg", "audio-folder", sha256="s" * 64, audio=facts)
    with CaseStore(tmp_path / "c.vacase") as store:
        store.put_recordings([rec])
        store.cache_members([("arch", "a.ogg", "fp", "s" * 64, 10, facts, "")])
        (item,) = store.items()
        cached = store.cached_members([("arch", "a.ogg", "fp")])[("arch", "a.ogg")]
    assert item.rec.audio.note == note and cached.audio.note == note and item.rec.has_audio
    out = tmp_path / "o.csv"
    write_csv([item], out)
    assert rows_of(out)[0]["problem"] == "truncated: the last page is missing"
