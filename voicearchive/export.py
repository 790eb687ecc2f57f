"""Export for people who were not at the screen: a CSV, and an evidence zip for a newsroom or a lawyer.

The CSV is RFC 4180 (``csv`` module, CRLF line ends, minimal quoting) in UTF-8 with a byte-order
mark, so that Excel opens umlauts and emoji right. One row per recording, columns ``CSV_COLUMNS``.

Spreadsheets run a cell as a formula when it starts with ``=``, ``+``, ``-`` or ``@`` (and some
also after a leading tab or carriage return). Transcripts, device names and notes come from an
archive we do not control, so such a cell could run a command or leak data when the CSV is
opened ("CSV injection", OWASP). Every such cell is neutralised with a leading apostrophe, which
spreadsheets show as text; numbers the export formats itself (durations, similarities) are left
as they are.

Files are written atomically (a temporary file in the destination folder, then ``os.replace``),
private to the user (mode 0600), and never inside the evidence: with ``evidence_roots`` given, a
destination inside an opened folder, or an opened zip itself, is refused (``case.paths.check_outside_evidence``,
the one check of every path the app writes).

The evidence zip also carries ``words.csv`` (``WORDS_COLUMNS``) when speech-to-text gave any of its
recordings word times: one row per word, with the recording's file in the zip, its archive path and
SHA-256, the transcript's source ("machine") and engine (program, model and the model's hash), the
language, and the word's start, end (seconds into the recording) and probability.

Every file that could not be read is a row too (``problems``: the archive and member path filled, the
``problem`` column saying why, the rest empty), in the CSV and in the evidence package's CSV and README.
Messages (``voicearchive.messages.Message``) are rendered in ``lang`` (English by default). The README
writes every name from the archive with control characters and bidi overrides escaped
(``safe_text.printable``), one line ending (CRLF) throughout.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TextIO

from voicearchive import __version__
from voicearchive.case.paths import InsideEvidenceError, check_outside_evidence
from voicearchive.archive.streams import reason as os_reason
from voicearchive.messages import Message, MessageError, render
from voicearchive.model import ANALYSIS_PENDING, CaseItem, Problem, Recording, utc
from voicearchive.safe_text import printable
from voicearchive.transcripts.rows import TRANSCRIPT_COLUMNS, Transcript, transcript_cells

log = logging.getLogger(__name__)

CSV_COLUMNS = (
    "archive",
    "member_path",
    "sha256",
    "source_format",
    "recorded_at",
    "device",
    "duration_s",
    "transcript",
    "assistant_response",
    "not_for_assistant",
    "vendor_speaker_hint",
    "voice_group",
    "owner_similarity",
    "owner_score",  # what the threshold decides on (flag_reason says "score X < threshold")
    "flagged",
    "flag_reason",
    "note",
    "problem",
    # issue 10 (transcripts): where the words came from, and the machine's words kept apart from the vendor's
    *TRANSCRIPT_COLUMNS,
)
CSV_NAME = "recordings.csv"
WORDS_NAME = "words.csv"
WORDS_COLUMNS = ("audio_file", "archive", "member_path", "sha256", "transcript_source", "engine", "language",
                 "word_index", "start_s", "end_s", "probability", "word")
SUMS_NAME = "SHA256SUMS"
README_NAME = "README.txt"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SAFE_EXT = re.compile(r"\.[a-z0-9]{1,8}\Z")
_CODEC_EXT = {"wav": ".wav", "mp3": ".mp3", "flac": ".flac", "ogg": ".ogg", "m4a": ".m4a", "aiff": ".aiff"}
_STORED_EXT = {".mp3", ".ogg", ".opus", ".m4a", ".aac", ".flac", ".amr", ".webm", ".wma"}  # already compressed
_CHUNK = 1 << 20


class ExportError(MessageError):
    """The export could not be written. ``str()`` says why in English; ``message`` is the catalogue Message
    (``export.*``) to render in the user's language."""


