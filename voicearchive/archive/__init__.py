"""Read-only access to voice-assistant archives.

``open_archive(paths)`` lists the folders/zips given, lets every known importer score the listing,
runs the best one, and then lists every audio member it did not use as loose audio, so nothing is lost.
"""

from __future__ import annotations

import importlib
import inspect
import os
from typing import Iterator, Sequence

from voicearchive.archive.base import Importer, Listing
from voicearchive.archive.loose import LooseImporter
from voicearchive.archive.source import ArchiveError, Member, MemberError, Tree
from voicearchive.model import Problem, Recording

__all__ = [
    "ArchiveError",
    "ArchiveReader",
    "Importer",
    "Listing",
    "Member",
    "MemberError",
    "Tree",
    "importers",
    "open_archive",
]

# Importer modules in order of preference when scores tie. Each module's Importer subclasses are used.
IMPORTER_MODULES = (
    "voicearchive.archive.takeout",
    "voicearchive.archive.alexa",
    "voicearchive.archive.homeassistant",
    "voicearchive.archive.mycroft",
    "voicearchive.archive.loose",
)


def importers(failures: list[str] | None = None) -> list[Importer]:
    """One instance of every importer that can be loaded.

    A module that is not installed is skipped quietly; one that fails to load is skipped and, when
    ``failures`` is given, described there, so the other importers still run.
    """
    found: list[Importer] = []
    for module_name in IMPORTER_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name and failures is not None:
                failures.append(f"{module_name} cannot be loaded ({exc})")
            continue
        except Exception as exc:  # noqa: BLE001 - an importer that cannot load must not stop the others
            if failures is not None:
                failures.append(f"{module_name} cannot be loaded ({type(exc).__name__}: {exc})")
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Importer) and cls is not Importer and cls.__module__ == module_name:
                try:
                    found.append(cls())
                except Exception as exc:  # noqa: BLE001
                    if failures is not None:
                        failures.append(f"{cls.__name__} cannot be created ({type(exc).__name__}: {exc})")
    return found


class ArchiveReader:
    """An opened archive: its ``tree``, its ``listing`` and the chosen importer."""

    def __init__(self, tree: Tree, candidates: list[Importer] | None = None):
        self.tree = tree
        self.listing = Listing(tree)
        self.problems: list[Problem] = []
        if candidates is None:
            failures: list[str] = []
            candidates = importers(failures)
            self.problems += [Problem(tree.roots[0], "", f"importer unavailable: {f}") for f in failures]
        self.importer = self._choose(candidates)
        self.source_format: str = self.importer.source_format

    def _choose(self, candidates: list[Importer]) -> Importer:
        best: Importer = LooseImporter()
        best_score = 0
        for importer in candidates:
            try:
                score = int(importer.detect(self.listing))
            except Exception as exc:  # noqa: BLE001 - a detector's bug must not hide the archive
                self.problems.append(
                    Problem(self.tree.roots[0], "", f"{type(importer).__name__} could not inspect the archive ({exc})")
                )
                continue
            if score > best_score:
                best, best_score = importer, score
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
                f"{importer.name or type(importer).__name__} stopped early ({type(exc).__name__}: {exc})",
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
