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

from voicearchive.messages import MessageError

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


def cases_dir(evidence_roots=()) -> Path:
    """The folder holding default case files, created private (0700) if missing; with ``evidence_roots``,
    :class:`InsideEvidenceError` before anything is created if it lies inside the evidence (a user who
    opened their home folder)."""
    base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder = base / "cases"
    if evidence_roots:
        check_outside_evidence(folder / "x", evidence_roots, "case.what.case_file")
    with private_umask():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in (base, folder):
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o700)
    return folder


def default_case_path(identity: str, label: str, evidence_roots=()) -> Path:
    """The case file for an archive: ``<user data>/VoiceArchive/cases/<label>-<identity[:16]>.vacase``.

    ``identity`` is ``Tree.identity()`` (stable for the same archive paths and sizes); ``label`` is a
    human hint such as the archive's file name. The folder is created with mode 0700; the file is not
    created here (``CaseStore`` does that, privately)."""
    if not identity:
        raise ValueError("an archive identity is needed to name its case file")
    return cases_dir(evidence_roots) / f"{safe_label(label)}-{safe_label(identity)[:16]}{SUFFIX}"


class InsideEvidenceError(MessageError, ValueError):
    """A path the app would write lies inside the evidence. ``message`` says so, for the user."""


def _real_target(path: Path) -> list[Path]:
    """Where writing ``path`` would land: its folder resolved (links and ``..`` followed) plus its name,
    and, if ``path`` itself is a link, where that link points."""
    expanded = path.expanduser()
    targets = [Path(os.path.realpath(expanded.parent)) / expanded.name]
    if os.path.islink(expanded):
        targets.append(Path(os.path.realpath(expanded)))
    return targets


def check_outside_evidence(
    path: str | os.PathLike[str], evidence_roots, what: str = "case.what.case_file"
) -> Path:
    """The resolved ``path`` if writing it cannot touch the evidence, else :class:`InsideEvidenceError`.

    The one check for every file the app writes (case file and its ``-wal``/``-shm``, screenshots,
    exports, settings, models): refused when it is an opened root itself (a zip, or a file named as
    evidence) or lies under an opened folder, with links and ``..`` resolved on both sides. ``what`` is
    the message code naming the file (``case.what.*``)."""
    from voicearchive.messages import Message

    targets = _real_target(Path(path))
    for root in evidence_roots or ():
        real = Path(os.path.realpath(os.path.expanduser(os.fspath(root))))
        for target in targets:
            if target == real or real in target.parents:
                raise InsideEvidenceError(
                    Message.of("case.inside_evidence", what=Message.of(what), path=os.fspath(path), root=os.fspath(root))
                )
    return targets[0]


def check_case_path(path: str | os.PathLike[str], evidence_roots) -> Path:
    """:func:`check_outside_evidence` for a case file and the journal files SQLite keeps beside it."""
    resolved = check_outside_evidence(path, evidence_roots, "case.what.case_file")
    for suffix in ("-wal", "-shm", "-journal"):
        check_outside_evidence(f"{os.fspath(path)}{suffix}", evidence_roots, "case.what.case_file")
    return resolved
