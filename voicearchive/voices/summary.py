"""The voice lines of a summary (the ``scan`` command, the main window's verdict panel), from the saved report.

Everything here reads what ``owner.report_meta`` / ``report_groups`` stored, so a view needs no live report:

- :func:`owner_line`: the owner line, always true ("Owner: Voice C, the 64 recordings most like each other,
  grown from the largest group (36 recordings).");
- :func:`owner_doubt`: a learned owner's close rival (``voices.owner.rival``), or None;
- :func:`reliability`: the archive's verdict, a Message ``voices.reliability.good|fair|poor|no_owner``;
- :func:`voice_lines`: the lines the CLI prints; :func:`case_voice_lines` the same from a case file (the scan's
  summary, and how the recordings of an evidence export were flagged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from voicearchive.messages import Message, render


def _message(value) -> Message | None:
    if isinstance(value, Message):
        return value
    if not value:
        return None
    return Message.from_json(value) if isinstance(value, str) else None


def owner_line(meta: Mapping) -> Message | None:
    """How the owner was found, with the owner voice's name; None when there is no owner."""
    source = _message(meta.get("owner_source"))
    if source is None:
        return None
    name = _message(meta.get("owner_name"))
    if name is None:
        return Message.of("voices.owner.line_absent", source=source)
    return Message.of("voices.owner.line", name=name, source=source)


def owner_doubt(meta: Mapping) -> Message | None:
    return _message(meta.get("owner_doubt"))


def reliability(meta: Mapping) -> Message | None:
    return _message(meta.get("reliability"))


def group_name(group: Mapping) -> Message | str:
    return _message(group.get("name")) or str(group.get("name", ""))


def voice_lines(groups: Sequence[Mapping], meta: Mapping, items: Iterable, lang: str | None = None) -> list[str]:
    """The voice part of the scan summary, rendered in ``lang``."""
    items = list(items)
    lines = []
    if groups:
        names = ", ".join(
            f"{render(group_name(g), lang)} ({g['size']}{', ' + g['role'] if g.get('role') else ''})" for g in groups
        )
        lines.append(render(Message.of("voices.summary.groups", n=len(groups), names=names), lang))
    # Judged recordings in no group: with or without an owner to score them against (was: scored ones only,
    # which said 0 on an archive whose owner is not known).
    unique = sum(1 for i in items
                 if i.voice and i.voice.group == -1 and not i.voice.uncertain and i.voice.speech_s > 0)
    lines.append(render(Message.of("voices.summary.unique", n=unique), lang))  # the window's name for them
    owner = owner_line(meta)
    if owner is not None:
        lines.append(f"  {render(owner, lang)}")
    doubt = owner_doubt(meta)
    if doubt is not None:
        lines.append(f"  {render(doubt, lang)}")
    if meta.get("threshold") is not None:
        source = _message(meta.get("threshold_source"))
        lines.append(render(Message.of("voices.summary.threshold", t=float(meta["threshold"]), source=source or ""),
                            lang))
    verdict = reliability(meta)
    if verdict is not None:
        lines.append(render(Message.of("voices.summary.reliability", verdict=verdict), lang))
    flagged = sum(1 for i in items if i.flagged)
    lines.append(render(Message.of("voices.summary.flagged", n=flagged), lang))
    note = _message(meta.get("message"))
    if note is not None:
        lines.append(render(Message.of("voices.summary.note", note=note), lang))
    return lines


ROLE_WORDS = {"owner": "cli.role_owner", "household": "cli.role_household", "stranger": "cli.role_stranger"}


def groups_in_language(groups: Iterable, lang: str | None) -> list:
    """The stored voice groups with their role ("owner", "household", "stranger": the case file's codes)
    as the word of ``lang``, for the summary's groups line ("Stimme C (64, Besitzer)")."""
    return [{**g, "role": render(Message.of(ROLE_WORDS[g["role"]]), lang)}
            if isinstance(g, dict) and g.get("role") in ROLE_WORDS else g for g in groups]


def case_voice_lines(store, items: Iterable, lang: str | None = None, meta: Mapping | None = None) -> list[str]:
    """:func:`voice_lines` of the voice report a ``CaseStore`` holds (``meta``: its ``voice_meta()``, if read)."""
    meta = store.voice_meta() if meta is None else meta
    return voice_lines(groups_in_language(store.voice_groups(), lang), meta, items, lang)
