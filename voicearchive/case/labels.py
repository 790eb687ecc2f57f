"""The user's labels (flag, role, note) with an undo/redo history kept in the case file.

Every action is one committed transaction that writes the new labels together with a history entry
holding each touched label before and after. So undo and redo survive a restart, and a kill at any
moment loses no label whose action returned. The history is linear, as in an editor: undone actions
form its tail, and a new action drops that tail.

What a mark does to a label, and what a label means for the flag shown, is one table:
``voicearchive.voices.marks`` (``CaseItem.flagged`` applies it).

Decisions about a *voice* (its role, given in the Voices view) are kept apart from the recordings' labels, in
the ``voice_decisions`` table keyed by the voice's stable id, but share the one undo history: their history
rows carry the key ``"\x1fvoice:<id>"``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import NamedTuple

from voicearchive.case.rows import label_from, now_text
from voicearchive.case.store import CaseStore
from voicearchive.model import ROLES, Label
from voicearchive.voices import marks

Listener = Callable[[list[str]], None]
_State = tuple[int | None, str | None, str]  # (flag, role, note) as stored; (None, None, "") = undecided
_UNDECIDED: _State = (None, None, "")
_CHUNK = 500


# Action kinds; ``Action.value`` is the flag (True/False/None) for FLAG, the role (or None) for ROLE.
FLAG, ROLE, NOTE, CLEAR, VOICE = "flag", "role", "note", "clear", "voice"
VOICE_PREFIX = "\x1fvoice:"  # history key of a voice decision


def voice_key(voice_id: int) -> str:
    return f"{VOICE_PREFIX}{int(voice_id)}"


class Action(NamedTuple):
    """One entry of the history: what undo or redo would apply next. A translated interface builds
    its own text from ``kind``, ``value`` and ``count``; :attr:`text` is the English one."""

    id: int
    kind: str
    value: bool | str | None
    count: int  # recordings whose label the action changed

    @property
    def text(self) -> str:
        """Plain English, e.g. ``"flag 3 recordings"`` or ``"mark 1 recording as owner"``."""
        things = f"{self.count} recording{'' if self.count == 1 else 's'}"
        if self.kind == FLAG:
            verb = "clear the flag of" if self.value is None else "flag" if self.value else "unflag"
            return f"{verb} {things}"
        if self.kind == ROLE:
            return f"clear the voice role of {things}" if self.value is None else f"mark {things} as {self.value}"
        if self.kind == CLEAR:
            return f"clear the labels of {things}"
        if self.kind == VOICE:
            voices = f"{self.count} voice{'' if self.count == 1 else 's'}"
            return f"clear the role of {voices}" if self.value is None else f"mark {voices} as {self.value}"
        return "edit the note" if self.count == 1 else f"edit the notes of {things}"


class LabelBook:
    """Labels of one case file. Actions take an iterable of recording keys (a single key string is
    taken as one key). Callbacks given to :meth:`subscribe` get the list of keys whose label changed,
    after the change is committed, in the thread that made it."""

    def __init__(self, store: CaseStore) -> None:
        self._store = store
        self._listeners: list[Listener] = []

    # ----------------------------------------------------------------- reading

    def get(self, key: str) -> Label:
        """The label of ``key`` (an undecided ``Label`` if the user never labelled it)."""
        row = self._store.connection().execute("SELECT flag, role, note FROM labels WHERE key = ?", (key,)).fetchone()
        return label_from(key, *(row or _UNDECIDED))

    def all(self) -> dict[str, Label]:
        """Every recording the user has decided something about."""
        rows = self._store.connection().execute("SELECT key, flag, role, note FROM labels")
        return {key: label_from(key, flag, role, note) for key, flag, role, note in rows}

    # ----------------------------------------------------------------- actions

    def set_flag(self, keys: Iterable[str], value: bool | None) -> int:
        """Flag (``True``), unflag (``False``) or give back to automatic analysis (``None``).
        Returns how many labels changed (0 adds nothing to the history)."""
        flag = None if value is None else bool(value)

        def change(s: _State) -> _State:
            f, role = marks.set_flag((None if s[0] is None else bool(s[0]), s[1]), flag)
            return (None if f is None else int(f), role, s[2])

        return self._act(FLAG, flag, keys, change)

    def set_role(self, keys: Iterable[str], role: str | None) -> int:
        """Mark as ``owner``, ``household`` or ``stranger``, or clear the role (``None``)."""
        if role is not None and role not in ROLES:
            raise ValueError(f"unknown voice role {role!r}; expected one of {', '.join(ROLES)}")
        def change(s: _State) -> _State:
            f, r = marks.set_role((None if s[0] is None else bool(s[0]), s[1]), role)
            return (None if f is None else int(f), r, s[2])

        return self._act(ROLE, role, keys, change)

    def set_voice_role(self, voice_ids: Iterable[int], role: str | None) -> int:
        """A decision about whole voices (stable voice ids, Voices view): owner, household, stranger or
        undecided (None). It never touches the recordings' own labels; one undo step."""
        if role is not None and role not in ROLES:
            raise ValueError(f"unknown voice role {role!r}; expected one of {', '.join(ROLES)}")
        ids = [voice_ids] if isinstance(voice_ids, int) else list(voice_ids)
        return self._act(VOICE, role, [voice_key(v) for v in ids], lambda s: (None, role, ""))

    def voice_roles(self) -> dict[int, str]:
        """Every voice the user gave a role: stable voice id -> role."""
        rows = self._store.connection().execute("SELECT voice_id, role FROM voice_decisions")
        return {int(v): str(r) for v, r in rows}

    def set_note(self, key: str, text: str) -> int:
        """Replace the note of ``key`` (``""`` removes it)."""
        return self._act(NOTE, None, [key], lambda s: (s[0], s[1], str(text)))

    def clear(self, keys: Iterable[str]) -> int:
        """Give flag and role back to automatic analysis in one action (one undo step); notes stay."""
        return self._act(CLEAR, None, keys, lambda s: (None, None, s[2]))

    # ----------------------------------------------------------------- history

    def undo(self) -> str | None:
        """Undo the last action; returns e.g. ``"Undo flag 3 recordings"``, or ``None`` if nothing to undo."""
        return self._step(undo=True)

    def redo(self) -> str | None:
        """Redo the last undone action; returns e.g. ``"Redo flag 3 recordings"``, or ``None``."""
        return self._step(undo=False)

    def can_undo(self) -> bool:
        return self.undo_action() is not None

    def can_redo(self) -> bool:
        return self.redo_action() is not None

    def undo_text(self) -> str | None:
        """Menu text for :meth:`undo`, e.g. ``"Undo flag 3 recordings"``; ``None`` if nothing to undo."""
        action = self.undo_action()
        return None if action is None else f"Undo {action.text}"

    def redo_text(self) -> str | None:
        """Menu text for :meth:`redo`, e.g. ``"Redo flag 3 recordings"``; ``None`` if nothing to redo."""
        action = self.redo_action()
        return None if action is None else f"Redo {action.text}"

    def undo_action(self) -> Action | None:
        """The action :meth:`undo` would take back."""
        return self._next("SELECT id, kind, value, key_count FROM label_actions WHERE undone = 0 ORDER BY id DESC")

    def redo_action(self) -> Action | None:
        """The action :meth:`redo` would apply again."""
        return self._next("SELECT id, kind, value, key_count FROM label_actions WHERE undone = 1 ORDER BY id")

    # ----------------------------------------------------------------- listeners

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(keys)`` after every committed change; returns a function that unsubscribes."""
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    # ----------------------------------------------------------------- internals

    def _act(self, kind: str, value: object, keys: Iterable[str], change: Callable[[_State], _State]) -> int:
        wanted = [keys] if isinstance(keys, str) else list(dict.fromkeys(keys))  # one key, not its letters
        with self._store.transaction() as conn:
            before = _states(conn, wanted)
            changed = {k: change(before[k]) for k in wanted}
            changed = {k: after for k, after in changed.items() if after != before[k]}
            if not changed:
                return 0
            conn.execute("DELETE FROM label_actions WHERE undone = 1")  # a new action drops the redo tail
            action_id = conn.execute(
                "INSERT INTO label_actions (kind, value, key_count, created_at) VALUES (?, ?, ?, ?)",
                (kind, json.dumps(value), len(changed), now_text()),
            ).lastrowid
            conn.executemany(
                "INSERT INTO label_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(action_id, k, *before[k], *after) for k, after in changed.items()],
            )
            _write(conn, changed)
            keys_changed = list(changed)
            self._store.on_commit(lambda: self._notify(keys_changed))
        return len(changed)

    def _next(self, sql: str) -> Action | None:
        row = self._store.connection().execute(sql + " LIMIT 1").fetchone()
        return None if row is None else Action(row[0], row[1], json.loads(row[2]), row[3])

    def _step(self, undo: bool) -> str | None:
        with self._store.transaction() as conn:
            action = self.undo_action() if undo else self.redo_action()
            if action is None:
                return None
            side = "before" if undo else "after"
            rows = conn.execute(
                f"SELECT key, {side}_flag, {side}_role, {side}_note FROM label_changes WHERE action_id = ?",
                (action.id,),
            ).fetchall()
            states = {key: (flag, role, note) for key, flag, role, note in rows}
            _write(conn, states)
            conn.execute("UPDATE label_actions SET undone = ? WHERE id = ?", (int(undo), action.id))
            keys = list(states)
            self._store.on_commit(lambda: self._notify(keys))
        return f"{'Undo' if undo else 'Redo'} {action.text}"

    def _notify(self, keys: list[str]) -> None:
        for callback in list(self._listeners):
            callback(keys)


def _states(conn: sqlite3.Connection, keys: list[str]) -> dict[str, _State]:
    states: dict[str, _State] = dict.fromkeys(keys, _UNDECIDED)
    voices = [k for k in keys if k.startswith(VOICE_PREFIX)]
    if voices:
        roles = dict(conn.execute("SELECT voice_id, role FROM voice_decisions").fetchall())
        for k in voices:
            role = roles.get(int(k[len(VOICE_PREFIX):]))
            states[k] = (None, role, "")
        keys = [k for k in keys if not k.startswith(VOICE_PREFIX)]
    for start in range(0, len(keys), _CHUNK):
        part = keys[start : start + _CHUNK]
        marks = ", ".join("?" * len(part))
        rows = conn.execute(f"SELECT key, flag, role, note FROM labels WHERE key IN ({marks})", part)
        states.update((key, (flag, role, note)) for key, flag, role, note in rows)
    return states


def _write(conn: sqlite3.Connection, states: dict[str, _State]) -> None:
    now = now_text()
    voices = {k: s for k, s in states.items() if k.startswith(VOICE_PREFIX)}
    if voices:
        for k, (_, role, _) in voices.items():
            vid = int(k[len(VOICE_PREFIX):])
            if role is None:
                conn.execute("DELETE FROM voice_decisions WHERE voice_id = ?", (vid,))
            else:
                conn.execute("INSERT OR REPLACE INTO voice_decisions VALUES (?, ?, ?)", (vid, role, now))
        states = {k: s for k, s in states.items() if k not in voices}
    conn.executemany("DELETE FROM labels WHERE key = ?", [(k,) for k, s in states.items() if s == _UNDECIDED])
    conn.executemany(
        "INSERT OR REPLACE INTO labels (key, flag, role, note, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(k, *s, now) for k, s in states.items() if s != _UNDECIDED],
    )
