"""The case file: privacy, schema versions, every kind of stored data, re-opening, threads, scale."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from voicearchive.case import schema
from voicearchive.case.labels import LabelBook
from voicearchive.case.paths import default_case_path, safe_label
from voicearchive.case.store import CaseError, CaseStore
from voicearchive.model import ROLE_STRANGER, AudioFacts, Recording, VoiceResult

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


def rec(key: str, minutes: int | None = 0, **kw) -> Recording:
    return Recording(
        key=key,
        archive="/evidence/takeout-001.zip",
        member_path=f"Takeout/My Activity/Assistant/{key}.mp3",
        source_format="google-takeout",
        recorded_at=None if minutes is None else T0 + timedelta(minutes=minutes),
        **kw,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ files and privacy


def test_new_case_file_and_its_wal_are_private(tmp_path):
    path = tmp_path / "sub" / "dir" / "x.vacase"
    umask_before = os.umask(0o022)
    try:
        with CaseStore(path) as store:
            store.put_recordings([rec("a")])
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert mode(path) == 0o600
            assert mode(wal) & 0o077 == 0
            assert mode(shm) & 0o077 == 0
        assert mode(path.parent) == 0o700
        assert os.umask(0o022) == 0o022  # the process umask is given back
    finally:
        os.umask(umask_before)


def test_a_wal_created_later_under_a_lax_umask_is_still_private(tmp_path):
    # Connections opened after creation (another thread, the next run) rely on SQLite giving the
    # -wal and -shm files the database file's own permissions.
    path = tmp_path / "x.vacase"
    CaseStore(path).close()
    assert not Path(f"{path}-wal").exists()
    umask_before = os.umask(0o022)
    try:
        with CaseStore(path) as store:
            worker = threading.Thread(target=lambda: (store.set("k", 1), store.close_thread()))
            worker.start()
            worker.join()
            assert store.get("k") == 1
            assert mode(Path(f"{path}-wal")) == 0o600 and mode(Path(f"{path}-shm")) == 0o600
        raw = sqlite3.connect(path)
        raw.execute("INSERT INTO settings VALUES ('raw', '2')")
        raw.commit()
        assert mode(Path(f"{path}-wal")) == 0o600
        raw.close()
    finally:
        os.umask(umask_before)


def test_an_existing_world_readable_case_file_is_made_private(tmp_path):
    path = tmp_path / "x.vacase"
    CaseStore(path).close()
    os.chmod(path, 0o644)
    with CaseStore(path) as store:
        assert store.count() == 0
    assert mode(path) == 0o600


def test_default_case_path_is_private_and_named_after_the_archive(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = default_case_path("0123456789abcdef0123", "takeout-2024 (1).zip")
    assert path == tmp_path / "data" / "VoiceArchive" / "cases" / "takeout-2024-1.zip-0123456789abcdef.vacase"
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
    assert not path.exists()
    assert safe_label("../../etc/passwd") == "etc-passwd"
    assert safe_label("Küche – Echo ☃") == "Küche-Echo"
    assert safe_label("a..b / c") == "a.b-c"
    assert safe_label("///") == "case"
    with pytest.raises(ValueError):
        default_case_path("", "x")


# ------------------------------------------------------------------ schema versions


def test_schema_version_and_application_id_are_set(tmp_path):
    path = tmp_path / "x.vacase"
    CaseStore(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


@pytest.mark.parametrize("kind", ["zero-bytes", "empty-database"])
def test_a_version_0_file_is_migrated(tmp_path, kind):
    # A crash between creating the file and its first migration leaves exactly this.
    path = tmp_path / "x.vacase"
    if kind == "zero-bytes":
        path.write_bytes(b"")
    else:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 0")
        conn.execute("VACUUM")
        conn.close()
    with CaseStore(path) as store:
        store.put_recordings([rec("a")])
        assert [r.key for r in store.recordings()] == ["a"]
        assert store.connection().execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_an_older_file_is_migrated_keeping_its_data(tmp_path, monkeypatch):
    path = tmp_path / "x.vacase"
    with CaseStore(path) as store:
        store.put_recordings([rec("a", transcript="hello")])
        LabelBook(store).set_flag(["a"], True)

    def add_reviewer(conn):
        conn.execute("UPDATE labels SET reviewer = 'unknown'")

    nxt = schema.SCHEMA_VERSION + 1
    v2 = schema.Migration(nxt, "who made a label", ["ALTER TABLE labels ADD COLUMN reviewer TEXT", add_reviewer])
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, v2])
    with CaseStore(path) as store:
        conn = store.connection()
        assert conn.execute("PRAGMA user_version").fetchone()[0] == nxt
        assert conn.execute("SELECT key, reviewer FROM labels").fetchall() == [("a", "unknown")]
        (item,) = store.items()
        assert item.rec.transcript == "hello" and item.label.flag is True


def test_a_case_file_before_the_voice_decisions_migration_keeps_its_voice_results(tmp_path, monkeypatch):
    """A file written before issue 8's migration: its voice results read back, with no flag basis yet."""
    path = tmp_path / "x.vacase"
    index = next(i for i, m in enumerate(schema.MIGRATIONS) if "voice decisions" in m.description)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:index])
    with CaseStore(path) as store:
        from voicearchive.case.rows import REC_COLUMNS, recording_row

        conn = store.connection()  # only the columns that file had (later migrations add more)
        have = [r[1] for r in conn.execute("PRAGMA table_info(recordings)")]
        row = dict(zip(REC_COLUMNS, recording_row(rec("a"))))
        conn.execute(f"INSERT INTO recordings ({', '.join(have)}) VALUES ({', '.join('?' * len(have))})",
                     [row[c] for c in have])
        store.connection().execute(
            "INSERT INTO voice_results VALUES ('a', 0, 'Voice A', 0.4, 1, 'unlike the owner', 0, 2.0, '[]')")
        store.connection().commit()
    monkeypatch.undo()
    with CaseStore(path) as store:
        (item,) = store.items()
        assert item.voice.flagged and item.voice.score is None and item.voice.reason is None
        assert item.flagged and item.flag_reason == "unlike the owner"
        assert LabelBook(store).voice_roles() == {}


