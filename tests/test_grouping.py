"""Voice groups without a known number of voices: real speech embeddings and synthetic clusters."""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice_embeddings import real_clips, synthetic_voices
from voicearchive.voices import grouping
from voicearchive.messages import render
from voicearchive.voices.grouping import MIN_GROUP, assign, deterministic_sample, group_voices
from voicearchive.voices.voice_ids import voice_name


def _keys(n: int) -> list[str]:
    return [f"rec/{i:05d}.wav" for i in range(n)]


def _recovers(labels: np.ndarray, truth: np.ndarray, min_share: float = 0.98) -> bool:
    """Every true voice (truth >= 0) has one pure group holding at least ``min_share`` of its recordings
    (the rest may be left unique: the acceptance rule turns away a voice's far tail); one-offs stay -1."""
    if np.any(labels[truth < 0] >= 0):
        return False
    for voice in np.unique(truth[truth >= 0]):
        mine = labels[truth == voice]
        ids, counts = np.unique(mine[mine >= 0], return_counts=True)
        if not len(ids) or counts.max() < min_share * len(mine):
            return False
        if np.any(truth[labels == ids[np.argmax(counts)]] != voice):
            return False
    return True


def test_real_voices_form_one_pure_group_each_without_k() -> None:
    keys, speakers, emb, _ = real_clips()
    g = group_voices(keys, emb)
    spk = np.array(speakers)
    recurring = ["1998", "3080", "2033", "2609"]
    assert g.labels.max() + 1 == len(recurring)
    for s in recurring:
        ids, counts = np.unique(g.labels[spk == s], return_counts=True)
        main = ids[np.argmax(counts)]
        assert main >= 0 and counts.max() >= 10, (s, ids, counts)  # at most 2 of 12 left unique
        assert set(spk[g.labels == main]) == {s}  # the group holds nobody else


def test_voices_heard_once_or_twice_stay_unique() -> None:
    keys, speakers, emb, _ = real_clips()
    g = group_voices(keys, emb)
    one_off = np.isin(np.array(speakers), ["367", "533"])
    assert one_off.sum() == 3
    assert np.all(g.labels[one_off] == -1)


@pytest.mark.parametrize("sizes", [[15], [20, 8, 4], [30, 12, 9, 7, 6, 5, 4, 3]])
def test_synthetic_groups_are_found_without_being_told_how_many(sizes: list[int]) -> None:
    x, truth = synthetic_voices(sizes, singles=4, seed=len(sizes))
    g = group_voices(_keys(len(x)), x)
    assert g.labels.max() + 1 == len(sizes)
    assert _recovers(g.labels, truth, min_share=0.9)


def test_a_voice_heard_twice_is_not_a_group() -> None:
    x, _ = synthetic_voices([MIN_GROUP - 1, 10], seed=3)
    g = group_voices(_keys(len(x)), x)
    assert np.all(g.labels[: MIN_GROUP - 1] == -1)
    assert np.all(g.labels[MIN_GROUP - 1 :] == 0)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_archives_have_no_groups(n: int) -> None:
    x, _ = synthetic_voices([n], seed=1) if n else (np.zeros((0, 256), np.float32), None)
    g = group_voices(_keys(n), x)
    assert g.labels.shape == (n,) and np.all(g.labels == -1) and len(g.centroids) == 0


def test_groups_are_numbered_by_size_and_carry_centroid_and_cut() -> None:
    x, truth = synthetic_voices([5, 12, 8], seed=5)
    g = group_voices(_keys(len(x)), x)
    assert [int(np.sum(g.labels == i)) for i in range(3)] == [12, 8, 5]
    assert np.allclose(np.linalg.norm(g.centroids, axis=1), 1.0, atol=1e-5)
    for i in range(3):  # every member passes its own group's cut; the centroid is its voice's
        sims = x[g.labels == i] @ g.centroids[i]
        assert np.all(sims >= g.cuts[i]) and sims.mean() > 0.75


def test_group_names() -> None:
    assert render(voice_name(1), "de") == "Stimme B"
    assert [render(voice_name(i), "en") for i in (0, 1, 25, 26, 27, 52)] == [
        "Voice A", "Voice B", "Voice Z", "Voice AA", "Voice AB", "Voice BA",
    ]


def test_same_input_in_any_order_gives_the_same_groups() -> None:
    keys, _, emb, _ = real_clips()
    first = group_voices(keys, emb)
    order = np.random.default_rng(7).permutation(len(keys))
    again = group_voices([keys[i] for i in order], emb[order])
    assert np.array_equal(again.labels, first.labels[order])  # same ids, not only the same partition
    assert np.allclose(again.centroids, first.centroids, atol=1e-6)


def test_sample_is_chosen_by_key_not_by_position() -> None:
    keys = _keys(50)
    picked = {keys[i] for i in deterministic_sample(keys, 10)}
    reversed_keys = keys[::-1]
    assert {reversed_keys[i] for i in deterministic_sample(reversed_keys, 10)} == picked
    assert len(picked) == 10


