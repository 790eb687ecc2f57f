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
    monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 1_000)  # the small test folder counts as a large archive
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
        monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 8 * 1024 * 1024)
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


# ------------------------------------------------------------------------------- started by the command line
def test_roots_want_pool_walks_only_until_the_bound_and_never_follows_a_link(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 10_000)
    small = tmp_path / "small"
    (small / "sub").mkdir(parents=True)
    (small / "a.wav").write_bytes(bytes(4_000))
    (small / "sub" / "b.wav").write_bytes(bytes(4_000))
    outside = tmp_path / "outside.bin"
    outside.write_bytes(bytes(50_000))
    (small / "link.wav").symlink_to(outside)  # a link out of the evidence weighs nothing
    (small / "dirlink").symlink_to(tmp_path)  # nor does a linked folder (it would count everything again)
    assert not executors.roots_want_pool([small], 2)
    (small / "sub" / "c.wav").write_bytes(bytes(4_000))
    assert executors.roots_want_pool([small], 2)  # 12,000 bytes
    assert not executors.roots_want_pool([small], 1)  # one worker: never a pool
    assert executors.roots_want_pool([outside], 2)  # a zip or a single file counts by its size
    assert not executors.roots_want_pool([tmp_path / "missing"], 2)

    seen = []
    real_scandir = executors.os.scandir

    def counting(path):
        seen.append(path)
        return real_scandir(path)

    monkeypatch.setattr(executors.os, "scandir", counting)
    big = tmp_path / "big"
    for k in range(30):
        (big / f"d{k:02d}").mkdir(parents=True)
        (big / f"d{k:02d}" / "x.wav").write_bytes(bytes(6_000))
    assert executors.roots_want_pool([big], 2)
    assert len(seen) <= 3  # the root and the first two folders: no more than the bound needs


def test_a_command_line_scan_starts_its_workers_before_it_opens_the_archive(folder, pools, tmp_path,
                                                                              monkeypatch) -> None:
    from voicearchive import cli
    from voicearchive.archive import source

    order = []
    real_open = source.Tree.__init__

    def opened(self, *a, **k):
        order.append("archive")
        return real_open(self, *a, **k)

    monkeypatch.setattr(source.Tree, "__init__", opened)
    real_start = executors.LocalPool.start
    monkeypatch.setattr(executors.LocalPool, "start", lambda self: order.append("workers") or real_start(self))
    case = tmp_path / "cli.vacase"
    assert cli.main(["scan", str(folder), "--case", str(case), "-q", "--no-asr", "--workers", "2"]) == 0
    assert order[:2] == ["workers", "archive"] and len(pools) == 1  # one pool, started first, used
    assert pools[0]._pool is None  # and stopped at the end
    reference = tmp_path / "in-process.vacase"
    scan(folder, reference, workers=1)
    assert_same(results(case), results(reference))


def test_workers_started_early_are_stopped_when_the_listing_has_nothing_new(folder, pools, tmp_path) -> None:
    from voicearchive import cli

    case = tmp_path / "again.vacase"
    scan(folder, case, workers=1)  # everything is known to the case file
    assert cli.main(["scan", str(folder), "--case", str(case), "-q", "--no-asr", "--workers", "2"]) == 0
    assert len(pools) == 1 and pools[0].started_early and pools[0]._pool is None


def test_no_workers_start_early_for_a_scan_without_voices_or_of_a_small_archive(folder, pools, tmp_path,
                                                                                 monkeypatch) -> None:
    from voicearchive import cli

    assert cli.main(["scan", str(folder), "--case", str(tmp_path / "a.vacase"), "-q", "--no-voices"]) == 0
    monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 8 * 1024 * 1024)
    assert cli.main(["scan", str(folder), "--case", str(tmp_path / "b.vacase"), "-q", "--no-asr"]) == 0
    assert pools == []