def test_a_file_from_a_newer_version_is_refused_unchanged(tmp_path):
    path = tmp_path / "x.vacase"
    with CaseStore(path) as store:
        store.put_recordings([rec("a")])
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    conn.close()
    before = sha(path)
    newer, known = schema.SCHEMA_VERSION + 5, schema.SCHEMA_VERSION
    with pytest.raises(CaseError, match=f"newer version of VoiceArchive.*format {newer}.*reads up to {known}"):
        CaseStore(path)
    assert sha(path) == before
    assert not Path(f"{path}-wal").exists()


def test_a_foreign_sqlite_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "places.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (url TEXT)")
    conn.commit()
    conn.close()
    before = sha(path)
    with pytest.raises(CaseError, match="not a VoiceArchive case file"):
        CaseStore(path)
    assert sha(path) == before


def test_random_bytes_are_refused_with_a_clear_error(tmp_path):
    path = tmp_path / "x.vacase"
    path.write_bytes(os.urandom(4096))
    before = sha(path)
    with pytest.raises(CaseError, match=r"x\.vacase is not a VoiceArchive case file"):
        CaseStore(path)
    assert sha(path) == before


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(CaseError, match="not a file"):
        CaseStore(tmp_path)


def test_an_impossible_place_gives_a_clear_error(tmp_path):
    (tmp_path / "plain-file").write_text("x")
    with pytest.raises(CaseError, match=r"Cannot open the case file .*plain-file/x\.vacase: .*plain-file\)"):
        CaseStore(tmp_path / "plain-file" / "x.vacase")


# ------------------------------------------------------------------ recordings and items


