"""Plain data shared by every layer. No Qt, no I/O.

A ``Recording`` is one item of an archive: an audio member, a metadata entry, or both joined.
Everything an importer learns goes here; what analysis derives (groups, scores, flags) and what
the user decides (labels, notes) live in the case file, keyed by ``Recording.key``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

# source_format values
GOOGLE_TAKEOUT = "google-takeout"
ALEXA_HISTORY = "alexa-voice-history"  # Alexa Privacy "Review Voice History" JSON
ALEXA_EXPORT = "alexa-export"  # Amazon "Request your data" zip / leak with transcript table
HOME_ASSISTANT = "home-assistant"
MYCROFT = "mycroft"
LOOSE = "audio-folder"  # any folder or zip of audio files

# time_basis values: how a recording's time was known
TIME_METADATA = "metadata"  # the vendor's own timestamp for the item
TIME_UTTERANCE_ID = "utterance-id"  # parsed from an Alexa utterance id (UTC)
TIME_FILENAME = "file-name"  # parsed from the file name
TIME_FILE_MTIME = "file-mtime"  # modification time of the file or zip entry (weak)
TIME_UNKNOWN = ""

# join values: how audio and metadata were joined
JOIN_AUDIO_FILES = "audioFiles"  # Google's audioFiles array
JOIN_UTTERANCE_ID = "utterance-id"
JOIN_FILE_NAME = "file-name"
JOIN_TIME = "time"  # nearest timestamp within a tolerance (weakest)
JOIN_NONE = ""  # audio without metadata, or metadata without audio

NOT_AVAILABLE_EN = "Text not available – audio was not intended for Alexa"


def utc(dt: datetime) -> datetime:
    """Return ``dt`` as an aware UTC datetime (naive input is taken to be UTC)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


@dataclass(frozen=True)
class AudioFacts:
    codec: str  # e.g. "wav/PCM_16", "mp3", "flac", "ogg/vorbis", "ogg/opus", "m4a/aac"
    sample_rate: int
    channels: int
    duration_s: float
    # what a person should know about the audio although it can be played (a Message, e.g.
    # "archive.audio_truncated" or "archive.audio_too_long"); None when there is nothing to say
    note: Any = field(default=None, compare=False)


@dataclass
class Recording:
    key: str  # stable identity inside its archive; labels and analysis are keyed by it
    archive: str  # the file or folder on disk this item was read from (a Takeout part, a zip, a folder)
    member_path: str  # POSIX path of the audio inside ``archive`` ("" when there is no audio);
    # a member of a zip inside the archive reads "inner.zip!/path/in/inner.wav"
    source_format: str
    sha256: str = ""  # of the audio member's bytes, filled by the pipeline as it reads them
    size: int = 0  # bytes of the audio member
    recorded_at: datetime | None = None  # aware, UTC
    time_basis: str = TIME_UNKNOWN
    device: str = ""
    transcript: str = ""
    assistant_response: str = ""
    not_for_assistant: bool = False
    vendor_speaker_hint: str = ""  # e.g. "From unrecognized speaker", "Alexa voice profile: Simon"
    join: str = JOIN_NONE
    audio: AudioFacts | None = None
    problem: Any = ""  # why there is no audio, or what was wrong with it: a str or a messages.Message
    extra: dict = field(default_factory=dict)  # source-specific details (JSON-serialisable)

    @property
    def has_audio(self) -> bool:
        return bool(self.member_path) and not self.problem


@dataclass(frozen=True)
class Problem:
    """A file that could not be read as expected. Reported, never fatal.

    ``member_path`` is the member's exact name (``voicearchive.archive.names``: bytes that are not UTF-8
    written ``\\xNN``); ``message`` is a ``messages.Message`` (new code) or a plain English str (old
    code); ``str(problem)`` is English either way, views call ``messages.render(problem.message, lang)``.
    """

    archive: str
    member_path: str
    message: Any  # messages.Message | str

    def __str__(self) -> str:
        where = f"{self.archive}: {self.member_path}" if self.member_path else self.archive
        return f"{where}: {self.message}"


