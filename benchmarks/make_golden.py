"""Store Resemblyzer's own embeddings of the golden clips (run once, by hand, never by the tests).

Needs a throw-away environment with torch and Resemblyzer, never VoiceArchive's own::

    python -m venv /tmp/venv-rz
    /tmp/venv-rz/bin/pip install torch==2.13.0 librosa webrtcvad-wheels soundfile
    /tmp/venv-rz/bin/pip install --no-deps resemblyzer==0.1.4
    /tmp/venv-rz/bin/python benchmarks/make_golden.py

For each ``tests/data/golden/*.flac`` it writes ``<name>.npz`` with Resemblyzer's utterance
embedding (``embedding``), its partial embeddings (``partials``), the number of samples of the
preprocessed (resampled, normalised, trimmed) audio (``n_trimmed``), and the first 200 frames
of librosa's mel spectrogram of that audio (``mel_head``). The audio is read as float32 with
soundfile, as VoiceArchive's decoder delivers it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf
import torch
from resemblyzer import VoiceEncoder, preprocess_wav
from resemblyzer.audio import wav_to_mel_spectrogram

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "data" / "golden"


def main() -> int:
    torch.set_num_threads(1)
    encoder = VoiceEncoder("cpu", verbose=False)
    clips = sorted(GOLDEN.glob("*.flac"))
    if not clips:
        print(f"no clips in {GOLDEN}", file=sys.stderr)
        return 1
    for clip in clips:
        samples, rate = sf.read(clip, dtype="float32")
        wav = preprocess_wav(samples, source_sr=rate)
        embedding, partials, _ = encoder.embed_utterance(wav, return_partials=True)
        mel_head = wav_to_mel_spectrogram(wav)[:200]
        np.savez(
            clip.with_suffix(".npz"),
            embedding=embedding.astype(np.float32),
            partials=partials.astype(np.float32),
            n_trimmed=np.int64(len(wav)),
            mel_head=mel_head.astype(np.float32),
        )
        print(f"{clip.name}: {rate} Hz, {len(samples) / rate:.2f} s -> {len(wav) / 16000:.2f} s speech, "
              f"{len(partials)} partials")
    return 0


if __name__ == "__main__":
    sys.exit(main())
