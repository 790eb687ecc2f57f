"""A learned owner with a close rival says so (``owner.owner_doubt``, ``voices.owner.rival``): the owner is taken
to be the voice heard most, and when another voice is heard at least half as often the user is asked to check.
Real speech embeddings (tests/data/voices, LibriSpeech CC BY 4.0)."""

from __future__ import annotations

import pytest

from tests.voice_embeddings import real_embeddings_of, real_features
from voicearchive.messages import Message, render
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER
from voicearchive.voices import owner as owner_module
from voicearchive.voices.owner import OWNER_RIVAL, Decisions, analyse_voices, report_meta
from voicearchive.voices.summary import owner_doubt, voice_lines


def speaker(key: str) -> str:
    return key.split("/")[0]


@pytest.fixture(scope="module")
def couple() -> dict:
    return real_features({"1998": 12, "3080": 11, "2033": 2})  # two voices heard about as often


def _voice_of(report, who: str) -> int:
    return next(g.id for g in report.groups if {speaker(k) for k in g.keys} == {who})


def test_a_voice_heard_about_as_often_as_the_learned_owner_is_named(couple: dict) -> None:
    r = analyse_voices(couple, {}, Decisions())
    owner = r.group(r.owner_group)
    rival = r.group(_voice_of(r, "3080" if {speaker(k) for k in owner.keys} == {"1998"} else "1998"))
    doubt = r.owner_doubt
    assert doubt is not None and doubt.code == OWNER_RIVAL
    assert doubt.param("n") == rival.size and doubt.param("owner_n") == owner.size
    assert doubt.param("name") == rival.name and doubt.param("owner") == owner.name
    en, de = render(doubt, "en"), render(doubt, "de")
    assert en.startswith(f"{render(rival.name, 'en')} is heard often too ({rival.size} recordings against "
                         f"{owner.size} in {render(owner.name, 'en')})")
    assert "mark it as the owner's in the Voices view" in en
    assert de.startswith(f"{render(rival.name, 'de')} ist ebenfalls oft zu hören") and "Ansicht Stimmen" in de
    # saved with the report, and printed by the scan under the owner line
    meta = report_meta(r)
    assert owner_doubt(meta) == doubt
    lines = voice_lines([], meta, [], "en")
    owner_at = next(i for i, line in enumerate(lines) if line.startswith("  Owner: "))
    assert lines[owner_at + 1] == f"  {en}"


def test_an_owner_heard_clearly_most_has_no_rival() -> None:
    r = analyse_voices(real_features({"1998": 12, "3080": 5, "2033": 5, "2609": 2}), {}, Decisions())
    assert {speaker(k) for k in r.group(r.owner_group).keys} == {"1998"}
    assert r.owner_doubt is None and report_meta(r)["owner_doubt"] == ""
    assert not any("heard often too" in line for line in voice_lines([], report_meta(r), [], "en"))


def test_the_share_is_the_rule(couple: dict, monkeypatch) -> None:
    doubt = analyse_voices(couple, {}, Decisions()).owner_doubt
    share = doubt.param("n") / doubt.param("owner_n")
    monkeypatch.setattr(owner_module, "RIVAL_SHARE", share)
    assert analyse_voices(couple, {}, Decisions()).owner_doubt == doubt  # at the share: still said
    monkeypatch.setattr(owner_module, "RIVAL_SHARE", share + 0.01)
    assert analyse_voices(couple, {}, Decisions()).owner_doubt is None


def test_no_doubt_once_the_user_named_the_owner_or_the_rival_or_enrolled(couple: dict) -> None:
    first = analyse_voices(couple, {}, Decisions())
    previous = {k: res.group for k, res in first.results.items()}
    rival = first.owner_doubt.param("name")
    rival_id = next(g.id for g in first.groups if g.name == rival)
    for roles in ({first.owner_group: ROLE_OWNER}, {rival_id: ROLE_OWNER}):
        r = analyse_voices(couple, {}, Decisions(voice_roles=roles, previous=previous,
                                                 next_voice_id=first.next_voice_id))
        assert r.owner_doubt is None, roles
    # the rival named household: no undecided voice is left to rival the owner
    r = analyse_voices(couple, {}, Decisions(voice_roles={rival_id: ROLE_HOUSEHOLD}, previous=previous,
                                             next_voice_id=first.next_voice_id))
    assert r.owner_doubt is None
    enrolled = analyse_voices(couple, {}, Decisions(enrolled=real_embeddings_of("1998", 3)))
    assert enrolled.owner_source.code == owner_module.OWNER_ENROLLED and enrolled.owner_doubt is None


