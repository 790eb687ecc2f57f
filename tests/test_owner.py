"""The owner set, contrast scores, the owner-relative threshold, enrolment presence, stable voice ids and the
flags (``analyse_voices``) on real speech embeddings (tests/data/voices, LibriSpeech CC BY 4.0)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice_embeddings import features, real_embeddings_of, real_features, synthetic_voices, two_voices
from voicearchive.messages import render
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER
from voicearchive.voices import grouping, owner as owner_module, owner_set
from voicearchive.voices.flags import flagged_at
from voicearchive.voices.owner import (
    NO_MATCH_MESSAGE,
    NO_OWNER_MESSAGE,
    OWNER_ENROLLED,
    OWNER_ENROLLED_ABSENT,
    OWNER_SET,
    OWNER_USER,
    THRESHOLD_AUTO,
    THRESHOLD_DEFAULT,
    THRESHOLD_USER,
    UNCERTAIN_SPEECH_S,
    Decisions,
    analyse_voices,
    apply_threshold,
    count_flagged,
)

HOME = {"1998": 12, "3080": 6, "2033": 6, "2609": 6, "367": 2, "533": 1}  # 1998 speaks most


def speaker(key: str) -> str:
    return key.split("/")[0]


def keys_of(feats: dict, who: str) -> set[str]:
    return {k for k in feats if speaker(k) == who}


@pytest.fixture(scope="module")
def home() -> dict:
    return real_features(HOME)


def test_owner_set_grows_from_the_largest_group_and_strangers_are_flagged(home: dict) -> None:
    r = analyse_voices(home, {}, Decisions())
    assert r.owner_source.code == OWNER_SET and r.message is None
    owner = r.group(r.owner_group)
    assert owner.role == ROLE_OWNER and {speaker(k) for k in owner.keys} == {"1998"} and owner.size == 12
    assert r.owner_source.param("n") == r.owner_set_size == 12  # the owner line says what was done
    for key, res in r.results.items():
        if speaker(key) == "1998":
            assert not res.flagged and res.in_owner_set and res.group == r.owner_group
        elif not res.uncertain:
            assert res.flagged and not res.in_owner_set, key
            assert res.reason.code == "voices.reason.unlike_owner"
            assert f"< {r.threshold:.2f}" in res.flag_reason


def test_the_owner_set_reunites_pieces_of_one_voice() -> None:
    """Seeded with a third of one speaker's clips (a piece the grouping split off), the robust iteration
    takes in all of that speaker and no one else."""
    feats = real_features({"1998": 12, "3080": 12, "2033": 12, "2609": 12})
    keys = sorted(feats)
    x = np.stack([feats[k].embedding for k in keys])
    own = np.array([speaker(k) == "1998" for k in keys])
    seed = own & (np.cumsum(own) <= 4)
    found = owner_set.owner_set(x, seed, np.ones(len(keys), bool))
    assert found.members.sum() >= 11 and (found.members <= own).all()
    # the same from a piece of another voice
    own = np.array([speaker(k) == "2609" for k in keys])
    found = owner_set.owner_set(x, own & (np.cumsum(own) <= 4), np.ones(len(keys), bool))
    assert found.members.sum() >= 11 and (found.members <= own).all()


def test_robust_cut_is_median_minus_k_mad() -> None:
    scores = np.array([0.9, 0.8, 0.85, 0.7, 0.95])
    mad = np.median(np.abs(scores - 0.85))
    assert owner_set.robust_cut(scores, 3.0) == pytest.approx(0.85 - 3.0 * 1.4826 * mad)
    assert owner_set.robust_cut(np.full(5, 0.8), 3.0) == pytest.approx(0.8 - 3.0 * owner_set.MIN_SPREAD)


def test_threshold_is_owner_relative(home: dict) -> None:
    r = analyse_voices(home, {}, Decisions())
    assert r.threshold_source == THRESHOLD_AUTO
    assert r.threshold == pytest.approx(owner_set.robust_cut(r.owner_scores)) == r.auto_threshold
    assert len(r.owner_scores) == 12


def test_an_archive_without_strangers_flags_almost_none_of_the_owner() -> None:
    feats = real_features({"1998": 12, "3080": 12, "2033": 12, "2609": 12})
    flagged = 0
    for who in ("1998", "3080", "2033", "2609"):
        alone = {k: f for k, f in feats.items() if speaker(k) == who}
        r = analyse_voices(alone, {}, Decisions())
        assert r.flagged_count <= 1, who  # never a two-class split of the owner
        flagged += r.flagged_count
    assert flagged <= 0.05 * len(feats)


def test_flags_are_stable_when_k_moves(home: dict) -> None:
    rates = []
    for k in (owner_set.K - 0.2, owner_set.K, owner_set.K + 0.2):
        r = analyse_voices(home, {}, Decisions(k=k))
        rates.append(r.flagged_count / len(r.results))
    assert max(rates) - min(rates) <= 0.05


def test_enrolment_present_is_decided_on_raw_cosine(home: dict) -> None:
    enrolled = real_embeddings_of("2033", 12)[-3:]  # three clips of 2033 that are not in the archive
    archive = {k: f for k, f in home.items() if not any(np.array_equal(f.embedding, e) for e in enrolled)}
    r = analyse_voices(archive, {}, Decisions(enrolled=enrolled))
    assert r.owner_source.code == OWNER_ENROLLED and r.owner_source.param("samples") == 3 and r.message is None
    assert {speaker(k) for k in r.group(r.owner_group).keys} == {"2033"}
    for key, res in r.results.items():
        if not res.uncertain:
            assert res.flagged == (speaker(key) != "2033"), key  # the largest voice, 1998, is now a stranger


def test_enrolled_owner_absent_is_said_plainly_and_joins_no_voice(home: dict) -> None:
    archive = {k: f for k, f in home.items() if speaker(k) != "2609"}
    r = analyse_voices(archive, {}, Decisions(enrolled=real_embeddings_of("2609", 3)))
    assert r.message == NO_MATCH_MESSAGE or r.message.code == "voices.enrol.no_voice_match"
    assert r.owner_group is None and r.owner_source.code == OWNER_ENROLLED_ABSENT
    assert all(res.flagged for res in r.results.values() if not res.uncertain)
    assert "no voice of the archive matches" in render(r.owner_source, "en")


def test_recording_marks_never_change_the_analysis(home: dict) -> None:
    """O, H and S on recordings apply to those recordings only (voices.marks): not to groups, the owner,
    or anyone's score."""
    plain = analyse_voices(home, {}, Decisions())
    marked = analyse_voices(home, {}, Decisions(owner_keys=keys_of(home, "3080"),
                                                 household_keys=keys_of(home, "2609"),
                                                 stranger_keys=set(sorted(keys_of(home, "1998"))[:1])))
    assert plain.results == marked.results and plain.owner_group == marked.owner_group


