"""User labels: flag, role, note, and an undo/redo history that lives in the case file."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from voicearchive.case.labels import Action, LabelBook
from voicearchive.case.store import CaseStore
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER, ROLES, Label, Recording, VoiceResult
from voicearchive.voices import marks


@pytest.fixture
def case(tmp_path):
    path = tmp_path / "x.vacase"
    with CaseStore(path) as store:
        store.put_recordings(Recording(k, "/ev", f"{k}.wav", "audio-folder") for k in "abcde")
    return path


def flags(store: CaseStore) -> dict[str, bool]:
    return {i.rec.key: i.flagged for i in store.items()}


def test_labels_are_set_read_and_cleared(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        assert book.get("a") == Label("a") and book.all() == {}
        assert book.set_flag(["a", "b", "a"], True) == 2
        assert book.set_flag("de", True) == 1 and book.get("de").flag and book.get("d").flag is None
        assert book.set_flag("de", None) == 1
        assert book.set_role(["b", "c"], ROLE_HOUSEHOLD) == 2
        assert book.set_note("c", "Oma, visiting") == 1
        assert book.get("a") == Label("a", flag=True)
        assert book.get("b") == Label("b", flag=True, role=ROLE_HOUSEHOLD)
        assert book.get("c") == Label("c", role=ROLE_HOUSEHOLD, note="Oma, visiting")
        assert set(book.all()) == {"a", "b", "c"}

        assert book.set_flag(["a", "b"], None) == 2
        assert book.set_role(["b", "c"], None) == 2
        assert book.set_note("c", "") == 1
        assert book.all() == {}  # nothing decided any more: no rows left behind
        assert store.connection().execute("SELECT count(*) FROM labels").fetchone()[0] == 0


def test_clear_gives_flag_and_role_back_in_one_step(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        book.set_flag(["a"], False)
        book.set_role(["a", "b"], ROLE_OWNER)
        book.set_note("b", "keep me")
        assert book.clear(["a", "b", "c"]) == 2
        assert book.all() == {"b": Label("b", note="keep me")}
        action = book.undo_action()
        assert (action.kind, action.value, action.count) == ("clear", None, 2)
        assert book.undo() == "Undo clear the labels of 2 recordings"
        assert book.get("a") == Label("a", flag=False, role=ROLE_OWNER)
        assert book.redo_action() == action


def test_invalid_role_is_refused_and_changes_nothing(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        with pytest.raises(ValueError, match="unknown voice role 'boss'"):
            book.set_role(["a"], "boss")
        assert book.all() == {} and not book.can_undo()


def test_labels_drive_the_flag_shown(case):
    with CaseStore(case) as store:
        store.put_voice_results([VoiceResult("a", flagged=True, flag_reason="unlike")], [], {})
        book = LabelBook(store)
        book.set_role(["b"], ROLE_STRANGER)
        book.set_role(["a"], ROLE_OWNER)
        book.set_flag(["c"], True)
        assert flags(store) == {"a": False, "b": True, "c": True, "d": False, "e": False}
        book.set_flag(["b"], False)
        book.set_role(["a"], None)
        assert flags(store) == {"a": True, "b": False, "c": True, "d": False, "e": False}


def test_no_change_adds_no_history(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        book.set_flag(["a"], True)
        assert book.set_flag(["a"], True) == 0
        assert book.set_flag([], False) == 0
        assert book.set_note("b", "") == 0
        assert book.undo() == "Undo flag 1 recording"
        assert not book.can_undo()


def test_undo_and_redo_restore_exact_states(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        assert not book.can_undo() and not book.can_redo()
        assert book.undo() is None and book.redo() is None
        assert book.undo_text() is None and book.redo_text() is None

        book.set_note("a", "first")
        book.set_flag(["a", "b", "c"], True)
        assert book.undo_action()[1:] == ("flag", True, 3)
        book.set_role(["c", "d"], ROLE_STRANGER)
        book.set_note("a", "second")
        states = [book.all()]
        assert book.undo_text() == "Undo edit the note"
        assert book.undo() == "Undo edit the note"
        states.append(book.all())
        assert book.all()["a"] == Label("a", flag=True, note="first")
        assert book.undo_text() == "Undo mark 2 recordings as stranger"
        assert book.undo() == "Undo mark 2 recordings as stranger"
        assert book.undo() == "Undo flag 3 recordings"
        assert book.all() == {"a": Label("a", note="first")}
        assert book.redo_text() == "Redo flag 3 recordings"
        assert book.redo() == "Redo flag 3 recordings"
        assert book.redo() == "Redo mark 2 recordings as stranger"
        assert book.all() == states[1]
        assert book.redo() == "Redo edit the note"
        assert book.all() == states[0]
        assert book.can_undo() and not book.can_redo()
        while book.undo():
            pass
        assert book.all() == {} and book.redo_text() == "Redo edit the note"


def test_a_new_action_after_undo_drops_the_redo_tail(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        book.set_flag(["a"], True)
        book.set_flag(["b"], True)
        book.set_flag(["c"], False)
        book.undo()
        book.undo()
        assert book.can_redo()
        book.set_role(["d"], ROLE_OWNER)
        assert not book.can_redo() and book.redo() is None
        assert book.undo() == "Undo mark 1 recording as owner"
        assert book.redo_text() == "Redo mark 1 recording as owner"  # not the dropped "flag b"
        assert book.undo() == "Undo flag 1 recording"
        assert book.undo() is None
        n = store.connection().execute("SELECT count(*) FROM label_changes").fetchone()[0]
        assert n == 2  # the dropped actions' changes went with them


def test_labels_and_history_survive_reopening(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        book.set_flag(["a", "b"], True)
        book.set_note("c", "Nachbar")
        book.set_role(["e"], ROLE_HOUSEHOLD)
        book.undo()
    with CaseStore(case) as store:
        book = LabelBook(store)
        assert book.get("a").flag is True and book.get("c").note == "Nachbar" and book.get("e") == Label("e")
        assert book.redo_text() == "Redo mark 1 recording as household"
        assert book.undo() == "Undo edit the note"
        assert book.get("c") == Label("c")
    with CaseStore(case) as store:
        book = LabelBook(store)
        assert book.undo_text() == "Undo flag 2 recordings"
        assert book.redo() == "Redo edit the note"
        assert book.redo() == "Redo mark 1 recording as household"
        assert book.get("e").role == ROLE_HOUSEHOLD and book.get("c").note == "Nachbar"


def test_two_books_on_one_case_share_one_history(case):
    with CaseStore(case) as gui, CaseStore(case) as cli:
        LabelBook(gui).set_flag(["a"], True)
        other = LabelBook(cli)
        assert other.get("a").flag is True
        assert other.undo() == "Undo flag 1 recording"
        assert LabelBook(gui).get("a").flag is None and LabelBook(gui).can_redo()


def test_listeners_hear_committed_changes_only(case):
    with CaseStore(case) as store:
        book = LabelBook(store)
        heard: list[list[str]] = []
        unsubscribe = book.subscribe(lambda keys: heard.append(sorted(keys)))
        book.set_flag(["b", "a", "b"], True)
        book.set_flag(["a"], True)  # no change: nothing to hear
        book.undo()
        book.redo()
        assert heard == [["a", "b"]] * 3

        with pytest.raises(RuntimeError):
            with store.transaction():
                book.set_note("c", "never kept")
                assert heard == [["a", "b"]] * 3  # not yet committed: not announced
                raise RuntimeError("the batch fails")
        assert book.get("c").note == "" and heard == [["a", "b"]] * 3

        with store.transaction():
            book.set_note("c", "kept")
            book.set_note("d", "kept too")
        assert heard[-2:] == [["c"], ["d"]]
        unsubscribe()
        unsubscribe()
        book.set_flag(["e"], True)
        assert len(heard) == 5


@pytest.mark.parametrize(
    ("kind", "value", "count", "text"),
    [
        ("flag", True, 1, "flag 1 recording"),
        ("flag", False, 2, "unflag 2 recordings"),
        ("flag", None, 3, "clear the flag of 3 recordings"),
        ("role", "household", 1, "mark 1 recording as household"),
        ("role", None, 4, "clear the voice role of 4 recordings"),
        ("note", None, 1, "edit the note"),
        ("clear", None, 5, "clear the labels of 5 recordings"),
    ],
)
def test_action_texts(kind, value, count, text):
    assert Action(1, kind, value, count).text == text


KEYS = st.lists(st.sampled_from("abcde"), min_size=1, max_size=3)
OPS = st.one_of(
    st.tuples(st.just("flag"), KEYS, st.sampled_from([True, False, None])),
    st.tuples(st.just("role"), KEYS, st.sampled_from([*ROLES, None])),
    st.tuples(st.just("note"), st.sampled_from("abcde"), st.sampled_from(["", "x", "Nachbar"])),
    st.tuples(st.just("clear"), KEYS),
    st.tuples(st.sampled_from(["undo", "redo", "reopen"])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, max_size=25))
@example([("flag", ["a"], False), ("role", ["a"], ROLE_STRANGER), ("undo",), ("flag", ["a"], False)])  # U then S
def test_undo_redo_match_a_simple_model(ops):
    """Any sequence of actions, undos, redos and restarts agrees with an editor-style history model."""
    undecided = (None, None, "")
    state = dict.fromkeys("abcde", undecided)
    done: list[dict] = []  # snapshots before each action still undoable
    undone: list[tuple[dict, dict]] = []  # (before, after) of undone actions, next redo last

    def apply(new: dict) -> None:
        nonlocal state
        if new != state:
            done.append(state)
            undone.clear()
            state = new

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.vacase"
        store = CaseStore(path)
        book = LabelBook(store)
        try:
            for op in ops:
                kind = op[0]
                if kind == "flag":
                    book.set_flag(op[1], op[2])
                    apply({k: (*marks.set_flag(s[:2], op[2]), s[2]) if k in op[1] else s for k, s in state.items()})
                elif kind == "role":
                    book.set_role(op[1], op[2])
                    apply({k: (*marks.set_role(s[:2], op[2]), s[2]) if k in op[1] else s for k, s in state.items()})
                elif kind == "note":
                    book.set_note(op[1], op[2])
                    apply({k: (s[0], s[1], op[2]) if k == op[1] else s for k, s in state.items()})
                elif kind == "clear":
                    book.clear(op[1])
                    apply({k: (None, None, s[2]) if k in op[1] else s for k, s in state.items()})
                elif kind == "undo":
                    assert (book.undo() is not None) == bool(done)
                    if done:
                        undone.append((done[-1], state))
                        state = done.pop()
                elif kind == "redo":
                    assert (book.redo() is not None) == bool(undone)
                    if undone:
                        before, state = undone.pop()
                        done.append(before)
                else:
                    store.close()
                    store = CaseStore(path)
                    book = LabelBook(store)
                got = {k: (lab.flag, lab.role, lab.note) for k, lab in book.all().items()}
                assert got == {k: s for k, s in state.items() if s != undecided}
                assert book.can_undo() == bool(done) and book.can_redo() == bool(undone)
        finally:
            store.close()
