"""Read-only access to voice-assistant archives.

``open_archive(paths)`` lists the folders/zips given, lets every importer of ``IMPORTERS`` score the listing,
runs the best one, and then lists every audio member it did not use as loose audio, so nothing is lost.
"""

from __future__ import annotations

import os
from typing import Iterator, Sequence

from voicearchive.archive.alexa import AlexaImporter
from voicearchive.archive.base import Importer, Listing
from voicearchive.archive.homeassistant import HomeAssistantImporter
from voicearchive.archive.loose import LooseImporter
from voicearchive.archive.mycroft import MycroftImporter
from voicearchive.archive.source import ArchiveError, Member, MemberError, Tree
from voicearchive.archive.takeout import TakeoutImporter
from voicearchive.messages import Message
from voicearchive.model import Problem, Recording

__all__ = [
    "ArchiveError",
    "ArchiveReader",
    "IMPORTERS",
    "Importer",
    "Listing",
    "Member",
    "MemberError",
    "Tree",
    "importers",
    "open_archive",
]

# Every importer, in order of preference when scores tie. Imported plainly, so that a missing importer fails
# loudly at import time and a bundler (PyInstaller) sees and collects every one of them.
IMPORTERS: tuple[type[Importer], ...] = (
    TakeoutImporter,
    AlexaImporter,
    HomeAssistantImporter,
    MycroftImporter,
    LooseImporter,
)


def importers() -> list[Importer]:
    """A fresh instance of every importer in :data:`IMPORTERS` (an importer that cannot be created raises)."""
    return [cls() for cls in IMPORTERS]


class ArchiveReader:
    """An opened archive: its ``tree``, its ``listing`` and the chosen importer."""

    def __init__(self, tree: Tree, candidates: list[Importer] | None = None):
        self.tree = tree
        self.listing = Listing(tree)
        self.problems: list[Problem] = []
        self.source_format = ""
        self.importer = self._choose(importers() if candidates is None else candidates)

    def _choose(self, candidates: list[Importer]) -> Importer:
        """The importer with the highest score (ties: the first); sets the source format it saw."""
        best: Importer = LooseImporter()
        best_score, best_format = 0, best.source_format
        for importer in candidates:
            try:
                score, fmt = importer.sniff(self.listing)
                score = int(score)
            except Exception as exc:  # noqa: BLE001 - a detector's bug must not hide the archive
                self.problems.append(
                    Problem(self.tree.roots[0], "", Message.of(
                        "archive.importer_inspect", importer=type(importer).__name__, error=str(exc)))
                )
                continue
            if score > best_score:
                best, best_score, best_format = importer, score, fmt
        self.source_format = best_format
        return best

    def items(self) -> Iterator[Recording | Problem]:
        """Every Problem of the listing, then the chosen importer's items, then unclaimed audio.

        Each call starts afresh (claims are reset), so iterating twice gives the same items.
        """
        self.listing.reset_claims()
        yield from self.tree.problems
        yield from self.problems
        if self.listing.text_members("pdf"):
            yield from self._with_documents()
            return
        yield from self._guarded(self.importer)
        if not isinstance(self.importer, LooseImporter):
            yield from self._guarded(LooseImporter())

    def _with_documents(self) -> Iterator[Recording | Problem]:
        """The importers' items with the transcript documents (PDF) joined in, a source beside them:
        the recordings are held until every one is listed, since an entry may join any of them."""
        from voicearchive.transcripts.pdf import PdfSource

        source = PdfSource(self.listing)
        yield from source.problems
        recs: list[Recording] = []
        passes = [self.importer] + ([] if isinstance(self.importer, LooseImporter) else [LooseImporter()])
        for importer in passes:
            for item in self._guarded(importer):
                if isinstance(item, Problem):
                    yield item
                else:
                    recs.append(item)
        yield from source.attach(recs)

    def _guarded(self, importer: Importer) -> Iterator[Recording | Problem]:
        try:
            yield from importer.items(self.listing)
        except Exception as exc:  # noqa: BLE001 - report, then let the loose pass list what is left
            yield Problem(
                self.tree.roots[0],
                "",
                Message.of("archive.importer_stopped", importer=importer.name or type(importer).__name__,
                           error=f"{type(exc).__name__}: {exc}"),
            )

    def close(self) -> None:
        self.tree.close()

    def __enter__(self) -> "ArchiveReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_archive(paths: str | os.PathLike | Sequence[str | os.PathLike]) -> ArchiveReader:
    """Open one or more folders/zips (Takeout parts are merged). Raises ``ArchiveError`` if none opens."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return ArchiveReader(Tree.open(paths))
