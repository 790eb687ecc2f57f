"""The ffmpeg fallback: decode what libsndfile cannot read (M4A/AAC, AMR, WebM, WMA, ...).

The static ffmpeg binary shipped by the PyPI package ``imageio-ffmpeg`` runs in a subprocess with a
timeout. It never touches the disk: the bytes reach it through an anonymous in-memory file
(``memfd``, Linux) so that formats which need seeking (an M4A whose ``moov`` index sits at the end)
work, or through stdin elsewhere. Decoded audio comes back on stdout as 32-bit float mono.

Only :mod:`voicearchive.audio.decode` calls this module; it turns :class:`FFmpegError` into a
``DecodeError`` naming the container.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from voicearchive.messages import Message

# Seconds allowed per call: a fixed start-up allowance plus one second per megabyte of input.
BASE_TIMEOUT_S = 20.0
TIMEOUT_S_PER_MB = 1.0

_CHANNEL_LAYOUTS = {
    "mono": 1,
    "stereo": 2,
    "2.1": 3,
    "3.0": 3,
    "3.0(back)": 3,
    "4.0": 4,
    "quad": 4,
    "quad(side)": 4,
    "3.1": 4,
    "5.0": 5,
    "5.0(side)": 5,
    "4.1": 5,
    "5.1": 6,
    "5.1(side)": 6,
    "6.0": 6,
    "6.1": 7,
    "7.0": 7,
    "7.1": 8,
    "7.1(wide)": 8,
}
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_AUDIO_STREAM = re.compile(r"Stream #\d+:\d+\S*: Audio: (\w+)[^,\n]*, (\d+) Hz, ([^,\n]+)")
_LOG_PREFIX = re.compile(r"^(\[[^\]]*\]\s*)+")
# Log lines that never explain a failure: progress, summaries, the final verdict.
_NOISE = ("size=", "Conversion failed", "Error opening input file", "Press [q]", "Stream mapping", "video:")
# Phrases that do, in order of precedence, and what they mean to a person.
_TELLING = (
    ("matches no streams", "no audio stream in the file"),
    ("moov atom not found", "moov atom not found"),
    ("Invalid data found when processing input", "invalid data found when processing input"),
    ("End of file", "end of file"),
)


class FFmpegError(Exception):
    """ffmpeg is missing, timed out, or could not decode the input. ``str()`` is English; ``message``
    the catalogue Message (``archive.ffmpeg_*``) to render in the user's language."""

    def __init__(self, message: str | Message):
        if isinstance(message, str):  # ffmpeg's own words: quoted as the decoder's
            message = Message.of("archive.ffmpeg_said", detail=message)
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class StreamInfo:
    """What ffmpeg reported about the first audio stream of its input."""

    codec: str  # ffmpeg's codec name: "aac", "amr_nb", "opus", "wmav2", ...
    sample_rate: int
    channels: int
    duration_s: float | None  # None when the container does not say


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of the bundled static ffmpeg binary; raises :class:`FFmpegError` when there is none."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError, OSError) as exc:
        raise FFmpegError(Message.of("archive.ffmpeg_missing", reason=str(exc))) from exc


def probe(data: bytes) -> StreamInfo:
    """Read the container's header: codec, rate, channels, duration (decodes only if it must)."""
    stderr = _run(data, []).stderr
    info = _parse_input(stderr)
    if info.duration_s is None:
        samples, decoded = decode(data)
        return StreamInfo(info.codec, decoded.sample_rate, info.channels, samples.size / decoded.sample_rate)
    return info