@dataclass
class EvidenceZipReport:
    """What :func:`write_evidence_zip` wrote, and everything that went wrong on the way."""

    path: Path
    rows: int = 0  # rows of the CSV inside
    audio_files: int = 0  # recordings whose original bytes are inside
    mismatches: list[str] = field(default_factory=list)  # bytes differ from the hash taken at import
    missing: list[str] = field(default_factory=list)  # audio that could not be read now
    words: int = 0  # rows of words.csv (machine words with their times), 0 when there is none

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.missing


def export_row(item: CaseItem, lang: str = "en") -> list[str]:
    """One CSV row, in ``CSV_COLUMNS`` order, with formula-like cells neutralised."""
    rec, voice = item.rec, item.voice
    similarity = voice.owner_similarity if voice else None
    score = voice.deciding_score if voice else None
    cells = [
        rec.archive,
        rec.member_path,
        rec.sha256,
        rec.source_format,
        _iso_utc(rec.recorded_at),
        rec.device,
        f"{rec.audio.duration_s:.2f}" if rec.audio else "",
        rec.transcript,
        rec.assistant_response,
        "yes" if rec.not_for_assistant else "no",
        rec.vendor_speaker_hint,
        (render(voice.name, lang) if voice.name else voice.group_name) if voice else "",
        f"{similarity:.3f}" if similarity is not None else "",
        f"{score:.3f}" if score is not None else "",
        _flagged_cell(item),
        render(item.flag_reason, lang),
        item.label.note,
        render(rec.problem, lang) or _audio_note(rec, lang),
        *transcript_cells(item),  # issue 10
    ]
    return [neutralise(cell) for cell in cells]


def _flagged_cell(item: CaseItem) -> str:
    """yes / no, or "not analysed yet" while the voice analysis has not judged a row that has audio."""
    if item.analysis_state == ANALYSIS_PENDING:
        return "not analysed yet"
    return "yes" if item.flagged else "no"


def _audio_note(rec: Recording, lang: str) -> str:
    """What a person should know about audio that plays (truncated, decoded in part): ``AudioFacts.note``."""
    note = getattr(rec.audio, "note", None) if rec.audio is not None else None
    return render(note, lang) if note else ""


def problem_row(problem: Problem, lang: str = "en") -> list[str]:
    """The CSV row of a file that could not be read: where it is and why, the other cells empty."""
    cells = dict.fromkeys(CSV_COLUMNS, "")
    cells.update(archive=problem.archive, member_path=problem.member_path, problem=render(problem.message, lang))
    return [neutralise(cells[c]) for c in CSV_COLUMNS]


def neutralise(cell: object) -> str:
    """The cell as text, with an apostrophe before what a spreadsheet would run as a formula."""
    cell = "" if cell is None else str(cell)
    if _SURROGATE.search(cell):  # a name byte that was not UTF-8: written as \xNN, never lost or fatal
        cell = _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if ord(m.group()) >= 0xDC80
                              else f"\\u{ord(m.group()):04x}", cell)
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def write_csv(
    items: Iterable[CaseItem],
    path_or_file: str | os.PathLike[str] | BinaryIO | TextIO,
    *,
    flagged_only: bool = False,
    evidence_roots: Sequence[str | os.PathLike[str]] = (),
    problems: Iterable[Problem] = (),
    lang: str = "en",
) -> int:
    """Write the CSV to a path (atomically) or to an open file; returns the number of rows (recordings
    and ``problems``: every file that could not be read gets a row, flagged-only or not).

    An open binary file gets UTF-8 bytes with a BOM; an open text file gets the text with a
    leading U+FEFF (open it with ``newline=""``). Raises :class:`ExportError`.
    """
    chosen = (i for i in items if i.flagged or not flagged_only)
    problems = list(problems)
    if isinstance(path_or_file, (str, os.PathLike)):
        with _atomic(Path(path_or_file), evidence_roots) as out:
            return _write_csv_binary(chosen, out, problems, lang)
    if isinstance(path_or_file, io.TextIOBase):
        return _write_csv_text(chosen, path_or_file, problems, lang)
    return _write_csv_binary(chosen, path_or_file, problems, lang)