def test_a_voice_named_the_owners_in_the_voices_view(home: dict) -> None:
    first = analyse_voices(home, {}, Decisions())
    previous = {k: r.group for k, r in first.results.items()}
    voice_3080 = next(g.id for g in first.groups if {speaker(k) for k in g.keys} == {"3080"})
    r = analyse_voices(home, {}, Decisions(voice_roles={voice_3080: ROLE_OWNER}, previous=previous,
                                           next_voice_id=first.next_voice_id))
    assert r.owner_source.code == OWNER_USER and r.owner_group == voice_3080  # its id (and name) kept
    assert not any(r.results[k].flagged for k in keys_of(home, "3080"))
    assert all(r.results[k].flagged for k in keys_of(home, "1998"))


def test_a_voice_named_a_strangers_is_never_the_owner(home: dict) -> None:
    first = analyse_voices(home, {}, Decisions())
    previous = {k: r.group for k, r in first.results.items()}
    r = analyse_voices(home, {}, Decisions(voice_roles={first.owner_group: ROLE_STRANGER}, previous=previous,
                                           next_voice_id=first.next_voice_id))
    assert r.owner_group != first.owner_group
    assert all(r.results[k].flagged and not r.results[k].in_owner_set for k in keys_of(home, "1998"))
    stranger = r.group(first.owner_group)
    assert stranger.role == ROLE_STRANGER and stranger.decided
    assert r.results[sorted(keys_of(home, "1998"))[0]].reason.param("voice").code == "voices.reason.voice_stranger"


def test_household_voice_is_not_flagged(home: dict) -> None:
    first = analyse_voices(home, {}, Decisions())
    previous = {k: r.group for k, r in first.results.items()}
    voice = next(g.id for g in first.groups if {speaker(k) for k in g.keys} == {"2609"})
    r = analyse_voices(home, {}, Decisions(voice_roles={voice: ROLE_HOUSEHOLD}, previous=previous))
    assert r.group(voice).role == ROLE_HOUSEHOLD and r.household_voices == 1
    assert not any(r.results[k].flagged for k in keys_of(home, "2609"))
    flagged = [res for res in r.results.values() if res.flagged]
    assert flagged and all(res.reason.code == "voices.reason.unlike_household" for res in flagged)
    assert all(speaker(res.key) not in ("1998", "2609") for res in flagged)


