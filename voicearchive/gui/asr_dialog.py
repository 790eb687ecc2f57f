"""Speech-to-text settings: the model (bundled tiny.en or a CTranslate2 Whisper folder the user adds), the
language of this archive, and "transcribe now". A model folder is checked and copied into the user data
directory in a background thread (models are hundreds of MB); nothing is ever downloaded.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from voicearchive.gui import plain
from voicearchive.messages import render
from voicearchive.transcripts import asr

def tr(text: str) -> str:
    return QCoreApplication.translate("AsrDialog", text)


def languages() -> list[tuple[str, str]]:
    """Language choices, each named in its own language (as the language menu does), "detected" first."""
    return [("", tr("detected")), ("de", "Deutsch"), ("en", "English"), ("fr", "Français"), ("es", "Español"),
            ("it", "Italiano"), ("nl", "Nederlands"), ("pl", "Polski"), ("tr", "Türkçe")]


class _Relay(QObject):
    added = Signal(object, str)  # AsrModel or None, a message


class AsrDialog(QDialog):
    transcribeRequested = Signal()

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Speech-to-Text"))
        self.store = store
        self._relay = _Relay(self)
        self._relay.added.connect(self._added, Qt.ConnectionType.QueuedConnection)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.model = QComboBox(self)
        self.model.setAccessibleName(tr("Model"))
        self.language = QComboBox(self)
        self.language.setAccessibleName(tr("Language of the recordings"))
        for code, name in languages():
            self.language.addItem(name, code)
        self.add_button = QPushButton(tr("Add Model Folder…"), self)
        self.add_button.setToolTip(tr("A CTranslate2 Whisper model folder (model.bin, config.json, tokenizer.json)"))
        self.add_button.clicked.connect(self._choose_folder)
        form = QFormLayout()
        form.addRow(tr("Model"), self.model)
        form.addRow("", self.add_button)
        form.addRow(tr("Language"), self.language)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.run_button = buttons.addButton(tr("Transcribe Now"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.run_button.clicked.connect(self._run)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self) -> None:
        missing = asr.asr_available()
        self.model.clear()
        models = ([asr.bundled_model()] if asr.bundled_model() else []) + asr.added_models()
        for m in models:
            label = f"{m.name} ({tr('multilingual') if m.multilingual else tr('English only')})"
            self.model.addItem(label, m.name)
        wanted = self.store.get("asr_model") if self.store is not None else None
        if wanted is not None and self.model.findData(wanted) >= 0:
            self.model.setCurrentIndex(self.model.findData(wanted))
        lang = (self.store.get("asr_language") if self.store is not None else None) or ""
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        if missing is not None:
            plain.set_plain(self.status, render(missing))
        elif not models:
            plain.set_plain(self.status, render(asr.Message.of("transcripts.asr_no_model")))
        else:
            plain.set_plain(self.status, tr("Recordings without words of their own get a machine transcript after the "
                                   "voice analysis. Machine words are always marked as such."))
        self.run_button.setEnabled(missing is None and bool(models) and self.store is not None)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Choose a CTranslate2 Whisper model folder"))
        if not folder:
            return
        self.add_button.setEnabled(False)
        plain.set_plain(self.status, tr("Checking and copying the model…"))
        relay = self._relay

        def work() -> None:
            try:
                model = asr.add_model(folder)
                relay.added.emit(model, render(asr.Message.of("transcripts.asr_model_added", name=model.name)))
            except asr.ModelError as exc:
                relay.added.emit(None, render(exc.message))
            except OSError as exc:
                relay.added.emit(None, str(exc))

        threading.Thread(target=work, name="asr-model-copy", daemon=True).start()

    def _added(self, model, message: str) -> None:
        self.add_button.setEnabled(True)
        self._fill()
        if model is not None and self.model.findData(model.name) >= 0:
            self.model.setCurrentIndex(self.model.findData(model.name))
        plain.set_plain(self.status, message)

    def save(self) -> None:
        if self.store is None:
            return
        self.store.set("asr_model", self.model.currentData())
        self.store.set("asr_language", self.language.currentData() or None)

    def _run(self) -> None:
        self.save()
        self.transcribeRequested.emit()
        self.accept()

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        self.save()
        super().done(result)
