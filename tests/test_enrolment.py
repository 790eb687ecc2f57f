"""An owner sample keeps its speech and the model version that embedded it, so that the enrolled voice follows the
voice model: a sample made by another version is embedded again from its kept speech (voices/enrolment.py)."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voicearchive.case import schema
from voicearchive.case.store import CaseStore
from voicearchive.pipeline import Pipeline
from voicearchive.voices import enrolment, features

SAMPLE = Path(__file__).parent / "data" / "enrol" / "3080-5032-0000.flac"


@pytest.fixture(scope="module")
def sample() -> tuple[np.ndarray, int]:
    samples, rate = sf.read(SAMPLE, dtype="float32")
    return samples, rate


def test_the_kept_speech_is_the_sample_at_16_khz_and_embeds_as_the_sample_does(sample) -> None:
    samples, rate = sample
    kept = enrolment.analyse_sample(samples, rate)
    assert kept.model_version == features.model_version()
    speech = np.frombuffer(kept.speech, "<i2")
    assert abs(len(speech) - len(samples) * 16000 / rate) <= 1  # 16 kHz, all of it (under KEEP_S)
    again = enrolment.embed_speech(kept.speech)
    assert float(again.embedding @ kept.features.embedding) > 0.9999  # 16-bit rounding only
    long = np.tile(samples, int(enrolment.KEEP_S * rate / len(samples)) + 2)
    assert len(enrolment.speech_of(long, rate)) == 2 * int(enrolment.KEEP_S * 16000)  # bounded


def test_a_sample_of_another_model_version_is_embedded_again_and_an_old_one_is_kept(sample, tmp_path) -> None:
    samples, rate = sample
    kept = enrolment.analyse_sample(samples, rate)
    stale = -kept.features.embedding  # what another model made of the same speech (here: clearly not it)
    legacy = np.full(256, 1 / 16, np.float32)  # enrolled before speech was kept: nothing can embed it again
    with CaseStore(tmp_path / "c.vacase") as store:
        old_id = store.add_enrolment("owner.wav", stale, "ge2e-an-older-model", kept.speech)
        legacy_id = store.add_enrolment("microphone", legacy)
        now = enrolment.current_embeddings(store)
        assert float(now[0] @ kept.features.embedding) > 0.9999 and np.array_equal(now[1], legacy)
        rows = {i: (emb, version) for i, emb, version, _kept in store.enrolment_samples()}
        assert rows[old_id][1] == features.model_version() and np.array_equal(rows[old_id][0], now[0])  # stored
        assert rows[legacy_id][1] == ""
        assert [name for _i, name, _e in store.enrolments()] == ["owner.wav", "microphone"]


def test_the_analysis_uses_the_sample_as_the_model_in_use_embeds_it(sample, tmp_path) -> None:
    buf = io.BytesIO()
    sf.write(buf, *sample, format="WAV")
    with CaseStore(tmp_path / "c.vacase") as store:
        pipeline = Pipeline([tmp_path], store)
        pipeline.enrol("owner.wav", buf.getvalue())
        ((enrolment_id, emb, version, kept),) = store.enrolment_samples()
        assert version == features.model_version() and kept and store.enrolment_speech(enrolment_id)
        store.update_enrolment(enrolment_id, -emb, "ge2e-an-older-model")
        decisions = pipeline.decisions()
    assert float(decisions.enrolled[0] @ emb) > 0.9999  # not the stale embedding


def test_a_case_file_from_before_the_migration_keeps_its_owner_samples(tmp_path, monkeypatch) -> None:
    path = tmp_path / "x.vacase"
    index = next(i for i, m in enumerate(schema.MIGRATIONS) if "owner samples" in m.description)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:index])
    emb = np.linspace(-1, 1, 256).astype(np.float32)
    with CaseStore(path) as store:
        store.connection().execute(
            "INSERT INTO enrolments (name, embedding, dim, created_at) VALUES ('owner.wav', ?, 256, 'then')",
            (sqlite3.Binary(emb.tobytes()),))
        store.connection().commit()
    monkeypatch.undo()
    with CaseStore(path) as store:
        ((enrolment_id, got, version, kept),) = store.enrolment_samples()
        assert np.array_equal(got, emb) and version == "" and not kept
        assert store.enrolment_speech(enrolment_id) is None
        assert np.array_equal(enrolment.current_embeddings(store)[0], emb)  # used as it was


def test_a_removed_sample_leaves_no_speech_in_the_case_file(tmp_path) -> None:
    path = tmp_path / "c.vacase"
    voice = b"the owner's own voice " * 4000  # 88 KB: overflow pages, as real speech takes
    with CaseStore(path) as store:
        enrolment_id = store.add_enrolment("owner.wav", np.ones(256, np.float32) / 16, "v", voice)
        store.add_enrolment("kept.wav", np.ones(256, np.float32) / 16, "v", b"another sample " * 10)
        assert store.remove_enrolment(enrolment_id)
        assert [name for _i, name, _e in store.enrolments()] == ["kept.wav"]
    left = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("c.vacase"))
    assert b"the owner's own voice" not in left


def test_the_command_line_refuses_a_sample_too_large_before_reading_it(tmp_path, monkeypatch, capsys) -> None:
    from voicearchive import cli

    big = tmp_path / "big.wav"
    with big.open("wb") as fh:
        fh.truncate(3 * 1024 * 1024)  # sparse: 3 MB that are never written
    monkeypatch.setattr(enrolment, "MAX_SAMPLE_BYTES", 2 * 1024 * 1024)
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read") if self == big else real(self))
    evidence = tmp_path / "ev"
    evidence.mkdir()
    sf.write(evidence / "a.wav", np.zeros(16000, np.float32), 16000)
    code = cli.main(["scan", str(evidence), "--case", str(tmp_path / "c.vacase"), "--owner-sample", str(big), "-q",
                     "--no-asr"])
    out = capsys.readouterr()
    assert code == 2 and "Traceback" not in out.err
    assert f"--owner-sample {big}: larger than 2 MB: too large for a voice sample" in out.err + out.out


def test_an_up_to_date_sample_is_used_without_reading_its_speech(sample, tmp_path, monkeypatch) -> None:
    kept = enrolment.analyse_sample(*sample)
    with CaseStore(tmp_path / "c.vacase") as store:
        store.add_enrolment("owner.wav", kept.features.embedding, kept.model_version, kept.speech)
        monkeypatch.setattr(store, "enrolment_speech", lambda _id: pytest.fail("the speech was read"))
        (now,) = enrolment.current_embeddings(store)  # every analysis asks: only a stale sample is read again
    assert np.array_equal(now, kept.features.embedding)
