"""Texts for the transcripts messages (code -> (English, German)). Codes are "transcripts.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {
    # transcript documents (PDF)
    "transcripts.pdf_too_big": (
        "this PDF is {mb} MB; transcript documents over {limit} MB are not read",
        "dieses PDF hat {mb} MB; Transkript-Dokumente über {limit} MB werden nicht gelesen",
    ),
    "transcripts.pdf_no_library": (
        "PDFs cannot be read: the pypdf package is missing (reinstall VoiceArchive)",
        "PDFs können nicht gelesen werden: das Paket pypdf fehlt (VoiceArchive neu installieren)",
    ),
    "transcripts.pdf_encrypted": (
        "this PDF is encrypted with a password; its transcripts cannot be read",
        "dieses PDF ist mit einem Passwort verschlüsselt; seine Transkripte können nicht gelesen werden",
    ),
    "transcripts.pdf_too_many_pages": (
        "this PDF has {n} pages; more than {limit} are not read",
        "dieses PDF hat {n} Seiten; mehr als {limit} werden nicht gelesen",
    ),
    "transcripts.pdf_too_much_text": (
        "this PDF holds more than {limit} characters of text; it is not read",
        "dieses PDF enthält mehr als {limit} Zeichen Text; es wird nicht gelesen",
    ),
    "transcripts.pdf_broken": (
        "this PDF is damaged and cannot be read ({reason})",
        "dieses PDF ist beschädigt und kann nicht gelesen werden ({reason})",
    ),
    "transcripts.pdf_no_text": (
        "this PDF holds no text on its {pages} {pages:p:page|pages} (a scanned image?); nothing in it can be read",
        "dieses PDF enthält auf {pages} {pages:p:Seite|Seiten} keinen Text (ein eingescanntes Bild?); nichts darin ist lesbar",
    ),
    "transcripts.pdf_no_entries": (
        "this PDF was read but holds no entries with a date or time; it is not a transcript list",
        "dieses PDF wurde gelesen, enthält aber keine Einträge mit Datum oder Uhrzeit; es ist keine Transkript-Liste",
    ),
    "transcripts.pdf_entry_without_audio": (
        "a transcript entry of {file} without audio in the archive",
        "ein Transkript-Eintrag aus {file} ohne Audio im Archiv",
    ),
    # speech-to-text
    "transcripts.asr_missing": (
        "speech-to-text is not installed; install it with: pip install 'voicearchive[asr]' "
        "(or run bash packaging/setup.sh run)",
        "Spracherkennung ist nicht installiert; installieren mit: pip install 'voicearchive[asr]' "
        "(oder bash packaging/setup.sh run ausführen)",
    ),
    "transcripts.asr_no_model": (
        "no speech-to-text model is installed; add a CTranslate2 Whisper model folder in the settings",
        "kein Spracherkennungsmodell installiert; einen CTranslate2-Whisper-Modellordner in den Einstellungen hinzufügen",
    ),
    "transcripts.asr_model_absent": ("no model {digest} on this machine", "kein Modell {digest} auf diesem Rechner"),
    "transcripts.asr_bad_model": (
        "{path} is not a CTranslate2 Whisper model folder ({reason})",
        "{path} ist kein CTranslate2-Whisper-Modellordner ({reason})",
    ),
    # why a folder is not a model (the {reason} of transcripts.asr_bad_model)
    "transcripts.model_not_folder": ("not a folder", "kein Ordner"),
    "transcripts.model_file_missing": ("{name} is missing", "{name} fehlt"),
    "transcripts.model_no_tokenizer": ("no tokenizer.json or vocabulary file",
                                       "keine tokenizer.json und keine Vokabeldatei"),
    "transcripts.model_config_unreadable": ("config.json unreadable: {reason}",
                                            "config.json nicht lesbar: {reason}"),
    "transcripts.model_config_not_whisper": ("config.json is not a Whisper model's",
                                             "config.json gehört zu keinem Whisper-Modell"),
    "transcripts.model_size": ("model.bin has {size} bytes", "model.bin hat {size} Bytes"),
    "transcripts.model_changed_copied": ("changed while copied", "beim Kopieren verändert"),
    "transcripts.asr_model_added": (
        "speech-to-text model {name} added",
        "Spracherkennungsmodell {name} hinzugefügt",
    ),
    "transcripts.asr_progress": (
        "Transcribing {done} of {total} {total:p:recording|recordings}",
        "Transkribiere {done} von {total} {total:p:Aufnahme|Aufnahmen}",
    ),
    "transcripts.asr_done": (
        "Transcribed {n} {n:p:recording|recordings} ({skipped} without speech)",
        "{n} {n:p:Aufnahme|Aufnahmen} transkribiert ({skipped} ohne Sprache)",
    ),
    "transcripts.asr_engine_failed": (
        "speech-to-text could not start: {reason}",
        "Spracherkennung konnte nicht starten: {reason}",
    ),
    "transcripts.asr_failed": (
        "speech-to-text failed for this recording ({reason})",
        "Spracherkennung für diese Aufnahme fehlgeschlagen ({reason})",
    ),
    # what is shown
    "transcripts.source.vendor": ("vendor", "Anbieter"),
    "transcripts.source.pdf": ("PDF", "PDF"),
    "transcripts.source.machine": ("machine", "maschinell"),
    "transcripts.low_confidence": ("low confidence", "unsicher"),
}
