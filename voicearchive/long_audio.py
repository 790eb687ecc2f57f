"""Envelope and voice features of a recording too long to hold in memory (a 3-hour WAV), chunk by chunk.

The member is read once, as a stream, through the block decoder of :mod:`voicearchive.audio.stream`, which
hashes what it reads; only the current ``CHUNK_SECONDS`` of 16 kHz audio, its mel partials and the
per-partial embeddings (at most about ``MAX_PARTIALS`` of 256 floats) are held at a time. PCM and float WAV
stream in blocks; other formats are decoded whole by that module (with its own caps).

What differs from the whole-recording analysis (:func:`voicearchive.voices.features.prepare_audio`): the
volume is normalised per chunk rather than over the whole recording, silences are cut per chunk, and each
chunk contributes partials in proportion to its length so that at most about ``MAX_PARTIALS`` are embedded
(the whole-recording analysis takes an evenly spaced subset of all partials: the same idea). The envelope is
exact (the same bins, minima and maxima) when the header states the length.
"""

from __future__ import annotations

import math
from typing import BinaryIO, Callable

import numpy as np

from voicearchive import jobs
from voicearchive.messages import Message, MessageError, reason_of
from voicearchive.stages import ENVELOPE_BINS, Failed

CHUNK_SECONDS = 60.0  # seconds of audio analysed at a time (a multiple of the 30 ms VAD window at 16 kHz)
READ_SECONDS = 4.0  # seconds of audio decoded from the stream at a time
_FINE_BINS = 64  # envelope bins per block when the length is not known in advance


class LongAudioError(MessageError):
    """A long recording that cannot be analysed in chunks."""


