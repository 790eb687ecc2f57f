"""The last English-only lines of a German run: the interrupt, the --cluster refusals, a bad --owner-sample,
--asr-model, the note, the progress line, and a voice analysis that fails (stages.compute_voice)."""

from __future__ import annotations

import io
import re
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from tests.archive_fixtures import wav_bytes, write
from voicearchive import cli
from voicearchive.cli import main
from voicearchive.messages import Message, render

# Words of the English texts these paths printed before; none may be left in a German line.
ENGLISH = {"interrupted", "kept", "such", "file", "not", "cannot", "needs", "missing", "plain", "would", "send",
           "found", "speech", "this", "sample", "too", "short", "failed", "about", "left", "done", "Note:",
           "analysis", "voice", "the", "is", "no", "unknown", "answer", "client", "reading", "listing"}


def english_words(text: str, *paths) -> set[str]:
    for path in sorted((str(p) for p in paths), key=len, reverse=True):
        text = text.replace(path, "")
    return ENGLISH & set(re.split(r"[\s(),;]+", text))


@pytest.fixture()
def archive(tmp_path):
    folder = tmp_path / "ev"
    write(folder / "a.wav", wav_bytes(0.3))
    return folder


def test_an_interrupted_scan_says_so_in_german(tmp_path, capsys, monkeypatch, archive) -> None:
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "scan", interrupted)
    for argv, env in ((["--language", "de"], "C"), ([], "de_DE.UTF-8")):
        monkeypatch.setenv("VOICEARCHIVE_LANGUAGE", "")
        monkeypatch.setenv("LANG", env)
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LANGUAGE", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
        assert main(["scan", str(archive), "--case", str(tmp_path / "c.vacase"), *argv]) == cli.EXIT_INTERRUPTED
        err = capsys.readouterr().err
        assert "abgebrochen" in err and "Falldatei" in err and not english_words(err), err
    monkeypatch.setenv("LANG", "C")
    main(["scan", str(archive), "--case", str(tmp_path / "c.vacase")])
    assert "interrupted; what was done is kept in the case file" in capsys.readouterr().err


def test_the_cluster_refusals_read_in_german(tmp_path, capsys, archive) -> None:
    base = ["scan", str(archive), "--case", str(tmp_path / "c.vacase"), "--language", "de", "-q"]
    cases = [
        (["--cluster", "nonsense"], "keine Cluster-Adresse"),
        (["--cluster", "tcp://10.1.2.3:8786"], "unverschlüsseltes tcp://"),
        (["--cluster", "tls://10.1.2.3:8786"], "tls:// braucht --tls-ca-file"),
        (["--cluster", "tls://10.1.2.3:8786", "--tls-ca-file", str(tmp_path / "ca.pem"), "--tls-cert",
          str(tmp_path / "c.pem"), "--tls-key", str(tmp_path / "k.pem")], "--tls-ca-file"),
    ]
    for extra, german in cases:
        assert main(base + extra) == cli.EXIT_USAGE
        err = capsys.readouterr().err
        assert err.startswith("voicearchive: --cluster: ") and german in err, err
        assert not english_words(err, tmp_path), err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "keine solche Datei" in render(cli.check_cluster_args(SimpleNamespace(
        cluster="tls://10.1.2.3:8786", insecure_cluster=False, tls_ca_file=str(tmp_path / "ca.pem"),
        tls_cert=None, tls_key=None)), "de")


def test_a_bad_owner_sample_is_refused_in_german(tmp_path, capsys, archive) -> None:
    import soundfile as sf

    not_audio = write(tmp_path / "notes.wav", b"hello")
    silence = tmp_path / "quiet.wav"
    sf.write(silence, np.zeros(32000, np.float32), 16000)
    cases = [(not_audio, "zu kurz"), (silence, "keine Sprache gefunden"), (tmp_path / "absent.wav", "keine solche")]
    for sample, german in cases:
        argv = ["scan", str(archive), "--case", str(tmp_path / "c.vacase"), "--language", "de", "-q",
                "--owner-sample", str(sample)]
        assert main(argv) == cli.EXIT_USAGE
        err = capsys.readouterr().err
        assert err.startswith(f"voicearchive: --owner-sample {sample}: ") and german in err, err
        assert not english_words(err, tmp_path), err


def test_asr_model_refusal_and_the_note_read_in_german(tmp_path, capsys, monkeypatch, archive) -> None:
    class Pipeline:
        def transcribe(self, model=None, language=None):
            return Message.of("transcripts.asr_no_model")

    monkeypatch.setattr(cli, "_language", "de")
    monkeypatch.setenv("VOICEARCHIVE_ASR_MODELS", str(tmp_path / "models"))
    args = SimpleNamespace(asr_model=str(tmp_path / "no-model"), asr_language=None, quiet=False,
                           paths=[str(archive)])
    cli._transcribe(Pipeline(), None, args)
    err = capsys.readouterr().err
    assert err.startswith("voicearchive: --asr-model: ") and not english_words(err, tmp_path), err
    cli._transcribe(Pipeline(), None, SimpleNamespace(asr_model=None, asr_language=None, quiet=False,
                                                      paths=[str(archive)]))
    err = capsys.readouterr().err
    assert err.startswith("Hinweis: " + render(Message.of("transcripts.asr_no_model"), "de")), err