def test_chunked_assignment_equals_one_pass() -> None:
    x, _ = synthetic_voices([40, 30, 20], singles=10, seed=11)
    g = group_voices(_keys(len(x)), x)
    whole = assign(x, g.centroids, g.cuts, chunk=len(x))
    for chunk in (1, 7, 64):
        assert np.array_equal(assign(x, g.centroids, g.cuts, chunk=chunk), whole)
    assert np.array_equal(whole, g.labels)


def test_sampled_and_chunked_path_matches_the_direct_path() -> None:
    x, truth = synthetic_voices([120, 80, 50, 30], singles=8, seed=13)
    keys = _keys(len(x))
    direct = group_voices(keys, x)  # everything clustered at once
    sampled = group_voices(keys, x, sample_size=120, chunk=50)  # sample, then assign in chunks
    assert np.array_equal(sampled.labels, direct.labels)
    assert _recovers(direct.labels, truth)


def test_twenty_thousand_recordings_without_an_n_by_n_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes = [9000, 6000, 3000, 1500, 470, 5]  # the last voice is too rare to be sure to be sampled
    x, truth = synthetic_voices(sizes, singles=25, seed=17)
    largest = []
    spectral = grouping.spectral_clusters

    def watched(rows: np.ndarray, *a, **k) -> np.ndarray:
        largest.append(len(rows))
        return spectral(rows, *a, **k)

    monkeypatch.setattr(grouping, "spectral_clusters", watched)
    g = group_voices(_keys(len(x)), x)
    assert max(largest) <= grouping.SAMPLE_SIZE  # never an affinity bigger than the sample's
    assert g.labels.max() + 1 == len(sizes)  # the rare voice too, found in a later round
    assert _recovers(g.labels, truth, min_share=0.99)
    for i, size in enumerate(sizes):  # numbered by size
        assert 0.99 * size <= np.sum(g.labels == i) <= size


# ------------------------------------------------------------------------------- a group is never narrower than a voice
def _tight_voice(n: int, similarity: float, seed: int = 0) -> np.ndarray:
    """``n`` unit rows at almost exactly ``similarity`` to one direction: a group whose MAD is near zero."""
    rng = np.random.default_rng(seed)
    off = rng.normal(size=(n, 64))
    off[:, 0] = 0.0
    off /= np.linalg.norm(off, axis=1, keepdims=True)
    x = similarity * np.eye(64)[0] + np.sqrt(1 - similarity**2) * off
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_a_groups_cut_assumes_at_least_the_spread_it_is_given() -> None:
    x = _tight_voice(40, 0.9)
    labels = np.zeros(len(x), int)
    cents, cut_narrow, _ = grouping._summarise(x, labels, min_spread=0.02)
    _, cut_voice, _ = grouping._summarise(x, labels, min_spread=0.04)
    assert cut_voice[0] == pytest.approx(cut_narrow[0] - 3 * 0.02, abs=1e-4)  # median - 3 x 0.04, not 3 x 0.02
    # a newcomer between the two cuts: turned away by the narrow cut, taken by a voice's spread
    between = 0.5 * (cut_narrow[0] + cut_voice[0])
    ortho = np.eye(64)[1] - cents[0] * float(cents[0] @ np.eye(64)[1])
    ortho /= np.linalg.norm(ortho)
    newcomer = (between * cents[0] + np.sqrt(1 - between**2) * ortho).astype(np.float32)[None]
    assert assign(newcomer, cents, cut_narrow)[0] == -1
    assert assign(newcomer, cents, cut_voice)[0] == 0


def test_the_analysis_gives_the_grouping_a_voices_spread_at_the_archives_speech(monkeypatch) -> None:
    from voicearchive.voices import owner, owner_set
    from voicearchive.voices.features import VoiceFeatures

    seen = []
    real = grouping.group_voices
    monkeypatch.setattr(grouping, "group_voices", lambda *a, **k: seen.append(k["min_spread"]) or real(*a, **k))
    x = _tight_voice(12, 0.9)
    keys = _keys(len(x))

    def analyse(speech_s: float) -> None:
        empty = (np.zeros((0, x.shape[1]), np.float32), np.zeros(0, np.float32))
        owner.analyse_voices({k: VoiceFeatures(e, speech_s, *empty) for k, e in zip(keys, x)})

    for speech_s, floor in ((2.0, 0.03), (1.0, 0.04), (1.5, 0.035)):
        owner._GROUP_CACHE.clear()
        analyse(speech_s)
        assert seen[-1] == pytest.approx(floor) == pytest.approx(owner_set.set_spread_floor(np.array([speech_s])))
    n = len(seen)
    analyse(1.5)
    assert len(seen) == n  # cached: the same input is not grouped again
    analyse(2.0)
    assert len(seen) == n + 1  # another length of speech, another floor: grouped again
