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


class VerifiedStream:
    """A member read as a stream (for audio too long to hold at once), hashed as it is read.

    ``read(n)`` as usual; once the end is reached, :meth:`check` (called by ``read`` at the end and by
    ``close``/``__exit__`` when everything was read) raises :class:`ContentChanged` if the bytes read
    differ from ``expected_sha256``. A stream closed before its end is not judged (nothing was claimed)."""

    def __init__(self, tree, member, expected_sha256: str = "") -> None:
        self._stream = tree.open(member)
        self._where = f"{member.container}: {member.path}"
        self._expected = expected_sha256
        self._hash = hashlib.sha256()
        self._at_end = False
        self._checked = False

    def read(self, n: int = -1) -> bytes:
        chunk = self._stream.read(n)
        self._hash.update(chunk)
        if not chunk or n < 0:
            self._at_end = True
            self.check()
        return chunk

    def check(self) -> None:
        if self._checked or not self._at_end:
            return
        self._checked = True
        digest = self._hash.hexdigest()
        if self._expected and digest != self._expected:
            raise ContentChanged(self._where, digest, self._expected)

    @property
    def hexdigest(self) -> str:
        return self._hash.hexdigest()

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> VerifiedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        if exc[0] is None:
            self.check()


def open_verified(tree, member, expected_sha256: str = "") -> VerifiedStream:
    """:class:`VerifiedStream` over ``member``: for chunked reading with the same check as
    :func:`read_verified`."""
    return VerifiedStream(tree, member, expected_sha256)
