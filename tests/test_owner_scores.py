"""How recordings are scored against the owner set (``owner_set.contrast_scores``), on real degraded
command-length speech (tests/data/voices/degraded_household.npz, LibriSpeech CC BY 4.0)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice_embeddings import degraded_household
from voicearchive.voices import owner_set
from voicearchive.voices.owner import UNCERTAIN_SPEECH_S, analyse_voices

OWNER = "3005"


@pytest.fixture(scope="module")
def archive() -> tuple[dict, dict]:
    return degraded_household()


def _flags(report, speakers: dict, owner: bool) -> tuple[int, int]:
    rows = [r for k, r in report.results.items() if (speakers[k] == OWNER) == owner]
    judged = [r for r in rows if not r.uncertain]
    return sum(r.flagged for r in rows), len(judged)


def test_without_strangers_the_owners_outliers_are_not_flagged_for_being_the_rest(archive) -> None:
    """The owner alone, on degraded audio: the few recordings outside the owner set are all "the rest". Each
    used to pull the contrast centre towards itself and be flagged for it (4 of 51); now a recording near the
    owner set is scored against a centre without its own weight."""
    feats, speakers = archive
    alone = {k: f for k, f in feats.items() if speakers[k] == OWNER}
    report = analyse_voices(alone)
    flagged, judged = _flags(report, speakers, owner=True)
    assert judged >= 30
    assert flagged <= 0.05 * len(alone)  # the bound for an archive without any stranger
    # the threshold is still owner-relative: the same rule on the owner set's own scores
    assert report.threshold == pytest.approx(owner_set.robust_cut(report.owner_scores), abs=1e-6)


def test_with_strangers_they_are_still_flagged_and_the_owner_is_not(archive) -> None:
    feats, speakers = archive
    report = analyse_voices(feats)
    owner_flagged, _ = _flags(report, speakers, owner=True)
    strangers_flagged, strangers_judged = _flags(report, speakers, owner=False)
    assert owner_flagged <= 0.05 * sum(s == OWNER for s in speakers.values())  # was 3 of 51
    assert strangers_judged >= 25 and strangers_flagged == strangers_judged  # every judged stranger


def _space(feats: dict):
    keys = sorted(feats)
    x = np.stack([feats[k].embedding for k in keys]).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    judged = np.array([feats[k].speech_s >= UNCERTAIN_SPEECH_S for k in keys])
    found = owner_set.owner_set(x, judged.copy(), judged)
    members, rest = found.members, judged & ~found.members
    y, centre = owner_set.contrast_space(x, members, rest)
    return x, members, rest, y, centre, found.scores


@pytest.mark.parametrize("enrolled", [0, 3])
def test_the_moved_centre_is_the_exact_leave_one_out_to_first_order(archive, enrolled: int) -> None:
    feats, speakers = archive
    alone = {k: f for k, f in feats.items() if speakers[k] == OWNER}
    x, members, rest, y, centre, raw = _space(alone)
    assert 2 <= rest.sum() <= 10
    extra = x[np.flatnonzero(members)[:enrolled]]  # enrolled samples: in the owner's profile, not rows
    owner_rows = np.concatenate([x[members], extra])
    if enrolled:
        y, centre = owner_set.contrast_space(x, members, rest, extra)
    confidence = owner_set.not_owner_confidence(raw, members, owner_set.K)
    got = owner_set.contrast_scores(x, y, centre, members, rest, confidence, extra if enrolled else None)
    # exact: every rest row in the space of a centre whose rest mean leaves out (1 - confidence) of itself
    total, rest_sum = float(rest.sum()), x[rest].sum(axis=0, dtype=np.float64)
    mu_o = owner_rows.mean(axis=0, dtype=np.float64)
    moved = 0
    for i in np.flatnonzero(rest):
        d = 1.0 - confidence[i]
        c = 0.5 * (mu_o + (rest_sum - d * x[i]) / (total - d))
        ys = owner_set.transform(owner_rows, c.astype(np.float32))
        profile = ys.sum(axis=0) / np.linalg.norm(ys.sum(axis=0))
        exact = float(owner_set.transform(x[i], c.astype(np.float32)) @ profile)
        assert got[i] == pytest.approx(exact, abs=0.02)
        moved += d > 0
    assert moved >= 2  # the case the change is for: rest rows near the owner set
    # members and recordings confidently not the owner keep the plain contrast score
    plain = owner_set.set_scores(y, members, owner_set.transform(extra, centre) if enrolled else None)
    keep = members | (rest & (confidence >= 1.0)) | ~(members | rest)
    np.testing.assert_allclose(got[keep], plain[keep], rtol=0, atol=1e-6)


def test_not_owner_confidence_ramps_from_k_to_twice_k() -> None:
    rng = np.random.default_rng(0)
    own = 0.8 + 0.02 * rng.standard_normal(41)
    med = float(np.median(own))
    spread = max(owner_set.MAD_SCALE * float(np.median(own[own >= med] - med)), owner_set.MIN_SPREAD)
    k = owner_set.K
    raw = np.concatenate([own, med - spread * np.array([k - 1, k, 1.5 * k, owner_set.SELF_FAR * k, 3 * k])])
    members = np.zeros(len(raw), bool)
    members[: len(own)] = True
    conf = owner_set.not_owner_confidence(raw, members, k)
    np.testing.assert_allclose(conf[len(own):], [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-9)


def test_a_recurring_voice_mostly_outside_the_owner_set_is_confidently_not_the_owner() -> None:
    """However near the owner it scores: a near voice that recurs on its own is "the others" in full."""
    own = np.full(20, 0.8) + np.linspace(-0.02, 0.02, 20)
    raw = np.concatenate([own, [0.78, 0.78, 0.4]])
    members = np.zeros(len(raw), bool)
    members[:20] = True
    apart = np.zeros(len(raw), bool)
    apart[20] = True
    conf = owner_set.not_owner_confidence(raw, members, owner_set.K, apart)
    assert conf[20] == 1.0 and conf[21] == 0.0 and conf[22] == 1.0
