"""Regenerate the degraded command-length fixtures (run by hand, never by the tests).

    python benchmarks/degrade.py ../shared/voices/librispeech-test-other /tmp/va-voices-cmd-deg --snr 8 15 --kbps 8 16
    PYTHONPATH=. python tests/data/voices/make_command_fixtures.py /tmp/va-voices-cmd-deg [NAME ...]

Each fixture is one archive of the command-length evaluation (``benchmarks/eval_commands.py``), built from the
degraded LibriSpeech clips (room, noise at 8-15 dB SNR, 8 kHz, MP3 at 8-16 kbps; 0.8-1.5 s each). Stored per
clip: key, speaker, embedding (the app's own encoder) and seconds of speech, and the owner's speaker id.

- ``commands_half_owner.npz``: the "half owner" shape, owner 2414. The grouping lumps two recurring strangers
  into the largest group, and the owner set grown from that group missed the owner
  (``voicearchive/voices/owner_seed.py``; ``tests/test_owner_seed.py``).
- ``degraded_household.npz``: the "household" shape, owner 3005: all the owner's clips, 20 clips each of two
  recurring strangers, one clip each of five one-off voices (``tests/test_owner_scores.py``).
- ``commands_owner_pieces.npz``: the "no strangers" shape, owner 533, embedded by the int8 pass (the first two
  by float32, before int8 became the default: give NAMEs to regenerate only some). The grouping splits the voice
  into five pieces and the owner set grown from the tightest stayed there, flagging 24% of the owner's
  recordings, until the owner set got its width floor (``owner_set.set_cut``; ``tests/test_owner_floor.py``).

See README.md for the attribution.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
from eval_commands import archive  # noqa: E402
from voice_clips import embed_clips  # noqa: E402

FIXTURES = (
    ("commands_half_owner.npz", "2414", "half owner"),
    ("degraded_household.npz", "3005", "household"),
    ("commands_owner_pieces.npz", "533", "no strangers"),
)


def main(root: Path, only: list[str]) -> None:
    cs = embed_clips(root, "voicearchive", 0.0)
    for name, owner, shape in FIXTURES:
        if only and name not in only:
            continue
        own, strangers = archive(cs, owner, shape)
        idx = np.concatenate([own, strangers]).astype(int)
        np.savez_compressed(
            HERE / name,
            keys=np.array([cs.keys[i] for i in idx]),
            speakers=np.array([cs.speakers[i] for i in idx]),
            embeddings=cs.embeddings[idx].astype(np.float32),
            speech_s=cs.speech_s[idx].astype(np.float32),
            owner=np.array(owner),
        )
        print(f"{name}: {len(idx)} clips ({len(own)} of the owner {owner})")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
