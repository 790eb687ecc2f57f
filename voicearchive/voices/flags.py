"""The one flag rule: what the app flags at a threshold, from what the voice report saves per recording.

Saved per recording (``VoiceResult``): the *deciding score* (``score``: its best contrast score against the
owner's voice and every household voice), the *other-voice score* (``other_score``: the same for a second voice
heard inside it, or None), ``uncertain`` (too little speech to judge) and ``in_owner_set``. The list, the
threshold slider, the CLI and the export all call :func:`flagged_at`; nothing re-derives a flag another way.
The user's own marks come on top of it (``voices.marks``).
"""

from __future__ import annotations

from typing import Protocol


class FlagBasis(Protocol):
    score: float | None
    other_score: float | None
    uncertain: bool


def flag_rule(score: float | None, other_score: float | None, uncertain: bool, threshold: float) -> bool:
    """Flagged when the deciding score, or a second voice's score, is below ``threshold``; never when
    uncertain (too little speech) or without a score (no speech, or no owner known yet)."""
    if uncertain or score is None:
        return False
    return score < threshold or (other_score is not None and other_score < threshold)


def flagged_at(result: FlagBasis | None, threshold: float) -> bool:
    """:func:`flag_rule` for a saved ``VoiceResult`` (None: not analysed, never flagged)."""
    if result is None:
        return False
    return flag_rule(result.score, result.other_score, result.uncertain, threshold)


def deciding_score(result: FlagBasis) -> float | None:
    """The one number the threshold is compared with (the lower of the two scores), or None when the
    threshold cannot flag this recording."""
    if result.uncertain or result.score is None:
        return None
    return result.score if result.other_score is None else min(result.score, result.other_score)
