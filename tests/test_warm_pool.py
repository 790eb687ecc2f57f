"""Worker processes started ahead of the analysis (``Pipeline.import_archive(warm_workers=True)``): they get ready
while the archive is hashed, the analysis runs on them, and they are stopped when it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicearchive import executors, runner
from voicearchive.case.store import CaseStore
from voicearchive.pipeline import Pipeline

from .cluster_fixtures import assert_same, make_folder, results, scan


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("warm") / "ev", noise=2)


@pytest.fixture
def pools(monkeypatch) -> list:
    """Every LocalPool made, and whether it was started ahead of its first job."""
    made: list = []
    real_init, real_start = executors.LocalPool.__init__, executors.LocalPool.start

    def init(self, workers):
        real_init(self, workers)
        self.started_early = False
        made.append(self)

    def start(self):
        self.started_early = True
        real_start(self)

    monkeypatch.setattr(executors.LocalPool, "__init__", init)
    monkeypatch.setattr(executors.LocalPool, "start", start)
    monkeypatch.setattr(runner, "IN_PROCESS_BYTES", 1_000)  # the small test folder counts as a large archive
    return made


def test_the_analysis_runs_on_the_workers_started_while_hashing(folder, pools, tmp_path) -> None:
    with CaseStore(tmp_path / "warm.vacase") as store, Pipeline([folder], store, workers=2) as p:
        p.import_archive(warm_workers=True)
        assert len(pools) == 1 and pools[0].started_early  # started before any job was submitted
        p.analyse()
        assert len(pools) == 1  # the analysis made no pool of its own
        assert p.take_warm_pool() is None  # it was handed over once
    reference = tmp_path / "in-process.vacase"
    scan(folder, reference, workers=1)
    assert_same(results(tmp_path / "warm.vacase"), results(reference))


def test_the_coordinator_takes_the_model_version_from_the_warm_workers(folder, pools, tmp_path, monkeypatch) -> None:
    from voicearchive.voices import features

    built = []
    real = features.default_encoder
    monkeypatch.setattr(features, "default_encoder", lambda: built.append(1) or real())
    with CaseStore(tmp_path / "warm.vacase") as store, Pipeline([folder], store, workers=2) as p:
        p.import_archive(warm_workers=True)
        p.analyse()
        stored = store.voice_meta()["model_version"]
    assert built == []  # this process never built an encoder only to learn the version
    workers = features.version_of(real())  # what the same install's workers load (int8 where ONNX Runtime is)
    assert stored == workers and features.model_version() == workers


def test_a_pool_that_was_not_started_reports_no_version() -> None:
    assert executors.LocalPool(2).voice_model_version(timeout=0.1) is None


def test_without_warm_workers_the_pool_starts_with_the_first_job(folder, pools, tmp_path) -> None:
    with CaseStore(tmp_path / "cold.vacase") as store, Pipeline([folder], store, workers=2) as p:
        p.import_archive()
        assert pools == []
        p.analyse()
    assert len(pools) == 1 and not pools[0].started_early


@pytest.mark.parametrize("why", ["one worker", "small archive", "executor given", "nothing new"])
def test_no_workers_are_started_when_none_would_be_used(folder, pools, tmp_path, monkeypatch, why) -> None:
    case = tmp_path / "case.vacase"
    kwargs: dict = {"workers": 2}
    if why == "one worker":
        kwargs["workers"] = 1
    elif why == "small archive":
        monkeypatch.setattr(runner, "IN_PROCESS_BYTES", 8 * 1024 * 1024)
    elif why == "executor given":
        kwargs["executor"] = executors.InProcess()
    elif why == "nothing new":  # a second scan of the same archive: every member is known to the case file
        scan(folder, case, workers=1)
    with CaseStore(case) as store, Pipeline([folder], store, **kwargs) as p:
        p.import_archive(warm_workers=True)
        assert p.take_warm_pool() is None
    assert pools == []


def test_workers_the_analysis_did_not_use_are_stopped_on_close(folder, pools, tmp_path) -> None:
    with CaseStore(tmp_path / "unused.vacase") as store:
        p = Pipeline([folder], store, workers=2)
        p.import_archive(warm_workers=True)
        pool = pools[0]
        assert pool._pool is not None
        p.close()  # no analysis followed (a scan stopped after the import, or a failed enrolment)
        assert pool._pool is None and p.take_warm_pool() is None