def test_the_window_warns_with_the_rival_in_both_languages(qapp) -> None:
    from voicearchive.gui import i18n
    from voicearchive.gui.verdict_panel import WARN, OK, verdicts

    name = Message.of("voices.group.name", letters="A")
    meta = {"owner_source": Message.of("voices.owner.set", n=12, seed=12).to_json(), "owner_name": name.to_json(),
            "owner_group": 0, "threshold": 0.3}
    plain = {v.id: v for v in verdicts(meta, [])}["owner"]
    assert plain.tone == OK and "heard often too" not in plain.detail
    doubt = Message.of(OWNER_RIVAL, name=Message.of("voices.group.name", letters="B"), n=11, owner=name, owner_n=12)
    meta["owner_doubt"] = doubt.to_json()
    found = {v.id: v for v in verdicts(meta, [])}["owner"]
    assert found.tone == WARN and found.headline == "Owner found"
    assert found.detail.endswith(". Voice B is heard often too (11 recordings against 12 in Voice A): the owner "
                                 "is taken to be the voice heard most, so check it; if Voice B is the owner's, "
                                 "mark it as the owner's in the Voices view")
    i18n.apply_language(qapp, "de")
    try:
        german = {v.id: v for v in verdicts(meta, [])}["owner"]
    finally:
        i18n.apply_language(qapp, "en")
    assert german.headline == "Besitzer gefunden" and "Stimme B ist ebenfalls oft zu hören (11 Aufnahmen" in german.detail


def test_the_voices_view_names_the_rival_read_from_the_case_file(couple: dict, qtbot, tmp_path) -> None:
    from voicearchive.case.store import CaseStore
    from voicearchive.gui.voices_view import VoicesView
    from voicearchive.model import LOOSE, CaseItem, Label, Recording
    from voicearchive.pipeline import save_report
    from voicearchive.voices.features import MODEL_VERSION_INT8 as VERSION

    report = analyse_voices(couple, {}, Decisions())
    items = [CaseItem(Recording(key, "/evidence", f"{key}.wav", LOOSE, sha256=key), Label(key), result)
             for key, result in sorted(report.results.items())]
    store = CaseStore(tmp_path / "case.voicearchive")
    store.put_recordings([it.rec for it in items])
    store.put_voice_features_many(
        VERSION, [(k, f.embedding, f.speech_s, f.windows, f.window_starts) for k, f in couple.items()])
    save_report(store, report, VERSION)
    view = VoicesView(store, None)
    qtbot.addWidget(view)
    view.refresh(report)
    with qtbot.waitSignal(view.refreshed):
        view.show()
    owner = report.group(report.owner_group)
    text = view.message.text()
    assert f"Owner: {owner.name}, {report.owner_source}. {render(report.owner_doubt, 'en')}." in text


def test_naming_the_owner_in_the_case_clears_the_warning(tmp_path, monkeypatch) -> None:
    """The whole path on the demo archive: analysed with a lower share (the demo's owner is heard 2.5 times as
    often as anyone else), the case file holds the warning; once the user names the owner's voice it is gone."""
    from pathlib import Path

    from voicearchive.case.labels import LabelBook
    from voicearchive.case.store import CaseStore
    from voicearchive.pipeline import Pipeline

    demo = sorted((Path(__file__).resolve().parent.parent / "resources" / "demo").glob("takeout-*.zip"))
    monkeypatch.setattr(owner_module, "RIVAL_SHARE", 0.3)
    with CaseStore(tmp_path / "demo.vacase") as store:
        with Pipeline(demo, store, workers=1) as pipeline:
            pipeline.import_archive()
            report = pipeline.analyse()
        doubt = owner_doubt(store.voice_meta())
        assert doubt is not None and doubt == report.owner_doubt
        assert doubt.param("owner") == report.group(report.owner_group).name
        LabelBook(store).set_voice_role([report.owner_group], ROLE_OWNER)
        with Pipeline(demo, store, workers=1) as pipeline:
            again = pipeline.update_voices()
        assert again.owner_source.code == owner_module.OWNER_USER
        assert again.owner_doubt is None and owner_doubt(store.voice_meta()) is None
