"""The importer interface and ``Listing``, the sniffed index of a ``Tree`` every importer works from."""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from typing import Iterable, Iterator

from voicearchive.archive.sniff import audio_kind, text_kind
from voicearchive.archive.source import Member, Tree
from voicearchive.model import Problem, Recording


def member_key(m: Member) -> str:
    """The stable ``Recording.key`` of an audio member: ``"<container basename>/<member path>"``."""
    return f"{os.path.basename(m.container)}/{m.path}"


def dirname(m: Member) -> str:
    """The folder of ``m`` inside its container (``""`` at the top)."""
    return posixpath.dirname(m.path)


class Listing:
    """A ``Tree`` with every member's kind sniffed from its first bytes, plus what importers claimed.

    The first bytes were read once while the tree was listed; this is the only content read
    before an importer runs.
    """

    def __init__(self, tree: Tree):
        self.tree = tree
        self.members: list[Member] = tree.members()
        self._audio: dict[Member, str] = {}
        self._text: dict[Member, str] = {}
        for m in self.members:
            head = tree.head(m)
            kind = audio_kind(head)
            if kind:
                self._audio[m] = kind
            else:
                tkind = text_kind(head)
                if tkind:
                    self._text[m] = tkind
        self._claimed: set[Member] = set()
        self._by_basename: dict[str, list[Member]] | None = None
        self._audio_list = [m for m in self.members if m in self._audio]
        self._text_lists: dict[str | None, list[Member]] = {}

    # ---------------------------------------------------------------- kinds

    def head(self, m: Member) -> bytes:
        """The member's cached first bytes."""
        return self.tree.head(m)

    def audio_kind(self, m: Member) -> str | None:
        return self._audio.get(m)

    def text_kind(self, m: Member) -> str | None:
        return self._text.get(m)

    def audio_members(self) -> list[Member]:
        """Every member whose bytes are audio, whatever its name, in path order."""
        return list(self._audio_list)

    def text_members(self, kind: str | None = None) -> list[Member]:
        """Members that look like a table or document (``kind`` one of json/csv/html/pdf, or any)."""
        if kind not in self._text_lists:
            self._text_lists[kind] = [m for m, k in self._text.items() if kind is None or k == kind]
        return list(self._text_lists[kind])

    def by_basename(self) -> dict[str, list[Member]]:
        """Members grouped by file name (exact, as stored), each list in path order."""
        if self._by_basename is None:
            groups: dict[str, list[Member]] = defaultdict(list)
            for m in self.members:
                groups[m.name].append(m)
            self._by_basename = dict(groups)
        return self._by_basename

    def context_path(self, m: Member, parents: int = 3) -> str:
        """``m.path`` preceded by the last ``parents`` folder names of its container when that is a
        folder, so a layout is recognised when the user opened a folder inside it."""
        if not self.tree.is_folder(m.container):
            return m.path
        above = [p for p in m.container.replace(os.sep, "/").split("/") if p][-parents:]
        return "/".join([*above, m.path])

    def in_folder(self, folder: str, container: str | None = None) -> list[Member]:
        """Members directly inside ``folder`` (POSIX path inside the container)."""
        return [
            m for m in self.members if dirname(m) == folder and (container is None or m.container == container)
        ]

    # ---------------------------------------------------------------- claims

    def claim(self, m: Member) -> None:
        """Record that an importer used ``m``; unclaimed audio is listed as loose audio afterwards."""
        self._claimed.add(m)

    def claim_all(self, members: Iterable[Member]) -> None:
        self._claimed.update(members)

    def reset_claims(self) -> None:
        self._claimed.clear()

    def is_claimed(self, m: Member) -> bool:
        return m in self._claimed

    def unclaimed(self) -> list[Member]:
        return [m for m in self.members if m not in self._claimed]

    # ---------------------------------------------------------------- helpers for importers

    def audio_recording(self, m: Member, source_format: str, **fields: object) -> Recording:
        """A ``Recording`` for audio member ``m`` (key, archive, member_path, size filled in); claims ``m``."""
        self.claim(m)
        return Recording(
            key=member_key(m),
            archive=m.container,
            member_path=m.path,
            source_format=source_format,
            size=m.size,
            **fields,  # type: ignore[arg-type]
        )


class Importer:
    """One archive format. Subclasses set ``source_format`` and implement ``detect`` and ``items``.

    ``detect`` looks only at the listing (names, sizes, sniffed kinds; reading a small metadata
    file is fine) and returns 0 when the archive is not of this format, higher when more certain.
    ``items`` yields every Recording it finds (claiming the members it used) and a Problem for
    anything it could not read; it must not raise for bad input.
    """

    source_format: str = ""
    source_formats: tuple[str, ...] = ()  # every format it can report (``(source_format,)`` when empty)
    name: str = ""  # shown to users, e.g. "Home Assistant debug recordings"

    def detect(self, listing: Listing) -> int:
        """How certain this importer is that ``listing`` is its format (0: not at all). Looks only:
        it changes nothing, neither the listing nor the importer."""
        return 0

    def format_of(self, listing: Listing) -> str:
        """The source format of ``listing`` as this importer reads it (a format with variants overrides it)."""
        return self.source_format

    def sniff(self, listing: Listing) -> tuple[int, str]:
        """``(detect(listing), format_of(listing))`` in one look (an importer with variants does it at once)."""
        return self.detect(listing), self.format_of(listing)

    @classmethod
    def formats(cls) -> tuple[str, ...]:
        return cls.source_formats or (cls.source_format,)

    def items(self, listing: Listing) -> Iterator[Recording | Problem]:
        raise NotImplementedError
