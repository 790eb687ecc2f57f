"""The same scan on a Dask cluster (issue 12): identical results, TLS, refusals, a killed worker, a lost scheduler."""

from __future__ import annotations

import datetime
import os
import signal
import socket
import threading
from pathlib import Path

import pytest

from voicearchive import cli, jobs, runner
from voicearchive.case.store import CaseStore
from voicearchive.executors import ExecutorLost
from voicearchive.pipeline import Pipeline

from .cluster_fixtures import assert_same, make_folder, results, scan

distributed = pytest.importorskip("distributed")
from voicearchive import cluster  # noqa: E402 - only with Dask installed


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("cluster") / "ev")


@pytest.fixture(scope="module")
def local_results(folder, tmp_path_factory) -> dict:
    case = tmp_path_factory.mktemp("local") / "local.vacase"
    scan(folder, case, workers=1)
    return results(case)


@pytest.fixture(scope="module")
def local2():
    with cluster.connect("local:2") as executor:
        yield executor


def test_a_local_cluster_of_two_workers_gives_the_results_of_a_local_scan(folder, local_results, local2,
                                                                           tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "JOB_BYTES", 64 * 1024)  # several jobs, spread over both workers
    p = scan(folder, tmp_path / "cluster.vacase", executor=local2)
    assert p.last_run.jobs > 2 and p.last_run.retries == 0
    assert p.last_run.shipped_bytes == sum(f.stat().st_size for f in folder.iterdir() if f.name != "notes.wav")
    assert_same(local_results, results(tmp_path / "cluster.vacase"))
    assert sorted(local2.client.nthreads().values()) == [1, 1]


def test_killing_a_worker_mid_scan_still_completes_with_identical_results(folder, local_results, local2,
                                                                         tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "JOB_BYTES", 1)  # one recording a job: many jobs still to come after the kill
    monkeypatch.setattr(runner, "BATCH_SECONDS", 0.0)  # report every result: the kill comes after the first
    client = local2.client
    killed: list[int] = []

    def kill_a_busy_worker(progress) -> None:
        if progress.stage != "analysing" or progress.done < 1 or killed:
            return
        processing = client.processing()
        busy = [w for w, tasks in processing.items() if tasks] or list(processing)
        pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    p = scan(folder, tmp_path / "killed.vacase", executor=local2, on_progress=kill_a_busy_worker)
    assert killed and p.last_run.killers == []
    assert_same(local_results, results(tmp_path / "killed.vacase"))
    client.wait_for_workers(2, timeout=30)  # the nanny started a new worker
    assert killed[0] not in client.run(os.getpid).values()


def test_a_worker_of_another_version_is_refused_on_connect(local2, monkeypatch) -> None:
    real = jobs.worker_versions()
    monkeypatch.setattr(jobs, "worker_versions", lambda: {**real, "voicearchive": "0.0.0-other"})
    with pytest.raises(cluster.ClusterError) as err:
        local2.check_workers(10)  # the workers answer with their own (real) versions
    assert err.value.message.code == "pipeline.worker_version"
    assert "0.0.0-other" in str(err.value) and "another version" in str(err.value)


def test_plain_tcp_to_another_machine_is_refused_without_connecting(folder, tmp_path, monkeypatch, capsys) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    for address in ("tcp://192.0.2.10:8786", "tcp://scheduler.example.org:8786", "tcp://10.0.0.1"):
        code = cli.main(["scan", str(folder), "--case", str(tmp_path / "c.vacase"), "--cluster", address, "-q"])
        assert code == cli.EXIT_USAGE
        assert "in clear" in capsys.readouterr().err
    assert not (tmp_path / "c.vacase").exists()  # refused before any work
    for ok in ("tcp://127.0.0.1:8786", "tcp://localhost:8786", "tcp://[::1]:8786", "tls://192.0.2.10:8786"):
        cluster.check_address(ok)
    cluster.check_address("tcp://192.0.2.10:8786", insecure=True)
    for bad in ("http://127.0.0.1:8786", "local:0", "local:x", "tcp://", "127.0.0.1:8786"):
        with pytest.raises(cluster.ClusterError):
            cluster.check_address(bad)
    with pytest.raises(cluster.ClusterError, match="--tls-cert"):
        cluster.connect("tls://127.0.0.1:1", tls_ca_file="ca.pem")


