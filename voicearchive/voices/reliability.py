"""How far this archive's flags can be trusted: a plain verdict, computed from the archive itself.

The verdict reads what limits speaker similarity, measured per archive:

- **the owner's spread**: the median leave-one-out similarity of the owner set's recordings (one voice heard
  through a far-field microphone, noise and a low-bitrate codec agrees with itself far less; noise and reverb
  show up here, since no separate noise estimate is kept);
- **speech length**: the median seconds of speech per recording after silences are cut;
- **bandwidth**: the share of recordings sampled below 16 kHz (telephone-band audio);
- **separation**: how far the owner set's contrast scores lie above the other recordings' (in robust
  deviations of the owner's scores).

``good``: every one is comfortable; ``poor``: any one is at a level where the evaluation
(``benchmarks/RESULTS-voices.md``) saw many wrong or missed flags; ``fair`` otherwise. The Message carries the
numbers.

Command-length speech (under ``SPEECH_GOOD``) needs the owner to agree with itself at ``AGREE_SHORT`` or more to be
``fair``: measured on four command-length sets (clean, room + noise + 8 kHz + MP3, room only, 8 kHz + MP3 only,
50 archives each), the "fair" archives of an owner agreeing less had as few as none of their judged strangers
flagged; with the rule, every "fair" archive of three sets flags at least half of its judged strangers (mean
89-100%), and of the fourth (all degradations) two of 100 still flag only about half.

When fewer than ``MIN_OUTSIDE`` judged recordings lie outside the owner set there is nothing to measure the
owner's separation against: either no one else speaks in the archive, or every other voice went into the
owner's. The verdict then says so (``voices.reliability.one_voice``) instead of "check the flags near the
threshold", since no flag means no stranger only if voices could be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicearchive.messages import Message

GOOD, FAIR, POOR = "good", "fair", "poor"
# levels (measured on the evaluation sets, see RESULTS-voices.md)
AGREE_GOOD, AGREE_POOR = 0.75, 0.62  # owner set's median leave-one-out similarity
AGREE_SHORT = 0.80  # ... below which command-length speech (median under SPEECH_GOOD) is poor
MIN_OUTSIDE = 3  # fewer judged recordings outside the owner set and its separation cannot be measured
SPEECH_GOOD, SPEECH_POOR = 1.6, 0.9  # median seconds of speech
NARROW_GOOD = 0.5  # share of recordings below 16 kHz
SEPARATION_GOOD, SEPARATION_POOR = 4.0, 2.0  # robust deviations between the owner and the rest


@dataclass(frozen=True)
class Reliability:
    level: str  # GOOD / FAIR / POOR
    message: Message


def verdict(
    owner_agreement: float | None,
    speech_s: np.ndarray,
    narrowband_share: float | None,
    separation: float | None,
    owner_count: int,
    outside: int | None = None,
) -> Reliability:
    """The verdict for one archive (see the module's notes); ``None`` values are unknown. ``outside``: how
    many judged recordings lie outside the owner set."""
    speech = float(np.median(speech_s)) if len(speech_s) else 0.0
    params = dict(
        agreement=round(float(owner_agreement), 2) if owner_agreement is not None else 0.0,
        speech=round(speech, 1),
        narrowband=int(round(100 * (narrowband_share or 0.0))),
        separation=round(float(separation), 1) if separation is not None else 0.0,
        n=int(owner_count),
        outside=int(outside or 0),
    )
    if owner_agreement is None or owner_count < 5:
        return Reliability(POOR, Message.of("voices.reliability.no_owner", **params))
    poor = (
        owner_agreement < AGREE_POOR
        or speech < SPEECH_POOR
        or (speech < SPEECH_GOOD and owner_agreement < AGREE_SHORT)
        or (separation is not None and separation < SEPARATION_POOR)
    )
    good = (
        owner_agreement >= AGREE_GOOD
        and speech >= SPEECH_GOOD
        and (narrowband_share or 0.0) < NARROW_GOOD
        and (separation is None or separation >= SEPARATION_GOOD)
    )
    level = POOR if poor else GOOD if good else FAIR
    if outside is not None and outside < MIN_OUTSIDE:
        level = POOR if poor else FAIR
        return Reliability(level, Message.of("voices.reliability.one_voice", **params))
    return Reliability(level, Message.of(f"voices.reliability.{level}", **params))


def separation(owner_scores: np.ndarray, rest_scores: np.ndarray) -> float | None:
    """(median owner score - median of the rest) in robust deviations of the owner's scores."""
    if len(owner_scores) < 3 or len(rest_scores) < 3:
        return None
    med = float(np.median(owner_scores))
    spread = max(1.4826 * float(np.median(np.abs(owner_scores - med))), 0.02)
    return (med - float(np.median(rest_scores))) / spread