def test_voice_ids_are_stable_across_regrouping_and_never_reused(home: dict) -> None:
    first = analyse_voices(home, {}, Decisions())
    previous = {k: r.group for k, r in first.results.items()}
    fewer = {k: f for k, f in home.items() if k not in set(sorted(keys_of(home, "1998"))[:3])}
    again = analyse_voices(fewer, {}, Decisions(previous=previous, next_voice_id=first.next_voice_id))
    assert {g.id: set(g.keys) for g in again.groups} == {
        g.id: set(g.keys) & set(fewer) for g in first.groups
    }
    assert [str(g.name) for g in again.groups] == [str(g.name) for g in first.groups]
    # a voice that vanished leaves its id unused: a new voice gets a fresh one
    without = {k: f for k, f in home.items() if speaker(k) != "2033"}
    gone = next(g.id for g in first.groups if {speaker(k) for k in g.keys} == {"2033"})
    r = analyse_voices(without, {}, Decisions(previous=previous, next_voice_id=first.next_voice_id))
    assert gone not in {g.id for g in r.groups}
    back = analyse_voices(home, {}, Decisions(previous={k: v.group for k, v in r.results.items()},
                                              next_voice_id=r.next_voice_id))
    assert gone not in {g.id for g in back.groups}
    assert max(g.id for g in back.groups) >= first.next_voice_id


def test_grouping_is_cached_so_decisions_do_not_regroup(home: dict, monkeypatch) -> None:
    calls = []
    real = grouping.group_voices
    monkeypatch.setattr(grouping, "group_voices", lambda *a, **k: calls.append(1) or real(*a, **k))
    owner_module._GROUP_CACHE.clear()
    first = analyse_voices(home, {}, Decisions())
    analyse_voices(home, {}, Decisions(threshold=0.1, voice_roles={first.owner_group: ROLE_STRANGER},
                                       previous={k: r.group for k, r in first.results.items()}))
    assert len(calls) == 1


def test_user_threshold_overrides_and_recounting_matches_a_rerun(home: dict) -> None:
    auto = analyse_voices(home, {}, Decisions())
    for t in (-0.5, 0.0, auto.threshold, 0.6):
        rerun = analyse_voices(home, {}, Decisions(threshold=t))
        assert rerun.threshold_source == THRESHOLD_USER and rerun.threshold == t
        assert rerun.auto_threshold == pytest.approx(auto.threshold)
        assert count_flagged(auto, t) == rerun.flagged_count
        assert sum(flagged_at(r, t) for r in auto.results.values()) == rerun.flagged_count
        moved = apply_threshold(auto, t)
        assert {k: (v.flagged, v.reason) for k, v in moved.results.items()} == {
            k: (v.flagged, v.reason) for k, v in rerun.results.items()
        }
    assert count_flagged(auto, -0.5) < count_flagged(auto, 0.6)


def test_speech_from_0_8_s_is_judged_below_it_uncertain(home: dict) -> None:
    strangers = sorted(keys_of(home, "2609"))
    feats = dict(home)
    feats[strangers[0]] = features(home[strangers[0]].embedding, speech_s=UNCERTAIN_SPEECH_S - 0.1)
    feats[strangers[1]] = features(home[strangers[1]].embedding, speech_s=UNCERTAIN_SPEECH_S)
    feats["silent.wav"] = features(None, speech_s=0.0)
    r = analyse_voices(feats, {}, Decisions())
    assert UNCERTAIN_SPEECH_S == 0.8
    short = r.results[strangers[0]]
    assert short.uncertain and not short.flagged and short.reason.code == "voices.reason.short"
    assert not any(flagged_at(short, t) for t in (-1.0, 0.0, 1.0))  # never flagged at any threshold
    judged = r.results[strangers[1]]
    assert not judged.uncertain and judged.flagged
    silent = r.results["silent.wav"]
    assert silent.uncertain and not silent.flagged and silent.score is None and silent.group == -1
    assert silent.reason.code == "voices.reason.no_speech"


def test_vendor_hints_are_quoted_never_trusted(home: dict) -> None:
    owner_key = sorted(keys_of(home, "1998"))[0]
    stranger_key = sorted(keys_of(home, "2033"))[0]
    hint = "From unrecognized speaker"
    r = analyse_voices(home, {owner_key: hint, stranger_key: hint}, Decisions())
    assert not r.results[owner_key].flagged  # the vendor's word alone flags nothing
    assert r.results[stranger_key].flagged and r.results[stranger_key].flag_reason.endswith(f"vendor says: {hint}")