def _certificates(folder: Path) -> dict[str, str]:
    """A self-made CA and one certificate for 127.0.0.1 that the scheduler, worker and client share."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("VoiceArchive test CA")).issuer_name(name("VoiceArchive test CA"))
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(2).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                         x509.DNSName("localhost")]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = {"ca": folder / "ca.pem", "cert": folder / "node.pem", "key": folder / "node.key"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return {k: str(v) for k, v in paths.items()}


def test_a_tls_cluster_with_self_made_certificates_works(folder, local_results, tmp_path, capsys) -> None:
    from distributed import LocalCluster
    from distributed.security import Security

    certs = _certificates(tmp_path)
    security = Security(tls_ca_file=certs["ca"], tls_scheduler_cert=certs["cert"], tls_scheduler_key=certs["key"],
                        tls_worker_cert=certs["cert"], tls_worker_key=certs["key"], tls_client_cert=certs["cert"],
                        tls_client_key=certs["key"], require_encryption=True)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tls://", host="127.0.0.1",
                      security=security, dashboard_address=None) as lc:
        address = lc.scheduler_address
        assert address.startswith("tls://127.0.0.1:")
        case = tmp_path / "tls.vacase"
        code = cli.main(["scan", str(folder), "--case", str(case), "--cluster", address, "--tls-ca-file",
                         certs["ca"], "--tls-cert", certs["cert"], "--tls-key", certs["key"]])
        assert code == cli.EXIT_OK, capsys.readouterr().err
        assert "1 worker" in capsys.readouterr().err
        assert_same(local_results, results(case))
        with pytest.raises(cluster.ClusterError) as err:  # without the certificates: no way in
            cluster.connect(address.replace("tls://", "tcp://"), timeout=3)
        assert err.value.message.code == "pipeline.cluster_connect"


def test_a_scheduler_that_goes_away_stops_the_scan_keeping_what_was_done(folder, local_results, tmp_path,
                                                                         monkeypatch) -> None:
    from distributed import LocalCluster

    monkeypatch.setattr(runner, "JOB_BYTES", 1)
    monkeypatch.setattr(runner, "BATCH_SECONDS", 0.0)
    monkeypatch.setattr(cluster, "LOST_AFTER_S", 1.0)
    case = tmp_path / "lost.vacase"
    lc = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None)
    stopped = threading.Event()

    def stop_the_scheduler(progress) -> None:
        if progress.stage == "analysing" and progress.done >= 2 and not stopped.is_set():
            stopped.set()
            lc.sync(lc.scheduler.close)

    executor = cluster.connect(lc.scheduler_address)
    try:
        with CaseStore(case) as store, Pipeline([folder], store, executor=executor,
                                                on_progress=stop_the_scheduler) as p:
            p.import_archive()
            with pytest.raises(ExecutorLost) as err:
                p.analyse()
            assert err.value.message.code == "pipeline.cluster_lost"
            shas = [i.rec.sha256 for i in store.items() if i.rec.has_audio]
            kept = store.envelope_shas(shas)
            assert 2 <= len(kept) < len(shas)  # committed results stay
    finally:
        executor.close()
        for worker in lc.workers.values():
            lc.sync(worker.close, timeout=2, executor_wait=False)
        try:
            lc.close(timeout=2)  # its scheduler is gone: do not wait for it
        except TimeoutError:
            pass
    p = scan(folder, case, workers=1)  # a re-run resumes: only what was missing is analysed
    assert p.last_run.recordings == len(shas) - len(kept)
    assert_same(local_results, results(case))


def test_cancel_stops_a_cluster_scan_and_a_rerun_resumes(folder, local_results, local2, tmp_path,
                                                         monkeypatch) -> None:
    from voicearchive.pipeline import Cancelled

    monkeypatch.setattr(runner, "JOB_BYTES", 1)
    monkeypatch.setattr(runner, "BATCH_SECONDS", 0.0)
    cancel = threading.Event()
    seen = []

    def cancel_after_the_first(progress) -> None:
        seen.append((progress.done, progress.total, progress.eta_s))
        if progress.stage == "analysing" and progress.done >= 1:
            cancel.set()

    case = tmp_path / "cancel.vacase"
    with CaseStore(case) as store, Pipeline([folder], store, executor=local2, cancel=cancel,
                                            on_progress=cancel_after_the_first) as p:
        p.import_archive()
        with pytest.raises(Cancelled):
            p.analyse()
        done = len(store.envelope_shas([i.rec.sha256 for i in store.items()]))
    assert 1 <= done < 11
    p = scan(folder, case, executor=local2)
    assert p.last_run.recordings == 11 - done
    assert_same(local_results, results(case))
