"""Help > About: the version, the speaker model and its licence, the demo voices, and the promise."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from voicearchive import __version__

from .plain import allow_rich


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About VoiceArchive"))
        self.setAccessibleName(self.tr("About VoiceArchive"))

        paragraphs = [
            f"<h2>VoiceArchive {html.escape(__version__)}</h2>",
            self.tr("See what a voice assistant kept of your home: browse, listen, find the voices that "
                    "are not yours, and export them with provenance."),
            "<b>" + self.tr("VoiceArchive never uses the network.") + "</b> "
            + self.tr("It reads archives without changing them and keeps its findings in a case file "
                      "on this computer."),
            self.tr("Speaker model: GE2E speaker encoder from Resemble AI's Resemblyzer 0.1.4, "
                    "Copyright 2019 Resemble.AI, licensed under the Apache License 2.0."),
            self.tr("Demo voices: LibriSpeech ASR corpus (test-other), Copyright 2014 Vassil Panayotov, "
                    "licensed under Creative Commons Attribution 4.0 (CC BY 4.0)."),
            self.tr("Built with Qt for Python (PySide6, LGPLv3), pyqtgraph, NumPy and libsndfile."),
        ]
        self.text = QLabel("".join(p if p.startswith("<h2>") else f"<p>{p}</p>" for p in paragraphs), self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        allow_rich(self.text)  # our own text, never evidence
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName(self.tr("About VoiceArchive"))
        self.text.setMinimumWidth(460)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def plain_text(self) -> str:
        """What the dialog says, without markup (for tests and screen readers)."""
        doc = self.text.text()
        for tag in ("<h2>", "</h2>", "<p>", "</p>", "<b>", "</b>"):
            doc = doc.replace(tag, " ")
        return html.unescape(" ".join(doc.split()))
