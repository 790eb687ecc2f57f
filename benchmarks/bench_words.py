"""How fast the Words view's terms are counted at 100,000 recordings, and a picture of the view.

    python benchmarks/bench_words.py [--count 100000] [--screenshot words.png]

Makes ``--count`` synthetic recordings whose transcripts mix everyday assistant talk (German and English,
vendor, PDF and machine words) with names, streets, shops and numbers said by a few voices, then times
``voicearchive.transcripts.words.build_terms`` (what the view runs in its background thread) and the
view's filling of its table. Prints figures; asserts nothing. Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voicearchive.model import CaseItem, Label, Recording, VoiceResult  # noqa: E402
from voicearchive.transcripts.rows import Transcript  # noqa: E402
from voicearchive.transcripts.words import build_terms  # noqa: E402

EVERYDAY = [
    "Alexa, wie wird das Wetter morgen", "Alexa, stopp", "Alexa, spiel Musik", "Alexa, lauter",
    "Alexa, stell einen Timer auf zehn Minuten", "what's the weather like today", "turn off the kitchen lights",
    "play some music", "set an alarm for seven", "Alexa, wie spät ist es", "Alexa, mach das Licht aus",
    "Text nicht verfügbar – Audio war nicht für Alexa bestimmt",
]
SPECIAL = [
    "Alexa, ruf {p} an", "Alexa, wann fährt die nächste Straßenbahn zum {place}",
    "Alexa, wie lange hat {shop} in der {street} offen", "call {p} on 0176 {num}",
    "remind me to meet {p} at {street} at 14:30", "Alexa, notiere die Nummer 0361 {num}",
]
PEOPLE = ["Anna Schubert", "Jonas Becker", "Mike Johnson", "Dr. Hoffmann", "Leonie Krause", "Sarah Miller"]
PLACES = ["Anger", "Hauptbahnhof", "Domplatz", "Leipzig", "Erfurt", "Weimar"]
SHOPS = ["Rewe", "Edeka", "Aldi", "dm", "Lidl", "Ikea"]
STREETS = ["Goethestraße", "Schillerweg", "Marktplatz", "Baker Street", "Juri-Gagarin-Ring"]


def synthetic_items(n: int, seed: int = 0) -> list[CaseItem]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        if rng.random() < 0.15:
            text = rng.choice(SPECIAL).format(p=rng.choice(PEOPLE), place=rng.choice(PLACES),
                                              shop=rng.choice(SHOPS), street=rng.choice(STREETS),
                                              num=f"{rng.randrange(10**6, 10**7)}")
        else:
            text = rng.choice(EVERYDAY)
        kind = rng.random()
        rec = Recording(key=f"r{i}", archive="/a", member_path=f"{i}.wav", source_format="audio-folder",
                        sha256=f"{i:064x}", transcript=text if kind < 0.6 else "",
                        extra={"transcript_source": "pdf"} if kind < 0.2 else {})
        machine = None if kind < 0.6 else Transcript(f"sha256:{i:064x}", "machine", "tiny.en", text=text)
        voice = VoiceResult(key=rec.key, group=i % 4, group_name=f"Voice {'ABCD'[i % 4]}")
        items.append(CaseItem(rec, Label(rec.key), voice, machine))
    return items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--screenshot", type=Path)
    args = ap.parse_args()
    t0 = time.perf_counter()
    items = synthetic_items(args.count)
    print(f"{args.count:,} synthetic recordings made in {time.perf_counter() - t0:.2f} s")
    for _ in range(2):
        t0 = time.perf_counter()
        terms = build_terms(items)
        print(f"build_terms: {len(terms):,} recurring terms in {time.perf_counter() - t0:.2f} s")
    from voicearchive.gui.app import application
    from voicearchive.gui.words_view import WordsView

    app = application()
    view = WordsView()
    view.resize(1100, 640)
    view.set_items(items)
    t0 = time.perf_counter()
    view._arrived(view._generation, terms)  # the GUI-thread part: filling the table
    print(f"filling the table (GUI thread): {(time.perf_counter() - t0) * 1000:.0f} ms for "
          f"{min(len(terms), 2000):,} rows")
    if args.screenshot:
        view.show()
        view.wait_for_terms()  # the picture with the terms, not the "Counting…" line of the shown event
        app.processEvents()
        view.grab().save(str(args.screenshot))
        print(f"screenshot: {args.screenshot}")


if __name__ == "__main__":
    main()