# CaseItem.analysis_state values
ANALYSIS_DECIDED = "decided"
ANALYSIS_DONE = "analysed"
ANALYSIS_PENDING = "not-analysed-yet"
ANALYSIS_NO_AUDIO = "no-audio"

# voice roles a user can give a recording or a group
ROLE_OWNER = "owner"
ROLE_HOUSEHOLD = "household"
ROLE_STRANGER = "stranger"
ROLES = (ROLE_OWNER, ROLE_HOUSEHOLD, ROLE_STRANGER)


@dataclass
class Label:
    """What the user decided about one recording. ``None`` means 'not decided'."""

    key: str
    flag: bool | None = None  # the user's own flag/unflag; overrides the automatic flag
    role: str | None = None  # one of ROLES
    note: str = ""


@dataclass
class VoiceResult:
    """What speaker analysis concluded about one recording, with what decides its flag (``voices.flags``)."""

    key: str
    group: int = -1  # stable voice id (never reused, carried across regrouping); -1 = heard once or twice
    group_name: str = ""  # English text of ``name`` (old readers); views render ``name``
    owner_similarity: float | None = None  # cosine similarity to the owner's voice (raw, for the map and export)
    flagged: bool = False  # the app's flag at the report's threshold (= voices.flags.flagged_at(self, threshold))
    flag_reason: str = ""  # English text of ``reason`` (old readers); views render ``reason``
    uncertain: bool = False  # too little speech to judge
    speech_s: float = 0.0
    other_voice_spans: list[tuple[float, float]] = field(default_factory=list)  # seconds
    score: float | None = None  # the deciding score: best contrast score against the owner and household voices
    other_score: float | None = None  # the same for a second voice inside the recording, if one was heard
    in_owner_set: bool = False  # one of the recordings the owner's voice was learnt from
    reason: object = None  # voicearchive.messages.Message: why flagged / why uncertain (None: nothing to say)
    name: object = None  # voicearchive.messages.Message: the voice's name ("Voice A", "unique voice")

    @property
    def deciding_score(self) -> float | None:
        """The number the threshold is compared with: ``score`` (raw similarity in a case file from before it)."""
        return self.score if self.score is not None else self.owner_similarity


@dataclass
class CaseItem:
    """A recording with everything known about it: the row the GUI, the CLI and export show.

    The flag shown is the one table of ``voicearchive.voices.marks`` applied to the user's label and the
    app's flag; ``flagged_at(threshold)`` gives it at another threshold (the slider)."""

    rec: Recording
    label: Label
    voice: VoiceResult | None = None
    machine: object | None = None  # the speech-to-text Transcript of its audio (voicearchive.transcripts.rows)

    def _effective(self, app_flag: bool):
        from voicearchive.voices.marks import effective_flag

        reason = self.voice.reason if self.voice is not None else None
        if app_flag and reason is None and self.voice is not None and self.voice.flag_reason:
            from voicearchive.messages import Message

            reason = Message.of("text", text=self.voice.flag_reason)
        return effective_flag(self.label.flag, self.label.role, app_flag, reason)

    @property
    def flagged(self) -> bool:
        return self._effective(bool(self.voice and self.voice.flagged))[0]

    def flagged_at(self, threshold: float) -> bool:
        from voicearchive.voices.flags import flagged_at

        return self._effective(flagged_at(self.voice, threshold))[0]

    @property
    def flag_message(self):
        """Why it is flagged, as a ``Message`` (None when it is not)."""
        return self._effective(bool(self.voice and self.voice.flagged))[1]

    @property
    def analysis_state(self) -> str:
        """How far this row has been judged: ANALYSIS_DECIDED (the user's flag or role), ANALYSIS_DONE,
        ANALYSIS_PENDING (the voice analysis has not reached it yet) or ANALYSIS_NO_AUDIO (it never will)."""
        if self.label.flag is not None or self.label.role is not None:
            return ANALYSIS_DECIDED
        if self.voice is not None:
            return ANALYSIS_DONE
        return ANALYSIS_PENDING if self.rec.has_audio else ANALYSIS_NO_AUDIO

    @property
    def flag_reason(self) -> str:
        """Why it is flagged, in the current language ("" when it is not)."""
        from voicearchive.messages import render

        return render(self.flag_message)
