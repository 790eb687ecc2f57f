"""The Dask cluster executor: the only module that touches a network, loaded only when a cluster is named.

``voicearchive scan ... --cluster ADDRESS`` connects to an existing ``dask scheduler`` (``tls://HOST:PORT``
with the user's certificates through Dask's ``Security``; a plain ``tcp://`` only to this machine unless
``--insecure-cluster``), or ``local:N`` starts a ``LocalCluster`` of N worker processes here. On connect
every worker's VoiceArchive and stage versions are compared with ours (:func:`jobs.worker_versions`), and
every job carries them again (a worker that joins later is checked too). The coordinator keeps reading,
hashing and writing the case file; workers only get bytes and return results (:mod:`voicearchive.runner`).
"""

from __future__ import annotations

import ipaddress
import os
import time
from concurrent.futures import CancelledError

from voicearchive import jobs
from voicearchive.executors import ExecutorLost
from voicearchive.messages import Message, MessageError

CONNECT_TIMEOUT_S = 20.0
CLOSE_TIMEOUT_S = 5.0  # closing a client or LocalCluster whose scheduler is gone waits no longer
LOST_AFTER_S = 10.0  # a client without its scheduler this long: the scan stops (what was committed stays)


class ClusterError(MessageError):
    """The cluster cannot be used; ``message`` (a Message) says why and what to do."""


def parse_address(address: str) -> tuple[str, str, int]:
    """("local", "", N), or (scheme, host, port) for tcp:// and tls://. Raises ClusterError."""
    address = address.strip()
    if address.startswith("local:"):
        count = address[len("local:"):]
        if count.isdigit() and 1 <= int(count) <= 256:
            return "local", "", int(count)
        raise ClusterError(Message.of("pipeline.cluster_address", address=address))
    scheme, sep, rest = address.partition("://")
    if not sep or scheme not in ("tcp", "tls") or not rest:
        raise ClusterError(Message.of("pipeline.cluster_address", address=address))
    host, port = rest, 8786
    if rest.startswith("["):  # [IPv6]:port
        host, _, tail = rest[1:].partition("]")
        if tail.startswith(":"):
            port = _port(tail[1:], address)
    elif rest.count(":") == 1:
        host, tail = rest.split(":")
        port = _port(tail, address)
    if not host or "/" in host:
        raise ClusterError(Message.of("pipeline.cluster_address", address=address))
    return scheme, host, port


def _port(text: str, address: str) -> int:
    if text.isdigit() and 0 < int(text) < 65536:
        return int(text)
    raise ClusterError(Message.of("pipeline.cluster_address", address=address))


def is_loopback(host: str) -> bool:
    """True for this machine's own addresses only; a host name other than localhost is never resolved."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_address(address: str, *, insecure: bool = False) -> tuple[str, str, int]:
    """Refuse, before any connection, what would send evidence across a network in clear."""
    scheme, host, port = parse_address(address)
    if scheme == "tcp" and not is_loopback(host) and not insecure:
        raise ClusterError(Message.of("pipeline.cluster_insecure", address=address))
    return scheme, host, port


def connect(address: str, *, tls_ca_file: str | None = None, tls_cert: str | None = None,
            tls_key: str | None = None, insecure: bool = False,
            timeout: float = CONNECT_TIMEOUT_S) -> "DaskExecutor":
    """A ready executor on the named cluster, its workers' versions checked. Raises ClusterError."""
    scheme, _host, count = check_address(address, insecure=insecure)
    tls = (tls_ca_file, tls_cert, tls_key)
    if scheme == "tls" and not all(tls):
        missing = ", ".join(n for n, v in zip(("--tls-ca-file", "--tls-cert", "--tls-key"), tls) if not v)
        raise ClusterError(Message.of("pipeline.cluster_tls_files", missing=missing))
    import logging

    # Dask logs every lost connection as an error with its traceback; the scan says what happened itself.
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    try:
        import dask
        from distributed import Client, LocalCluster
        from distributed.security import Security
    except ImportError as exc:
        raise ClusterError(Message.of("pipeline.cluster_no_dask", reason=str(exc))) from None
    security = None
    if all(tls):
        security = Security(tls_ca_file=tls_ca_file, tls_client_cert=tls_cert, tls_client_key=tls_key,
                            require_encryption=True)
    cluster = None
    try:
        if scheme == "local":
            with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
                    _environment(jobs.single_thread_env()):
                cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None, silence_logs=40)
            client = Client(cluster, timeout=timeout)
            from voicearchive.cluster_plugins import ExitWithCoordinator, ExitWithNanny

            client.register_plugin(ExitWithNanny(), name="voicearchive-exit-with-nanny")
            client.register_plugin(ExitWithCoordinator(os.getpid()), name="voicearchive-exit-with-coordinator")
        else:
            client = Client(address, security=security, timeout=timeout)
    except ClusterError:
        raise
    except Exception as exc:  # noqa: BLE001 - any connection failure is said plainly
        if cluster is not None:
            cluster.close()
        raise ClusterError(Message.of("pipeline.cluster_connect", address=address, reason=_reason(exc))) from None
    executor = DaskExecutor(client, cluster, address)
    try:
        executor.check_workers(timeout)
    except BaseException:
        executor.close()
        raise
    return executor