def decode(
    data: bytes, *, max_seconds: float | None = None, max_samples: int | None = None
) -> tuple[np.ndarray, StreamInfo]:
    """Decode the first audio stream to float32 mono at its own sample rate.

    Channels are averaged (``-rematrix_maxval 1`` normalises ffmpeg's mixing matrix, which gives
    the plain mean for stereo and never clips). ``StreamInfo.duration_s`` is the decoded length.
    """
    out = ["-map", "0:a:0", "-vn", "-sn", "-dn"]
    if max_seconds is not None:
        out += ["-t", f"{max(max_seconds, 0.0):.6f}"]
    if max_samples is not None:  # the output's size in bytes, whatever rate the header claims
        out += ["-fs", str(4 * max_samples)]
    out += ["-rematrix_maxval", "1", "-ac", "1", "-f", "f32le", "pipe:1"]
    done = _run(data, out)
    if done.returncode != 0:
        raise FFmpegError(_reason(done.stderr))
    info = _parse_input(done.stderr)
    rate = _output_rate(done.stderr) or info.sample_rate
    body = done.stdout if max_samples is None else done.stdout[: 4 * max_samples]
    samples = np.frombuffer(body[: len(body) // 4 * 4], dtype="<f4").astype(np.float32, copy=True)
    return samples, StreamInfo(info.codec, rate, info.channels, samples.size / rate)


def _run(data: bytes, output_args: list[str]) -> subprocess.CompletedProcess[bytes]:
    timeout = BASE_TIMEOUT_S + TIMEOUT_S_PER_MB * len(data) / 1e6
    flags = subprocess.CREATE_NO_WINDOW if sys.platform == "win32" else 0
    with _input(data) as (source, pass_fds, stdin_bytes):
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", source, *output_args]
        try:
            return subprocess.run(
                cmd,
                input=stdin_bytes,
                stdin=subprocess.DEVNULL if stdin_bytes is None else None,
                capture_output=True,
                pass_fds=pass_fds,
                timeout=timeout,
                creationflags=flags,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise FFmpegError(Message.of("archive.ffmpeg_timeout", seconds=float(timeout))) from exc
        except OSError as exc:
            raise FFmpegError(Message.of("archive.ffmpeg_start", reason=str(exc.strerror or exc))) from exc


@contextlib.contextmanager
def _input(data: bytes) -> Iterator[tuple[str, tuple[int, ...], bytes | None]]:
    """Yield (ffmpeg input argument, fds to pass, bytes for stdin).

    A memfd is seekable and lives only in memory; stdin is the portable fallback.
    """
    memfd_create = getattr(os, "memfd_create", None)
    if memfd_create is None or sys.platform != "linux":
        yield "pipe:0", (), data
        return
    fd = memfd_create("voicearchive-audio")
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
        yield f"/dev/fd/{fd}", (fd,), None
    finally:
        os.close(fd)


def _parse_input(stderr: bytes) -> StreamInfo:
    text = stderr.decode("utf-8", "replace")
    head = re.split(r"\nStream mapping:|\nOutput #0", text, maxsplit=1)[0]
    stream = _AUDIO_STREAM.search(head)
    if stream is None:
        if "Audio:" in head:  # an audio stream whose parameters could not be read
            raise FFmpegError(Message.of("archive.ffmpeg_invalid"))
        if "Input #0" in head:
            raise FFmpegError(Message.of("archive.ffmpeg_no_stream"))
        raise FFmpegError(_reason(stderr))
    codec, rate, layout = stream.group(1), int(stream.group(2)), stream.group(3).strip()
    duration = _DURATION.search(head)
    seconds = None
    if duration:
        h, m, s = duration.groups()
        seconds = int(h) * 3600 + int(m) * 60 + float(s)
    return StreamInfo(codec, rate, _channel_count(layout), seconds)


def _output_rate(stderr: bytes) -> int | None:
    text = stderr.decode("utf-8", "replace")
    tail = text.split("\nOutput #0", 1)
    if len(tail) < 2:
        return None
    stream = _AUDIO_STREAM.search(tail[1])
    return int(stream.group(2)) if stream else None


def _channel_count(layout: str) -> int:
    if layout in _CHANNEL_LAYOUTS:
        return _CHANNEL_LAYOUTS[layout]
    match = re.match(r"(\d+) channels", layout)
    return int(match.group(1)) if match else 0


def _reason(stderr: bytes) -> str:
    """The most telling line of ffmpeg's log, without its "[demuxer @ 0x...]" prefixes."""
    lines = [_LOG_PREFIX.sub("", ln).strip() for ln in stderr.decode("utf-8", "replace").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith(_NOISE)]
    for telling, reason in _TELLING:
        if any(telling in ln for ln in lines):
            return reason
    reason = lines[-1] if lines else "ffmpeg failed without a message"
    reason = re.sub(r"^Error opening input:\s*|(/dev/fd/\d+|pipe:0):?\s*", "", reason).strip()
    return reason[:1].lower() + reason[1:] if reason else "ffmpeg could not decode it"