def test_recordings_round_trip_every_field(tmp_path):
    full = Recording(
        key="alexa-export:utt-1",
        archive="/ev/amazon.zip",
        member_path="inner.zip!/Audio/utt 1.wav",
        source_format="alexa-export",
        sha256="ab" * 32,
        size=12345,
        recorded_at=datetime(2024, 3, 1, 13, 0, 0, 250000, tzinfo=timezone(timedelta(hours=1))),
        time_basis="utterance-id",
        device="Küche Echo",
        transcript="wie spät ist es",
        assistant_response="Es ist 12 Uhr",
        not_for_assistant=True,
        vendor_speaker_hint="From unrecognized speaker",
        join="utterance-id",
        audio=AudioFacts("wav/PCM_16", 16000, 1, 3.25),
        problem="",
        extra={"details": ["Started by hotword"], "n": 1.5, "ü": None},
    )
    naive = Recording("k", "/a", "", "alexa-voice-history", recorded_at=datetime(2024, 1, 1, 8, 0), problem="no audio")
    with CaseStore(tmp_path / "x.vacase") as store:
        assert store.put_recordings([full, naive]) == 2
        got = {r.key: r for r in store.recordings()}
    want = Recording(**{**full.__dict__, "recorded_at": datetime(2024, 3, 1, 12, 0, 0, 250000, tzinfo=timezone.utc)})
    assert got[full.key] == want
    assert got["k"].recorded_at == datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)
    assert got["k"].audio is None and got["k"].problem == "no audio"


def test_put_recordings_upserts_by_key(tmp_path):
    with CaseStore(tmp_path / "x.vacase") as store:
        store.put_recordings([rec("a"), rec("b")])
        store.put_recordings([rec("a", sha256="f" * 64, audio=AudioFacts("mp3", 24000, 1, 2.0))])
        assert store.count() == 2
        a = {r.key: r for r in store.recordings()}["a"]
        assert a.sha256 == "f" * 64 and a.audio == AudioFacts("mp3", 24000, 1, 2.0)
        assert store.put_recordings([]) == 0


def test_items_join_labels_and_voice_results_in_time_order(tmp_path):
    with CaseStore(tmp_path / "x.vacase") as store:
        store.put_recordings([rec("c", 5), rec("b", 5), rec("a", 9), rec("z", None), rec("y", None), rec("x", -3)])
        labels = LabelBook(store)
        labels.set_role(["b"], ROLE_STRANGER)
        labels.set_note("a", "kid's friend?")
        store.put_voice_results(
            [
                VoiceResult(
                    "a", group=1, group_name="Voice B", owner_similarity=0.2, flagged=True, flag_reason="unlike"
                ),
                VoiceResult("c", group=0, group_name="Owner", owner_similarity=0.9, other_voice_spans=[(1.0, 2.5)]),
            ],
            [{"id": 0, "size": 1}, {"id": 1, "size": 1}],
            {"owner_source": "largest group"},
        )
        items = store.items()
        assert [i.rec.key for i in items] == ["x", "b", "c", "a", "y", "z"]
        by_key = {i.rec.key: i for i in items}
        assert by_key["b"].label.role == ROLE_STRANGER and by_key["b"].voice is None and by_key["b"].flagged
        assert by_key["a"].label.note == "kid's friend?" and by_key["a"].flagged
        assert by_key["a"].voice.group_name == "Voice B" and by_key["a"].flag_reason == "unlike"
        assert by_key["c"].voice.other_voice_spans == [(1.0, 2.5)] and not by_key["c"].flagged
        assert by_key["x"].label.flag is None and by_key["x"].voice is None

        subset = store.items(["z", "a", "nope", "x", "a"])
        assert [i.rec.key for i in subset] == ["x", "a", "z"]
        assert subset[1].voice.owner_similarity == pytest.approx(0.2)
        assert store.items([]) == []


def test_items_with_many_keys_are_fetched_in_chunks(tmp_path):
    with CaseStore(tmp_path / "x.vacase") as store:
        store.put_recordings(rec(f"k{i:04d}", i % 7) for i in range(1300))
        keys = [f"k{i:04d}" for i in range(0, 1300, 2)]
        got = store.items(reversed(keys))
        assert sorted(i.rec.key for i in got) == keys
        assert [i.rec.recorded_at for i in got] == sorted(i.rec.recorded_at for i in got)


