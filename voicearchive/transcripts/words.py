"""The words that identify people: what recurs across an archive that is not everyday assistant talk.

Qt-free data for ``gui/words_view.py`` (like ``gui/timeline_data.py``). From every recording's shown
words (vendor, PDF or machine, ``rows.shown``) it keeps names (capitalised words and runs of them that are
not sentence starts or stop words: people, places, shops, companies), streets (``…straße``, ``… Street``),
and numbers that look like phone numbers or times, each with the recordings and voices that said it.
All-lowercase transcripts (as Alexa writes them) give their uncommon words instead. German and English
stop lists, the assistant's own vocabulary included. One pass, a few regular expressions per transcript:
about a second for 100,000 recordings (``benchmarks/bench_words.py``).

Also here, for the search: ``search_text`` (every kind of transcript of a recording, for matching) and
``where_matched`` (which transcript matched, with the words around the match).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Iterable

from voicearchive.messages import render
from voicearchive.model import CaseItem
from voicearchive.transcripts.rows import SOURCE_MACHINE, has_words, record_source, shown

KIND_NAME, KIND_STREET, KIND_PHONE, KIND_TIME, KIND_WORD = "name", "street", "phone", "time", "word"

_STOP_EN = set("""
a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours out over own same she should so some such than that the their
theirs them then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself please thanks thank okay ok yes yeah
hey hi hello tell show give set turn put make let get go play stop pause resume next previous skip repeat
what's whats it's that's i'm don't can't won't today tomorrow tonight morning evening afternoon night
week weekend minute minutes hour hours second seconds time timer alarm reminder remind list shopping add
weather temperature rain sunny forecast news music song songs radio volume louder quieter up down lights
light lamp on off kitchen living room bedroom bathroom call message text send read joke story help
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december one two three four five six seven eight nine ten half quarter past
like want need know think much many good well also really much very would could there their find search
""".split())
_STOP_DE = set("""
aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei bin bis bist da
dadurch daher damit dann das dass dein deine dem den der des dessen dich die dies diese diesem diesen dieser
dir doch dort du durch ein eine einem einen einer eines er es euer eure für gegen gewesen hab habe haben hat
hatte hier hin hinter ich ihr ihre im in ist ja jede jedem jeden jeder jetzt kann kein keine können könnte
machen man mein meine mich mir mit muss nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich
sie sind so soll sollte sondern um und uns unser unter viel vom von vor war waren warum was weg weil welche
wenn wer werde werden wie wieder will wir wird wo wurde zu zum zur zwischen bitte danke hallo ja nein okay
guten morgen abend tag nacht heute morgen gestern übermorgen uhr minute minuten stunde stunden sekunden
spiel spiele spielen stopp stop pause weiter lauter leiser mach mache schalte schalt licht lampe an aus
wetter temperatur regen wecker timer erinnerung erinnere erinnern liste einkaufsliste einkaufen füge hinzu
nachrichten musik lied lieder radio lautstärke küche wohnzimmer schlafzimmer bad ruf rufe anrufen sag sage
erzähl witz hilfe wann wie viel spät lange offen nächste nächsten fährt fahrt montag dienstag mittwoch
donnerstag freitag samstag sonntag januar februar märz april mai juni juli august september oktober
november dezember eins zwei drei vier fünf sechs sieben acht neun zehn halb viertel termin notiere nummer
stell stelle einen auf gib gibt zeig zeige neue neues wohnung haus straßenbahn bus bahn zug
""".split())
_ASSISTANT = {"alexa", "echo", "amazon", "google", "siri", "computer", "ziggy", "mycroft", "assistant",
              "text", "verfügbar", "available", "audio", "bestimmt", "intended"}
STOP_WORDS = frozenset(_STOP_EN | _STOP_DE | _ASSISTANT)

_TOKEN = re.compile(r"[A-Za-zÄÖÜäöüßÀ-ÿ][\wÄÖÜäöüßÀ-ÿ'’.-]*")
_PHONE = re.compile(r"(?<![\d:])(?:\+\d{1,3}[\s/-]?)?(?:\(?0\d{1,5}\)?[\s/-]?)?\d{3,}(?:[\s/-]?\d{2,}){0,3}(?![\d:])")
_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d:])|(?<!\d)([01]?\d|2[0-3]) Uhr( [0-5]?\d)?", re.I)
_STREET = re.compile(  # case matters: a street is a capitalised word or words
    r"\b([A-ZÄÖÜ][\wäöüß-]*(?i:straße|strasse|str\.|weg|platz|gasse|allee|ring|damm|ufer))(?![\w])"
    r"|\b((?:[A-Z][\w-]+ ){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Square))(?![\w])")
_DIGIT = re.compile(r"\d")
_STREET_HINTS = ("str", "weg", "platz", "gasse", "allee", "ring", "damm", "ufer", "st.", "road", "rd.", "ave",
                 "lane", "drive", "square")
_TITLES = {"dr", "prof", "hr", "fr", "mr", "mrs", "ms", "st"}
_SENTENCE_END = re.compile(r"[.!?]$")


@dataclass
class Term:
    text: str
    kind: str
    keys: list[str] = field(default_factory=list)
    voices: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.keys)


@lru_cache(maxsize=1 << 17)
def terms_of(text: str) -> tuple[tuple[str, str], ...]:
    """The identifying terms of one transcript as (term, kind), each once (cached: commands repeat)."""
    found: dict[str, str] = {}
    low_text = text.lower()
    if any(h in low_text for h in _STREET_HINTS):
        for m in _STREET.finditer(text):
            found[(m.group(1) or m.group(2)).strip()] = KIND_STREET
    if _DIGIT.search(text):
        for m in _TIME.finditer(text):
            found[m.group(0).strip()] = KIND_TIME
        for m in _PHONE.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            if len(digits) >= 6:
                found[m.group(0).strip()] = KIND_PHONE
    lowercase = not any(c.isupper() for c in text)
    run: list[str] = []
    first = True
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        word = raw.rstrip(".,'’-")
        low = word.lower()
        title = low in _TITLES and raw.endswith(".")
        stop = low in STOP_WORDS or (len(word) < 3 and not title)
        if lowercase:
            if not stop and len(word) >= 4 and word not in found:
                found[word] = KIND_WORD
            continue
        capital = word[:1].isupper() and not first and not stop
        if title and word[:1].isupper():
            _end_run(run, found)
            run = [raw]
        elif capital or (run and word in ("von", "van", "de")):
            run.append(word)
        else:
            _end_run(run, found)
            run = []
        first = (bool(_SENTENCE_END.search(raw)) and not title) or raw.endswith(",") and low in ("alexa", "computer", "echo")
    _end_run(run, found)
    return tuple(found.items())


def _end_run(run: list[str], found: dict[str, str]) -> None:
    while run and run[-1] in ("von", "van", "de"):
        run.pop()
    if len(run) == 1 and run[0].lower().rstrip(".") in _TITLES:
        return
    if run and not any(t in found for t in (" ".join(run),)):
        name = " ".join(run)
        if not any(name in k for k, kind in found.items() if kind == KIND_STREET):
            found[name] = KIND_NAME


def build_terms(items: Iterable[CaseItem], *, min_count: int = 2) -> list[Term]:
    """Every term said in at least ``min_count`` recordings, most frequent first."""
    terms: dict[tuple[str, str], Term] = {}
    folded: dict[str, tuple[str, str]] = {}
    for item in items:
        s = shown(item.rec, item.machine)  # type: ignore[arg-type]
        if not s.source or not has_words(s.text):
            continue
        voice = _voice_name(item)
        for text, kind in terms_of(s.text):
            ident = folded.setdefault(text.casefold(), (text, kind))
            t = terms.get(ident)
            if t is None:
                t = terms[ident] = Term(ident[0], ident[1])
            t.keys.append(item.rec.key)
            if voice:
                t.voices[voice] += 1
            t.sources[s.source] += 1
    out = [t for t in terms.values() if t.count >= min_count]
    out.sort(key=lambda t: (-t.count, t.text.casefold()))
    return out


# ------------------------------------------------------------------------------------------------ search


def search_text(item: CaseItem) -> str:
    """Every transcript of a recording (vendor or PDF, the PDF entry kept beside vendor words, machine)."""
    parts = [item.rec.transcript]
    pdf = item.rec.extra.get("pdf") if isinstance(item.rec.extra, dict) else None
    if isinstance(pdf, dict) and pdf.get("text") and pdf.get("text") != item.rec.transcript:
        parts.append(str(pdf["text"]))
    machine = item.machine
    if machine is not None and getattr(machine, "text", ""):
        parts.append(machine.text)  # type: ignore[union-attr]
    return "\n".join(p for p in parts if p)


def where_matched(item: CaseItem, needle: str, width: int = 30) -> list[tuple[str, str]]:
    """(source, the words around the match) for each transcript of ``item`` that holds ``needle``."""
    needle = needle.casefold()
    if not needle:
        return []
    rec = item.rec
    candidates = [(record_source(rec), rec.transcript)]
    pdf = rec.extra.get("pdf") if isinstance(rec.extra, dict) else None
    if isinstance(pdf, dict) and pdf.get("text") and pdf.get("text") != rec.transcript:
        candidates.append(("pdf", str(pdf["text"])))
    if item.machine is not None and getattr(item.machine, "text", ""):
        candidates.append((SOURCE_MACHINE, item.machine.text))  # type: ignore[union-attr]
    out = []
    for source, text in candidates:
        at = text.casefold().find(needle)
        if at >= 0:
            start, end = max(0, at - width), min(len(text), at + len(needle) + width)
            out.append((source, ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")))
    return out


def _voice_name(item: CaseItem) -> str:
    """The voice's name as the window shows it, in the current language ("Stimme A"); "" without a voice."""
    if item.voice is None:
        return ""
    return render(item.voice.name) if item.voice.name else item.voice.group_name
