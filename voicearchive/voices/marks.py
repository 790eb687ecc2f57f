"""What a user's mark on a recording does: one table, used by the label book, the list, the CLI and the export.

A mark applies to the recording it is given to, and only to it: it never changes a voice group's role, the
owner, or any other recording's score (a voice's role is changed in the Voices view, on the voice itself).

A recording's label is a pair ``(flag, role)``: ``flag`` is the user's own flag (True), unflag (False) or
nothing (None); ``role`` is owner, household, stranger or nothing. Each mark changes the pair as the table
says, so that the last mark wins:

======  ===========================  ==========================================================
key     mark                         label after it
======  ===========================  ==========================================================
F       flag                         flag = yes (the role stays)
U       unflag                       flag = no; a stranger role is dropped (a stranger is flagged)
S       mark as stranger             role = stranger; an unflag is dropped (S always flags)
O       mark as owner                role = owner (the user's own flag stays)
H       mark as household            role = household (the user's own flag stays)
C       clear                        flag = nothing, role = nothing (the app decides again)
======  ===========================  ==========================================================

What the list then shows (:func:`effective_flag`), first rule that applies:

1. role stranger: flagged ("marked as a stranger by the user");
2. the user's flag: flagged ("flagged by the user");
3. the user's unflag: not flagged;
4. role owner or household: not flagged (O and H clear a flag the app made, never one the user made);
5. otherwise the app's flag at the threshold, with the app's reason.
"""

from __future__ import annotations

from typing import Any

from voicearchive.messages import Message

ROLE_OWNER, ROLE_HOUSEHOLD, ROLE_STRANGER = "owner", "household", "stranger"
State = tuple[Any, Any]  # (flag: bool | int | None, role: str | None)

FLAG, UNFLAG, STRANGER, OWNER, HOUSEHOLD, CLEAR = "F", "U", "S", "O", "H", "C"
MARKS = (FLAG, UNFLAG, STRANGER, OWNER, HOUSEHOLD, CLEAR)

USER_FLAG = Message.of("voices.mark.flagged")
USER_STRANGER = Message.of("voices.mark.stranger")


def set_flag(state: State, value: bool | None) -> State:
    """The flag part of the table: F (True), U (False) or clearing only the flag (None)."""
    flag, role = state
    if value is False and role == ROLE_STRANGER:
        role = None
    return (None if value is None else bool(value), role)


def set_role(state: State, role: str | None) -> State:
    """The role part of the table: S, O, H, or clearing only the role (None)."""
    flag, _ = state
    if role == ROLE_STRANGER and flag is not None and not flag:
        flag = None
    return (flag, role)


def apply(state: State, mark: str) -> State:
    """The label after ``mark`` (one of ``MARKS``)."""
    if mark == FLAG:
        return set_flag(state, True)
    if mark == UNFLAG:
        return set_flag(state, False)
    if mark == STRANGER:
        return set_role(state, ROLE_STRANGER)
    if mark == OWNER:
        return set_role(state, ROLE_OWNER)
    if mark == HOUSEHOLD:
        return set_role(state, ROLE_HOUSEHOLD)
    if mark == CLEAR:
        return (None, None)
    raise ValueError(f"unknown mark {mark!r}")


def effective_flag(flag: bool | None, role: str | None, app_flag: bool, app_reason: Message | None):
    """``(flagged, reason)`` shown for a recording whose label is ``(flag, role)``; the reason is None when
    it is not flagged."""
    if role == ROLE_STRANGER:
        return True, USER_STRANGER
    if flag is not None:
        return (True, USER_FLAG) if flag else (False, None)
    if role in (ROLE_OWNER, ROLE_HOUSEHOLD):
        return False, None
    return (True, app_reason) if app_flag else (False, None)