def test_100k_items_smoke(tmp_path):
    n = 100_000
    with CaseStore(tmp_path / "big.vacase") as store:
        facts = AudioFacts("mp3", 24000, 1, 4.0)
        for start in range(0, n, 20_000):
            store.put_recordings(
                rec(f"r{i:06d}", (n - i) // 3, sha256=f"{i:064x}", audio=facts, transcript=f"turn on light {i}")
                for i in range(start, start + 20_000)
            )
        LabelBook(store).set_flag([f"r{i:06d}" for i in range(0, n, 1000)], True)
        items = store.items()
        assert len(items) == n == store.count()
        times = [i.rec.recorded_at for i in items]
        assert times == sorted(times)
        assert items[0].rec.key == "r099998" and items[-1].rec.key == "r000001"  # ties by key
        assert sum(i.flagged for i in items) == 100


# ------------------------------------------------------------------ caches


def test_member_cache_hits_only_with_the_same_fingerprint(tmp_path):
    facts = AudioFacts("flac", 16000, 1, 1.0)
    with CaseStore(tmp_path / "x.vacase") as store:
        store.cache_member("/ev/t1.zip", "a.mp3", "crc1:10", "a" * 64, 10, facts, "")
        store.cache_member("/ev/t1.zip", "bad.mp3", "crc2:3", "b" * 64, 3, None, "truncated MP3")
        assert store.cached_member("/ev/t1.zip", "a.mp3", "crc1:10") == ("a" * 64, 10, facts, "")
        sha256, size, got_facts, problem = store.cached_member("/ev/t1.zip", "bad.mp3", "crc2:3")
        assert (sha256, size, got_facts, problem) == ("b" * 64, 3, None, "truncated MP3")
        assert store.cached_member("/ev/t1.zip", "a.mp3", "crc9:10") is None
        assert store.cached_member("/ev/t2.zip", "a.mp3", "crc1:10") is None

        store.cache_members([
            ("/ev/t2.zip", f"m{i}.wav", f"fp{i}", f"{i:064x}", i, facts if i % 2 else None, "" if i % 2 else "empty")
            for i in range(1200)
        ])  # fmt: skip
        store.cache_member("/ev/t1.zip", "a.mp3", "crc1:11", "c" * 64, 11, facts)  # the file changed
        asked = [("/ev/t2.zip", f"m{i}.wav", f"fp{i}" if i != 7 else "other") for i in range(1200)]
        asked += [("/ev/t1.zip", "a.mp3", "crc1:10"), ("/ev/t1.zip", "bad.mp3", "crc2:3"), ("/ev/t3", "x", "y")]
        found = store.cached_members(asked)
        assert len(found) == 1200
        assert ("/ev/t2.zip", "m7.wav") not in found and ("/ev/t1.zip", "a.mp3") not in found
        assert found["/ev/t2.zip", "m5.wav"] == (f"{5:064x}", 5, facts, "")
        assert found["/ev/t2.zip", "m4.wav"].problem == "empty"


def test_envelopes_and_voice_features_round_trip(tmp_path):
    env = np.linspace(-1, 1, 2000, dtype=np.float32).reshape(1000, 2)
    rng = np.random.default_rng(1)
    emb = rng.standard_normal(256).astype(np.float32)
    windows = rng.standard_normal((3, 256)).astype(np.float32)
    starts = np.array([0.0, 0.8, 1.6], dtype=np.float32)
    with CaseStore(tmp_path / "x.vacase") as store:
        store.put_envelope("s1", env.tobytes())
        assert np.array_equal(np.frombuffer(store.envelope("s1"), np.float32).reshape(-1, 2), env)
        assert store.envelope("s2") is None
        assert store.envelope_shas(["s1", "s2"]) == {"s1"}
        store.put_envelope("s5", env[::2].astype(np.float64))  # any array: stored as float32
        assert np.array_equal(np.frombuffer(store.envelope("s5"), np.float32).reshape(-1, 2), env[::2])

        store.put_voice_features("s1", "ge2e-1", emb, 2.5, windows, starts)
        store.put_voice_features("s2", "ge2e-1", None, 0.0, np.zeros((0, 256), np.float32), np.zeros(0, np.float32))
        store.put_voice_features("s3", "ge2e-1", None, 0.0, np.zeros(0, np.float32), [])
        got = store.voice_features("s1", "ge2e-1")
        assert np.array_equal(got["embedding"], emb) and got["speech_s"] == 2.5
        assert np.array_equal(got["windows"], windows) and np.array_equal(got["window_starts"], starts)
        got["windows"][0, 0] = 5.0  # callers get arrays of their own
        silent = store.voice_features("s2", "ge2e-1")
        assert silent["embedding"] is None and silent["windows"].shape == (0, 256)
        assert silent["window_starts"].shape == (0,)
        assert store.voice_features("s3", "ge2e-1")["windows"].shape == (0, 0)
        assert store.voice_features("s1", "ge2e-2") is None
        many = store.voice_features_many(["s1", "s2", "s9"], "ge2e-1")
        assert set(many) == {"s1", "s2"} and many["s1"]["windows"][0, 0] == windows[0, 0]
        with pytest.raises(ValueError, match="do not match"):
            store.put_voice_features("s4", "ge2e-1", emb, 1.0, windows, starts[:2])


def test_voice_results_round_trip_every_field(tmp_path):
    full = VoiceResult(
        key="k",
        group=3,
        group_name="Voice D",
        owner_similarity=0.25,
        flagged=True,
        flag_reason="unlike every known voice of the household",
        uncertain=True,
        speech_s=1.75,
        other_voice_spans=[(0.5, 1.25), (2.0, 3.5)],
    )
    from_numpy = VoiceResult("n", group=np.int64(2), owner_similarity=np.float32(0.5),
                             other_voice_spans=np.array([[1.0, 2.0]], np.float32))  # fmt: skip
    with CaseStore(tmp_path / "x.vacase") as store:
        store.put_voice_results([full, from_numpy], [], {})
        got = store.voice_results()
    assert got["k"] == full
    assert got["n"].group == 2 and type(got["n"].group) is int and got["n"].owner_similarity == 0.5
    assert got["n"].other_voice_spans == [(1.0, 2.0)]


def test_voice_report_is_replaced_atomically(tmp_path):
    with CaseStore(tmp_path / "x.vacase") as store:
        assert store.voice_results() == {} and store.voice_groups() == [] and store.voice_meta() == {}
        store.put_voice_results(
            [VoiceResult("a", group=0), VoiceResult("b", group=1, flagged=True)],
            [{"id": 0, "role": "owner", "centroid": np.ones(2, np.float32)}],
            {"threshold": np.float32(0.5), "message": "ok"},
        )
        store.put_voice_results([VoiceResult("c", group=2)], [{"id": 2}], {"message": "second"})
        assert set(store.voice_results()) == {"c"}
        with pytest.raises(sqlite3.IntegrityError):  # duplicate key half-way: nothing of it is kept
            store.put_voice_results([VoiceResult("d"), VoiceResult("d")], [], {"message": "broken"})
        assert set(store.voice_results()) == {"c"}
        assert store.voice_groups() == [{"id": 2}] and store.voice_meta() == {"message": "second"}


# ------------------------------------------------------------------ settings, enrolments, sources, reopen


def test_everything_is_there_after_reopening(tmp_path):
    path = tmp_path / "x.vacase"
    emb = np.arange(256, dtype=np.float32) / 256
    with CaseStore(path) as store:
        store.set_sources(["/ev/takeout-001.zip", Path("/ev/takeout-002.zip")], "feedc0de" * 8)
        store.put_recordings([rec("a", 1), rec("b", 2, audio=AudioFacts("mp3", 24000, 1, 3.0))])
        store.cache_member("/ev/takeout-001.zip", "a.mp3", "fp", "a" * 64, 1, None, "empty")
        store.put_envelope("a" * 64, b"\x00" * 8)
        store.put_voice_features("a" * 64, "m1", emb, 1.0, emb.reshape(1, 256), np.zeros(1, np.float32))
        store.put_voice_results([VoiceResult("a", group=0, group_name="Owner")], [{"id": 0}], {"threshold": 0.61})
        store.set("threshold", 0.61)
        store.set("columns", {"order": ["time", "device"], "widths": [120, 80]})
        store.set("selection", ["b"])
        store.set("owner_keys", {"a"})
        store.set("gone", 1)
        store.delete("gone")
        first = store.add_enrolment("microphone", emb)
        second = store.add_enrolment("owner.wav", -emb)
        assert store.remove_enrolment(first) and not store.remove_enrolment(first)
        LabelBook(store).set_note("b", "neighbour")
        before = store.items()
    with CaseStore(path) as store:
        assert store.sources() == (["/ev/takeout-001.zip", "/ev/takeout-002.zip"], "feedc0de" * 8)
        assert store.items() == before
        assert store.cached_member("/ev/takeout-001.zip", "a.mp3", "fp") == ("a" * 64, 1, None, "empty")
        assert store.envelope("a" * 64) == b"\x00" * 8
        assert np.array_equal(store.voice_features("a" * 64, "m1")["embedding"], emb)
        assert store.voice_meta() == {"threshold": 0.61}
        assert store.get("threshold") == 0.61 and store.get("selection") == ["b"]
        assert store.get("columns") == {"order": ["time", "device"], "widths": [120, 80]}
        assert store.get("owner_keys") == ["a"]
        assert store.get("gone", "default") == "default" and store.get("never") is None
        ((got_id, name, got_emb),) = store.enrolments()
        assert got_id == second and name == "owner.wav" and np.array_equal(got_emb, -emb)


def test_a_closed_store_says_so(tmp_path):
    store = CaseStore(tmp_path / "x.vacase")
    store.close()
    with pytest.raises(CaseError, match="closed"):
        store.count()


# ------------------------------------------------------------------ transactions and threads


def test_transaction_commits_once_and_rolls_back_on_error(tmp_path):
    with CaseStore(tmp_path / "x.vacase") as store:
        committed = []
        with store.transaction():
            store.put_recordings([rec("a")])
            store.set("k", 1)
            store.on_commit(lambda: committed.append("outer"))
            with pytest.raises(RuntimeError):
                with store.transaction():
                    store.put_recordings([rec("b")])
                    store.on_commit(lambda: committed.append("inner"))
                    raise RuntimeError("inner block fails")
            assert committed == []
        assert committed == ["outer"]
        assert [r.key for r in store.recordings()] == ["a"] and store.get("k") == 1

        with pytest.raises(KeyError):
            with store.transaction():
                store.put_recordings([rec("c")])
                store.on_commit(lambda: committed.append("lost"))
                raise KeyError("whole batch fails")
        assert store.count() == 1 and committed == ["outer"]


def test_a_case_kept_busy_too_long_gives_a_clear_error(tmp_path):
    path = tmp_path / "x.vacase"
    with CaseStore(path) as store, CaseStore(path, busy_timeout_s=0.1) as impatient:
        with store.transaction():  # same process: the writers queue on one lock
            store.set("k", 1)
            with pytest.raises(CaseError, match="is busy: another task kept writing for 0.1 s"):
                impatient.set("k", 2)
        impatient.set("k", 3)
        other_program = sqlite3.connect(path, isolation_level=None)
        other_program.execute("BEGIN IMMEDIATE")
        with pytest.raises(CaseError, match="is busy or cannot be written: database is locked"):
            impatient.set("k", 4)
        other_program.execute("ROLLBACK")
        other_program.close()
        impatient.set("k", 5)
        assert store.get("k") == 5


def test_a_worker_thread_writes_while_this_thread_reads_and_labels(tmp_path):
    path = tmp_path / "x.vacase"
    with CaseStore(path) as store:
        store.put_recordings([rec("first")])
        errors: list[BaseException] = []

        def pipeline() -> None:  # shares the store object: gets its own connection
            try:
                for batch in range(20):
                    with store.transaction():
                        store.put_recordings(rec(f"b{batch:02d}-{i:03d}", i) for i in range(200))
                        store.cache_members(
                            (path.name, f"b{batch}/{i}", "fp", f"{i:064x}", i, None, "") for i in range(200)
                        )
            except BaseException as exc:  # reported to the test thread below
                errors.append(exc)
            finally:
                store.close_thread()

        worker = threading.Thread(target=pipeline)
        labels = LabelBook(store)
        worker.start()
        seen = []
        while worker.is_alive():
            seen.append(store.count())
            labels.set_flag(["first"], not labels.get("first").flag)
        worker.join()
        assert errors == []
        assert store.count() == 1 + 20 * 200
        assert seen == sorted(seen) and all((n - 1) % 200 == 0 for n in seen)  # whole batches only
        assert store.connection().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
