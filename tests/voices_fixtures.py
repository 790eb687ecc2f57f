"""Fixture case items for the voices and timeline views: three voices, a few one-off voices."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from voicearchive.model import (
    HOME_ASSISTANT,
    TIME_METADATA,
    AudioFacts,
    CaseItem,
    Label,
    Recording,
    VoiceResult,
)

THRESHOLD = 0.75
# group id -> (name, size, mean owner similarity)
GROUPS = {0: ("Voice A", 12, 0.88), 1: ("Voice B", 7, 0.45), 2: ("Voice C", 5, 0.62), -1: ("", 4, 0.3)}


def make_items(seed: int = 0) -> tuple[list[CaseItem], dict[str, np.ndarray]]:
    """Case items with voice results, and their embeddings (key -> (256,) float32)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, 256))
    start = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)
    items: list[CaseItem] = []
    embeddings: dict[str, np.ndarray] = {}
    n = 0
    for gid, (name, size, mean) in GROUPS.items():
        for i in range(size):
            key = f"rec/{name or 'unique'}-{i:02d}.wav".replace(" ", "_")
            sim = float(np.clip(mean + rng.normal(scale=0.06), 0.0, 1.0))
            rec = Recording(
                key=key,
                archive="/evidence/archive.zip",
                member_path=key,
                source_format=HOME_ASSISTANT,
                sha256=f"{n:064x}",
                size=1000 + n,
                recorded_at=start + timedelta(hours=7 * n),
                time_basis=TIME_METADATA,
                device="Kitchen",
                transcript=f"utterance {n}",
                audio=AudioFacts("wav/PCM_16", 16000, 1, 2.0),
            )
            voice = VoiceResult(
                key=key,
                group=gid,
                group_name=name,
                owner_similarity=sim,
                flagged=sim < THRESHOLD,
                flag_reason="unlike the owner's voice" if sim < THRESHOLD else "",
                speech_s=1.0 + i * 0.1,
                score=sim,
            )
            items.append(CaseItem(rec, Label(key), voice))
            vec = centres[gid + 1] + (0.6 if gid >= 0 else 1.5) * rng.normal(size=256)
            embeddings[key] = (vec / np.linalg.norm(vec)).astype(np.float32)
            n += 1
    return items, embeddings


class FakeLabels:
    """Stands in for case.labels.LabelBook: records the roles set."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str | None]] = []

    def set_role(self, keys, role) -> None:
        self.calls.append((list(keys), role))

    def set_voice_role(self, voice_ids, role) -> None:
        self.voice_calls.append((list(voice_ids), role))

    @property
    def voice_calls(self) -> list:
        if not hasattr(self, "_voice_calls"):
            self._voice_calls: list = []
        return self._voice_calls