def write_evidence_zip(
    items: Iterable[CaseItem],
    path: str | os.PathLike[str],
    open_audio: Callable[[Recording], BinaryIO],
    *,
    evidence_roots: Sequence[str | os.PathLike[str]] = (),
    flagged_only: bool = True,
    archive_identity: str = "",
    now: datetime | None = None,
    problems: Iterable[Problem] = (),
    lang: str = "en",
    transcript_of: Callable[[CaseItem], Transcript | None] | None = None,
    voice_model: str = "",
    voice_summary: Sequence[str] = (),
) -> EvidenceZipReport:
    """Write a zip of the flagged recordings' original audio, their CSV, SHA256SUMS and a README.

    ``open_audio(rec)`` opens the member's original bytes. Each audio is hashed while it is
    copied and compared with ``rec.sha256``; a difference is written at the top of the README and
    returned in the report, as is audio that could not be read. Recordings are copied one at a
    time. ``archive_identity`` (the opened archive's identity, if known) goes into the README.
    Raises :class:`ExportError` when the zip cannot be written. ``problems`` (files the archive could
    not be read for) are rows of its CSV and listed in its README. ``transcript_of(item)`` gives an item's
    machine transcript with its word times (``transcripts.rows.machine_transcript``): they go to
    ``words.csv``. ``voice_model`` (the model version the owner scores were computed with) goes into the README,
    and so does ``voice_summary``, the case's voice lines (``summary.case_voice_lines``: the owner and how it was
    found, any warning about it, the threshold, how far voices can be told apart here): how the flags were made.
    """
    chosen = [i for i in items if i.flagged or not flagged_only]
    problems = list(problems)
    exported_at = utc(now or datetime.now(timezone.utc)).replace(microsecond=0)
    report = EvidenceZipReport(Path(path))
    sums: list[tuple[str, str]] = []
    files: list[str] = []
    in_zip: dict[str, str] = {}  # recording key -> its audio's name in the zip
    with _atomic(Path(path), evidence_roots) as out, zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        names: set[str] = set()
        for index, item in enumerate(chosen, 1):
            rec = item.rec
            if not rec.member_path:
                continue
            name = _unique(_audio_name(rec, index), names)
            where = printable(f"{rec.archive}: {rec.member_path}")
            try:
                data, digest = _read_hashing(open_audio, rec)
            except (OSError, ValueError) as exc:
                report.missing.append(f"{where}: could not be read now ({exc})")
                log.warning("evidence export: %s could not be read: %s", where, exc)
                continue
            if rec.sha256 and digest != rec.sha256:
                report.mismatches.append(
                    f"{name}: {where}: the bytes read now have SHA-256 {digest}, "
                    f"but the case file recorded {rec.sha256} at import"
                )
                log.warning("evidence export: SHA-256 MISMATCH for %s", where)
            _add(zf, name, data, rec.recorded_at or exported_at)
            sums.append((digest, name))
            in_zip[rec.key] = name
            files += [name, f"    from   {where}", f"    sha256 {digest}"]
            report.audio_files += 1
        table = io.BytesIO()
        report.rows = _write_csv_binary(chosen, table, problems, lang)
        words = _words_table(chosen, in_zip, transcript_of)
        report.words = words[1]
        readme = _readme(chosen, report, files, exported_at, archive_identity, problems, lang,
                         voice_model, voice_summary).encode("utf-8")
        extra = ((WORDS_NAME, words[0]),) if words[1] else ()
        for name, data in ((CSV_NAME, table.getvalue()), *extra, (README_NAME, readme)):
            _add(zf, name, data, exported_at)
            sums.append((hashlib.sha256(data).hexdigest(), name))
        manifest = "".join(f"{digest}  {name}\n" for digest, name in sums).encode("ascii")
        _add(zf, SUMS_NAME, manifest, exported_at)
    return report


