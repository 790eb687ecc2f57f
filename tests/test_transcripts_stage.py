"""Speech-to-text as the declared ``transcript`` stage: its own pass after the voice analysis, through the
one runner and the injected executor (in-process, local processes, a Dask LocalCluster), cached by
(content hash, engine), with the engine loaded once per process. A fake engine: no Whisper model loads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from voicearchive import jobs
from voicearchive.case.store import CaseStore
from voicearchive.pipeline import Cancelled, Pipeline
from voicearchive.transcripts import asr
from voicearchive.transcripts.rows import SOURCE_MACHINE, STATUS_FAILED, STATUS_NO_SPEECH, STATUS_WORDS

from . import asr_fixtures
from .asr_fixtures import fake_spec
from .cluster_fixtures import make_folder

@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("asr-stage") / "ev", noise=2)


def machine_rows(case: Path) -> dict[str, tuple]:
    with CaseStore(case) as store:
        items = store.items()
        rows = {t.subject: t for t in store.transcripts(source=SOURCE_MACHINE)}
        return {i.rec.member_path: (rows[f"sha256:{i.rec.sha256}"].status, rows[f"sha256:{i.rec.sha256}"].text)
                for i in items if f"sha256:{i.rec.sha256}" in rows}


def scan_and_transcribe(folder: Path, case: Path, spec, calls=None, **kwargs) -> Pipeline:
    with CaseStore(case) as store:
        with Pipeline([folder], store, **kwargs) as p:
            p.import_archive()
            p.analyse()
            assert p.transcribe(spec=spec) is None
    return p


def test_the_transcript_stage_runs_through_the_runner_in_its_own_pass(folder, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("VOICEARCHIVE_ASR", raising=False)
    calls: list[tuple] = []
    real = jobs.run_job
    monkeypatch.setattr(jobs, "run_job", lambda job: calls.append((job.stages, job.params)) or real(job))
    asr._engine.cache_clear()
    asr_fixtures.LOADS.clear()
    progress = []
    case = tmp_path / "a.vacase"
    p = scan_and_transcribe(folder, case, fake_spec(), on_progress=progress.append)
    voice_jobs = [s for s, _ in calls if "transcript" not in s]
    asr_jobs = [(s, params) for s, params in calls if "transcript" in s]
    assert voice_jobs and all("voice" in s for s in voice_jobs)  # never fused into a voice job
    assert asr_jobs and all(s == ("transcript",) for s, _ in asr_jobs)
    assert all(params["transcript"]["spec"] == fake_spec() for _, params in asr_jobs)  # model + language
    assert asr_fixtures.LOADS == [asr_fixtures.LOADS[0]]  # loaded once in this process
    rows = machine_rows(case)
    assert "notes.wav" not in rows  # not audio: not wanted
    golden = [k for k in rows if k.endswith(".flac")]
    assert len(golden) == 5 and all(rows[k][0] == STATUS_WORDS and rows[k][1].startswith("heard") for k in golden)
    assert all(status in (STATUS_WORDS, STATUS_NO_SPEECH) for status, _ in rows.values())
    assert p.last_transcribe_run.recordings == len(rows) == 7
    stages = [x.stage for x in progress]
    assert "transcribing" in stages and stages.index("transcribing") > stages.index("voices")
    last = [x for x in progress if x.stage == "transcribing"][-1]
    assert last.done == last.total == 7 and last.message.code == "transcripts.asr_progress"
    # Cached by (content hash, engine): a second run computes nothing; another engine computes again.
    calls.clear()
    p = scan_and_transcribe(folder, case, fake_spec())
    assert calls == [] and p.last_transcribe_run.recordings == 0
    p = scan_and_transcribe(folder, case, fake_spec("other"))
    assert [s for s, _ in calls] and p.last_transcribe_run.recordings == 7


def test_recordings_with_words_of_their_own_are_not_transcribed(tmp_path, monkeypatch) -> None:
    import hashlib

    from voicearchive.model import Recording

    monkeypatch.delenv("VOICEARCHIVE_ASR", raising=False)
    from voicearchive import stages

    (stage,) = stages.of_phase(stages.TRANSCRIBE)

    def rec(transcript: str) -> Recording:
        return Recording(key="k", archive="/a", member_path="a.wav", source_format="audio-folder",
                         sha256=hashlib.sha256(b"x").hexdigest(), size=1, transcript=transcript)

    assert stage.wanted(rec("")) and stage.wanted(rec("Text nicht verfügbar – Audio war nicht für Alexa bestimmt"))
    assert not stage.wanted(rec("alexa wie wird das wetter in leipzig"))
    assert not stage.wanted(Recording(key="k", archive="/a", member_path="", source_format="x"))


def test_cancel_stops_the_transcript_pass_and_keeps_what_was_done(folder, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("VOICEARCHIVE_ASR", raising=False)
    monkeypatch.setattr(asr, "JOB_BYTES", 1)  # one recording a job
    cancel = threading.Event()
    case = tmp_path / "c.vacase"
    with CaseStore(case) as store:
        with Pipeline([folder], store, cancel=cancel) as p:
            p.import_archive()
            p.analyse()
            real = jobs.run_job

            def run_then_cancel(job):
                out = real(job)
                cancel.set()  # the user presses Stop while the first job runs
                return out

            monkeypatch.setattr(jobs, "run_job", run_then_cancel)
            with pytest.raises(Cancelled):
                p.transcribe(spec=fake_spec())
    assert len(machine_rows(case)) == 1  # the first job's words are kept, nothing after it ran


def test_an_engine_that_cannot_load_is_said_and_not_cached(folder, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("VOICEARCHIVE_ASR", raising=False)
    spec = asr.EngineSpec(asr.AsrModel("gone", Path("/nonexistent-model"), "0" * 64, True), "de")
    case = tmp_path / "d.vacase"
    with CaseStore(case) as store:
        with Pipeline([folder], store) as p:
            p.import_archive()
            why = p.transcribe(spec=spec)
    assert why is not None and why.code == "transcripts.asr_engine_failed"
    assert machine_rows(case) == {}  # a later run with the model may succeed


def test_a_failed_recording_is_kept_as_failed_without_marking_the_recording(tmp_path) -> None:
    from voicearchive.stages import Failed

    with CaseStore(tmp_path / "e.vacase") as store:
        asr.save(store, [("ab" * 32, Failed("boom"))], fake_spec())
        (row,) = store.transcripts(source=SOURCE_MACHINE)
        assert row.status == STATUS_FAILED and row.text == "boom" and row.engine == fake_spec().engine
        assert asr.done(store, ["ab" * 32, "cd" * 32], fake_spec()) == {"ab" * 32}


def test_a_local_cluster_runs_the_transcript_stage_with_the_results_of_a_local_run(folder, tmp_path,
                                                                                 monkeypatch) -> None:
    pytest.importorskip("distributed")
    from voicearchive import cluster

    monkeypatch.delenv("VOICEARCHIVE_ASR", raising=False)
    local = tmp_path / "local.vacase"
    scan_and_transcribe(folder, local, fake_spec())
    with cluster.connect("local:2") as executor:
        p = scan_and_transcribe(folder, tmp_path / "cluster.vacase", fake_spec(), executor=executor)
        loads = executor.client.run(lambda: __import__("tests.asr_fixtures").asr_fixtures.LOADS)
    assert p.last_transcribe_run.jobs >= 1 and p.last_transcribe_run.retries == 0
    assert machine_rows(tmp_path / "cluster.vacase") == machine_rows(local)
    assert all(len(v) <= 1 for v in loads.values()) and sum(len(v) for v in loads.values()) >= 1
