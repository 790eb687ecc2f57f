"""Cut a ``<speaker>/<clip>`` folder into command-length clips and embed them, with an .npz cache.

Used by ``eval_voices.py``. Two encoders:

``voicearchive``  the app's own numpy encoder (``voicearchive.voices.features.analyse_audio``), the default;
``resemblyzer``   Resemble AI's reference implementation (needs torch + resemblyzer: run the script with the
                  throw-away environment's python, e.g. ``PYTHONPATH=. /tmp/venv-rz/bin/python ...``).
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

AUDIO_SUFFIXES = {".flac", ".wav", ".mp3", ".ogg"}


@dataclass
class ClipSet:
    """Embeddings of every clip of one length cut from a speaker folder."""

    keys: list[str]  # "<speaker>/<file>#<index>"
    speakers: list[str]
    embeddings: np.ndarray  # (n, 256); rows of zeros where no speech was found
    has_speech: np.ndarray  # (n,) bool
    speech_s: np.ndarray  # (n,)
    windows: list[np.ndarray]  # per clip (m, 256)
    window_starts: list[np.ndarray]  # per clip (m,)
    rates: np.ndarray | None = None  # (n,) sample rate of each clip's source file (the app's narrow-band input)


def list_audio(root: Path) -> list[tuple[str, Path]]:
    """(speaker, file) pairs for every audio file one level below ``root``, sorted."""
    out = []
    for spk in sorted(p for p in root.iterdir() if p.is_dir()):
        for f in sorted(spk.iterdir()):
            if f.suffix.lower() in AUDIO_SUFFIXES:
                out.append((spk.name, f))
    return out


COMMAND_S = (0.8, 1.5)  # ``clip_s == 0``: command-length clips, each of a length drawn from this range


def cut(samples: np.ndarray, rate: int, clip_s: float, seed: str = "") -> list[np.ndarray]:
    """Consecutive non-overlapping clips of ``clip_s`` seconds; the remainder is dropped.

    ``clip_s == 0`` cuts command-length clips instead: each of a length drawn uniformly from ``COMMAND_S``
    (seeded by ``seed``, the file's name, so the same file always gives the same clips)."""
    if clip_s > 0:
        n = int(round(clip_s * rate))
        return [samples[i : i + n] for i in range(0, len(samples) - n + 1, n)]
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "little"))
    out, i = [], 0
    while True:
        n = int(round(rng.uniform(*COMMAND_S) * rate))
        if i + n > len(samples):
            return out
        out.append(samples[i : i + n])
        i += n


class _Resemblyzer:
    def __init__(self) -> None:
        import torch
        from resemblyzer import VoiceEncoder, preprocess_wav

        torch.set_num_threads(1)
        self._encoder = VoiceEncoder("cpu", verbose=False)
        self._preprocess = preprocess_wav

    def __call__(self, x: np.ndarray, rate: int):
        wav = self._preprocess(x, source_sr=rate)
        speech_s = len(wav) / 16000
        if speech_s < 0.1:
            return None, speech_s, np.zeros((0, 256), np.float32), np.zeros(0, np.float32)
        emb, partials, slices = self._encoder.embed_utterance(wav, return_partials=True)
        starts = np.array([s.start / 16000 for s in slices], np.float32)
        return emb.astype(np.float32), speech_s, partials.astype(np.float32), starts


class _VoiceArchive:
    def __init__(self) -> None:
        from voicearchive.voices.features import analyse_audio

        self._analyse = analyse_audio

    def __call__(self, x: np.ndarray, rate: int):
        f = self._analyse(x.astype(np.float32), rate)
        return f.embedding, f.speech_s, f.windows, f.window_starts


ENCODERS = {"voicearchive": _VoiceArchive, "resemblyzer": _Resemblyzer}


def _cache_path(root: Path, files: list[tuple[str, Path]], encoder: str, clip_s: float) -> Path:
    from voicearchive.voices.features import model_version

    h = hashlib.sha1(f"{root.resolve()}|{encoder}|{clip_s}|{model_version()}|rates".encode())
    for _, f in files:
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return Path(tempfile.gettempdir()) / f"voicearchive-eval-{h.hexdigest()[:16]}.npz"


def embed_clips(root: Path, encoder: str, clip_s: float, verbose: bool = True) -> ClipSet:
    """Embed every ``clip_s`` clip of ``root``; cached in a temporary .npz by content identity."""
    files = list_audio(root)
    cache = _cache_path(root, files, encoder, clip_s)
    if cache.exists():
        z = np.load(cache, allow_pickle=False)
        offsets = z["win_offsets"]
        wins = [z["windows"][a:b] for a, b in zip(offsets[:-1], offsets[1:])]
        starts = [z["window_starts"][a:b] for a, b in zip(offsets[:-1], offsets[1:])]
        return ClipSet(
            [str(k) for k in z["keys"]],
            [str(s) for s in z["speakers"]],
            z["embeddings"],
            z["has_speech"],
            z["speech_s"],
            wins,
            starts,
            z["rates"],
        )
    enc = ENCODERS[encoder]()
    keys, speakers, embs, has, speech, wins, starts, rates = [], [], [], [], [], [], [], []
    for spk, f in files:
        x, rate = sf.read(f, dtype="float32", always_2d=True)
        for i, clip in enumerate(cut(x.mean(axis=1), rate, clip_s, f"{spk}/{f.name}")):
            emb, s, w, ws = enc(clip, rate)
            keys.append(f"{spk}/{f.name}#{i}")
            speakers.append(spk)
            has.append(emb is not None)
            embs.append(emb if emb is not None else np.zeros(256, np.float32))
            speech.append(s)
            wins.append(np.asarray(w, np.float32).reshape(-1, 256))
            starts.append(np.asarray(ws, np.float32).reshape(-1))
            rates.append(rate)
    offsets = np.cumsum([0] + [len(w) for w in wins])
    np.savez(
        cache,
        keys=np.array(keys),
        speakers=np.array(speakers),
        embeddings=np.stack(embs).astype(np.float32),
        has_speech=np.array(has),
        speech_s=np.array(speech, np.float32),
        windows=np.concatenate(wins) if wins else np.zeros((0, 256), np.float32),
        window_starts=np.concatenate(starts) if starts else np.zeros(0, np.float32),
        win_offsets=offsets,
        rates=np.array(rates, np.int32),
    )
    if verbose:
        print(f"embedded {len(keys)} clips of {clip_s:g} s from {root} with {encoder} (cache {cache})")
    return ClipSet(keys, speakers, np.stack(embs), np.array(has), np.array(speech, np.float32), wins, starts,
                   np.array(rates, np.int32))


def features_of(cs: ClipSet, idx) -> dict:
    """The app's ``VoiceFeatures`` of the clips ``idx`` of ``cs``, keyed as the analysis wants them."""
    from voicearchive.voices.features import VoiceFeatures

    return {
        cs.keys[i]: VoiceFeatures(
            cs.embeddings[i] if cs.has_speech[i] else None, float(cs.speech_s[i]), cs.windows[i], cs.window_starts[i]
        )
        for i in idx
    }


def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a positive scores above a negative (ties count half); NaN when either side is empty."""
    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    if not len(pos) or not len(neg):
        return float("nan")
    scores = np.concatenate([pos, neg])
    ranks = np.empty(len(scores))
    order = np.argsort(scores, kind="mergesort")
    ranks[order] = np.arange(1, len(scores) + 1)
    for v in np.unique(scores):  # ties: average rank
        tie = scores == v
        if tie.sum() > 1:
            ranks[tie] = ranks[tie].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))
