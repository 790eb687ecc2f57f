"""Application settings (QSettings), declared once as an enum.

Per-user settings that are not tied to one archive live here: the recent archives, the window
geometry, the last folder a file dialog showed, the language. Everything that belongs to one case (labels, owner,
threshold, column layout, selection) lives in the case file instead, so it travels with the case.

Tests isolate these settings with :func:`isolate_settings`, which points QSettings at a temporary
folder before anything reads it.
"""

from __future__ import annotations

import logging
import os
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

ORGANISATION = "VoiceArchive"
APPLICATION = "VoiceArchive"
MAX_RECENT = 8


class Key(str, Enum):
    """Every QSettings key the GUI uses, with its storage name."""

    RECENT_ARCHIVES = "recent/archives"  # one entry per archive: its paths joined by newlines
    WINDOW_GEOMETRY = "window/geometry"
    WINDOW_STATE = "window/state"
    LAST_DIRECTORY = "dialogs/lastDirectory"
    LANGUAGE = "ui/language"  # "" follows the system; "en" or "de" (applied at the next start)


def settings() -> QSettings:
    """The user's settings store (INI format, so tests and bundles behave the same everywhere)."""
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def isolate_settings(folder: str | os.PathLike) -> None:
    """Send every later :func:`settings` call to ``folder`` (used by tests and ``--screenshot``)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.SystemScope, str(folder))


_evidence_roots: list[str] = []


def set_evidence_roots(roots: list[str]) -> None:
    """The opened evidence: settings are never written inside it (``case.paths.check_outside_evidence``)."""
    _evidence_roots[:] = [str(r) for r in roots]


def value(key: Key, default=None):
    return settings().value(key.value, default)


def set_value(key: Key, data) -> None:
    store = settings()
    if _evidence_roots:
        from voicearchive.case.paths import InsideEvidenceError, check_outside_evidence

        try:
            check_outside_evidence(store.fileName(), _evidence_roots, "case.what.settings")
        except InsideEvidenceError as exc:
            logging.getLogger(__name__).warning("%s", exc)
            return
    store.setValue(key.value, data)
    store.sync()


def recent_archives() -> list[list[str]]:
    """Recently opened archives, newest first; each entry is the list of paths opened together."""
    raw = settings().value(Key.RECENT_ARCHIVES.value, [])
    if isinstance(raw, str):
        raw = [raw]
    entries = [[p for p in str(entry).split("\n") if p] for entry in (raw or [])]
    return [paths for paths in entries if paths]


def remember_archive(paths: list[str]) -> None:
    """Put ``paths`` at the top of the recent archives."""
    resolved = [str(Path(p).resolve()) for p in paths]
    entry = "\n".join(resolved)
    kept = ["\n".join(paths) for paths in recent_archives() if "\n".join(paths) != entry]
    set_value(Key.RECENT_ARCHIVES, [entry, *kept][:MAX_RECENT])


def forget_archive(paths: list[str]) -> None:
    entry = "\n".join(paths)
    set_value(Key.RECENT_ARCHIVES, ["\n".join(p) for p in recent_archives() if "\n".join(p) != entry])
