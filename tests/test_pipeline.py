"""The engine behind the CLI and the GUI: import, caching by content hash, cancel, analysis, enrolment."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voicearchive import jobs
from voicearchive.archive.source import Tree
from voicearchive.case.store import CaseStore
from voicearchive.pipeline import Cancelled, Pipeline

ROOT = Path(__file__).resolve().parent.parent
DEMO = sorted((ROOT / "resources" / "demo").glob("takeout-*.zip"))
GOLDEN = ROOT / "tests" / "data" / "golden"


def tone_wav(path: Path, seconds: float = 1.0, freq: float = 220.0, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    buf = io.BytesIO()
    sf.write(buf, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), rate, format="WAV")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def import_into(paths, store, **kwargs):
    with Pipeline(paths, store, **kwargs) as pipeline:
        return pipeline.import_archive()


def closing(pipeline: Pipeline) -> Pipeline:
    """Close the pipeline's archive when the test ends."""
    _open_pipelines.append(pipeline)
    return pipeline


_open_pipelines: list[Pipeline] = []


@pytest.fixture(autouse=True)
def _close_pipelines():
    yield
    while _open_pipelines:
        _open_pipelines.pop().close()


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def leak(tmp_path: Path) -> Path:
    folder = tmp_path / "leak"
    for i in range(5):
        tone_wav(folder / f"clip{i}.wav", freq=200 + 40 * i)
    (folder / "broken.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")  # a truncated header
    (folder / "notes.txt").write_text("not audio")
    return folder


def test_import_hashes_every_audio_member_and_leaves_the_evidence_alone(leak: Path, tmp_path: Path) -> None:
    before = tree_digest(leak)
    with CaseStore(tmp_path / "case.vacase") as store:
        summary = import_into([leak], store)
        items = {Path(i.rec.member_path).name: i for i in store.items()}
    assert tree_digest(leak) == before  # nothing changed, nothing added
    assert summary.recordings == 6 and set(items) == {f"clip{i}.wav" for i in range(5)} | {"broken.wav"}
    for i in range(5):
        rec = items[f"clip{i}.wav"].rec
        assert rec.sha256 == hashlib.sha256((leak / f"clip{i}.wav").read_bytes()).hexdigest()
        assert rec.audio is not None and rec.audio.sample_rate == 16000
        assert abs(rec.audio.duration_s - 1.0) < 0.01
    assert items["broken.wav"].rec.problem  # a clear reason for that file; the others are fine
    assert not items["broken.wav"].rec.has_audio


def test_second_import_reads_no_audio_again(leak: Path, tmp_path: Path, monkeypatch) -> None:
    case = tmp_path / "case.vacase"
    with CaseStore(case) as store:
        import_into([leak], store)
    reads: list[str] = []
    original = Tree.read

    def counting_read(self, member, *args, **kwargs):
        reads.append(member.path)
        return original(self, member, *args, **kwargs)

    monkeypatch.setattr(Tree, "read", counting_read)
    with CaseStore(case) as store:
        summary = import_into([leak], store)
        assert summary.recordings == 6 and store.count() == 6
    assert reads == []
    # A changed file is read again, and only that one.
    tone_wav(leak / "clip0.wav", seconds=2.0)
    with CaseStore(case) as store:
        import_into([leak], store)
        rec = next(i.rec for i in store.items() if i.rec.member_path.endswith("clip0.wav"))
        assert abs(rec.audio.duration_s - 2.0) < 0.01
    assert [Path(p).name for p in reads] == ["clip0.wav"]