class DaskExecutor:
    """Dask's concurrent.futures executor, with the checks the stage runner asks of an executor."""

    name = "dask"

    def __init__(self, client, cluster, address: str) -> None:
        self.client, self.cluster, self.address = client, cluster, address
        self._cf = client.get_executor(pure=False)  # a retried job must run again, not reuse a failed key
        self._lost_since: float | None = None

    @property
    def slots(self) -> int:
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:  # noqa: BLE001 - the scheduler is gone: the runner finds out on its next check
            return 1

    def check_workers(self, timeout: float) -> None:
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except Exception:  # noqa: BLE001
            raise ClusterError(Message.of("pipeline.cluster_no_workers", address=self.address)) from None
        mine = jobs.worker_versions()
        try:
            theirs = self.client.run(_remote_versions)
        except Exception as exc:  # noqa: BLE001 - a worker without VoiceArchive cannot even answer
            raise ClusterError(Message.of("pipeline.worker_version", detail=_reason(exc))) from None
        for worker, versions in sorted(theirs.items()):
            if versions != mine:
                detail = Message.of("pipeline.version_worker", worker=worker,
                                    detail=jobs.VersionMismatch(versions, mine).message)
                raise ClusterError(Message.of("pipeline.worker_version", detail=detail))

    def describe(self) -> Message:
        threads = self.client.nthreads()
        return Message.of("pipeline.cluster_connected", address=self.address, n=len(threads),
                          threads=sum(threads.values()))

    def submit(self, fn, *args):
        self.check()
        return self._cf.submit(fn, *args)

    def check(self) -> None:
        """Raise ExecutorLost when the scheduler has been gone for LOST_AFTER_S (or the client closed)."""
        status = getattr(self.client, "status", "running")
        if status == "running":
            self._lost_since = None
            return
        if status in ("closed", "closing", "failed"):
            raise ExecutorLost(Message.of("pipeline.cluster_lost", reason=Message.of("pipeline.cluster_status", status=status)))
        now = time.monotonic()
        self._lost_since = self._lost_since or now
        if now - self._lost_since > LOST_AFTER_S:
            raise ExecutorLost(Message.of("pipeline.cluster_lost", reason=Message.of("pipeline.cluster_no_answer")))

    def recover(self, exc: BaseException) -> None:
        """After a failed job: a lost scheduler stops the scan; a lost worker only costs the retry."""
        if isinstance(exc, CancelledError):  # Dask cancels every future when the scheduler goes
            deadline = time.monotonic() + LOST_AFTER_S + 1
            while time.monotonic() < deadline:
                self.check()
                if self.client.status == "running":
                    return
                time.sleep(0.2)
            self.check()
        else:
            self.check()

    def shutdown(self, cancel: bool = False) -> None:
        try:
            self._cf.shutdown(wait=not cancel)
        except Exception:  # noqa: BLE001 - closing a client whose scheduler is gone
            pass

    def close(self) -> None:
        """Close the client and the LocalCluster this executor started (an outside cluster keeps running)."""
        for thing in (self.client, self.cluster):
            if thing is not None:
                try:
                    thing.close(timeout=CLOSE_TIMEOUT_S)
                except Exception:  # noqa: BLE001
                    pass

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _remote_versions() -> dict[str, str]:
    """Run on each worker (by name, so that the worker answers with its own installed versions)."""
    from voicearchive import jobs as worker_jobs

    return worker_jobs.worker_versions()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def _environment(values: dict[str, str]):
    from voicearchive.executors import _environment as env

    return env(values)
