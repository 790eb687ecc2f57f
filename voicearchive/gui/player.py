"""Playback of one recording straight from the archive's bytes.

The member's bytes are read from the (read-only) archive into memory and handed to QMediaPlayer
through a QBuffer: nothing is ever written to disk. Without an audio output device Qt still "plays"
in real time (the playhead moves) and the window says that sound is unavailable.

**The old media is stopped and dropped from the event loop, never from Python.** After a pause, Qt's FFmpeg
backend (6.11) tears its audio renderer down in the renderer's own thread, and that teardown asks Python's lock
(PySide looks for a Python override on a Qt Multimedia object made in Python, as the gdb backtrace of
the hang shows) while it holds Qt's connection
lock. A ``stop()`` or ``setSource()`` called from Python holds Python's lock and waits for the connection lock:
both threads wait for ever. Measured with a new player each round, as each window has (the test suite opens
dozens): load, play, pause, then unload; the direct calls hung within 11-99 rounds in eight runs of 150-200,
while queued with ``QMetaObject.invokeMethod`` they run from the event loop without Python's lock and 800
rounds passed (``tests/test_gui_player_switch.py``). (One player switching recordings did not hang in 450
rounds either way.) The new source is then set by a queued call of this object, after them.
"""

from __future__ import annotations

from PySide6.QtCore import (
    Q_ARG,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMetaObject,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
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
        self._want: tuple[bytes, str] | None = None  # a source asked for, not yet handed to Qt
        self._play_when_loaded = False
        self._switching = False  # the old media's release is queued; the wanted source follows it (``_take``)

    @staticmethod
    def audio_available() -> bool:
        """Whether the system has an audio output device."""
        return bool(QMediaDevices.audioOutputs())

    def availability_message(self) -> str:
        """What the window says about playback on this system ("" when all is well)."""
        if not self._media.isAvailable():
            return tr("Playback is unavailable: Qt found no media backend on this system")
        if not self.audio_available():
            return tr("No audio output device: playback is silent, the playhead still runs")
        return ""

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
        self._key = key
        self._want = (data, name.rsplit("/", 1)[-1])
        self._play_when_loaded = False
        self._pending_seek = None
        self._apply()

    def unload(self) -> None:
        self._key = ""
        self._want = None
        self._play_when_loaded = False
        self._pending_seek = None
        self._apply()

    def release(self) -> None:
        """Unload, and carry out the queued stop and release now, before the window (and this player) goes
        away: ``sendPostedEvents`` lets go of Python's lock while Qt delivers them (PySide marks it so)."""
        self.unload()
        QCoreApplication.sendPostedEvents(self._media)

    def play(self) -> None:
        if self._loading():
            self._play_when_loaded = True
        elif self._buffer is not None:
            self._media.play()

    def _loading(self) -> bool:
        return self._switching or self._media.mediaStatus() == QMediaPlayer.MediaStatus.LoadingMedia

    def _apply(self) -> None:
        """Bring the media player to what was asked last, unless it is still loading.

        Qt's FFmpeg backend (6.11/6.12) can deadlock when a source is replaced while the previous one
        is still loading, so a change asked for meanwhile waits for the load to end (see
        ``_status_changed``); only the latest request counts. The old media is stopped and dropped by
        queued calls (see the module's notes); the wanted source is set after them (``_take``)."""
        if self._loading():
            return
        queued = Qt.ConnectionType.QueuedConnection
        QMetaObject.invokeMethod(self._media, "stop", queued)
        QMetaObject.invokeMethod(self._media, "setSource", queued, Q_ARG(QUrl, QUrl()))
        if self._buffer is not None:
            self._buffer.deleteLater()  # after the queued calls, which are delivered first: Qt reads it until then
            self._buffer = None
        self._bytes = QByteArray()
        if self._want is not None:
            self._switching = True
            QMetaObject.invokeMethod(self, "_take", queued)

    @Slot()
    def _take(self) -> None:
        """Set the source asked for last, now that the old media is stopped and dropped."""
        self._switching = False
        if self._want is None:
            return
        data, name = self._want
        self._want = None
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._media.setSourceDevice(self._buffer, QUrl(name))

    def pause(self) -> None:
        self._media.pause()

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        seconds = max(0.0, seconds)
        if self._loading() or self._media.mediaStatus() == QMediaPlayer.MediaStatus.NoMedia:
            self._pending_seek = seconds  # Qt ignores positions until the media is loaded
            return
        self._media.setPosition(int(seconds * 1000))

    def skip(self, seconds: float) -> None:
        self.seek(max(0.0, self.position + seconds))

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if self._switching or status == QMediaPlayer.MediaStatus.LoadingMedia:
            return  # the old media being dropped, or the new one loading: its end decides
        if self._want is not None or (not self._key and self._buffer is not None):
            # Another recording (or none) was asked for while this one loaded. Not from inside the
            # player's own signal: replacing its source there crashes Qt.
            QTimer.singleShot(0, self._apply)
            return
        if status == QMediaPlayer.MediaStatus.LoadedMedia:
            QTimer.singleShot(0, self._loaded)

    def _loaded(self) -> None:
        """Carry out a seek or a play asked for while the media was loading."""
        if self._loading() or self._buffer is None:
            return
        if self._pending_seek is not None:
            seconds, self._pending_seek = self._pending_seek, None
            self._media.setPosition(int(seconds * 1000))
        if self._play_when_loaded:
            self._play_when_loaded = False
            self._media.play()

    def _state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        if playing != self._playing:
            self._playing = playing
            self.playingChanged.emit(playing)

    def _error(self, _error: QMediaPlayer.Error, message: str) -> None:
        self.errorOccurred.emit(message or tr("This recording cannot be played"))
