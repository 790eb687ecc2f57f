"""A process killed (SIGKILL) at a random moment loses no label it reported as made.

The child labels recordings in a loop while a thread of it writes pipeline-style batches, and prints
each label's number only after the action has returned (committed). The parent kills it at a random point, reopens
the case file and checks every printed label, the undo history, and SQLite's own integrity check.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from voicearchive.case.labels import LabelBook
from voicearchive.case.store import CaseStore
from voicearchive.model import ROLE_STRANGER

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

CHILD = textwrap.dedent(
    """
    import sys
    import threading
    import time
    from voicearchive.case.labels import LabelBook
    from voicearchive.case.store import CaseStore
    from voicearchive.model import Recording

    store = CaseStore(sys.argv[1])
    book = LabelBook(store)
    i = int(sys.argv[2])


    first_batch = threading.Event()


    def pipeline():  # an import running meanwhile, on its own thread: batches of recordings and cache rows
        batch = 0
        while True:
            with store.transaction():
                store.put_recordings(Recording(f"{i}-{batch}-{j}", "/ev", f"{j}.wav", "loose") for j in range(50))
                store.cache_members(("/ev", f"{i}/{batch}/{j}", "fp", "0" * 64, j, None, "") for j in range(50))
            first_batch.set()
            batch += 1
            time.sleep(0.002)  # reading and hashing the next members


    threading.Thread(target=pipeline, daemon=True).start()
    first_batch.wait()  # the writer thread is running before any label is made (no race in the check below)
    print("ready", flush=True)
    while True:
        key = f"rec-{i:06d}"
        if i % 3 == 0:
            book.set_flag([key], True)
        elif i % 3 == 1:
            book.set_role([key, key + "-twin"], "stranger")
        else:
            book.set_note(key, f"note {i}")
        if i % 11 == 0:  # undo then redo: the label ends as it was, the history stays linear
            book.undo()
            book.redo()
        print(i, flush=True)
        i += 1
    """
)


def check_done(book: LabelBook, i: int) -> None:
    key = f"rec-{i:06d}"
    label = book.get(key)
    if i % 3 == 0:
        assert label.flag is True, key
    elif i % 3 == 1:
        assert label.role == ROLE_STRANGER and book.get(key + "-twin").role == ROLE_STRANGER, key
    else:
        assert label.note == f"note {i}", key


def run_until_killed(script, path, start: int, rng: random.Random) -> list[int]:
    repo = str(Path(__file__).resolve().parent.parent)  # import this checkout, installed or not
    python_path = os.pathsep.join(p for p in (repo, os.environ.get("PYTHONPATH", "")) if p)
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": python_path},
    )
    try:
        assert child.stdout.readline() == "ready\n", child.stderr.read()
        done = []
        wanted = rng.randint(3, 40)
        while len(done) < wanted:
            line = child.stdout.readline()
            assert line, f"the child stopped by itself: {child.stderr.read()}"
            done.append(int(line))
        time.sleep(rng.uniform(0, 0.02))  # land anywhere inside the next actions
        os.kill(child.pid, signal.SIGKILL)
        done += [int(line) for line in child.stdout.read().split()]
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return done


def test_no_reported_label_is_lost_when_killed(tmp_path):
    script = tmp_path / "labeller.py"
    script.write_text(CHILD)
    path = tmp_path / "crash.vacase"
    rng = random.Random(2)  # the kill lands wherever the child happens to be
    start = 0
    for _round in range(5):
        done = run_until_killed(script, path, start, rng)
        assert done == list(range(start, start + len(done)))
        assert Path(f"{path}-wal").exists()  # reopening must recover from the killed writer's WAL
        with CaseStore(path) as store:
            conn = store.connection()
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert store.count() > 0  # the pipeline thread wrote (its first batch before any label)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            book = LabelBook(store)
            for i in range(0, start + len(done)):
                check_done(book, i)
            actions = conn.execute("SELECT count(*) FROM label_actions WHERE undone = 0").fetchone()[0]
            assert actions >= start + len(done)
            # the history is usable after the crash: undo the last action and redo it
            last = conn.execute("SELECT max(id) FROM label_actions").fetchone()[0]
            killed_between_undo_and_redo = book.can_redo()
            assert book.undo() and book.redo()
            assert conn.execute("SELECT max(id) FROM label_actions").fetchone()[0] == last
            assert book.can_redo() == killed_between_undo_and_redo
            for i in range(0, start + len(done)):
                check_done(book, i)
            # the next round starts after whatever the killed child may have committed unreported
            labelled = [int(key[4:10]) for (key,) in conn.execute("SELECT key FROM labels")]
            start = max(start + len(done), 1 + max(labelled))
