"""The importer registry (issue 11 item 21): a static tuple, every format covered, detect changes nothing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import voicearchive.archive as archive_pkg
from voicearchive import model
from voicearchive.archive import IMPORTERS, Importer, importers, open_archive
from voicearchive.archive.alexa import AlexaImporter
from voicearchive.archive.base import Listing
from voicearchive.archive.source import Tree

from .archive_fixtures import wav_bytes, write

SOURCE_FORMATS = {model.GOOGLE_TAKEOUT, model.ALEXA_HISTORY, model.ALEXA_EXPORT, model.HOME_ASSISTANT,
                  model.MYCROFT, model.LOOSE}


def test_every_importer_class_in_the_package_is_registered() -> None:
    found = set()
    for info in pkgutil.iter_modules(archive_pkg.__path__):
        module = importlib.import_module(f"voicearchive.archive.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Importer) and cls is not Importer and cls.__module__ == module.__name__:
                found.add(cls)
    assert found and found == set(IMPORTERS)
    assert [type(i) for i in importers()] == list(IMPORTERS)


def test_the_registry_covers_every_source_format() -> None:
    covered = {fmt for cls in IMPORTERS for fmt in cls.formats()}
    assert covered == SOURCE_FORMATS


def test_the_registry_imports_its_importers_plainly() -> None:
    """No import by name (a bundler cannot see it and a missing module was skipped quietly)."""
    source = Path(archive_pkg.__file__).read_text(encoding="utf-8")
    assert "import_module" not in source and "importlib" not in source


def _history_folder(tmp_path: Path) -> Path:
    root = tmp_path / "alexa"
    write(root / "voice" / "history.json", b'{"customerHistoryRecords": []}')
    write(root / "a.wav", wav_bytes())
    return root


def test_detect_returns_a_score_and_changes_nothing(tmp_path: Path) -> None:
    importer = AlexaImporter()
    before = dict(vars(importer))
    with Tree.open([_history_folder(tmp_path)]) as tree:
        listing = Listing(tree)
        assert importer.detect(listing) == 85
        assert importer.format_of(listing) == model.ALEXA_HISTORY
    assert dict(vars(importer)) == before and importer.source_format == model.ALEXA_EXPORT


def test_the_reader_reports_the_variant_the_winning_importer_saw(tmp_path: Path) -> None:
    with open_archive(_history_folder(tmp_path)) as reader:
        assert isinstance(reader.importer, AlexaImporter)
        assert reader.source_format == model.ALEXA_HISTORY
