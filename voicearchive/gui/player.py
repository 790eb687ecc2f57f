"""Playback of one recording straight from the archive's bytes.

The member's bytes are read from the (read-only) archive into memory and handed to QMediaPlayer
through a QBuffer: nothing is ever written to disk. Without an audio output device Qt still "plays"
in real time (the playhead moves) and the window says that sound is unavailable.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer


def tr(text: str) -> str:
    return QCoreApplication.translate("Player", text)


class Player(QObject):
    """A thin, testable wrapper over QMediaPlayer for in-memory audio."""

    positionChanged = Signal(float)  # seconds
    durationChanged = Signal(float)  # seconds
    playingChanged = Signal(bool)
    errorOccurred = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._media.setAudioOutput(self._output)
        self._buffer: QBuffer | None = None
        self._bytes = QByteArray()
        self._key = ""
        self._pending_seek = None
        self._playing = False
        self._media.positionChanged.connect(lambda ms: self.positionChanged.emit(ms / 1000.0))
        self._media.durationChanged.connect(lambda ms: self.durationChanged.emit(ms / 1000.0))
        self._media.playbackStateChanged.connect(self._state_changed)
        self._media.errorOccurred.connect(self._error)
        self._media.mediaStatusChanged.connect(self._status_changed)
        self._pending_seek: float | None = None  # a seek asked for while the media was still loading

    @staticmethod
    def audio_available() -> bool:
        """Whether the system has an audio output device."""
        return bool(QMediaDevices.audioOutputs())

    @staticmethod
    def availability_message() -> str:
        if Player.audio_available():
            return ""
        return tr("No audio output device: playback is silent, the playhead still runs")

    @property
    def key(self) -> str:
        return self._key

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def position(self) -> float:
        return self._media.position() / 1000.0

    @property
    def duration(self) -> float:
        return self._media.duration() / 1000.0

    def load(self, key: str, data: bytes, name: str = "audio") -> None:
        """Make ``data`` (the member's original bytes) the current media; ``name`` hints the format."""
        self.unload()
        self._key = key
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._media.setSourceDevice(self._buffer, QUrl(name.rsplit("/", 1)[-1]))

    def unload(self) -> None:
        self._media.stop()
        # An empty URL, not setSourceDevice(None): replacing a device source that is still loading
        # deadlocks Qt's FFmpeg backend (Qt 6.12), clearing by URL cancels the load cleanly.
        self._media.setSource(QUrl())
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._bytes = QByteArray()
        self._key = ""
        self._pending_seek = None

    def play(self) -> None:
        if self._buffer is not None:
            self._media.play()

    def pause(self) -> None:
        self._media.pause()

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        seconds = max(0.0, seconds)
        if self._media.mediaStatus() in (QMediaPlayer.MediaStatus.NoMedia, QMediaPlayer.MediaStatus.LoadingMedia):
            self._pending_seek = seconds  # Qt ignores positions until the media is loaded
            return
        self._media.setPosition(int(seconds * 1000))

    def skip(self, seconds: float) -> None:
        self.seek(max(0.0, self.position + seconds))

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if self._pending_seek is not None and status == QMediaPlayer.MediaStatus.LoadedMedia:
            seconds, self._pending_seek = self._pending_seek, None
            self._media.setPosition(int(seconds * 1000))

    def _state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit(playing)

    def _error(self, _error: QMediaPlayer.Error, message: str) -> None:
        self.errorOccurred.emit(message or tr("This recording cannot be played"))