def analyse_stream(stream: BinaryIO, size: int, sha256: str, stage_ids, check_cancel: Callable[[], None],
                   on_chunk: Callable[[float, float], None] | None = None) -> jobs.JobResult:
    """The envelope and voice outputs of one long member (other stages get a ``Failed``)."""
    from voicearchive.audio.decode import DecodeError
    from voicearchive.audio.stream import open_blocks

    try:
        blocks = open_blocks(stream, block_seconds=READ_SECONDS)
    except DecodeError as exc:
        raise LongAudioError(Message.of("pipeline.long_bad_audio", reason=exc.message)) from None
    rate = blocks.rate
    frames = int(round(blocks.facts.duration_s * rate))
    total_s = frames / rate
    env = _Envelope(frames, ENVELOPE_BINS) if "envelope" in stage_ids else None
    voice = _Voice(rate, frames or int(size // 2)) if "voice" in stage_ids else None
    read = 0
    try:
        for block in blocks.blocks():
            check_cancel()
            read += block.shape[0]
            if env is not None:
                env.add(block)
            if voice is not None and voice.add(block) and on_chunk is not None:
                on_chunk(read / rate, max(total_s, read / rate))
    except DecodeError as exc:
        raise LongAudioError(Message.of("pipeline.long_bad_audio", reason=exc.message)) from None
    result = jobs.JobResult(sha256)
    if blocks.sha256() != sha256:  # reads what the blocks left, so the whole file counts
        result.problem = Message.of("pipeline.changed")
        return result
    if read == 0:
        result.problem = Message.of("pipeline.long_bad_audio", reason=Message.of("pipeline.no_samples"))
        return result
    for stage_id in stage_ids:
        if stage_id == "envelope":
            result.outputs[stage_id] = env.finish(read)
        elif stage_id == "voice":
            try:
                result.outputs[stage_id] = voice.finish()
            except Exception as exc:  # noqa: BLE001 - the model missing or altered: said per recording
                result.outputs[stage_id] = Failed(Message.of("pipeline.voice_failed",
                                                             reason=reason_of(exc)))
        else:
            result.outputs[stage_id] = Failed(Message.of("pipeline.too_long_for_stage", stage=stage_id, size=size))
    return result


class _Envelope:
    """Min/max per bin over ``n`` frames that arrive in blocks: equal to ``envelope(all samples, bins)``.

    When the length is unknown (``n`` is 0) or the stream ends early, each block gets a few fine bins and
    :meth:`finish` redraws them at ``bins`` (the same outline, bin edges a little off)."""

    def __init__(self, n: int, bins: int) -> None:
        self.n, self.bins, self.offset = n, bins, 0
        self.starts = np.arange(bins, dtype=np.int64) * max(n, 1) // bins
        self.out = np.empty((bins, 2), np.float32)
        self.out[:, 0], self.out[:, 1] = np.inf, -np.inf
        self.fine: list[np.ndarray] = []

    def add(self, block: np.ndarray) -> None:
        from voicearchive.audio.envelope import envelope

        if block.shape[0] == 0:
            return
        if self.n < self.bins:  # length unknown (or tiny): fine bins, redrawn at the end
            self.fine.append(envelope(block, min(_FINE_BINS, block.shape[0])))
            return
        a, b = self.offset, self.offset + block.shape[0]
        self.offset = b
        if a >= self.n:
            return
        block = block[: self.n - a]
        first = int(np.searchsorted(self.starts, a, "right")) - 1
        last = int(np.searchsorted(self.starts, min(b, self.n) - 1, "right")) - 1
        idx = np.maximum(self.starts[first : last + 1] - a, 0)
        rows = slice(first, last + 1)
        self.out[rows, 0] = np.minimum(self.out[rows, 0], np.minimum.reduceat(block, idx))
        self.out[rows, 1] = np.maximum(self.out[rows, 1], np.maximum.reduceat(block, idx))

    def finish(self, read: int) -> bytes:
        from voicearchive.audio.envelope import envelope_to_bytes, resample_envelope

        if self.fine:
            return envelope_to_bytes(resample_envelope(np.concatenate(self.fine), self.bins))
        out = np.where(np.isfinite(self.out), self.out, 0.0).astype(np.float32)
        return envelope_to_bytes(out)


class _Voice:
    """Voice features from 16 kHz chunks of ``CHUNK_SECONDS``, embedding each chunk's partials at once."""

    def __init__(self, rate: int, frames: int) -> None:
        import soxr

        from voicearchive.voices import frontend

        self.f = frontend
        self.chunk = int(CHUNK_SECONDS * frontend.SAMPLE_RATE) // frontend.VAD_WINDOW * frontend.VAD_WINDOW
        self.total16 = max(1, int(math.ceil(frames * frontend.SAMPLE_RATE / rate)))
        self.resampler = None if rate == frontend.SAMPLE_RATE else soxr.ResampleStream(
            rate, frontend.SAMPLE_RATE, 1, dtype="float32", quality="HQ")
        self.buffer: list[np.ndarray] = []
        self.buffered = 0
        self.offset = 0  # 16 kHz samples already analysed
        self.embeddings: list[np.ndarray] = []
        self.starts: list[np.ndarray] = []
        self.speech_s = 0.0

    def add(self, block: np.ndarray) -> bool:
        """Take a block at the file's rate; True when a chunk was analysed."""
        wav = block if self.resampler is None else self.resampler.resample_chunk(block, last=False)
        self.buffer.append(np.asarray(wav, np.float32))
        self.buffered += wav.shape[0]
        analysed = False
        while self.buffered >= self.chunk:
            joined = np.concatenate(self.buffer)
            self._analyse(joined[: self.chunk])
            rest = joined[self.chunk :]
            self.buffer, self.buffered = [rest], rest.shape[0]
            analysed = True
        return analysed

    def _analyse(self, wav: np.ndarray) -> None:
        from voicearchive.voices.features import MAX_PARTIALS, default_encoder

        f = self.f
        offset, self.offset = self.offset, self.offset + wav.shape[0]
        gain = f.volume_gain(wav)
        if gain is not None:
            wav = wav * gain
        trimmed = f.trim_silences(wav)
        n = trimmed.wav.shape[0]
        if n == 0:
            return
        starts = f.partial_starts(n)
        quota = max(1, math.ceil(MAX_PARTIALS * wav.shape[0] / self.total16))
        if starts.shape[0] > quota:
            starts = starts[np.unique(np.linspace(0, starts.shape[0] - 1, quota).round().astype(int))]
        needed = (int(starts[-1]) + f.PARTIAL_FRAMES) * f.HOP
        mel = f.mel_spectrogram(np.pad(trimmed.wav, (0, needed - n)) if needed >= n else trimmed.wav)
        partials = mel[starts[:, None] + np.arange(f.PARTIAL_FRAMES)[None, :]]
        self.embeddings.append(default_encoder().embed_partials(partials))
        self.starts.append(((trimmed.original_sample(starts * f.HOP) + offset) / f.SAMPLE_RATE).astype(np.float32))
        self.speech_s += n / f.SAMPLE_RATE

    def finish(self):
        from voicearchive.voices.features import MAX_PARTIALS, VoiceFeatures

        if self.resampler is not None:
            self.buffer.append(np.asarray(self.resampler.resample_chunk(np.zeros(0, np.float32), last=True),
                                          np.float32))
        rest = np.concatenate(self.buffer) if self.buffer else np.zeros(0, np.float32)
        self.buffer = []
        rest = rest[: max(0, self.total16 - self.offset)]
        if rest.shape[0]:
            self._analyse(rest)
        if not self.embeddings:
            return VoiceFeatures.no_speech()
        emb, starts = np.concatenate(self.embeddings), np.concatenate(self.starts)
        if emb.shape[0] > MAX_PARTIALS:
            keep = np.unique(np.linspace(0, emb.shape[0] - 1, MAX_PARTIALS).round().astype(int))
            emb, starts = emb[keep], starts[keep]
        mean = emb.mean(axis=0, dtype=np.float64)
        embedding = (mean / np.linalg.norm(mean)).astype(np.float32)
        return VoiceFeatures(embedding, self.speech_s, emb, starts)
