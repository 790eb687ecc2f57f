"""Tables of the case file and the migrations that build them.

The schema version lives in SQLite's own header (``PRAGMA user_version``) so that it changes in the
same transaction as the tables; ``PRAGMA application_id`` marks the file as a VoiceArchive case so a
stray SQLite database (a browser history, say) is refused instead of being written into.

A schema change is a new entry appended to ``MIGRATIONS``, never an edit of an old one: a case file
made by any earlier release is brought forward step by step, and a file from a newer release (whose
version is above ``SCHEMA_VERSION``) is refused untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# "VACF" read as a big-endian 32-bit integer: identifies a VoiceArchive case file.
APPLICATION_ID = 0x56414346


@dataclass(frozen=True)
class Migration:
    """One step of the schema: from ``version - 1`` to ``version``."""

    version: int
    description: str
    steps: Sequence[str | Callable[[sqlite3.Connection], None]]

    def apply(self, conn: sqlite3.Connection) -> None:
        """Run every step on ``conn`` (the caller holds the write transaction)."""
        for step in self.steps:
            if callable(step):
                step(conn)
            else:
                conn.execute(step)


_V1 = (
    # Free-form facts about the case itself (identity of what was opened, creation time...).
    """CREATE TABLE case_info (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
    # The archives (files or folders) this case was opened from, in the order given.
    """CREATE TABLE sources (
        position INTEGER PRIMARY KEY,
        path TEXT NOT NULL
    )""",
    # One row per Recording; the AudioFacts columns are NULL when there is no audio. No index beyond
    # the key: items() reads every row and sorts (cheaper than an index walk), and writes stay fast.
    """CREATE TABLE recordings (
        key TEXT PRIMARY KEY,
        archive TEXT NOT NULL,
        member_path TEXT NOT NULL,
        source_format TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        recorded_at TEXT,
        time_basis TEXT NOT NULL,
        device TEXT NOT NULL,
        transcript TEXT NOT NULL,
        assistant_response TEXT NOT NULL,
        not_for_assistant INTEGER NOT NULL,
        vendor_speaker_hint TEXT NOT NULL,
        join_method TEXT NOT NULL,
        codec TEXT,
        sample_rate INTEGER,
        channels INTEGER,
        duration_s REAL,
        problem TEXT NOT NULL,
        extra TEXT NOT NULL
    )""",
    # What a member was found to be the last time it was read; valid while its fingerprint holds.
    """CREATE TABLE member_cache (
        container TEXT NOT NULL,
        path TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        codec TEXT,
        sample_rate INTEGER,
        channels INTEGER,
        duration_s REAL,
        problem TEXT NOT NULL,
        PRIMARY KEY (container, path)
    ) WITHOUT ROWID""",
    # Min/max waveform envelope of some audio content, keyed by its SHA-256.
    """CREATE TABLE envelopes (
        sha256 TEXT PRIMARY KEY,
        data BLOB NOT NULL
    )""",
    # Speaker features of some audio content for one encoder version; float32 little-endian blobs.
    """CREATE TABLE voice_features (
        sha256 TEXT NOT NULL,
        model_version TEXT NOT NULL,
        embedding BLOB,
        speech_s REAL NOT NULL,
        windows BLOB NOT NULL,
        window_count INTEGER NOT NULL,
        window_dim INTEGER NOT NULL,
        window_starts BLOB NOT NULL,
        PRIMARY KEY (sha256, model_version)
    )""",
    # The last voice report, one row per recording key.
    """CREATE TABLE voice_results (
        key TEXT PRIMARY KEY,
        group_id INTEGER NOT NULL,
        group_name TEXT NOT NULL,
        owner_similarity REAL,
        flagged INTEGER NOT NULL,
        flag_reason TEXT NOT NULL,
        uncertain INTEGER NOT NULL,
        speech_s REAL NOT NULL,
        other_voice_spans TEXT NOT NULL
    )""",
    # The report's groups and summary (owner source, threshold, message): a single row.
    """CREATE TABLE voice_report (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        groups TEXT NOT NULL,
        meta TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    # User settings of this case: JSON values (threshold, owner, column layout, selection...).
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
    # Owner voice samples enrolled from a file or the microphone.
    """CREATE TABLE enrolments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        embedding BLOB NOT NULL,
        dim INTEGER NOT NULL,
        created_at TEXT NOT NULL
    )""",
    # The user's decision about a recording; a row exists only while something is decided.
    """CREATE TABLE labels (
        key TEXT PRIMARY KEY,
        flag INTEGER CHECK (flag IN (0, 1)),
        role TEXT CHECK (role IN ('owner', 'household', 'stranger')),
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    )""",
    # Undo history: one row per user action. Undone actions always form the tail (highest ids).
    """CREATE TABLE label_actions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        value TEXT,
        key_count INTEGER NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        created_at TEXT NOT NULL
    )""",
    # The label of each key an action touched, before and after it.
    """CREATE TABLE label_changes (
        action_id INTEGER NOT NULL REFERENCES label_actions (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        before_flag INTEGER,
        before_role TEXT,
        before_note TEXT NOT NULL,
        after_flag INTEGER,
        after_role TEXT,
        after_note TEXT NOT NULL,
        PRIMARY KEY (action_id, key)
    ) WITHOUT ROWID""",
)

# --- transcripts (issue 10): words from the vendor, a PDF or speech-to-text, each row kept apart -------------
_TRANSCRIPTS = (
    # One transcript of some audio content (``subject`` = "sha256:<hex>") or of an item without audio
    # ("key:<recording key>"), from one ``source`` ("vendor", "pdf", "machine") and ``engine`` (the
    # speech-to-text model and its version; "" for vendor and PDF). ``words`` is JSON
    # [[start_s, end_s, probability, word], ...]; ``location`` JSON {file, page, line} for a PDF row.
    # ``status`` is "" for words, "no-speech" when the VAD found none, "failed" with the reason in text.
    """CREATE TABLE transcripts (
        subject TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('vendor', 'pdf', 'machine')),
        engine TEXT NOT NULL,
        text TEXT NOT NULL,
        words TEXT NOT NULL,
        language TEXT NOT NULL,
        confidence REAL,
        low_confidence INTEGER NOT NULL,
        status TEXT NOT NULL,
        location TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (subject, source, engine)
    ) WITHOUT ROWID""",
)

# Issue 8 (voices): what decides each flag is saved with it, and a voice's role is a decision about the voice
# (its stable id), kept apart from the recordings' labels but in the same undo history (label_changes rows
# whose key is "\x1fvoice:<id>").
_VOICE_DECISIONS = (
    "ALTER TABLE voice_results ADD COLUMN score REAL",
    "ALTER TABLE voice_results ADD COLUMN other_score REAL",
    "ALTER TABLE voice_results ADD COLUMN in_owner_set INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE voice_results ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE voice_results ADD COLUMN name TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE voice_decisions (
        voice_id INTEGER PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('owner', 'household', 'stranger')),
        updated_at TEXT NOT NULL
    )""",
)

MIGRATIONS: list[Migration] = [
    Migration(1, "first case file layout", _V1),
    Migration(2, "transcripts in a table of their own", _TRANSCRIPTS),
    Migration(3, "voices: flag basis saved per recording; voice decisions by stable voice id", _VOICE_DECISIONS),
    # What a person should know about audio that can be played (AudioFacts.note: truncated, decoded in
    # part), as Message JSON; kept per recording and in the member cache so a re-scan keeps it.
    Migration(4, "audio notes", (
        "ALTER TABLE recordings ADD COLUMN audio_note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE member_cache ADD COLUMN audio_note TEXT NOT NULL DEFAULT ''",
    )),
    # An owner sample keeps the model version that embedded it and its speech (16 kHz, 16-bit PCM), so that
    # a new voice model embeds it again instead of comparing another model's embedding (voices/enrolment.py).
    # Samples enrolled before keep '' and no speech: they are used as they were.
    Migration(5, "owner samples keep their speech and model version", (
        "ALTER TABLE enrolments ADD COLUMN model_version TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE enrolments ADD COLUMN speech BLOB",
    )),
]

SCHEMA_VERSION = MIGRATIONS[-1].version
