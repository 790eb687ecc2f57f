"""Regenerate the real-speech voice fixtures (run by hand, never by the tests).

    python tests/data/voices/make_fixtures.py /path/to/librispeech-test-other

Cuts LibriSpeech test-other utterances into 2 s clips and stores the app's own embeddings of them
(``voicearchive.voices.features.analyse_audio``), plus one real two-voice recording (a woman, then a man).
See README.md for the attribution.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from voicearchive.voices.features import analyse_audio

HERE = Path(__file__).resolve().parent
RECURRING = {"1998": 12, "3080": 12, "2033": 12, "2609": 12}  # speaker -> clips (2 F, 2 M)
ONE_OFF = {"367": 2, "533": 1}  # voices heard once or twice
CLIP_S = 2.0


def clips(root: Path, speaker: str, count: int):
    for f in sorted((root / speaker).glob("*.flac")):
        x, sr = sf.read(f, dtype="float32")
        n = int(CLIP_S * sr)
        for i in range(0, len(x) - n + 1, n):
            yield f"{speaker}/{f.stem}#{i // n}", x[i : i + n], sr
            count -= 1
            if count == 0:
                return


def main(root: Path) -> None:
    index, embs = [], []
    for speaker, count in {**RECURRING, **ONE_OFF}.items():
        for key, x, sr in clips(root, speaker, count):
            f = analyse_audio(x, sr)
            assert f.embedding is not None, key
            index.append({"key": key, "speaker": speaker, "speech_s": round(float(f.speech_s), 3)})
            embs.append(f.embedding)
    np.save(HERE / "embeddings.npy", np.stack(embs).astype(np.float32))
    (HERE / "index.json").write_text(json.dumps(index, indent=1) + "\n")

    woman, sr = sf.read(root / "1998" / sorted(p.name for p in (root / "1998").glob("*.flac"))[1], dtype="float32")
    man, sr2 = sf.read(root / "2033" / sorted(p.name for p in (root / "2033").glob("*.flac"))[1], dtype="float32")
    assert sr == sr2
    mixed = np.concatenate([woman[: 5 * sr], man[: 3 * sr]])
    f = analyse_audio(mixed, sr)
    np.savez(
        HERE / "two_voices.npz",
        embedding=f.embedding,
        speech_s=np.float32(f.speech_s),
        windows=f.windows,
        window_starts=f.window_starts,
        second_voice_from_s=np.float32(5.0),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
