"""Regenerate ``degraded_household.npz`` (run by hand, never by the tests).

    python benchmarks/degrade.py ../shared/voices/librispeech-test-other /tmp/va-voices-cmd-deg --snr 8 15 --kbps 8 16
    PYTHONPATH=. python tests/data/voices/make_degraded_fixture.py /tmp/va-voices-cmd-deg

Stores the app's own embeddings of the command-length clips (0.8-1.5 s) of the degraded LibriSpeech set
(room, noise 8-15 dB, 8 kHz, MP3 8-16 kbps) that ``benchmarks/eval_commands.py`` puts in the "household"
archive of owner 3005: all the owner's clips, 20 clips each of two recurring strangers, one clip each of five
one-off voices. See README.md for the attribution.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
OWNER = "3005"


def main(root: str) -> None:
    import eval_commands
    from voice_clips import embed_clips

    cs = embed_clips(Path(root), "voicearchive", 0.0)
    own, strangers = eval_commands.archive(cs, OWNER, "household")
    idx = np.concatenate([own, strangers]).astype(int)
    np.savez_compressed(
        HERE / "degraded_household.npz",
        keys=np.array([cs.keys[i] for i in idx]),
        speakers=np.array([cs.speakers[i] for i in idx]),
        embeddings=cs.embeddings[idx].astype(np.float32),
        speech_s=cs.speech_s[idx].astype(np.float32),
    )


if __name__ == "__main__":
    main(sys.argv[1])
