"""Regenerate ``commands_half_owner.npz`` (run by hand, never by the tests).

    python benchmarks/degrade.py ../shared/voices/librispeech-test-other /tmp/va-voices-cmd-deg --snr 8 15 --kbps 8 16
    PYTHONPATH=. python tests/data/voices/make_command_fixture.py /tmp/va-voices-cmd-deg

One archive of the command-length evaluation (``benchmarks/eval_commands.py``): the "half owner" shape with
speaker 2414 as the owner, degraded (room, noise at 8-15 dB SNR, 8 kHz, MP3 at 8-16 kbps), 0.8-1.5 s clips.
Stored: each clip's key, speaker, embedding (the app's own encoder) and seconds of speech. On it the grouping
lumps two recurring strangers into the largest group, and the owner set grown from that group missed the owner
(``voicearchive/voices/owner_seed.py``). See README.md for the attribution.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
from eval_commands import archive  # noqa: E402
from voice_clips import embed_clips  # noqa: E402

HERE = Path(__file__).resolve().parent
OWNER, SHAPE = "2414", "half owner"


def main(root: Path) -> None:
    cs = embed_clips(root, "voicearchive", 0.0)
    own, strangers = archive(cs, OWNER, SHAPE)
    idx = np.concatenate([own, strangers]).astype(int)
    np.savez_compressed(
        HERE / "commands_half_owner.npz",
        keys=np.array([cs.keys[i] for i in idx]),
        speakers=np.array([cs.speakers[i] for i in idx]),
        embeddings=cs.embeddings[idx].astype(np.float32),
        speech_s=cs.speech_s[idx].astype(np.float32),
        owner=np.array(OWNER),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
