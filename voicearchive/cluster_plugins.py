"""Dask plugins for ``--cluster local:N``: the processes this scan started end when it does (even kill -9).

Imported only by :mod:`voicearchive.cluster` once Dask is known to be there.
"""

from __future__ import annotations

import os

from distributed.diagnostics.plugin import NannyPlugin, WorkerPlugin

from voicearchive import jobs


class ExitWithNanny(WorkerPlugin):
    """The worker process ends when its nanny (its parent) dies."""

    def setup(self, worker) -> None:
        jobs.watch_parent(os.getppid())


class ExitWithCoordinator(NannyPlugin):
    """The nanny ends when the coordinator that started the LocalCluster dies."""

    restart = False

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def setup(self, nanny) -> None:
        if os.getppid() == self.pid:
            jobs.watch_parent(self.pid)