def test_a_second_voice_inside_a_recording() -> None:
    feats = real_features({"1998": 12, "2609": 6})
    feats["kitchen/two-voices.wav"] = two_voices()  # 1998 speaks for 5 s, then 2033
    r = analyse_voices(feats, {}, Decisions())
    res = r.results["kitchen/two-voices.wav"]
    assert len(res.other_voice_spans) == 1
    start, end = res.other_voice_spans[0]
    assert 3.5 <= start <= 5.0 <= 6.0 <= end
    assert res.flagged and "another voice at" in res.flag_reason
    assert res.other_score is not None and res.other_score < r.threshold
    assert all(not v.other_voice_spans for k, v in r.results.items() if k != "kitchen/two-voices.wav")


def test_reliability_verdict() -> None:
    good = analyse_voices(real_features({"1998": 12, "3080": 12, "2033": 6}), {}, Decisions())
    assert good.reliability.code == f"voices.reliability.{good.reliability_level}"
    assert good.reliability_level in ("good", "fair")
    assert good.reliability.param("agreement") > 0.75
    # the same voices heard as 0.9 s commands through a telephone band: "listen to every flag"
    short = {k: features(f.embedding, 0.85) for k, f in real_features({"1998": 12, "3080": 12}).items()}
    poor = analyse_voices(short, {}, Decisions(), rates=dict.fromkeys(short, 8000))
    assert poor.reliability_level == "poor" and "listen to every flag" in render(poor.reliability, "en")
    assert poor.reliability.param("narrowband") == 100
    x, _ = synthetic_voices([], singles=6, seed=4)
    none = analyse_voices({f"r{i}": features(e) for i, e in enumerate(x)}, {}, Decisions())
    assert none.reliability.code == "voices.reliability.no_owner"


def test_no_recurring_voice_means_no_owner_and_no_flags() -> None:
    x, _ = synthetic_voices([], singles=6, seed=4)
    feats = {f"r{i}": features(e) for i, e in enumerate(x)}
    r = analyse_voices(feats, {}, Decisions())
    assert r.owner_source is None and r.message == NO_OWNER_MESSAGE and r.threshold_source == THRESHOLD_DEFAULT
    assert r.groups == [] and r.flagged_count == 0
    assert all(v.owner_similarity is None and v.score is None for v in r.results.values())


def test_empty_archive() -> None:
    r = analyse_voices({}, {}, Decisions())
    assert r.results == {} and r.groups == [] and r.message is None and count_flagged(r, 0.5) == 0


def test_same_input_gives_the_same_report(home: dict) -> None:
    a = analyse_voices(home, {}, Decisions())
    shuffled = dict(sorted(home.items(), key=lambda kv: kv[0][::-1]))
    owner_module._GROUP_CACHE.clear()
    b = analyse_voices(shuffled, {}, Decisions())
    assert a.results == b.results
    assert [(g.id, g.name, g.keys, g.representative) for g in a.groups] == [
        (g.id, g.name, g.keys, g.representative) for g in b.groups
    ]


def test_short_recordings_nearest_the_owner_are_offered_as_the_owners_voice(home: dict) -> None:
    """Short speech gives noisy embeddings: a short recording below the owner set's own cut is still offered as
    the owner's voice when the owner is its nearest voice and it passes the grouping's loosest acceptance cut
    (never judged, never flagged); a short recording of another voice is not offered."""
    base = analyse_voices(home, {}, Decisions())
    own = np.array([base.results[k].owner_similarity for k in keys_of(home, "1998")])
    mean = np.stack(real_embeddings_of("1998", 12)).astype(np.float64)
    mean = (mean / np.linalg.norm(mean, axis=1, keepdims=True)).sum(axis=0)
    mean /= np.linalg.norm(mean)
    noise = np.random.default_rng(3).normal(size=mean.size)
    noise -= (noise @ mean) * mean
    noisy = 0.65 * mean + np.sqrt(1 - 0.65**2) * noise / np.linalg.norm(noise)  # cosine 0.65 to the owner
    assert grouping.CUT_BOUNDS[0] < 0.65 < owner_set.robust_cut(own)  # below the owner set's cut
    alone = {k: f for k, f in home.items() if speaker(k) == "1998"}  # no stranger: nothing to contrast with
    alone["short-owner.wav"] = features(noisy, speech_s=0.5)
    r = analyse_voices(alone, {}, Decisions())
    res = r.results["short-owner.wav"]
    assert res.uncertain and not res.flagged and res.group == r.owner_group
    assert "short-owner.wav" in r.group(r.owner_group).keys
    feats = dict(home)  # a short recording of a recurring stranger is nearest its own voice: not offered
    stranger = sorted(keys_of(home, "2609"))[0]
    feats[stranger] = features(home[stranger].embedding, speech_s=0.5)
    r = analyse_voices(feats, {}, Decisions())
    assert r.results[stranger].uncertain and r.results[stranger].group != r.owner_group
    assert {speaker(k) for k in r.group(r.owner_group).keys} == {"1998"}
