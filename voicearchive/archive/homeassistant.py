"""Home Assistant Assist pipeline debug recordings.

``assist_pipeline: debug_recording_dir`` makes Home Assistant save, for every pipeline run::

    <dir>/[<device_id>/]<pipeline name>/<time.monotonic_ns()>/00_wake-<wake word entity>.wav
                                                             01_stt-<speech-to-text engine>.wav

The run folder is a monotonic clock, not wall time, so a recording's time is its file's mtime.
No transcript is saved beside the audio.
"""

from __future__ import annotations

import re
from typing import Iterator

from voicearchive.archive.base import Importer, Listing
from voicearchive.archive.source import Member
from voicearchive.model import HOME_ASSISTANT, TIME_FILE_MTIME, TIME_UNKNOWN, Problem, Recording

_STAGE_FILE = re.compile(r"^(\d\d)_(wake|stt)-(.*)\.wav$", re.IGNORECASE)
_RUN_FOLDER = re.compile(r"^\d{1,20}$")
_DEVICE_ID = re.compile(r"^[0-9a-f]{32}$")


def parse_path(path: str) -> dict[str, str] | None:
    """``{"device_id", "pipeline", "run", "stage", "engine"}`` if ``path`` has the debug-recording shape."""
    parts = path.split("/")
    if len(parts) < 3:
        return None
    match = _STAGE_FILE.match(parts[-1])
    if not match or not _RUN_FOLDER.match(parts[-2]):
        return None
    device_id = parts[-4] if len(parts) >= 4 and _DEVICE_ID.match(parts[-4]) else ""
    return {
        "device_id": device_id,
        "pipeline": parts[-3],
        "run": parts[-2],
        "stage": match.group(2).lower(),
        "engine": match.group(3),
    }


class HomeAssistantImporter(Importer):
    """One Recording per debug WAV; the wake and speech-to-text stages are told apart in ``extra``."""

    source_format = HOME_ASSISTANT
    name = "Home Assistant debug recordings"

    def _matches(self, listing: Listing) -> list[tuple[Member, dict[str, str]]]:
        found = []
        for m in listing.members:
            info = parse_path(listing.context_path(m))
            if info is not None:
                found.append((m, info))
        return found

    def detect(self, listing: Listing) -> int:
        matches = [m for m, _ in self._matches(listing) if listing.audio_kind(m)]
        if not matches:
            return 0
        audio = len(listing.audio_members())
        return 80 if len(matches) * 2 >= audio else 30

    def items(self, listing: Listing) -> Iterator[Recording | Problem]:
        for m, info in self._matches(listing):
            if not listing.audio_kind(m):
                continue  # left to the loose pass, which reports files named like audio that are not
            yield listing.audio_recording(
                m,
                HOME_ASSISTANT,
                recorded_at=m.mtime,
                time_basis=TIME_FILE_MTIME if m.mtime else TIME_UNKNOWN,
                device=info["device_id"] or info["pipeline"],
                not_for_assistant=False,
                extra={
                    "pipeline": info["pipeline"],
                    "run": info["run"],
                    "stage": info["stage"],
                    "engine": info["engine"],
                    **({"device_id": info["device_id"]} if info["device_id"] else {}),
                },
            )
