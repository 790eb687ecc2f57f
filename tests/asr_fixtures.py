"""A tiny fake speech-to-text engine for the stage tests: no Whisper model loads, in-process or on workers.

Pickled by reference (``tests.asr_fixtures.FakeSpec``): Dask workers import this module by name."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from voicearchive.transcripts.asr import AsrModel, EngineSpec
from voicearchive.transcripts.rows import SOURCE_MACHINE, Transcript

LOADS: list[int] = []  # one entry per engine loaded in this process


class FakeEngine:
    def __init__(self, engine: str) -> None:
        self.engine = engine

    def transcribe(self, samples) -> Transcript:
        n = len(samples)
        return Transcript("", SOURCE_MACHINE, self.engine, text=f"heard {n} samples",
                          words=[(0.0, 0.5, 0.9, "heard"), (0.5, 1.0, 0.2, f"{n}")], confidence=0.55)


@dataclass(frozen=True)
class FakeSpec(EngineSpec):
    def load(self, threads: int):
        LOADS.append(os.getpid())
        return FakeEngine(self.engine)


def fake_spec(name: str = "fake") -> FakeSpec:
    return FakeSpec(AsrModel(name, Path("/nonexistent-model"), "f" * 64, False), "en")