def test_the_progress_line_is_in_the_runs_language(monkeypatch) -> None:
    from voicearchive.pipeline import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    show = cli._ProgressPrinter(quiet=False, lang="de")
    show(Progress("reading", 1200, 3400, 42.0, Message.of("pipeline.read", n=1200)))
    show.last = 0.0
    show(Progress("done", 3400, 3400, 0.0, Message.of("pipeline.complete")))
    show.finish()
    text = err.getvalue()
    assert "1.200/3.400" in text and "noch etwa 42 s" in text and "fertig" in text, text
    assert "Analyse abgeschlossen" in text and not english_words(text), text


def test_a_failed_voice_analysis_is_a_message(monkeypatch) -> None:
    from voicearchive.stages import Decoded, Failed, compute_voice
    from voicearchive.voices import features
    from voicearchive.voices.weights import WeightsError

    bad = Decoded("s", np.full(16000, np.nan, np.float32), 16000, 1.0)
    (out,) = compute_voice([bad])
    assert isinstance(out, Failed) and isinstance(out.reason, Message)
    assert render(out.reason, "en") == "voice analysis failed: the decoded audio contains NaN or infinite samples"
    german = render(out.reason, "de")
    assert german.startswith("Stimmanalyse fehlgeschlagen: ") and not english_words(german), german

    def broken(prepared):
        raise WeightsError(Message.of("voices.model.altered", path="/m.npz", digest="a" * 8, expected="b" * 8))
        yield  # pragma: no cover

    monkeypatch.setattr(features, "embed_stream", broken)
    good = Decoded("t", np.zeros(16000, np.float32), 16000, 1.0)
    (out,) = compute_voice([good])
    assert isinstance(out, Failed) and render(out.reason, "de").startswith("Das Sprechermodell /m.npz ist beschädigt")


def test_a_lost_cluster_says_why_in_german() -> None:
    from voicearchive.cluster import DaskExecutor
    from voicearchive.executors import ExecutorLost

    executor = DaskExecutor.__new__(DaskExecutor)
    executor.client, executor._lost_since = SimpleNamespace(status="closed"), None
    with pytest.raises(ExecutorLost) as caught:
        executor.check()
    german = render(caught.value.message, "de")
    assert "der Client ist closed" in german and not {"client"} & set(german.split()), german


def test_a_worker_of_another_version_is_named_in_german() -> None:
    from voicearchive import jobs

    mismatch = jobs.VersionMismatch({"voicearchive": "0.9", "voice": "v1"}, {"voicearchive": "1.0", "voice": "v2"})
    assert str(mismatch) == "voicearchive: worker 0.9, here 1.0; voice: worker v1, here v2"
    german = render(Message.of("pipeline.worker_version", detail=mismatch.message), "de")
    assert "voicearchive: Worker 0.9, hier 1.0; voice: Worker v1, hier v2" in german, german
    assert not {"here", "worker"} & set(re.split(r"[\s(),;]+", german)), german


def test_opens_refusals_follow_the_systems_language(tmp_path, capsys, monkeypatch) -> None:
    """``open`` has no --language: its refusals rendered in English whatever LANG said."""
    monkeypatch.setenv("VOICEARCHIVE_LANGUAGE", "de")
    assert main(["open", str(tmp_path / "absent")]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "keine solche Datei und kein solcher Ordner" in err and not english_words(err, tmp_path), err


def test_a_read_only_or_locked_case_file_is_refused_in_german(tmp_path, capsys, monkeypatch, archive) -> None:
    import sqlite3

    from voicearchive.case import store as case_store

    case = tmp_path / "c.vacase"
    assert main(["scan", str(archive), "--case", str(case), "--no-voices", "-q"]) == 0
    capsys.readouterr()
    real = case_store.os.access
    monkeypatch.setattr(case_store.os, "access", lambda p, mode: False if str(p) == str(case) else real(p, mode))
    assert main(["scan", str(archive), "--case", str(case), "--no-voices", "-q", "--language", "de"]) == 2
    err = capsys.readouterr().err
    assert "schreibgeschützt: keine Berechtigung, sie zu schreiben" in err and not english_words(err, tmp_path), err
    locked = case_store.describe_error(case, sqlite3.OperationalError("database is locked"))
    assert render(locked, "de").startswith(f"Die Falldatei {case} ist belegt oder kann nicht geschrieben werden")


def test_the_systems_errors_read_in_german_where_they_reach_a_scan(tmp_path) -> None:
    import errno

    from voicearchive.runner import _read_reason

    denied = PermissionError(errno.EACCES, "Permission denied", "/x/a.wav")
    german = render(Message.of("pipeline.unreadable", reason=_read_reason(denied)), "de")
    assert "Permission" not in german and "denied" not in german, german
