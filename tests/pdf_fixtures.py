"""Hand-written minimal PDFs for the transcript tests (no PDF library needed to make them).

``text_pdf(pages)`` writes pages of text lines placed at (x, y) in Helvetica with WinAnsi encoding
(German umlauts and the en dash survive); ``table_pdf`` lays out the 2018 Amazon shape: a title and a
table "Datum | Uhrzeit | Gerät | Transkript" over several pages with the header repeated on each.
"""

from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime, timedelta

from tests.archive_fixtures import wav_bytes

NOT_FOR_ALEXA_DE = "Text nicht verfügbar – Audio war nicht für Alexa bestimmt"


def _esc(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """A PDF with one page per list of (x, y, text); an empty list makes a page without text."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for cells in pages:
        ops = [b"BT /F1 9 Tf"]
        for x, y, text in cells:
            ops.append(b"1 0 0 1 %.1f %.1f Tm (%s) Tj" % (x, y, _esc(text)))
        ops.append(b"ET")
        stream = b"\n".join(ops) if cells else b"0.5 g 50 50 500 700 re f"  # a scan-like page: paint only
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
                        b"/Contents %d 0 R >>" % (pages_id, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return lines + [cur] if cur else lines or [""]


def table_pdf(rows: list[tuple[str, str, str, str]], *, title: str = "Ihre Alexa-Sprachaufnahmen",
              header: tuple[str, ...] = ("Datum", "Uhrzeit", "Gerät", "Transkript"), per_page: int = 12) -> bytes:
    """The 2018 shape: a title on page 1, the header on every page, ``per_page`` rows a page, a footer."""
    pages = []
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    for n, chunk in enumerate(chunks, start=1):
        cells: list[tuple[float, float, str]] = []
        y = 800.0
        if n == 1:
            cells.append((50, y, title))
            y -= 30
        cells += [(x, y, h) for x, h in zip((50, 120, 180, 280), header)]
        y -= 18
        for row in chunk:
            words = row[3]
            # long transcripts wrap inside their cell, as a real table does
            wrapped = _wrap(words, 40)
            cells += [(50, y, row[0]), (120, y, row[1]), (180, y, row[2])]
            for k, part in enumerate(wrapped):
                cells.append((280, y - 11 * k, part))
            y -= 11 * len(wrapped) + 7
        cells.append((280, 30, f"Seite {n} von {len(chunks)}"))
        pages.append(cells)
    return text_pdf(pages)


SEED_WORDS = [
    "Alexa, wie wird das Wetter morgen in Erfurt",
    "Alexa, ruf Anna Schubert an",
    "Alexa, wann fährt die nächste Straßenbahn am Anger",
    "Alexa, spiel Musik von Udo Lindenberg",
    "Alexa, stell einen Wecker auf 6 Uhr 30",
    "Alexa, erinnere mich an den Termin bei Dr. Hoffmann in der Goethestraße",
    "Alexa, wie lange hat der Rewe in der Krämerbrücke offen",
    NOT_FOR_ALEXA_DE,
    "Alexa, ruf Anna Schubert an",
    "Alexa, wie wird das Wetter morgen in Erfurt",
    "Alexa, notiere die Nummer 0361 5550123",
    "Alexa, stopp",
]


def seed_case(n: int = 30, *, with_audio: int = 24, seed: int = 7) -> tuple[bytes, list[dict]]:
    """A 2018-shaped leak zip: ``with_audio`` WAVs named meaninglessly whose zip times are the entries'
    times (as a tool writing the files at recording time leaves them), a shuffled PDF of ``n`` entries
    over several pages; the last entries have no audio. Returns the zip and the truth per entry."""
    rng = random.Random(seed)
    start = datetime(2018, 6, 14, 9, 0, 0)
    truth = []
    for i in range(n):
        when = start + timedelta(minutes=37 * i, seconds=2 * rng.randrange(0, 29))  # zip times are even seconds
        truth.append({"when": when, "device": "Küche" if i % 3 else "Wohnzimmer Echo",
                      "text": SEED_WORDS[i % len(SEED_WORDS)], "file": f"{1000 + i:06d}.wav" if i < with_audio else ""})
    rows = [(t["when"].strftime("%d.%m.%Y"), t["when"].strftime("%H:%M:%S"), t["device"], t["text"]) for t in truth]
    rng.shuffle(rows)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, t in enumerate(truth):
            if t["file"]:
                info = zipfile.ZipInfo(f"Alexa/{t['file']}", date_time=t["when"].timetuple()[:6])
                zf.writestr(info, wav_bytes(0.2, 200 + 7 * i))
        zf.writestr(zipfile.ZipInfo("Alexa/Sprachaufnahmen.pdf", date_time=(2018, 8, 1, 12, 0, 0)),
                    table_pdf(rows, per_page=9))
    return buf.getvalue(), truth
