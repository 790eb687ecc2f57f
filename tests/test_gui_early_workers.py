"""The window's full analysis starts its worker processes before it lists the archive, as a command-line scan
does (``executors.early_pool``), and stops them whatever happens next."""

from __future__ import annotations

import pytest

from voicearchive import executors
from voicearchive.archive import source
from voicearchive.gui.workers import FULL, IMPORT_ONLY, PipelineWorker

from .cluster_fixtures import assert_same, results, scan
from .test_warm_pool import folder, pools  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("qapp")


def _run(qtbot, worker: PipelineWorker) -> list:
    outcome: list = []
    worker.succeeded.connect(lambda mode: outcome.append(("succeeded", mode)))
    worker.failed.connect(lambda mode, text: outcome.append(("failed", text)))
    with qtbot.waitSignal(worker.finished, timeout=120_000):
        worker.start()
    return outcome


def _record_order(monkeypatch) -> list[str]:
    order: list[str] = []
    real_open, real_start = source.Tree.__init__, executors.LocalPool.start

    def opened(self, *a, **k):
        order.append("archive")
        return real_open(self, *a, **k)

    monkeypatch.setattr(source.Tree, "__init__", opened)
    monkeypatch.setattr(executors.LocalPool, "start", lambda self: order.append("workers") or real_start(self))
    return order


def test_the_window_starts_its_workers_before_it_opens_the_archive(folder, pools, tmp_path, qtbot,  # noqa: F811
                                                                   monkeypatch) -> None:
    order = _record_order(monkeypatch)
    case = tmp_path / "gui.vacase"
    outcome = _run(qtbot, PipelineWorker([str(folder)], FULL, case_path=str(case), workers=2))
    assert outcome == [("succeeded", FULL)]
    assert order[:2] == ["workers", "archive"] and len(pools) == 1  # one pool, started first, and used
    assert pools[0]._pool is None  # stopped at the end
    reference = tmp_path / "in-process.vacase"
    scan(folder, reference, workers=1)
    assert_same(results(case), results(reference))


def test_workers_started_for_an_archive_that_cannot_be_opened_are_stopped(folder, pools, tmp_path, qtbot,  # noqa: F811
                                                                          monkeypatch) -> None:
    import voicearchive.archive as archive

    def refuse(paths):
        raise OSError("the disk went away")

    monkeypatch.setattr(archive, "open_archive", refuse)
    outcome = _run(qtbot, PipelineWorker([str(folder)], FULL, case_path=str(tmp_path / "x.vacase"), workers=2))
    assert [kind for kind, _ in outcome] == ["failed"]
    assert len(pools) == 1 and pools[0].started_early and pools[0]._pool is None


def test_no_workers_start_early_for_an_import_alone_or_a_small_archive(folder, pools, tmp_path, qtbot,  # noqa: F811
                                                                       monkeypatch) -> None:
    outcome = _run(qtbot, PipelineWorker([str(folder)], IMPORT_ONLY, case_path=str(tmp_path / "a.vacase"), workers=2))
    assert outcome == [("succeeded", IMPORT_ONLY)] and pools == []
    monkeypatch.setattr(executors, "IN_PROCESS_BYTES", 8 * 1024 * 1024)
    outcome = _run(qtbot, PipelineWorker([str(folder)], FULL, case_path=str(tmp_path / "b.vacase"), workers=2))
    assert outcome == [("succeeded", FULL)] and pools == []
