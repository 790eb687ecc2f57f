"""Marks that mean what they say: every pair of marks, through the label book, on real speech.

The app's own flags come from ``analyse_voices`` over real speech embeddings (tests/data/voices, LibriSpeech
CC BY 4.0): one recording of a stranger the app flags, one of the owner it does not.
"""

from __future__ import annotations

import itertools

import pytest

from tests.voice_embeddings import real_features
from voicearchive.case.labels import LabelBook
from voicearchive.case.store import CaseStore
from voicearchive.model import LOOSE, ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER, Recording
from voicearchive.voices import marks
from voicearchive.voices.owner import Decisions, analyse_voices

MARKS = marks.MARKS  # F U S O H C


@pytest.fixture(scope="module")
def report():
    return analyse_voices(real_features({"1998": 12, "3080": 6, "2033": 6}), {}, Decisions())


def _apply(book: LabelBook, key: str, mark: str) -> None:
    if mark == marks.FLAG:
        book.set_flag([key], True)
    elif mark == marks.UNFLAG:
        book.set_flag([key], False)
    elif mark == marks.CLEAR:
        book.clear([key])
    else:
        book.set_role([key], {marks.STRANGER: ROLE_STRANGER, marks.OWNER: ROLE_OWNER,
                              marks.HOUSEHOLD: ROLE_HOUSEHOLD}[mark])


def expected(first: str, last: str, app_flag: bool) -> tuple[bool, str]:
    """The table of ``voices.marks``, written out: what the list shows after ``first`` then ``last``."""
    if last == marks.STRANGER:
        return True, "marked as a stranger by the user"
    if last == marks.FLAG:  # (a stranger mark before it stays, and is the reason)
        return True, "marked as a stranger by the user" if first == marks.STRANGER else "flagged by the user"
    if last == marks.UNFLAG:
        return False, ""
    if last == marks.CLEAR:
        return app_flag, "app"
    # O or H: a flag the user made stays, one the app made is cleared
    return (True, "flagged by the user") if first == marks.FLAG else (False, "")


@pytest.mark.parametrize("first,last", list(itertools.product(MARKS, MARKS)))
def test_every_pair_of_marks(tmp_path, report, first, last) -> None:
    stranger = next(k for k, r in report.results.items() if r.flagged and k.startswith("2033/"))
    owner = next(k for k, r in report.results.items() if not r.flagged and k.startswith("1998/"))
    with CaseStore(tmp_path / "c.vacase") as store:
        store.put_recordings([Recording(k, "/ev", f"{k}.wav", LOOSE) for k in (stranger, owner)])
        store.put_voice_results([report.results[stranger], report.results[owner]], [], {})
        book = LabelBook(store)
        for key in (stranger, owner):
            _apply(book, key, first)
            _apply(book, key, last)
        items = {i.rec.key: i for i in store.items()}
    for key, app_flag in ((stranger, True), (owner, False)):
        item = items[key]
        flagged, reason = expected(first, last, app_flag)
        assert item.flagged == flagged, (first, last, key)
        if reason == "app":
            assert item.flag_reason == (report.results[key].flag_reason if app_flag else "")
        else:
            assert item.flag_reason == reason, (first, last, key)
        # never "marked: stranger" and "not flagged"; never "marked: owner" with a flag the app made
        if item.label.role == ROLE_STRANGER:
            assert item.flagged
        if item.label.role in (ROLE_OWNER, ROLE_HOUSEHOLD) and item.flagged:
            assert item.label.flag is True and item.flag_reason == "flagged by the user"
        # at any threshold: the user's marks win, the rest is the one rule
        for t in (-1.0, 0.0, 1.0):
            if item.label.flag is not None or item.label.role is not None:
                assert item.flagged_at(t) == item.flagged


def test_the_table_is_the_docs_table() -> None:
    doc = marks.__doc__
    for key in MARKS:
        assert f"\n{key}       " in doc
    assert marks.apply((False, None), marks.STRANGER) == (None, ROLE_STRANGER)
    assert marks.apply((None, ROLE_STRANGER), marks.UNFLAG) == (False, None)
    assert marks.apply((True, None), marks.OWNER) == (True, ROLE_OWNER)
    assert marks.apply((True, ROLE_OWNER), marks.CLEAR) == (None, None)


def test_a_voice_decision_is_kept_apart_from_labels_and_undone_like_one(tmp_path) -> None:
    with CaseStore(tmp_path / "c.vacase") as store:
        store.put_recordings([Recording("a", "/ev", "a.wav", LOOSE)])
        book = LabelBook(store)
        seen = []
        book.subscribe(seen.append)
        book.set_role(["a"], ROLE_OWNER)
        assert book.set_voice_role([3], ROLE_STRANGER) == 1
        assert book.voice_roles() == {3: ROLE_STRANGER} and book.get("a").role == ROLE_OWNER
        assert book.undo_text() == "Undo mark 1 voice as stranger"
        assert book.undo() == "Undo mark 1 voice as stranger"
        assert book.voice_roles() == {} and book.get("a").role == ROLE_OWNER
        assert book.redo() and book.voice_roles() == {3: ROLE_STRANGER}
        assert seen[-1] == ["\x1fvoice:3"]
        book.set_voice_role([3], None)
        assert book.voice_roles() == {}
    with CaseStore(tmp_path / "c.vacase") as store:  # persistent
        assert LabelBook(store).undo() and LabelBook(store).voice_roles() == {3: ROLE_STRANGER}


def test_the_scan_summarys_voice_lines_speak_the_language_asked_for() -> None:
    from voicearchive.voices.summary import voice_lines

    german = voice_lines([], {"threshold": 0.5}, [], "de")
    assert "  Schwelle: 0,500 ()" in german and "Markiert: 0 Aufnahmen anders als Besitzer und Haushalt" in german
    english = voice_lines([], {"threshold": 0.5}, [], "en")
    assert "Flagged: 0 recordings unlike the owner and household" in english


def test_the_scan_summary_counts_unique_voices_without_an_owner_too() -> None:
    """A judged recording in no group is a unique voice whether or not there is an owner to score it against."""
    from voicearchive.model import CaseItem, Label, VoiceResult
    from voicearchive.voices.summary import voice_lines

    def item(key: str, **voice) -> CaseItem:
        return CaseItem(Recording(key, "/evidence", f"{key}.wav", LOOSE, sha256=key), Label(key),
                        VoiceResult(key=key, **voice))

    items = [item("alone", group=-1, speech_s=10.3),  # no owner: no score, still one voice heard once
             item("short", group=-1, speech_s=0.4, uncertain=True),  # too short to judge: not counted
             item("silent", group=-1, speech_s=0.0)]
    assert "  unique voices (heard only once or twice): 1" in voice_lines([], {}, items, "en")
