"""The case file's owner voice samples (the ``enrolments`` table), as methods of ``CaseStore``.

Each sample keeps its embedding, the voice model version that made it and its speech (16 kHz, 16-bit PCM), so
that another model can embed it again (``voices/enrolment.py``). A removed sample's speech is overwritten in the
file, not left in free pages. No Qt.
"""

from __future__ import annotations

import numpy as np

from voicearchive.case.rows import f32_array, f32_blob, now_text


class EnrolmentRows:
    """Mixed into ``CaseStore``: uses its ``connection()`` and ``transaction()``."""

    def add_enrolment(self, name: str, embedding: np.ndarray, model_version: str = "",
                      speech: bytes | None = None) -> int:
        """Store an owner voice sample's embedding, the model version that made it and the sample's speech
        (``voices.enrolment``: 16 kHz 16-bit PCM, kept so that another model can embed it again); returns its id."""
        vector = np.ravel(np.asarray(embedding, dtype=np.float32))
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO enrolments (name, embedding, dim, created_at, model_version, speech)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, f32_blob(vector), vector.size, now_text(), model_version, speech),
            )
        return int(cur.lastrowid)

    def enrolment_samples(self) -> list[tuple[int, np.ndarray, str, bool]]:
        """``(id, embedding, model version, whether its speech is kept)`` of every enrolment, oldest first (the
        speech itself is read only when it is needed, :meth:`enrolment_speech`: every analysis reads this)."""
        rows = self.connection().execute(
            "SELECT id, embedding, dim, model_version, speech IS NOT NULL FROM enrolments ORDER BY id")
        return [(i, f32_array(blob, (dim,)), version, bool(kept)) for i, blob, dim, version, kept in rows]

    def enrolment_speech(self, enrolment_id: int) -> bytes | None:
        """The kept speech of one enrolment (16 kHz 16-bit PCM), or None."""
        row = self.connection().execute("SELECT speech FROM enrolments WHERE id = ?", (enrolment_id,)).fetchone()
        return None if row is None or row[0] is None else bytes(row[0])

    def update_enrolment(self, enrolment_id: int, embedding: np.ndarray, model_version: str) -> None:
        """Replace an enrolment's embedding with one the named model version made from its kept speech."""
        vector = np.ravel(np.asarray(embedding, dtype=np.float32))
        with self.transaction() as conn:
            conn.execute("UPDATE enrolments SET embedding = ?, dim = ?, model_version = ? WHERE id = ?",
                         (f32_blob(vector), vector.size, model_version, enrolment_id))

    def enrolments(self) -> list[tuple[int, str, np.ndarray]]:
        """``(id, name, embedding)`` of every enrolment, oldest first."""
        rows = self.connection().execute("SELECT id, name, embedding, dim FROM enrolments ORDER BY id")
        return [(i, name, f32_array(blob, (dim,))) for i, name, blob, dim in rows]

    def remove_enrolment(self, enrolment_id: int) -> bool:
        """Delete an enrolment; ``False`` if there was none with that id. Its speech is overwritten in the file
        (SQLite's ``secure_delete``), not left in free pages: a removed voice sample is gone."""
        connection = self.connection()
        connection.execute("PRAGMA secure_delete = ON")
        try:
            with self.transaction() as conn:
                return conn.execute("DELETE FROM enrolments WHERE id = ?", (enrolment_id,)).rowcount > 0
        finally:
            connection.execute("PRAGMA secure_delete = OFF")


__all__ = ["EnrolmentRows"]
