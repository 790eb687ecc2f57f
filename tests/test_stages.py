"""The stage runner on its own: retries, a recording that kills workers, orphans, long WAVs, no network imports."""

from __future__ import annotations

import ast
import io
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voicearchive import jobs, long_audio, runner
from voicearchive.case.store import CaseStore
from voicearchive.executors import ExecutorLost, InProcess, LocalPool
from voicearchive.messages import Message, render
from voicearchive.pipeline import Pipeline
from voicearchive.stages import ANALYSIS, STAGES, TRANSCRIBE, by_id, of_phase

from .cluster_fixtures import GOLDEN, assert_same, make_folder, noise_wav, results, scan

ROOT = Path(__file__).resolve().parent.parent
KILL_MARK = b"VOICEARCHIVE-TEST-KILL-THE-WORKER"


def run_job_or_die(job: jobs.Job):
    """A worker's job that ends its process, as a crashing decoder would, when a member carries KILL_MARK."""
    if any(KILL_MARK in data for _sha, data in job.blobs):
        os._exit(7)
    return jobs.run_job(job)


class KillingPool(LocalPool):
    """The real local process pool, running :func:`run_job_or_die` instead of ``jobs.run_job``."""

    def submit(self, fn, *args):
        return super().submit(run_job_or_die, *args)