def _words_table(items: Sequence[CaseItem], in_zip: dict[str, str],
                 transcript_of: Callable[[CaseItem], Transcript | None] | None) -> tuple[bytes, int]:
    """``words.csv`` (UTF-8 with BOM, CRLF, formula-safe) and its number of word rows."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(WORDS_COLUMNS)
    count = 0
    for item in items if transcript_of is not None else ():
        try:
            row = transcript_of(item)
        except Exception as exc:  # noqa: BLE001 - a busy case file: the package without these words, said in the log
            log.warning("evidence export: the word times of %s could not be read: %s", printable(item.rec.key), exc)
            continue
        if row is None or not row.words:
            continue
        rec = item.rec
        head = [in_zip.get(rec.key, ""), rec.archive, rec.member_path, rec.sha256, row.source, row.engine, row.language]
        for index, word in enumerate(row.words, 1):
            try:
                start, end, probability, text = word
                cells = [str(index), f"{float(start):.2f}", f"{float(end):.2f}", f"{float(probability):.3f}", str(text)]
            except (TypeError, ValueError):
                continue
            writer.writerow([neutralise(c) for c in (*head, *cells)])
            count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count


def check_destination(
    path: str | os.PathLike[str], evidence_roots: Sequence[str | os.PathLike[str]] = ()
) -> Path:
    """The absolute destination, or :class:`ExportError` if its folder is missing or lies inside
    the evidence. Call it before a long import to fail early; every write calls it again."""
    dest = Path(path)
    folder = Path(os.path.realpath(dest.expanduser().parent))
    if not folder.is_dir():
        raise ExportError(Message.of("export.no_folder", path=str(dest), folder=str(folder)))
    try:
        return check_outside_evidence(dest, evidence_roots, "case.what.export")
    except InsideEvidenceError as exc:
        raise ExportError(exc.message) from None


def _iso_utc(moment: datetime | None) -> str:
    return utc(moment).isoformat().replace("+00:00", "Z") if moment else ""


def _write_csv_text(items: Iterable[CaseItem], out: TextIO, problems: Sequence[Problem] = (),
                    lang: str = "en") -> int:
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for item in items:
        writer.writerow(export_row(item, lang))
        rows += 1
    for problem in problems:
        writer.writerow(problem_row(problem, lang))
        rows += 1
    return rows


def _write_csv_binary(items: Iterable[CaseItem], out: BinaryIO, problems: Sequence[Problem] = (),
                      lang: str = "en") -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        return _write_csv_text(items, text, problems, lang)
    finally:
        text.flush()
        text.detach()  # leave the caller's file open


@contextlib.contextmanager
def _atomic(dest: Path, evidence_roots: Sequence[str | os.PathLike[str]]) -> Iterator[BinaryIO]:
    """A binary file that becomes ``dest`` only when the block finishes without error."""
    dest = check_destination(dest, evidence_roots)
    try:
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    except OSError as exc:
        raise ExportError(Message.of("export.folder_unwritable", folder=str(dest.parent), reason=os_reason(exc))) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(Message.of("export.unwritable", path=str(dest), reason=os_reason(exc))) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(dest.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _read_hashing(open_audio: Callable[[Recording], BinaryIO], rec: Recording) -> tuple[bytes, str]:
    """The member's bytes and their SHA-256, read in chunks."""
    h = hashlib.sha256()
    chunks: list[bytes] = []
    with contextlib.closing(open_audio(rec)) as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            chunks.append(chunk)
    return b"".join(chunks), h.hexdigest()


def _audio_name(rec: Recording, index: int) -> str:
    """``audio/<UTC time>_<first 12 hex of SHA-256><original extension>``: sortable and safe anywhere."""
    stamp = utc(rec.recorded_at).strftime("%Y-%m-%dT%H-%M-%SZ") if rec.recorded_at else "undated"
    tag = rec.sha256[:12] if rec.sha256 else f"item{index:05d}"
    inner = rec.member_path.rsplit("!/", 1)[-1]
    ext = PurePosixPath(inner).suffix.lower()
    if not _SAFE_EXT.match(ext):
        codec = rec.audio.codec.split("/", 1)[0] if rec.audio else ""
        ext = _CODEC_EXT.get(codec, ".bin")
    return f"audio/{stamp}_{tag}{ext}"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    taken.add(candidate)
    return candidate


