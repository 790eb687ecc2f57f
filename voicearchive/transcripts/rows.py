"""A transcript as the case file keeps it, and the one rule that picks what is shown.

Words come from three sources, kept apart and never overwriting each other: the vendor's own text
("vendor"), a transcript document beside the audio ("pdf", with file/page/line) and speech-to-text
("machine", with its engine and per-word times and probabilities). ``shown`` picks: the vendor's or the
PDF's words when there are any, else the machine's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from voicearchive.model import Recording

SOURCE_VENDOR, SOURCE_PDF, SOURCE_MACHINE = "vendor", "pdf", "machine"
SOURCES = (SOURCE_VENDOR, SOURCE_PDF, SOURCE_MACHINE)
STATUS_WORDS, STATUS_NO_SPEECH, STATUS_FAILED = "", "no-speech", "failed"
_NO_TEXT = ("text not available", "text nicht verfügbar", "transcript not available")
LOW_WORD_PROBABILITY = 0.4  # a machine word Whisper gave less than this probability is marked uncertain
UNCERTAIN = ("⟨", "⟩")  # plain-text marks around an uncertain word (evidence is never shown as rich text)


@dataclass
class Transcript:
    subject: str  # "sha256:<hex>" (machine, by content) or "key:<recording key>" (vendor, PDF)
    source: str
    engine: str = ""  # e.g. "faster-whisper 1.2.1 / tiny.en <model sha prefix>"
    text: str = ""
    words: list[tuple[float, float, float, str]] = field(default_factory=list)  # start, end, probability, word
    language: str = ""
    confidence: float | None = None  # mean word probability (machine)
    low_confidence: bool = False
    status: str = STATUS_WORDS
    location: dict = field(default_factory=dict)  # {file, page, line} for a PDF row

    def words_json(self) -> str:
        return json.dumps([[round(s, 2), round(e, 2), round(p, 3), w] for s, e, p, w in self.words],
                          ensure_ascii=False)


def sha_subject(sha256: str) -> str:
    return f"sha256:{sha256}"


def key_subject(key: str) -> str:
    return f"key:{key}"


def has_words(text: str) -> bool:
    """Whether ``text`` holds words ("Text not available – …" does not)."""
    t = (text or "").strip()
    return bool(t) and not t.lower().startswith(_NO_TEXT)


def record_source(rec: Recording) -> str:
    """Where a recording's own text came from: the PDF when the importers joined one, else the vendor."""
    return SOURCE_PDF if rec.extra.get("transcript_source") == SOURCE_PDF else SOURCE_VENDOR


def recording_transcripts(rec: Recording) -> list[Transcript]:
    """The vendor and PDF rows of a recording as listed by the importers (for the transcripts table)."""
    out = []
    subject = key_subject(rec.key)
    pdf = rec.extra.get("pdf")
    if has_words(rec.transcript) and record_source(rec) == SOURCE_VENDOR:
        out.append(Transcript(subject, SOURCE_VENDOR, text=rec.transcript))
    if isinstance(pdf, dict) and pdf.get("text"):
        loc = {k: pdf[k] for k in ("file", "page", "line") if k in pdf}
        out.append(Transcript(subject, SOURCE_PDF, text=str(pdf["text"]), location=loc))
    return out


@dataclass(frozen=True)
class Shown:
    text: str
    source: str  # "vendor", "pdf", "machine" or "" (no words)
    low_confidence: bool = False


def shown(rec: Recording, machine: Transcript | None = None) -> Shown:
    """The words shown for a recording: its own (vendor or PDF) when it has any, else the machine's."""
    if has_words(rec.transcript):
        return Shown(rec.transcript, record_source(rec))
    if machine is not None and machine.status == STATUS_WORDS and machine.text.strip():
        return Shown(machine.text, SOURCE_MACHINE, machine.low_confidence)
    return Shown(rec.transcript, record_source(rec) if rec.transcript.strip() else "")


def marked_words(words, below: float = LOW_WORD_PROBABILITY) -> tuple[str, int]:
    """The machine words as one plain text with each uncertain word in ⟨ ⟩, and how many were marked."""
    parts, n = [], 0
    for word in words:
        try:
            _start, _end, prob, text = word
            text = str(text).strip()
            prob = float(prob)
        except (TypeError, ValueError):
            continue
        if not text:
            continue
        if prob < below:
            parts.append(f"{UNCERTAIN[0]}{text}{UNCERTAIN[1]}")
            n += 1
        else:
            parts.append(text)
    return " ".join(parts), n


def machine_transcript(store, item) -> Transcript | None:
    """The machine transcript row of ``item`` with its per-word times (one indexed query), or None."""
    machine = getattr(item, "machine", None)
    if store is None or machine is None:
        return None
    rows = store.transcripts([machine.subject], source=SOURCE_MACHINE, engine=machine.engine)
    return rows[0] if rows else None


def machine_words(store, item) -> list:
    """The per-word (start, end, probability, word) of the machine words of ``item`` (one indexed query)."""
    row = machine_transcript(store, item)
    return row.words if row is not None else []


# ------------------------------------------------------------------------------------------ CSV export
TRANSCRIPT_COLUMNS = ("transcript_source", "transcript_location", "machine_transcript", "machine_engine",
                      "machine_confidence")


def transcript_cells(item) -> list[str]:
    """The CSV cells of ``TRANSCRIPT_COLUMNS`` for a CaseItem: the source of the shown words (vendor / pdf /
    machine), the PDF's file:page:line, and the machine transcript with its engine and mean probability."""
    rec, machine = item.rec, getattr(item, "machine", None)
    s = shown(rec, machine)
    pdf = rec.extra.get("pdf") if isinstance(rec.extra, dict) else None
    where = f"{pdf.get('file', '')}:{pdf.get('page', '')}:{pdf.get('line', '')}" if isinstance(pdf, dict) else ""
    conf = getattr(machine, "confidence", None)
    return [s.source, where, getattr(machine, "text", "") or "", getattr(machine, "engine", "") or "",
            "" if conf is None else f"{conf:.2f}"]