class FlakyInProcess(InProcess):
    """Fails the first attempt of every job holding one of ``shas`` (a worker lost once)."""

    def __init__(self, shas=(), lost_after: int | None = None) -> None:
        self.shas, self.seen, self.calls, self.lost_after = set(shas), set(), 0, lost_after

    def submit(self, fn, *args) -> Future:
        self.calls += 1
        job = args[0]
        hit = {sha for sha, _ in job.blobs} & self.shas - self.seen
        if hit or (self.lost_after is not None and self.calls > self.lost_after):
            self.seen |= hit
            fut: Future = Future()
            fut.set_exception(RuntimeError("worker lost"))
            return fut
        return super().submit(fn, *args)

    def recover(self, exc) -> None:
        if self.lost_after is not None and self.calls > self.lost_after:
            raise ExecutorLost(Message.of("pipeline.cluster_lost", reason="test"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("stages") / "ev")


@pytest.fixture(scope="module")
def local_results(folder, tmp_path_factory) -> dict:
    case = tmp_path_factory.mktemp("local") / "local.vacase"
    scan(folder, case, workers=1)
    return results(case)


def test_stages_are_declared_once_and_looked_up_by_id() -> None:
    ids = [s.id for s in STAGES]
    assert ids == ["envelope", "voice", "transcript"] and len(set(ids)) == len(ids)
    assert [s.id for s in by_id({"voice", "envelope"})] == ids[:2]
    assert [s.id for s in of_phase(ANALYSIS)] == ids[:2] and [s.id for s in of_phase(TRANSCRIBE)] == ids[2:]
    with pytest.raises(KeyError):
        by_id(["nope"])
    assert jobs.worker_versions()["voice"] == STAGES[1].current_version


def test_a_job_that_fails_once_is_retried_and_costs_nothing(folder, local_results, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(runner, "JOB_BYTES", 1 << 30)  # one job for everything: it fails, is split and retried
    first_sha = None
    with CaseStore(tmp_path / "probe.vacase") as store:
        with Pipeline([folder], store) as p:
            p.import_archive()
            first_sha = next(i.rec.sha256 for i in store.items() if i.rec.has_audio)
    executor = FlakyInProcess([first_sha])
    p = scan(folder, tmp_path / "flaky.vacase", executor=executor)
    assert p.last_run.retries == 11 and p.last_run.killers == []  # 11 recordings with audio, one retry each
    assert_same(local_results, results(tmp_path / "flaky.vacase"))


def test_one_crashing_worker_costs_only_its_recording(folder, local_results, tmp_path, monkeypatch) -> None:
    """Issue 9 item 6: a recording that kills its worker process is named; every other one is analysed."""
    monkeypatch.setattr(runner, "JOB_BYTES", 128 * 1024)
    evidence = tmp_path / "ev"
    evidence.mkdir()
    for f in folder.iterdir():
        (evidence / f.name).write_bytes(f.read_bytes())
    (evidence / "killer.wav").write_bytes(noise_wav(1.0, 99, marker=KILL_MARK))
    p = scan(evidence, tmp_path / "crash.vacase", executor=KillingPool(2))
    got = results(tmp_path / "crash.vacase")
    killer = got["items"].pop("killer.wav")
    assert "stopped its worker 2 times" in killer["problem"] and killer["embedding"] is None
    with CaseStore(tmp_path / "crash.vacase") as store:  # kept as a Message: the German window says it in German
        stored = next(i.rec.problem for i in store.items() if i.rec.member_path == "killer.wav")
    assert render(stored, "de") != render(stored, "en") and "2" in render(stored, "de")
    assert len(p.last_run.killers) == 1
    got["missing"] = {k: v - set(p.last_run.killers) for k, v in got["missing"].items()}
    assert_same(local_results, got)


def test_a_lost_executor_stops_the_scan_keeping_what_was_committed(folder, local_results, tmp_path,
                                                                   monkeypatch) -> None:
    monkeypatch.setattr(runner, "JOB_BYTES", 1)
    monkeypatch.setattr(runner, "BATCH_SECONDS", 0.0)
    case = tmp_path / "lost.vacase"
    with CaseStore(case) as store, Pipeline([folder], store, executor=FlakyInProcess(lost_after=4)) as p:
        p.import_archive()
        with pytest.raises(ExecutorLost):
            p.analyse()
        assert len(store.envelope_shas([i.rec.sha256 for i in store.items()])) == 4
    calls = []
    real = jobs.run_job
    monkeypatch.setattr(jobs, "run_job", lambda job: calls.append(job) or real(job))
    p = scan(folder, case)
    assert len(calls) == 7 and p.last_run.recordings == 7  # only what was missing
    assert_same(local_results, results(case))


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_worker_processes_exit_when_the_scan_is_killed(tmp_path) -> None:
    """Issue 9 item 17: kill -9 of `voicearchive scan` leaves no worker holding its stdout (`scan | tail`)."""
    evidence = tmp_path / "ev"
    evidence.mkdir()
    for k in range(12):  # 12 x 1.9 MB: over the in-process threshold, so the pool starts
        (evidence / f"long{k:02d}.wav").write_bytes(noise_wav(60.0, k))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "voicearchive", "scan", str(evidence), "--case",
                             str(tmp_path / "c.vacase"), "--workers", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        while len(_children(proc.pid)) < 3 and time.monotonic() < deadline:  # 2 workers + resource tracker
            time.sleep(0.1)
        children = _children(proc.pid)
        assert len(children) >= 3, "the pool never started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    eof = threading.Event()
    reader = threading.Thread(target=lambda: (proc.stdout.read(), eof.set()), daemon=True)
    reader.start()
    assert eof.wait(30), "a child process still holds the scan's stdout"
    deadline = time.monotonic() + 30
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(c) for c in children)


# ------------------------------------------------------------------------------------------ long recordings
def _speech(rate: int) -> np.ndarray:
    import soxr

    parts = []
    for clip in sorted(GOLDEN.glob("*.flac")):
        x, r = sf.read(clip, dtype="float32")
        x = x if x.ndim == 1 else x.mean(axis=1)
        parts += [soxr.resample(x, r, rate).astype(np.float32), np.zeros(rate // 2, np.float32)]
    return np.concatenate(parts)


def test_a_long_wav_is_analysed_in_chunks(tmp_path, monkeypatch) -> None:
    """Issue 9 item 9: a WAV over the size limit is analysed chunk by chunk, never read whole."""
    from voicearchive.archive import source
    from voicearchive.audio.envelope import envelope, envelope_to_bytes
    from voicearchive.voices.features import analyse_audio, model_version

    speech = _speech(44100)
    stereo = np.stack([speech, 0.8 * speech], axis=1)
    evidence = tmp_path / "ev"
    evidence.mkdir()
    sf.write(evidence / "long.wav", stereo, 44100, subtype="PCM_16")
    size = (evidence / "long.wav").stat().st_size
    monkeypatch.setattr(runner, "CHUNKED_BYTES", size // 4)
    monkeypatch.setattr(long_audio, "CHUNK_SECONDS", 6.0)

    def never_whole(*args, **kwargs):
        raise AssertionError("the long member was read whole")

    with CaseStore(tmp_path / "long.vacase") as store:
        with Pipeline([evidence], store) as p:
            p.import_archive()
            monkeypatch.setattr(source.Tree, "read", never_whole)  # the analysis never holds it whole
            p.analyse()
        assert p.last_run.shipped_bytes == 0  # analysed here, not shipped
        item = store.items()[0]
        assert item.rec.problem == ""
        env = store.envelope(item.rec.sha256)
        feats = store.voice_features(item.rec.sha256, model_version())
    samples, rate = sf.read(evidence / "long.wav", dtype="float32")
    mono = samples.mean(axis=1, dtype=np.float32)
    assert env == envelope_to_bytes(envelope(mono, 1000))  # exact
    whole = analyse_audio(mono, rate)
    assert float(np.dot(whole.embedding, feats["embedding"])) > 0.9
    assert abs(feats["speech_s"] - whole.speech_s) < 0.15 * whole.speech_s
    starts = np.asarray(feats["window_starts"])
    assert np.all(np.diff(starts) > 0) and starts[-1] < mono.shape[0] / rate


def test_a_long_member_of_another_format_is_analysed_too(tmp_path, monkeypatch) -> None:
    """Not WAV: the block decoder decodes it whole (within its caps); the result is the whole analysis's."""
    from voicearchive.voices.features import analyse_audio, model_version

    evidence = tmp_path / "ev"
    evidence.mkdir()
    speech = _speech(16000)[: 16000 * 6]
    sf.write(evidence / "long.flac", speech, 16000)
    monkeypatch.setattr(runner, "CHUNKED_BYTES", 1000)
    monkeypatch.setattr(long_audio, "CHUNK_SECONDS", 600.0)  # one chunk: the whole recording
    p = scan(evidence, tmp_path / "c.vacase")
    assert p.last_run.shipped_bytes == 0
    with CaseStore(tmp_path / "c.vacase") as store:
        item = store.items()[0]
        assert item.rec.problem == ""
        feats = store.voice_features(item.rec.sha256, model_version())
    samples, rate = sf.read(evidence / "long.flac", dtype="float32")
    whole = analyse_audio(samples, rate)
    assert float(np.dot(whole.embedding, feats["embedding"])) > 0.999


# ------------------------------------------------------------------------------------------- no network
NETWORK_MODULES = {"socket", "ssl", "asyncio", "http", "urllib.request", "ftplib", "smtplib", "xmlrpc",
                   "distributed", "dask", "tornado", "requests", "websockets"}  # urllib.parse only parses text
CLUSTER_MODULES = {"voicearchive/cluster.py", "voicearchive/cluster_plugins.py"}


def test_no_core_module_imports_a_network_module_at_load_time() -> None:
    offenders = []
    for path in sorted((ROOT / "voicearchive").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in CLUSTER_MODULES:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{rel}: {n}" for n in names
                          if n in NETWORK_MODULES or n.split(".")[0] in NETWORK_MODULES - {"urllib.request"}]
    assert offenders == []


def test_a_scan_without_cluster_loads_no_cluster_code(folder, tmp_path) -> None:
    code = (
        "import sys; from voicearchive import cli; rc = cli.main(['scan', sys.argv[1], '--case', sys.argv[2], '-q']);"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('distributed', 'dask', 'tornado', 'ssl')"
        " or m == 'voicearchive.cluster'); print(rc, bad)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder), str(tmp_path / "c.vacase")], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stderr[-2000:]


def test_the_cli_says_when_the_cluster_went_away_and_keeps_what_was_done(folder, tmp_path, monkeypatch,
                                                                          capsys) -> None:
    from voicearchive import cli, cluster

    monkeypatch.setattr(runner, "JOB_BYTES", 1)
    monkeypatch.setattr(runner, "BATCH_SECONDS", 0.0)

    class Lost(FlakyInProcess):
        def describe(self):
            return Message.of("pipeline.cluster_connected", address="local:1", n=1, threads=1)

        def close(self) -> None:
            self.closed = True

    executor = Lost(lost_after=3)
    monkeypatch.setattr(cluster, "connect", lambda address, **kw: executor)
    case = tmp_path / "c.vacase"
    code = cli.main(["scan", str(folder), "--case", str(case), "--cluster", "local:1"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_INTERRUPTED and executor.closed
    assert "the cluster went away" in err and "Traceback" not in err
    with CaseStore(case) as store:
        assert len(store.envelope_shas([i.rec.sha256 for i in store.items()])) == 3


# A stage declared by a test, as the speech-to-text stage will be declared: compute on the worker, done/save here.
SAVED: dict[str, object] = {}


def compute_loudness(decoded):
    out = []
    for d in decoded:
        if d.duration_s < 2.0:  # the 1.5 s noise clips
            out.append(__import__("voicearchive.stages", fromlist=["Failed"]).Failed("too short to measure"))
        else:
            out.append(float(np.sqrt(np.mean(np.square(d.samples, dtype=np.float64)))))
    return out


def test_another_stage_plugs_in_by_declaring_it(folder, tmp_path, monkeypatch) -> None:
    from voicearchive import stages

    loudness = stages.Stage("loudness", "rms-1", "test_loudness", compute_loudness,
                            done=lambda store, shas: {s for s in shas if s in SAVED},
                            save=lambda store, outputs: SAVED.update(outputs), failure_is_problem=False)
    monkeypatch.setattr(stages, "STAGES", (*stages.STAGES, loudness))
    SAVED.clear()
    p = scan(folder, tmp_path / "a.vacase")  # in-process: the worker sees the same declaration
    assert p.last_run.recordings == 11 and len(SAVED) == 11
    assert sum(isinstance(v, stages.Failed) for v in SAVED.values()) == 6  # kept in its own table
    with CaseStore(tmp_path / "a.vacase") as store:
        assert all(not i.rec.problem for i in store.items() if i.rec.member_path != "notes.wav")
    assert jobs.worker_versions()["loudness"] == "rms-1"
    SAVED.pop(next(iter(SAVED)))
    calls = []
    real = jobs.run_job
    monkeypatch.setattr(jobs, "run_job", lambda job: calls.append(job.stages) or real(job))
    p = scan(folder, tmp_path / "a.vacase")  # only the missing output of the new stage is computed
    assert calls == [("loudness",)] and p.last_run.recordings == 1