def _add(zf: zipfile.ZipFile, name: str, data: bytes, when: datetime) -> None:
    stamp = utc(when)
    if stamp.year < 1980:  # the zip format cannot say earlier
        stamp = datetime(1980, 1, 1, tzinfo=timezone.utc)
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    stored = PurePosixPath(name).suffix in _STORED_EXT
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def _readme(
    items: Sequence[CaseItem],
    report: EvidenceZipReport,
    files: list[str],
    exported_at: datetime,
    archive_identity: str,
    problems: Sequence[Problem] = (),
    lang: str = "en",
    voice_model: str = "",
    voice_summary: Sequence[str] = (),
) -> str:
    lines = ["VoiceArchive evidence export", "============================", ""]
    if report.mismatches or report.missing:
        lines += ["WARNING: THIS EXPORT IS NOT COMPLETE OR NOT UNCHANGED", ""]
        lines += [f"SHA-256 MISMATCH: {printable(m)}" for m in report.mismatches]
        lines += [f"NOT INCLUDED: {printable(m)}" for m in report.missing]
        lines.append("")
    lines += [
        f"Tool:      VoiceArchive {__version__}",
        f"Exported:  {_iso_utc(exported_at)}",
        f"Rows:      {report.rows} in {CSV_NAME} (columns: {', '.join(CSV_COLUMNS)})",
        f"Audio:     {report.audio_files} original file(s) in audio/, copied byte for byte from the archive",
        "           and checked against the SHA-256 taken when the archive was first opened.",
    ]
    if report.words:
        lines += [
            f"Words:     {report.words} word(s) with their times in {WORDS_NAME} (columns: {', '.join(WORDS_COLUMNS)}):",
            "           speech-to-text's words (source \"machine\"), each with the engine and model that heard it,",
            "           its start and end in seconds from the recording's start, and the probability the engine gave it.",
        ]
    if voice_model:
        lines.append(f"Voices:    owner scores from the speaker model {printable(voice_model)}")
    if archive_identity:
        lines.append(f"Identity:  {printable(archive_identity)} (VoiceArchive's id of the archive as opened)")
    if voice_summary:
        lines += ["", "How the recordings were flagged", "-------------------------------"]
        lines += [printable(line) for line in voice_summary]
    lines += ["", "Archives", "--------"]
    lines += [printable(_describe_archive(a)) for a in sorted({i.rec.archive for i in items if i.rec.archive})]
    lines += ["", "Files", "-----", *files, ""]
    unread = [i for i in items if i.rec.member_path and i.rec.problem]
    if problems or unread:
        lines += ["Problems", "--------",
                  f"{len(problems) + len(unread)} file(s) of the archive could not be read; each is a row of {CSV_NAME}:"]
        lines += [f"{printable(str(p.archive))}: {printable(p.member_path)}: {printable(render(p.message, lang))}"
                  for p in problems]
        lines += [f"{printable(i.rec.archive)}: {printable(i.rec.member_path)}: {printable(render(i.rec.problem, lang))}"
                  for i in unread]
        lines.append("")
    lines += [
        "Verify",
        "------",
        f"Unzip, then run `sha256sum -c {SUMS_NAME}` (Linux) or `shasum -a 256 -c {SUMS_NAME}` (macOS).",
        "Times in the CSV are UTC (ISO 8601). Zip entry times are UTC: an audio file carries the time it",
        "was recorded, the other files the time of export.",
        "",
    ]
    return "\r\n".join(lines)


def _describe_archive(archive: str) -> str:
    try:
        st = os.stat(archive)
    except OSError:
        return f"{archive}  (not reachable at export time)"
    if os.path.isdir(archive):
        return f"{archive}  (folder)"
    modified = _iso_utc(datetime.fromtimestamp(st.st_mtime, timezone.utc).replace(microsecond=0))
    return f"{archive}  ({st.st_size:,} bytes, modified {modified})"
