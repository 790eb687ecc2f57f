"""Real-speech embeddings (tests/data/voices, LibriSpeech CC BY 4.0) and synthetic voices for the voice tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from voicearchive.voices.features import VoiceFeatures

DATA = Path(__file__).parent / "data" / "voices"
DIM = 256


def real_clips() -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """keys, speakers, embeddings (n, 256) and speech seconds of the stored real clips."""
    index = json.loads((DATA / "index.json").read_text())
    emb = np.load(DATA / "embeddings.npy")
    return (
        [e["key"] for e in index],
        [e["speaker"] for e in index],
        emb,
        np.array([e["speech_s"] for e in index], dtype=np.float32),
    )


def features(embedding: np.ndarray | None, speech_s: float = 2.0) -> VoiceFeatures:
    """Features of a one-voice recording (no window embeddings)."""
    return VoiceFeatures(
        None if embedding is None else np.asarray(embedding, np.float32),
        float(speech_s),
        np.zeros((0, DIM), np.float32),
        np.zeros(0, np.float32),
    )


def real_features(speakers: dict[str, int] | None = None, skip: int = 0) -> dict[str, VoiceFeatures]:
    """Features of the real clips: ``speakers`` maps a speaker to how many clips to take (all by default)."""
    keys, spk, emb, speech = real_clips()
    out: dict[str, VoiceFeatures] = {}
    taken: dict[str, int] = {}
    for k, s, e, sp in zip(keys, spk, emb, speech):
        taken[s] = taken.get(s, 0) + 1
        if taken[s] <= skip:
            continue
        if speakers is None or taken[s] - skip <= speakers.get(s, 0):
            out[k] = features(e, sp)
    return out


def real_embeddings_of(speaker: str, n: int) -> list[np.ndarray]:
    keys, spk, emb, _ = real_clips()
    return [emb[i] for i, s in enumerate(spk) if s == speaker][:n]


def two_voices() -> VoiceFeatures:
    """A real 8 s recording: 5 s of speaker 1998, then 3 s of speaker 2033."""
    z = np.load(DATA / "two_voices.npz")
    return VoiceFeatures(z["embedding"], float(z["speech_s"]), z["windows"], z["window_starts"])


def synthetic_voices(
    sizes: list[int], singles: int = 0, seed: int = 0, spread: float = 0.75
) -> tuple[np.ndarray, np.ndarray]:
    """Clusters of unit vectors (one per size) plus ``singles`` one-off voices; labels -1 for the singles.

    With ``spread`` 0.75 in 256 dimensions a member's cosine to its voice's centre is about 0.8, and
    different voices are nearly orthogonal: the shape of real embeddings, without their overlap.
    """
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes) + singles, DIM))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    rows, labels = [], []
    for g, size in enumerate(sizes):
        rows.append(centres[g] + spread * rng.normal(size=(size, DIM)) / np.sqrt(DIM))
        labels += [g] * size
    for s in range(singles):
        rows.append(centres[len(sizes) + s][None, :])
        labels.append(-1)
    x = np.concatenate(rows)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), np.array(labels)


def degraded_household() -> tuple[dict[str, VoiceFeatures], dict[str, str]]:
    """Features of a real degraded command-length archive (room, noise, 8 kHz, low-bitrate MP3; 0.8-1.5 s clips,
    ``data/voices/make_command_fixtures.py``): owner 3005's 51 clips, two recurring strangers (20 clips each)
    and five one-off voices; and key -> speaker."""
    z = np.load(DATA / "degraded_household.npz")
    keys = [str(k) for k in z["keys"]]
    feats = {k: features(e, float(s)) for k, e, s in zip(keys, z["embeddings"], z["speech_s"])}
    return feats, dict(zip(keys, (str(s) for s in z["speakers"])))


def command_archive(name: str = "commands_half_owner.npz") -> tuple[dict[str, VoiceFeatures], str]:
    """A degraded command-length archive (``data/voices/<name>``, see ``make_command_fixtures.py``): features per
    key (no window embeddings) and the owner's speaker id. Keys start with the speaker id."""
    z = np.load(DATA / name)
    feats = {str(k): features(e, float(s)) for k, e, s in zip(z["keys"], z["embeddings"], z["speech_s"])}
    return feats, str(z["owner"])
