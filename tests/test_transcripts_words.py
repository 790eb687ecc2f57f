"""The words that identify people (Qt-free): terms by kind, counts, voices, sources; search in every transcript."""

from __future__ import annotations

from voicearchive.model import CaseItem, Label, Recording, VoiceResult
from voicearchive.transcripts.rows import Transcript, shown, transcript_cells
from voicearchive.transcripts.words import build_terms, search_text, terms_of, where_matched


def item(key: str, text: str = "", *, machine: str = "", voice: str = "", pdf: bool = False, extra=None) -> CaseItem:
    ex = dict(extra or {})
    if pdf:
        ex.update(transcript_source="pdf", pdf={"file": "leak.zip/t.pdf", "page": 2, "line": 7, "text": text})
    rec = Recording(key=key, archive="/a", member_path=f"{key}.wav", source_format="x", sha256=key * 4,
                    transcript=text, extra=ex)
    m = Transcript(f"sha256:{key * 4}", "machine", "tiny.en", text=machine) if machine else None
    v = VoiceResult(key=key, group_name=voice) if voice else None
    return CaseItem(rec, Label(key), v, m)


def test_terms_by_kind_in_german_and_english() -> None:
    got = dict(terms_of("Alexa, erinnere mich an den Termin bei Dr. Hoffmann in der Goethestraße um 14:30"))
    assert got == {"Dr. Hoffmann": "name", "Goethestraße": "street", "14:30": "time"}
    got = dict(terms_of("Call Mike Johnson on 0176 5550123. Then navigate to Baker Street"))
    assert got == {"Mike Johnson": "name", "0176 5550123": "phone", "Baker Street": "street"}
    assert terms_of("Alexa, wie wird das Wetter morgen") == ()
    assert terms_of("Text nicht verfügbar – Audio war nicht für Alexa bestimmt") == ()
    assert dict(terms_of("alexa ruf anna schubert an")) == {"anna": "word", "schubert": "word"}


def test_recurring_terms_with_counts_voices_and_sources() -> None:
    items = [
        item("a", "Alexa, ruf Anna Schubert an", voice="Voice A"),
        item("b", "Alexa, ruf Anna Schubert an", voice="Voice B", pdf=True),
        item("c", machine="Call Anna Schubert please", voice="Voice B"),
        item("d", "Alexa, wie wird das Wetter in Erfurt"),
        item("e", "Alexa, stopp"),
    ]
    (term,) = build_terms(items)  # Erfurt is said once only
    assert (term.text, term.kind, term.count) == ("Anna Schubert", "name", 3)
    assert term.keys == ["a", "b", "c"] and term.voices == {"Voice A": 1, "Voice B": 2}
    assert term.sources == {"vendor": 1, "pdf": 1, "machine": 1}


def test_vendor_words_win_and_machine_words_are_marked() -> None:
    vendor = item("a", "alexa stopp", machine="Alexa stop")
    assert shown(vendor.rec, vendor.machine).source == "vendor"
    machine = item("b", machine="Alexa stop")
    assert shown(machine.rec, machine.machine).source == "machine"
    cells = transcript_cells(machine)
    assert cells[0] == "machine" and cells[2] == "Alexa stop" and cells[3] == "tiny.en"
    assert transcript_cells(item("c", "hallo", pdf=True))[:2] == ["pdf", "leak.zip/t.pdf:2:7"]
    assert transcript_cells(item("d"))[0] == ""


def test_search_looks_into_every_transcript_and_says_where() -> None:
    both = item("a", "alexa stopp", machine="Alexa, stop the music", extra={"pdf": {"text": "Alexa Stopp Musik"}})
    assert "music" in search_text(both) and "Musik" in search_text(both)
    assert where_matched(both, "musi") == [("pdf", "Alexa Stopp Musik"), ("machine", "Alexa, stop the music")]
    assert where_matched(both, "nothing") == []


def test_without_the_extra_speech_to_text_says_how_to_get_it(tmp_path, monkeypatch) -> None:
    import importlib.util

    from voicearchive.case.store import CaseStore
    from voicearchive.messages import render
    from voicearchive.pipeline import Pipeline

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "faster_whisper" else real(n, *a))
    monkeypatch.delenv("VOICEARCHIVE_ASR", raising=False)
    with CaseStore(tmp_path / "c.vacase") as store:
        why = Pipeline([tmp_path], store).transcribe()
    assert why is not None and "voicearchive[asr]" in render(why, "en") and "installieren" in render(why, "de")


def test_uncertain_machine_words_are_marked_in_plain_text() -> None:
    from voicearchive.transcripts.rows import marked_words

    words = [(0.0, 0.3, 0.95, " a"), (0.3, 0.8, 0.21, " grownal"), (0.8, 1.0, 0.9, " tube"),
             (1.0, 1.2, 0.39, " <b>x</b>"), (1.2, 1.3, 0.5, "  ")]
    text, n = marked_words(words)
    assert (text, n) == ("a ⟨grownal⟩ tube ⟨<b>x</b>⟩", 2)  # markup is kept as the characters it is
    assert marked_words([]) == ("", 0) and marked_words([("bad",)]) == ("", 0)


def test_the_machine_words_of_an_item_come_from_the_case_file(tmp_path) -> None:
    from voicearchive.case.store import CaseStore
    from voicearchive.model import Recording
    from voicearchive.transcripts.rows import SOURCE_MACHINE, Transcript, machine_words

    rec = Recording(key="k", archive="/a", member_path="a.wav", source_format="audio-folder", sha256="ab" * 32)
    with CaseStore(tmp_path / "c.vacase") as store:
        store.put_recordings([rec])
        store.put_transcripts([Transcript("sha256:" + "ab" * 32, SOURCE_MACHINE, "e/1", text="hallo welt",
                                          words=[(0.0, 0.4, 0.9, "hallo"), (0.4, 0.8, 0.3, "welt")])])
        (item,) = store.items()
        assert [w[3] for w in machine_words(store, item)] == ["hallo", "welt"]
        assert machine_words(None, item) == []


def test_the_voices_that_said_a_word_are_named_in_the_language_shown() -> None:
    from voicearchive.messages import Message, set_language
    from voicearchive.model import CaseItem, Label, Recording, VoiceResult
    from voicearchive.transcripts.words import _voice_name

    voice = VoiceResult("a", group=0, group_name="Voice A", name=Message.of("voices.group.name", letters="A"))
    item = CaseItem(Recording("a", "/ev", "a.wav", "audio-folder", transcript="ruf Anna an"), Label("a"), voice)
    set_language("de")
    try:
        assert _voice_name(item) == "Stimme A"
    finally:
        set_language("en")
    assert _voice_name(item) == "Voice A"
