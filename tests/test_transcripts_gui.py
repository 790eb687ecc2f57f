"""The window with transcripts: PDF words and machine words in the list (marked), the Words view, search."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui_helpers import isolated_settings, open_and_wait, window  # noqa: F401
from tests.pdf_fixtures import seed_case
from voicearchive.gui.recordings_model import COLUMNS, KeyRole, column
from voicearchive.transcripts import asr

DATA = Path(__file__).parent / "data" / "speech"


def _texts(win) -> dict[str, str]:
    col = COLUMNS[column("transcript")]
    return {i.rec.key: col.text(i) for i in win.model.items()}


def test_seed_case_in_the_window_words_view_and_search(window, qtbot, tmp_path):  # noqa: F811
    data, truth = seed_case(30, with_audio=24)
    (tmp_path / "leak.zip").write_bytes(data)
    assert open_and_wait(qtbot, window, [tmp_path / "leak.zip"], tmp_path / "c.vacase") == "done"
    texts = _texts(window)
    assert len(texts) == 30
    assert sorted(texts.values()) == sorted(t["text"] for t in truth)  # every PDF entry is in the list
    window.tabs.setCurrentWidget(window.words_view)
    window.words_view.wait_for_terms()
    terms = {t.text: t for t in window.words_view.terms}
    assert {"Anna Schubert", "Erfurt", "Goethestraße", "0361 5550123"} <= set(terms)
    assert "Alexa" not in terms and "Wetter" not in terms
    window.filter_bar.search.setText("Erfurt")  # another filter: lifted, the word's list is exact
    row = [t.text for t in window.words_view.terms].index("Anna Schubert")
    window.words_view._activated(row, 0)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == terms["Anna Schubert"].count, timeout=5000)
    assert window.tabs.currentIndex() == 0
    listed = {window.proxy.index(r, 0).data(KeyRole) for r in range(window.proxy.rowCount())}
    assert listed == set(terms["Anna Schubert"].keys)  # exactly the recordings that said it, no substring search
    assert window.filter_bar.filters.text == "" and window.filter_bar.search.text() == ""
    assert window.filter_bar.only.isVisible() and "Anna Schubert" in window.filter_bar.only.text()
    window.filter_bar.only.click()  # the bar says what the list is limited to, and lifts it
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 30, timeout=5000)
    assert not window.filter_bar.only.isVisible() and window.filter_bar.filters.keys is None
    window.words_view._activated(row, 0)
    window.filter_bar.clear()  # Clear filters lifts it too
    assert window.filter_bar.filters.keys is None and not window.filter_bar.only.isVisible()
    out = tmp_path / "words.png"
    window.tabs.setCurrentWidget(window.words_view)
    window.words_view.grab().save(str(out))
    assert out.stat().st_size > 1000


@pytest.mark.skipif(asr.asr_available() is not None or asr.bundled_model() is None,
                    reason="speech-to-text extra not installed")
def test_machine_words_arrive_after_the_analysis_and_are_marked(window, qtbot, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.delenv("VOICEARCHIVE_ASR", raising=False)
    folder = tmp_path / "leak"
    folder.mkdir()
    (folder / "a.flac").write_bytes((DATA / "367-130732-0000.flac").read_bytes())
    assert open_and_wait(qtbot, window, [folder], tmp_path / "c.vacase") == "done"
    (text,) = _texts(window).values()
    assert text.startswith("(machine)") and "obster" in text
    window.filter_bar.search.setText("weather")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 0, timeout=5000)
    window.filter_bar.search.setText("lobsters")  # found in the machine words only
    qtbot.waitUntil(lambda: window.filter_bar.filters.text == "lobsters" and window.proxy.rowCount() == 1,
                    timeout=5000)
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    window._show_match(window.current_item())
    assert "machine transcript" in window.status_label.text() and "obster" in window.status_label.text()


def test_speech_to_text_settings_keep_model_and_language_per_case(qtbot, tmp_path, monkeypatch):
    from voicearchive.case.store import CaseStore
    from voicearchive.gui.asr_dialog import AsrDialog

    monkeypatch.setenv("VOICEARCHIVE_ASR_MODELS", str(tmp_path / "models"))
    with CaseStore(tmp_path / "c.vacase") as store:
        dialog = AsrDialog(store)
        qtbot.addWidget(dialog)
        if asr.asr_available() is None and asr.bundled_model() is not None:
            assert dialog.model.findData("tiny.en") >= 0 and dialog.run_button.isEnabled()
        dialog.language.setCurrentIndex(dialog.language.findData("de"))
        with qtbot.waitSignal(dialog.transcribeRequested):
            dialog.run_button.click()
        assert store.get("asr_language") == "de"


def test_the_detail_view_marks_uncertain_machine_words_as_plain_text(qtbot) -> None:
    from voicearchive.gui.detail_view import DetailView
    from voicearchive.model import CaseItem, Label, Recording
    from voicearchive.transcripts.rows import SOURCE_MACHINE, Transcript

    rec = Recording(key="k", archive="/a", member_path="a.wav", source_format="audio-folder", sha256="ab" * 32)
    machine = Transcript("sha256:" + "ab" * 32, SOURCE_MACHINE, "faster-whisper/tiny.en/123", text="a <b>grownal</b>")
    item = CaseItem(rec, Label(rec.key), None)
    item.machine = machine
    view = DetailView()
    qtbot.addWidget(view)
    view.machine_words = lambda it: [(0.0, 0.3, 0.95, " a"), (0.3, 0.8, 0.2, " <b>grownal</b>")]
    view.show_item(item)
    field = view.fields["transcript"]
    assert field.text().startswith("a ⟨<b>grownal</b>⟩  (machine transcript: faster-whisper/tiny.en/123; "
                                   "1 uncertain word in ⟨ ⟩)")
    assert "<b>" in field.toPlainText()  # shown as the characters it is, never as rich text
    view.machine_words = lambda it: (_ for _ in ()).throw(RuntimeError("busy"))
    view.show_item(None)
    view.show_item(item)
    assert field.text().startswith("a <b>grownal</b>  (machine transcript")  # the words without marks
