"""The analysis stages, declared as data: what each computes, from what, into which table.

A :class:`Stage` names its ``id`` and ``version`` (a new version recomputes it), takes a recording's audio
by content hash, says which recordings need it (``wanted``) and which of them the case file already has
(``done``), computes on a worker (``compute``: decoded audio in, picklable outputs out, nothing written)
and is saved by the coordinator (``save``: outputs into its table, inside the runner's transaction).

One runner (:mod:`voicearchive.runner`) serves every stage: it asks each stage what is missing, reads and
hashes each member once, ships the bytes of all the stages a recording still needs in one job, and hands
the outputs back to each stage's ``save``. The worker decodes each recording once for all those stages
(:func:`voicearchive.jobs.run_stages`).

To add a stage: write a module-level ``compute(decoded)`` and the coordinator-side ``done``/``save`` (a
table keyed by ``(sha256, version)``), declare ``Stage(...)`` and append it to :data:`STAGES`. Stages run in
that order inside a job; docs/architecture.md says more.

Stages run in passes (``phase``): the voice analysis (``ANALYSIS``: envelope, voice) first, then
speech-to-text (``TRANSCRIBE``) as a pass of its own, so that a voice job never waits for Whisper. A stage
may take parameters chosen at run time (the model and language of speech-to-text): the runner passes its
``params[stage.id]`` as keyword arguments to ``compute`` (on the worker, shipped with the job), ``done`` and
``save``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from voicearchive.model import Recording

ANALYSIS, TRANSCRIBE = "analysis", "transcribe"  # the passes, in the order a scan runs them
ENVELOPE_BINS = 1000
ENVELOPE_VERSION = "minmax-1000/1"


@dataclass(frozen=True)
class Decoded:
    """One recording's audio as every stage gets it on the worker: float32 mono at the file's own rate."""

    sha256: str
    samples: Any  # numpy float32 (n,)
    rate: int
    duration_s: float


@dataclass(frozen=True)
class Failed:
    """A stage's output for one recording that could not be computed: ``reason`` is shown to the user
    (a Message, rendered in the user's language; a plain string from older code is shown as it is)."""

    reason: Any


@dataclass(frozen=True)
class Stage:
    id: str
    version: str | Callable[[], str]  # a string, or a function giving it (a module constant read late)
    table: str  # where its outputs live in the case file (for the documentation and the tests)
    compute: Callable[[Sequence[Decoded]], list[Any]]  # worker side, module level (pickled by name)
    done: Callable[[Any, Sequence[str]], set[str]]  # coordinator: (store, shas) -> shas already computed
    save: Callable[[Any, list[tuple[str, Any]]], None]  # coordinator: (store, [(sha, output)]) in a transaction
    wanted: Callable[[Recording], bool] = lambda rec: rec.has_audio and bool(rec.sha256)
    # True: a Failed output becomes the recording's problem (its row says why; voice analysis skips it).
    # False: Failed outputs go to ``save`` like any other (a stage that may fail on good audio, such as
    # speech-to-text, keeps its failures in its own table and leaves the recording alone).
    failure_is_problem: bool = True
    phase: str = ANALYSIS  # the pass it runs in (its own jobs, after the passes before it)

    @property
    def current_version(self) -> str:
        return self.version() if callable(self.version) else self.version


# ------------------------------------------------------------------------------------------------ envelope
def compute_envelopes(decoded: Sequence[Decoded]) -> list[Any]:
    from voicearchive.audio.envelope import envelope, envelope_to_bytes

    return [envelope_to_bytes(envelope(d.samples, ENVELOPE_BINS)) for d in decoded]


def _envelopes_done(store, shas: Sequence[str]) -> set[str]:
    return store.envelope_shas(shas)


def _save_envelopes(store, outputs: list[tuple[str, Any]]) -> None:
    for sha, blob in outputs:
        store.put_envelope(sha, blob)


# --------------------------------------------------------------------------------------------------- voice
def compute_voice(decoded: Sequence[Decoded]) -> list[Any]:
    """Voice features of each recording; the network runs on the partials of all of them together."""
    from voicearchive.messages import Message, reason_of
    from voicearchive.voices.features import embed_stream, prepare_audio
    from voicearchive.voices.weights import WeightsError

    out: list[Any] = [None] * len(decoded)
    waiting: list[tuple[int, Any]] = []
    for k, d in enumerate(decoded):
        try:
            waiting.append((k, prepare_audio(d.samples, d.rate)))
        except ValueError as exc:
            out[k] = Failed(Message.of("pipeline.voice_failed", reason=reason_of(exc)))
    try:
        for (k, _), features in zip(waiting, embed_stream(p for _, p in waiting)):
            out[k] = features
    except WeightsError as exc:
        for k, _ in waiting:
            out[k] = Failed(exc.message)
    return out


def voice_model_version() -> str:
    """The model version this process's encoder computes with (int8 or float32 embeddings, ``features``)."""
    from voicearchive.voices import features
    from voicearchive.voices.weights import WeightsError

    try:
        return features.model_version()
    except WeightsError:  # no usable model: every recording fails with its message, nothing is cached
        return features.MODEL_VERSION


def _voice_done(store, shas: Sequence[str]) -> set[str]:
    return store.voice_feature_shas(shas, voice_model_version())


def _save_voice(store, outputs: list[tuple[str, Any]]) -> None:
    store.put_voice_features_many(
        voice_model_version(),
        [(sha, f.embedding, f.speech_s, f.windows, f.window_starts) for sha, f in outputs],
    )


# ------------------------------------------------------------------------------------------ transcript
def compute_transcripts(decoded: Sequence[Decoded], spec=None) -> list[Any]:
    """Machine words of each recording with the engine ``spec`` names (loaded once per worker process)."""
    from voicearchive.transcripts import asr

    return asr.compute(decoded, spec)


def _transcript_version() -> str:
    from voicearchive.transcripts.asr import STAGE_VERSION

    return STAGE_VERSION


def _transcript_wanted(rec: Recording) -> bool:
    from voicearchive.transcripts.rows import has_words

    return rec.has_audio and bool(rec.sha256) and not has_words(rec.transcript)


def _transcripts_done(store, shas: Sequence[str], spec=None) -> set[str]:
    from voicearchive.transcripts import asr

    return asr.done(store, shas, spec)


def _save_transcripts(store, outputs: list[tuple[str, Any]], spec=None) -> None:
    from voicearchive.transcripts import asr

    asr.save(store, outputs, spec)


def _declare() -> tuple[Stage, ...]:
    return (
        Stage("envelope", ENVELOPE_VERSION, "envelopes", compute_envelopes, _envelopes_done, _save_envelopes),
        Stage("voice", voice_model_version, "voice_features", compute_voice, _voice_done, _save_voice),
        Stage("transcript", _transcript_version, "transcripts", compute_transcripts, _transcripts_done,
              _save_transcripts, wanted=_transcript_wanted, failure_is_problem=False, phase=TRANSCRIBE),
    )


STAGES: tuple[Stage, ...] = _declare()


def of_phase(phase: str) -> tuple[Stage, ...]:
    """The declared stages of one pass, in declaration order (read late: tests may declare more)."""
    return tuple(s for s in STAGES if s.phase == phase)


def by_id(stage_ids: Iterable[str]) -> list[Stage]:
    """The declared stages with these ids, in declaration order (a worker looks them up by name)."""
    wanted = set(stage_ids)
    unknown = wanted - {s.id for s in STAGES}
    if unknown:
        raise KeyError(f"unknown analysis stages: {sorted(unknown)}")
    return [s for s in STAGES if s.id in wanted]


def versions(stages: Iterable[Stage] | None = None) -> dict[str, str]:
    """{stage id: version}: what a worker must compute exactly as the coordinator would."""
    return {s.id: s.current_version for s in (STAGES if stages is None else stages)}
