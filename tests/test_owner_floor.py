"""The owner set is never narrower than a voice (``owner_set.set_cut``, ``owner_set.set_spread_floor``).

The trap it closes, measured on a degraded command-length archive: the set grown from a tight piece of one voice
(14 of its recordings, robust deviation 0.018) kept its cut so high that the voice's other pieces never came in,
and a quarter of the owner's recordings were flagged. The embeddings below rebuild that shape: one voice in three
pieces (a tight core of 14, two looser pieces of 8 and 7) and a stranger heard 10 times."""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice_embeddings import command_archive
from voicearchive.voices import owner_set
from voicearchive.voices.owner import Decisions, analyse_voices


def _unit(a: np.ndarray) -> np.ndarray:
    return a / np.linalg.norm(a, axis=-1, keepdims=True)


def _pieces_of_one_voice() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    dim = 256
    voice = _unit(rng.standard_normal(dim))
    core_dir, b_dir, c_dir, stranger_dir = _unit(rng.standard_normal((4, dim)))

    def piece(direction: np.ndarray, n: int, weight: float, noise: float) -> np.ndarray:
        return _unit(voice + weight * direction + noise * _unit(rng.standard_normal((n, dim))))

    x = np.concatenate([
        piece(core_dir, 14, 0.3, 0.6), piece(b_dir, 8, 0.45, 0.6), piece(c_dir, 7, 0.45, 0.6),
        _unit(stranger_dir + 0.5 * _unit(rng.standard_normal((10, dim))) + 0.35 * voice),
    ]).astype(np.float32)
    return x, np.r_[np.ones(29, bool), np.zeros(10, bool)]


def test_a_tight_piece_of_the_voice_grows_into_the_whole_voice_with_the_floor() -> None:
    x, own = _pieces_of_one_voice()
    seed = np.zeros(len(x), bool)
    seed[:14] = True
    judged = np.ones(len(x), bool)
    old = owner_set.owner_set(x, seed, judged, floor=owner_set.MIN_SPREAD)  # the floor before: the trap
    assert old.members.sum() == 14
    found = owner_set.owner_set(x, seed, judged, floor=owner_set.set_spread_floor(np.full(len(x), 1.0)))
    assert (found.members == own).all()  # every piece of the voice, and not the stranger


def test_the_floor_follows_the_length_of_speech() -> None:
    assert owner_set.set_spread_floor(np.array([0.9, 1.0, 1.1])) == pytest.approx(owner_set.SET_SPREAD_FLOOR[0])
    assert owner_set.set_spread_floor(np.array([2.5, 3.0])) == pytest.approx(owner_set.SET_SPREAD_FLOOR[1])
    middle = owner_set.set_spread_floor(np.array([1.5]))
    assert owner_set.SET_SPREAD_FLOOR[1] < middle < owner_set.SET_SPREAD_FLOOR[0]
    assert owner_set.set_spread_floor(np.zeros(0)) == owner_set.SET_SPREAD_FLOOR[0]


def test_the_floor_is_a_width_that_does_not_move_with_k() -> None:
    tight = np.array([0.83, 0.835, 0.84, 0.825, 0.845, 0.83, 0.838])  # robust deviation about 0.01
    floor = 0.04
    for k in (2.8, 3.0, 3.2):
        assert owner_set.set_cut(tight, k, floor) == pytest.approx(np.median(tight) - owner_set.K * floor)
    wide = np.array([0.9, 0.8, 0.85, 0.7, 0.95, 0.6, 0.75])  # its own deviation is above the floor: k decides
    for k in (2.8, 3.2):
        assert owner_set.set_cut(wide, k, floor) == pytest.approx(owner_set.robust_cut(wide, k))
    assert owner_set.set_cut(wide, 3.2, floor) < owner_set.set_cut(wide, 2.8, floor)


@pytest.mark.parametrize("k", [owner_set.K - 0.2, owner_set.K, owner_set.K + 0.2])
def test_a_voice_in_pieces_on_real_degraded_commands_stays_one_voice(k, monkeypatch) -> None:
    """Real speech (tests/data/voices/commands_owner_pieces.npz: one owner, no one else, 54 degraded commands
    embedded by the int8 pass): the owner's recordings are offered as the owner's voice and not flagged. With
    the old floor (0.02) the owner set stayed a tight piece of 14 and a quarter of the owner was flagged."""
    feats, who = command_archive("commands_owner_pieces.npz")
    assert {key.split("/")[0] for key in feats} == {who}

    def figures() -> tuple[float, float]:
        r = analyse_voices(feats, {}, Decisions(k=k))
        shown = set(r.group(r.owner_group).keys)
        return len(shown) / len(feats), float(np.mean([r.results[key].flagged for key in feats]))

    offered, flagged = figures()
    assert offered >= 0.95 and flagged <= 0.05
    if k == owner_set.K:
        monkeypatch.setattr(owner_set, "SET_SPREAD_FLOOR", (owner_set.MIN_SPREAD, owner_set.MIN_SPREAD))
        offered, flagged = figures()
        assert flagged >= 0.2 and offered <= 0.6  # the trap this floor closes
