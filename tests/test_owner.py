"""The owner, the household, the threshold and the flags (``analyse_voices``) on real speech embeddings."""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice_embeddings import features, real_embeddings_of, real_features, synthetic_voices, two_voices
from voicearchive.model import ROLE_HOUSEHOLD, ROLE_OWNER, ROLE_STRANGER
from voicearchive.voices.owner import (
    NO_MATCH_MESSAGE,
    NO_VOICE_MATCH_MESSAGE,
    NO_OWNER_MESSAGE,
    OWNER_LARGEST,
    OWNER_USER,
    THRESHOLD_AUTO,
    THRESHOLD_BOUNDS,
    THRESHOLD_DEFAULT,
    THRESHOLD_QUANTILE,
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


def test_owner_is_the_largest_group_and_strangers_are_flagged(home: dict) -> None:
    r = analyse_voices(home, {}, Decisions())
    assert r.owner_source == OWNER_LARGEST and r.owner_group == 0 and r.message == ""
    owner = r.groups[0]
    assert (owner.name, owner.role, owner.size) == ("Voice A", ROLE_OWNER, 12)
    assert {speaker(k) for k in owner.keys} == {"1998"} and owner.representative in owner.keys
    assert [g.role for g in r.groups[1:]] == [None] * (len(r.groups) - 1)
    for key, res in r.results.items():
        if speaker(key) == "1998":
            assert not res.flagged and res.owner_similarity > r.threshold
        elif not res.uncertain:
            assert res.flagged, key
            assert f"< {r.threshold:.2f}" in res.flag_reason and "unlike the owner" in res.flag_reason


def test_group_names_follow_size_and_reasons_name_the_group(home: dict) -> None:
    r = analyse_voices(home, {}, Decisions())
    assert [g.name for g in r.groups] == [f"Voice {c}" for c in "ABCD"][: len(r.groups)]
    assert [g.size for g in r.groups] == sorted((g.size for g in r.groups), reverse=True)
    for g in r.groups[1:]:
        for key in g.keys:
            res = r.results[key]
            assert res.group == g.id and res.group_name == g.name
            if res.flagged:
                assert f"{g.name}, heard {g.size} times" in res.flag_reason
    one_off = [res for k, res in r.results.items() if speaker(k) in ("367", "533")]
    assert all(res.group == -1 and res.flagged and "not heard often enough" in res.flag_reason for res in one_off)


def test_enrolment_changes_the_owner(home: dict) -> None:
    enrolled = real_embeddings_of("2033", 12)[-3:]  # three clips of 2033 that are not in the archive
    archive = {k: f for k, f in home.items() if not any(np.array_equal(f.embedding, e) for e in enrolled)}
    r = analyse_voices(archive, {}, Decisions(enrolled=enrolled))
    assert r.owner_source == "enrolled from 3 samples" and r.message == ""
    assert {speaker(k) for k in r.groups[r.owner_group].keys} == {"2033"}
    assert r.groups[r.owner_group].role == ROLE_OWNER
    for key, res in r.results.items():
        if res.uncertain:
            continue
        assert res.flagged == (speaker(key) != "2033"), key  # the largest voice, 1998, is now a stranger


def test_enrolled_owner_absent_from_the_archive_is_said_plainly(home: dict) -> None:
    archive = {k: f for k, f in home.items() if speaker(k) != "2609"}
    r = analyse_voices(archive, {}, Decisions(enrolled=real_embeddings_of("2609", 3)))
    assert r.message == NO_MATCH_MESSAGE
    assert r.owner_group is None and r.owner_source == "enrolled from 3 samples"
    assert all(res.flagged for res in r.results.values() if not res.uncertain)


def test_enrolled_owner_heard_once_is_not_a_voice_of_the_archive(home: dict) -> None:
    enrolled = real_embeddings_of("2609", 3)
    heard_once = sorted(keys_of(home, "2609"))[-1]  # not one of the enrolled clips
    archive = {k: f for k, f in home.items() if speaker(k) != "2609" or k == heard_once}
    r = analyse_voices(archive, {}, Decisions(enrolled=enrolled))
    assert r.message == NO_VOICE_MATCH_MESSAGE.format(n=1, recordings="recording comes")
    assert not r.results[heard_once].flagged and r.results[heard_once].group == -1


def test_close_recordings_scattered_over_other_voices_are_not_the_owner() -> None:
    from voicearchive.voices.owner import _no_match_message

    labels = np.array([0] * 10 + [1] * 10 + [-1] * 2)
    judged = np.ones(len(labels), bool)
    sim = np.full(len(labels), 0.4)
    sim[[0, 1, 10, 11]] = 0.9  # two members of each of two other voices come close
    assert _no_match_message(sim, judged, labels, 0.8) == NO_VOICE_MATCH_MESSAGE.format(
        n=4, recordings="recordings come"
    )
    sim[:6] = 0.9  # most of voice 0: the owner's voice is there, the enrolment was only unlike its centre
    assert _no_match_message(sim, judged, labels, 0.8) == ""
    sim[:] = 0.4
    sim[20:] = 0.9
    sim[12] = 0.9  # one-off recordings outside every group, and one more
    assert _no_match_message(sim, judged, labels, 0.8).startswith("No voice in this archive")
    assert _no_match_message(np.full(len(labels), 0.4), judged, labels, 0.8) == NO_MATCH_MESSAGE


def test_user_marked_owner_recordings(home: dict) -> None:
    owner = keys_of(home, "3080")
    r = analyse_voices(home, {}, Decisions(owner_keys=owner))
    assert r.owner_source == OWNER_USER
    assert set(r.groups[r.owner_group].keys) == owner
    assert not any(r.results[k].flagged for k in owner)
    assert all(r.results[k].flagged for k in keys_of(home, "1998"))


def test_household_voices_are_not_flagged(home: dict) -> None:
    household = keys_of(home, "2609")  # marking the group marks its recordings
    r = analyse_voices(home, {}, Decisions(household_keys=household))
    roles = {g.role for g in r.groups if set(g.keys) & household}
    assert roles == {ROLE_HOUSEHOLD}
    assert not any(r.results[k].flagged for k in household)
    flagged = [res for k, res in r.results.items() if res.flagged]
    assert flagged and all("unlike the owner and the household" in res.flag_reason for res in flagged)
    assert all(speaker(res.key) not in ("1998", "2609") for res in flagged)


def test_stranger_group_role_and_reason(home: dict) -> None:
    marked = set(sorted(keys_of(home, "3080"))[:2])  # two of its recordings marked: the group is a stranger
    r = analyse_voices(home, {}, Decisions(stranger_keys=marked))
    g = next(g for g in r.groups if set(g.keys) & marked)
    assert g.role == ROLE_STRANGER
    other = next(k for k in g.keys if k not in marked and not r.results[k].uncertain)
    assert "a voice marked as a stranger" in r.results[other].flag_reason


def test_threshold_comes_from_the_owners_own_scores(home: dict) -> None:
    r = analyse_voices(home, {}, Decisions())
    owner = np.stack([home[k].embedding for k in r.groups[0].keys])
    others = owner.sum(axis=0)[None, :] - owner  # each recording against the rest of the owner's
    loo = np.einsum("ij,ij->i", owner, others / np.linalg.norm(others, axis=1, keepdims=True))
    expected = np.clip(np.quantile(loo, THRESHOLD_QUANTILE), *THRESHOLD_BOUNDS)
    assert r.threshold_source == THRESHOLD_AUTO
    assert r.threshold == pytest.approx(expected, abs=1e-5) == r.auto_threshold
    assert np.allclose(r.owner_scores, np.sort(loo), atol=1e-5)


def test_a_looser_owner_voice_gets_a_lower_threshold() -> None:
    def threshold(spread: float) -> float:
        x, _ = synthetic_voices([20, 5], seed=2, spread=spread)
        feats = {f"r{i:03d}": features(e) for i, e in enumerate(x)}
        return analyse_voices(feats, {}, Decisions()).threshold

    tight, loose = threshold(0.7), threshold(0.9)
    assert THRESHOLD_BOUNDS[0] < loose < tight < THRESHOLD_BOUNDS[1]  # learnt, not a bound
    assert threshold(0.4) == THRESHOLD_BOUNDS[1]  # a very tight voice is capped


def test_user_threshold_overrides_and_recounting_matches_a_rerun(home: dict) -> None:
    auto = analyse_voices(home, {}, Decisions())
    for t in (0.3, 0.5, auto.threshold, 0.95):
        rerun = analyse_voices(home, {}, Decisions(threshold=t))
        assert rerun.threshold_source == THRESHOLD_USER and rerun.threshold == t
        assert rerun.auto_threshold == pytest.approx(auto.threshold)
        assert count_flagged(auto, t) == rerun.flagged_count
        moved = apply_threshold(auto, t)
        assert {k: v.flagged for k, v in moved.results.items()} == {k: v.flagged for k, v in rerun.results.items()}
        assert {k: v.flag_reason for k, v in moved.results.items()} == {
            k: v.flag_reason for k, v in rerun.results.items()
        }
    assert count_flagged(auto, 0.3) < count_flagged(auto, 0.95)


def test_short_speech_is_uncertain_never_a_stranger(home: dict) -> None:
    stranger = sorted(keys_of(home, "2609"))[0]
    feats = dict(home)
    feats[stranger] = features(home[stranger].embedding, speech_s=UNCERTAIN_SPEECH_S - 0.3)
    feats["silent.wav"] = features(None, speech_s=0.0)
    r = analyse_voices(feats, {}, Decisions())
    res = r.results[stranger]
    assert res.uncertain and not res.flagged and "too little speech" in res.flag_reason
    assert count_flagged(r, 0.99) < len(feats)  # never flagged at any threshold
    silent = r.results["silent.wav"]
    assert silent.uncertain and not silent.flagged and silent.owner_similarity is None and silent.group == -1
    assert silent.flag_reason == "no speech found"


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
    assert r.other_voice_scores["kitchen/two-voices.wav"] < r.threshold
    assert all(not v.other_voice_spans for k, v in r.results.items() if k != "kitchen/two-voices.wav")


def test_no_recurring_voice_means_no_owner_and_no_flags() -> None:
    x, _ = synthetic_voices([], singles=6, seed=4)
    feats = {f"r{i}": features(e) for i, e in enumerate(x)}
    r = analyse_voices(feats, {}, Decisions())
    assert r.owner_source == "" and r.message == NO_OWNER_MESSAGE and r.threshold_source == THRESHOLD_DEFAULT
    assert r.groups == [] and r.flagged_count == 0
    assert all(v.owner_similarity is None for v in r.results.values())


def test_empty_archive() -> None:
    r = analyse_voices({}, {}, Decisions())
    assert r.results == {} and r.groups == [] and r.message == "" and count_flagged(r, 0.5) == 0


def test_same_input_gives_the_same_report(home: dict) -> None:
    a = analyse_voices(home, {}, Decisions())
    shuffled = dict(sorted(home.items(), key=lambda kv: kv[0][::-1]))
    b = analyse_voices(shuffled, {}, Decisions())
    assert a.results == b.results
    assert [(g.id, g.name, g.keys, g.representative) for g in a.groups] == [
        (g.id, g.name, g.keys, g.representative) for g in b.groups
    ]
