"""The German user interface texts: complete, consistent, compiled, and found at run time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from voicearchive.resources import resource

TS = resource("translations", "voicearchive_de.ts")
QM = resource("translations", "voicearchive_de.qm")


def _messages():
    for ctx in ET.parse(TS).getroot().findall("context"):
        for m in ctx.findall("message"):
            yield ctx.findtext("name"), m.findtext("source"), m.find("translation")


def test_every_text_has_a_finished_translation_with_the_same_placeholders():
    count = 0
    for context, source, translation in _messages():
        count += 1
        assert translation.get("type") is None, (context, source)
        assert translation.text, (context, source)
        assert sorted(re.findall(r"%\d", source)) == sorted(re.findall(r"%\d", translation.text)), source
        assert translation.text.count("&") == source.count("&"), source  # keeps its keyboard mnemonic
    assert count > 250


@pytest.fixture
def german(qapp):
    translator = QTranslator()
    assert translator.load(str(QM))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def test_compiled_translation_serves_every_context(german):
    tr = QCoreApplication.translate
    assert tr("VoicesView", "Owner") == "Besitzer"
    assert tr("actions", "&Quit") == "&Beenden"
    assert tr("MainWindow", "Voices") == "Stimmen"
    assert tr("RecordingsModel", "Duration") == "Dauer"
    assert tr("AboutDialog", "VoiceArchive never uses the network.") == "VoiceArchive nutzt niemals das Netzwerk."


def test_widgets_show_german_when_the_translator_is_installed(german, qtbot):
    from voicearchive.gui.enrol_dialog import EnrolDialog
    from voicearchive.gui.voices_view import VoicesView

    view = VoicesView()
    qtbot.addWidget(view)
    headers = [view.groups.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers == ["Stimme", "Aufnahmen", "Markiert", "Rolle"]
    dialog = EnrolDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Stimme des Besitzers anlernen"