def test_cancel_stops_between_batches_and_keeps_what_was_done(leak: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    stages: list[str] = []

    def on_progress(p) -> None:
        stages.append(p.stage)
        cancel.set()  # cancel as soon as anything is reported

    with CaseStore(tmp_path / "case.vacase") as store:
        with pytest.raises(Cancelled):
            import_into([leak], store, on_progress=on_progress, cancel=cancel)
        assert stages == ["listing"]
        assert store.count() == 0


def test_progress_reports_changed_keys_and_an_eta_field(leak: Path, tmp_path: Path) -> None:
    seen = []
    with CaseStore(tmp_path / "case.vacase") as store:
        import_into([leak], store, on_progress=seen.append)
        keys = {i.rec.key for i in store.items()}
    reported = {k for p in seen for k in p.changed_keys}
    assert reported == keys
    assert seen[-1].stage == "reading" and seen[-1].done == seen[-1].total == 6


@pytest.fixture(scope="module")
def analysed_demo(tmp_path_factory):
    case = tmp_path_factory.mktemp("demo") / "demo.vacase"
    with CaseStore(case) as store:
        pipeline = closing(Pipeline(DEMO, store, workers=1))
        pipeline.import_archive()
        report = pipeline.analyse()
    return case, report


def night(item) -> bool:
    return item.rec.recorded_at is not None and item.rec.recorded_at.hour in (0, 1, 2, 3)


def test_demo_analysis_finds_the_owner_and_flags_the_night_stranger(analysed_demo, tmp_path) -> None:
    case, report = analysed_demo
    with CaseStore(case) as store:
        items = [i for i in store.items() if i.rec.has_audio]
        meta = store.voice_meta()
        groups = store.voice_groups()
    assert len(items) == 34
    assert all(i.voice is not None and i.voice.owner_similarity is not None for i in items)
    from voicearchive.messages import Message

    assert Message.from_json(meta["owner_source"]).code == "voices.owner.set" and meta["threshold"] is not None
    owner = next(g for g in groups if g["role"] == "owner")
    assert owner["size"] >= 15  # the owner speaks in 20 of the 34 recordings
    # The stranger speaks only at night (01-03 UTC) in the demo; the owner and household by day.
    night_items = [i for i in items if night(i)]
    assert len(night_items) == 5
    assert all(i.flagged for i in night_items)
    stranger_sim = np.mean([i.voice.owner_similarity for i in night_items])
    owner_sim = np.mean([i.voice.owner_similarity for i in items if i.voice.group == owner["id"]])
    assert stranger_sim < owner_sim - 0.2
    assert not any(i.flagged for i in items if i.voice.group == owner["id"])

    # The second voice of the house is flagged until the user names that voice the household's.
    household = next(g for g in groups if g["role"] is None and not any(
        night(i) for i in items if i.voice.group == g["id"]))
    household_keys = [i.rec.key for i in items if i.voice.group == household["id"]]
    assert len(household_keys) >= 6 and all(i.flagged for i in items if i.rec.key in household_keys)
    copy = tmp_path / "copy.vacase"
    with CaseStore(case) as src:
        src.connection().execute("VACUUM INTO ?", (str(copy),))
    from voicearchive.case.labels import LabelBook

    with CaseStore(copy) as store:
        LabelBook(store).set_voice_role([household["id"]], "household")
        with Pipeline(DEMO, store, workers=1) as p:
            p.update_voices()
        items = [i for i in store.items() if i.rec.has_audio]
    assert all(i.flagged for i in items if night(i))
    assert sum(i.flagged for i in items if not night(i)) <= 2  # at most the voice heard once, and one slip


def test_analysis_is_cached_by_content_hash(analysed_demo, monkeypatch) -> None:
    case, _ = analysed_demo
    calls = []
    monkeypatch.setattr(jobs, "run_job", lambda job: calls.append(job) or [])
    with CaseStore(case) as store:
        pipeline = closing(Pipeline(DEMO, store, workers=1))
        pipeline.import_archive()
        pipeline.analyse()
    assert calls == []


def test_enrolling_a_voice_not_in_the_archive_says_so(analysed_demo, tmp_path) -> None:
    case, _ = analysed_demo
    copy = tmp_path / "copy.vacase"
    with CaseStore(case) as src:
        src.connection().execute("VACUUM INTO ?", (str(copy),))
    sample = (GOLDEN / "f3080_a.flac").read_bytes()  # speaker 3080 never speaks in the demo
    with CaseStore(copy) as store:
        pipeline = closing(Pipeline(DEMO, store, workers=1))
        pipeline.enrol("my-voice.flac", sample)
        report = pipeline.update_voices()
        meta = store.voice_meta()
        flagged = sum(i.flagged for i in store.items() if i.rec.has_audio)
    from voicearchive.messages import Message

    assert report.owner_source.code.startswith("voices.owner.enrolled")
    assert Message.from_json(meta["message"]).code.startswith("voices.enrol.no_")
    assert flagged >= 30  # nearly everything is someone else's voice


def test_enrolling_the_stranger_makes_their_group_the_owner(analysed_demo, tmp_path) -> None:
    case, _ = analysed_demo
    copy = tmp_path / "copy.vacase"
    with CaseStore(case) as src:
        src.connection().execute("VACUUM INTO ?", (str(copy),))
    sample = (GOLDEN / "m2609_a_48k.flac").read_bytes()  # speaker 2609 is the demo's night-time stranger
    with CaseStore(copy) as store:
        pipeline = closing(Pipeline(DEMO, store, workers=1))
        pipeline.enrol("sample.flac", sample)
        pipeline.update_voices()
        items = [i for i in store.items() if i.rec.has_audio]
    night_items = [i for i in items if night(i)]
    assert sum(not i.flagged for i in night_items) >= 4
    assert sum(i.flagged for i in items if not night(i)) >= 20


def test_enrolment_refuses_a_sample_without_speech(tmp_path) -> None:
    buf = io.BytesIO()
    sf.write(buf, np.zeros(32000, np.float32), 16000, format="WAV")
    with CaseStore(tmp_path / "c.vacase") as store:
        with pytest.raises(ValueError, match="no speech"):
            Pipeline([tmp_path], store).enrol("silence.wav", buf.getvalue())
        assert store.enrolments() == []


def test_worker_processes_give_the_same_features_as_in_process(tmp_path, monkeypatch) -> None:
    """The process pool path (spawned workers, one BLAS thread each) agrees with the in-process path."""
    from voicearchive import executors
    from voicearchive import runner as pl

    monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 0)
    monkeypatch.setattr(pl, "JOB_BYTES", 64 * 1024)
    clips = sorted(GOLDEN.glob("*.flac"))
    folder = tmp_path / "clips"
    folder.mkdir()
    for c in clips:
        (folder / c.name).write_bytes(c.read_bytes())
    results = {}
    for workers in (1, 2):
        with CaseStore(tmp_path / f"w{workers}.vacase") as store:
            p = closing(Pipeline([folder], store, workers=workers))
            p.import_archive()
            if workers == 1:
                monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 1 << 40)
            p.analyse()
            shas = [i.rec.sha256 for i in store.items()]
            from voicearchive.stages import voice_model_version

            results[workers] = store.voice_features_many(shas, voice_model_version())
        monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 0)
    assert set(results[1]) == set(results[2]) and len(results[1]) == len(clips)
    for sha, f in results[1].items():
        np.testing.assert_allclose(f["embedding"], results[2][sha]["embedding"], atol=1e-5)
    assert os.environ.get("OPENBLAS_NUM_THREADS") == "1"  # set by conftest, restored after the pool


