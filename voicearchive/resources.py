"""Where the shipped resources (models, demo archive, icons, translations) live.

In a source checkout they are the top-level ``resources/`` folder; in an installed wheel or a
PyInstaller bundle they are the package ``voicearchive._resources``. Nothing here touches the network.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidate = Path(frozen) / "voicearchive" / "_resources"
        if candidate.is_dir():
            return candidate
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    import importlib.util

    spec = importlib.util.find_spec("voicearchive._resources")
    if spec and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    raise FileNotFoundError("VoiceArchive's resources folder is missing from this installation")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
