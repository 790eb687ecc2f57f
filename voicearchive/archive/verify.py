"""Read a member and check it is still what was imported: hash what is read, every time it is read.

Analysis, playback and the evidence export read an audio member's bytes again, long after the import
hashed it. :func:`read_verified` hashes those very bytes and compares them with the SHA-256 the case
file recorded; a difference raises :class:`ContentChanged` (a ``ValueError``, so callers that already
say "could not read" for bad input say this too), carrying the bytes and both hashes so that a caller
may still show or play what is there while saying that it changed. No Qt.
"""

from __future__ import annotations

import hashlib

from voicearchive.messages import Message


class ContentChanged(ValueError):
    """The bytes read now differ from those hashed at import."""

    def __init__(self, where: str, now: str, then: str, data: bytes = b"") -> None:
        self.message = Message.of("case.changed", now=now, then=then)
        super().__init__(f"{where}: {self.message}")
        self.where, self.now, self.then, self.data = where, now, then, data


def read_verified(tree, member, expected_sha256: str = "") -> bytes:
    """All bytes of ``member`` (``Tree.read``'s limits apply), hashed as they are read; raises
    :class:`ContentChanged` when ``expected_sha256`` is given and differs. Returns the bytes."""
    data = tree.read(member)
    if expected_sha256:
        digest = hashlib.sha256(data).hexdigest()
        if digest != expected_sha256:
            raise ContentChanged(f"{member.container}: {member.path}", digest, expected_sha256, data)
    return data

