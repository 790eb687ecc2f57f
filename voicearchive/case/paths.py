"""Where a case file lives by default: the user's private data folder, named after the archive."""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs

APP_NAME = "VoiceArchive"
SUFFIX = ".vacase"
_LABEL_MAX = 48
_UMASK_LOCK = threading.Lock()


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files and folders readable by the user only (umask 077) inside this block.

    The umask belongs to the whole process, so the blocks are serialised and the old value is always
    given back; another thread creating a file meanwhile only gets a more private one."""
    with _UMASK_LOCK:
        old = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(old)


def safe_label(label: str) -> str:
    """``label`` reduced to a file-name part every system accepts: letters (any script), digits, and
    single ``.``, ``_`` or ``-`` between them; never empty, never a path."""
    text = re.sub(r"[^\w.]+", "-", unicodedata.normalize("NFC", label))
    text = re.sub(r"-*\.[-.]*", ".", text).strip(".-_")
    return text[:_LABEL_MAX].rstrip(".-_") or "case"


def cases_dir() -> Path:
    """The folder holding default case files, created private (0700) if missing."""
    base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder = base / "cases"
    with private_umask():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in (base, folder):
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o700)
    return folder


def default_case_path(identity: str, label: str) -> Path:
    """The case file for an archive: ``<user data>/VoiceArchive/cases/<label>-<identity[:16]>.vacase``.

    ``identity`` is ``Tree.identity()`` (stable for the same archive paths and sizes); ``label`` is a
    human hint such as the archive's file name. The folder is created with mode 0700; the file is not
    created here (``CaseStore`` does that, privately)."""
    if not identity:
        raise ValueError("an archive identity is needed to name its case file")
    return cases_dir() / f"{safe_label(label)}-{safe_label(identity)[:16]}{SUFFIX}"