def test_a_new_encoder_version_recomputes_the_features(analysed_demo, tmp_path, monkeypatch) -> None:
    from voicearchive.voices import features

    case, _ = analysed_demo
    copy = tmp_path / "copy.vacase"
    with CaseStore(case) as src:
        src.connection().execute("VACUUM INTO ?", (str(copy),))
    monkeypatch.setattr(features, "model_version", lambda: "ge2e-test-next")
    done = []
    real = jobs.run_job
    monkeypatch.setattr(jobs, "run_job", lambda job: done.extend(job.blobs) or real(job))
    with CaseStore(copy) as store:
        with Pipeline(DEMO, store, workers=1) as p:
            p.import_archive()
            p.analyse()
        assert len(store.voice_feature_shas([i.rec.sha256 for i in store.items()], "ge2e-test-next")) == 34
    assert len(done) == 34


def test_update_voices_reports_only_the_rows_whose_result_changed(analysed_demo, tmp_path) -> None:
    from voicearchive.case.labels import LabelBook

    case, _ = analysed_demo
    copy = tmp_path / "copy.vacase"
    with CaseStore(case) as src:
        src.connection().execute("VACUUM INTO ?", (str(copy),))
    reports = []
    with CaseStore(copy) as store:
        with Pipeline(DEMO, store, workers=1, on_progress=reports.append) as p:
            p.update_voices()
            assert reports[-1].stage == "done" and reports[-1].changed_keys == []  # nothing new: nothing to redraw
            day = [i for i in store.items() if i.flagged and not night(i) and i.voice.group >= 0]
            voice = day[0].voice.group
            flagged_day = [i.rec.key for i in day if i.voice.group == voice]
            LabelBook(store).set_role(flagged_day[:1], "household")  # a mark on one recording: only it
            p.update_voices()
            assert reports[-1].changed_keys == []  # the analysis does not change; the mark is applied by the row
            assert sum(i.flagged for i in store.items(flagged_day)) == len(flagged_day) - 1
            LabelBook(store).set_voice_role([voice], "household")  # a decision about the voice
            p.update_voices()
    changed = set(reports[-1].changed_keys)
    assert changed and len(changed) < 34
    assert set(flagged_day) <= changed  # the whole household voice stops being flagged


