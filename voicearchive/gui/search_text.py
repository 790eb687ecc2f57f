"""What the search looks through, and where it matched in one recording ("“x” found in: note, file path")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from voicearchive.model import CaseItem
from voicearchive.transcripts.words import search_text as all_transcripts

from .i18n import ui


def tr(text: str) -> str:
    return QCoreApplication.translate("SearchText", text)


# What the search looks through, in this order (names for "matched in ...": see ``match_fields``).
SEARCHED_FIELDS = ("transcript", "response", "note", "device", "file path", "problem")


def searched_texts(item: CaseItem) -> tuple[str, ...]:
    """The texts of ``SEARCHED_FIELDS``; "transcript" is every transcript (vendor, PDF and machine)."""
    rec = item.rec
    return (all_transcripts(item), rec.assistant_response, item.label.note, rec.device, rec.member_path,
            ui(rec.problem))


def match_fields(item: CaseItem, text: str) -> list[str]:
    """Which of ``SEARCHED_FIELDS`` contain ``text`` (case-insensitive): why a row passed the search."""
    needle = text.strip().casefold()
    if not needle:
        return []
    return [name for name, value in zip(SEARCHED_FIELDS, searched_texts(item)) if needle in value.casefold()]


def field_title(name: str) -> str:
    return {
        "transcript": tr("transcript"), "response": tr("assistant's response"), "note": tr("note"),
        "device": tr("device"), "file path": tr("file path"), "problem": tr("problem"),
    }[name]


def match_text(item: CaseItem, text: str) -> str:
    """'Search "x" found in: note, file path' for a row the search let through ("" without a search)."""
    fields = match_fields(item, text)
    if not fields:
        return ""
    return tr("“%1” found in: %2").replace("%1", text.strip()).replace("%2", ", ".join(map(field_title, fields)))
