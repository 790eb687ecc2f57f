"""`voicearchive scan`: summary, CSV, exit codes, and a private case file."""

from __future__ import annotations

import csv
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from voicearchive import __version__
from voicearchive.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = [str(p) for p in sorted((ROOT / "resources" / "demo").glob("takeout-*.zip"))]
HEADER = ("archive,member_path,sha256,source_format,recorded_at,device,duration_s,transcript,assistant_response,"
          "not_for_assistant,vendor_speaker_hint,voice_group,owner_similarity,owner_score,flagged,flag_reason,note,problem,"
          "transcript_source,transcript_location,machine_transcript,machine_engine,machine_confidence")


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel opens it right
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    return list(csv.DictReader(text.splitlines()))


def test_scan_listing_only_writes_every_item_and_prints_a_summary(tmp_path, capsys) -> None:
    out = tmp_path / "out.csv"
    code = main(["scan", *DEMO, "--case", str(tmp_path / "c.vacase"), "--csv", str(out), "--no-voices", "-q"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "google-takeout" in printed and "36 recordings" in printed
    assert "with audio: 34" in printed and "listed without audio: 2" in printed
    rows = read_csv(out)
    assert len(rows) == 36
    with_audio = [r for r in rows if r["sha256"]]
    assert len(with_audio) == 34
    assert all(r["recorded_at"].endswith("Z") and r["source_format"] == "google-takeout" for r in rows)
    assert all(r["archive"].endswith(".zip") for r in with_audio)
    # one MP3 part is separate from the JSON's part: both parts appear as archives
    assert {Path(r["archive"]).name for r in with_audio} == {Path(p).name for p in DEMO}
    assert any(r["vendor_speaker_hint"] == "From unrecognized speaker" for r in rows)


def test_scan_with_voices_fills_the_voice_columns(tmp_path, capsys) -> None:
    out = tmp_path / "out.csv"
    code = main(["scan", *DEMO, "--case", str(tmp_path / "c.vacase"), "--csv", str(out), "--workers", "1", "-q"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Voices:" in printed and "Owner: Voice" in printed and "Flagged:" in printed
    assert "reliability:" in printed
    rows = [r for r in read_csv(out) if r["sha256"]]
    assert all(r["owner_similarity"] for r in rows)
    assert all(r["flagged"] in ("yes", "no") for r in rows)
    assert any(r["voice_group"] for r in rows)
    flagged_out = tmp_path / "flagged.csv"
    assert main(["scan", *DEMO, "--case", str(tmp_path / "c.vacase"), "--csv", str(flagged_out),
                 "--flagged-only", "-q"]) == 0
    flagged = read_csv(flagged_out)
    assert len(flagged) == sum(r["flagged"] == "yes" for r in read_csv(out))
    assert all(r["flagged"] == "yes" for r in flagged)


def test_case_file_is_private(tmp_path) -> None:
    case = tmp_path / "c.vacase"
    assert main(["scan", *DEMO, "--case", str(case), "--no-voices", "-q"]) == 0
    assert stat.S_IMODE(case.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "args, reason",
    [
        (["scan", "/nonexistent/archive.zip"], "no such file or folder"),
        (["scan", "NOTANARCHIVE"], "cannot read the archive"),
        (["scan", "DEMO", "--owner-sample", "/nonexistent.wav"], "no such file"),
    ],
)
def test_usage_errors_exit_2_with_a_one_line_reason(tmp_path, capsys, args, reason) -> None:
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"\x00" * 100)
    args = [str(bogus) if a == "NOTANARCHIVE" else DEMO[0] if a == "DEMO" else a for a in args]
    code = main([*args, "--case", str(tmp_path / "c.vacase"), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert reason in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_version_and_help_as_a_user_runs_them() -> None:
    version = subprocess.run([sys.executable, "-m", "voicearchive", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip() == f"VoiceArchive {__version__}"
    for cmd in ([], ["scan"], ["open"]):
        help_ = subprocess.run([sys.executable, "-m", "voicearchive", *cmd, "--help"], capture_output=True, text=True)
        assert help_.returncode == 0 and "usage: voicearchive" in help_.stdout


def test_csv_inside_the_evidence_is_refused_before_any_work(tmp_path, capsys) -> None:
    evidence = tmp_path / "leak"
    evidence.mkdir()
    (evidence / "a.wav").write_bytes(b"RIFF")
    before = sorted(p.name for p in evidence.iterdir())
    code = main(["scan", str(evidence), "--csv", str(evidence / "out.csv"), "--case", str(tmp_path / "c.vacase")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in evidence.iterdir()) == before
    assert not (tmp_path / "c.vacase").exists()


def test_a_file_that_is_not_a_case_file_is_refused(tmp_path, capsys) -> None:
    case = tmp_path / "notes.txt"
    case.write_text("my notes, not a database")
    code = main(["scan", *DEMO, "--case", str(case), "--no-voices", "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert case.read_text() == "my notes, not a database"


def test_owner_sample_enrols_the_owner_end_to_end(tmp_path, capsys) -> None:
    golden = ROOT / "tests" / "data" / "golden"
    out = tmp_path / "out.csv"
    # Speaker 3080 never speaks in the demo: the summary must say so plainly.
    code = main(["scan", *DEMO, "--case", str(tmp_path / "a.vacase"), "--owner-sample",
                 str(golden / "f3080_a.flac"), "--csv", str(out), "-q"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "enrolled from 1 sample" in printed and "No recording" in printed
    assert "Owner: enrolled from 1 sample; no voice of the archive matches." in printed
    rows = [r for r in read_csv(out) if r["sha256"]]
    assert sum(r["flagged"] == "yes" for r in rows) >= 30
    # Speaker 2609 is the demo's night-time stranger: enrolled as the owner, their recordings are not flagged.
    code = main(["scan", *DEMO, "--case", str(tmp_path / "b.vacase"), "--owner-sample",
                 str(golden / "m2609_a_48k.flac"), "--csv", str(out), "-q"])
    printed = capsys.readouterr().out
    assert code == 0 and "enrolled from 1 sample" in printed and "No recording" not in printed
    night = [r for r in read_csv(out) if r["sha256"] and r["recorded_at"][11:13] in ("00", "01", "02", "03")]
    assert len(night) == 5 and sum(r["flagged"] == "no" for r in night) >= 4


def test_the_summarys_groups_line_names_the_roles_in_the_summarys_language(capsys):
    """The groups line said "owner", "household", "stranger" in English whatever the language."""
    from types import SimpleNamespace

    from voicearchive.cli import print_summary

    groups = [{"id": 1, "name": "Voice A", "size": 12, "role": "owner"},
              {"id": 2, "name": "Voice B", "size": 5, "role": "household"},
              {"id": 3, "name": "Voice C", "size": 2, "role": "stranger"},
              {"id": 4, "name": "Voice D", "size": 3, "role": None}]
    store = SimpleNamespace(voice_groups=lambda: groups, voice_meta=lambda: {})
    summary = SimpleNamespace(problems=[], source_format="audio-folder", recordings=22, seconds=1.0, by_source={},
                              with_transcript=0, not_for_assistant=0)
    for lang, words in (("de", ("Besitzer", "Haushalt", "fremd")), ("en", ("owner", "household", "stranger"))):
        print_summary(summary, [], object(), store, lang=lang)
        line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(("Voices:", "Stimmen:")))
        assert f"(12, {words[0]})" in line and f"(5, {words[1]})" in line and f"(2, {words[2]})" in line, line
        assert "(3)" in line
        if lang == "de":
            assert not {"owner", "household", "stranger"} & set(line.replace(",", " ").replace(")", " ").split()), line