def test_an_int8_analysis_is_cached_and_reported_under_its_own_model_version(tmp_path, monkeypatch) -> None:
    """The int8 pass's embeddings (the default) are not the float ones: cached apart, named in the report,
    recomputed when the float32 pass is asked for."""
    pytest.importorskip("onnxruntime")
    from voicearchive.voices import features

    folder = tmp_path / "clips"
    folder.mkdir()
    for c in sorted(GOLDEN.glob("*.flac")):
        (folder / c.name).write_bytes(c.read_bytes())
    monkeypatch.setenv("VOICEARCHIVE_ENCODER", "int8")
    with CaseStore(tmp_path / "c.vacase") as store:
        with Pipeline([folder], store, workers=1) as p:
            p.import_archive()
            p.analyse()
        shas = [i.rec.sha256 for i in store.items()]
        assert store.voice_meta()["model_version"] == features.MODEL_VERSION_INT8
        assert len(store.voice_feature_shas(shas, features.MODEL_VERSION_INT8)) == len(shas)
        assert store.voice_feature_shas(shas, features.MODEL_VERSION) == set()
        monkeypatch.setenv("VOICEARCHIVE_ENCODER", "onnx")  # the float32 pass: computed again, both kept
        with Pipeline([folder], store, workers=1) as p:
            p.import_archive()
            p.analyse()
        assert store.voice_meta()["model_version"] == features.MODEL_VERSION
        assert features.default_encoder().precision == "float32"  # the pass the version names
        assert len(store.voice_feature_shas(shas, features.MODEL_VERSION)) == len(shas)
        quick = store.voice_features_many(shas, features.MODEL_VERSION_INT8)
        exact = store.voice_features_many(shas, features.MODEL_VERSION)
        cos = [float(np.dot(quick[k]["embedding"], exact[k]["embedding"])) for k in shas
               if exact[k]["embedding"] is not None]
        assert cos and min(cos) > 0.99 and max(cos) < 0.99999  # two passes, each under its own name


def _counting_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    original = Tree.read

    def counting_read(self, member, *args, **kwargs):
        reads.append(Path(member.path).name)
        return original(self, member, *args, **kwargs)

    monkeypatch.setattr(Tree, "read", counting_read)
    return reads


def test_a_scan_reads_each_member_once_and_keeps_no_more_than_its_bound(leak, tmp_path, monkeypatch) -> None:
    """import_archive(warm_workers=True) keeps the bytes it hashed for the analysis that follows (bounded by
    KEEP_FOR_ANALYSIS_BYTES); the analysis reads again only what was not kept, and keeps nothing after."""
    import voicearchive.pipeline as pipeline_module

    size = len((leak / "clip0.wav").read_bytes())
    results = {}
    for bound, read_again in ((10 * size, 0), (2 * size, 3)):
        monkeypatch.setattr(pipeline_module, "KEEP_FOR_ANALYSIS_BYTES", bound)
        reads = _counting_reads(monkeypatch)
        with CaseStore(tmp_path / f"c{bound}.vacase") as store, Pipeline([leak], store, workers=1) as pipeline:
            pipeline.import_archive(warm_workers=True)
            assert sorted(reads) == sorted(["broken.wav"] + [f"clip{i}.wav" for i in range(5)])
            assert pipeline._kept_bytes <= bound and len(pipeline._kept) == min(5, bound // size)
            del reads[:]
            pipeline.analyse()
            assert len(reads) == read_again  # what was kept is not read (nor hashed) a second time
            assert pipeline._kept == {} and pipeline._kept_bytes == 0
            results[bound] = {Path(i.rec.member_path).name: (i.voice.speech_s if i.voice else None)
                              for i in store.items()}
    assert results[10 * size] == results[2 * size]  # the same analysis either way


def test_an_import_without_analysis_keeps_nothing(leak, tmp_path) -> None:
    with CaseStore(tmp_path / "a.vacase") as store, Pipeline([leak], store, workers=1) as pipeline:
        pipeline.import_archive()
        assert pipeline._kept == {}
    with CaseStore(tmp_path / "b.vacase") as store, Pipeline([leak], store, workers=1) as pipeline:
        pipeline.import_archive(warm_workers=True)
        assert len(pipeline._kept) == 5  # and close(), with no analysis, lets it go
    assert pipeline._kept == {} and pipeline._kept_bytes == 0
