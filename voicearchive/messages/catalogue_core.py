"""Texts for messages shared by every layer, and of the case file, export and command line
(code -> (English, German))."""

MESSAGES: dict[str, tuple[str, str]] = {
    # A plain text that came from outside the catalogue (an old case file, an OS error): shown as it is.
    "text": ("{text}", "{text}"),
    "count.recordings": ("{n} {n:p:recording|recordings}", "{n} {n:p:Aufnahme|Aufnahmen}"),
    # --- what the app writes (the evidence check names it)
    "case.what.case_file": ("the case file", "die Falldatei"),
    "case.what.screenshot": ("the screenshot", "das Bildschirmfoto"),
    "case.what.export": ("the export", "der Export"),
    "case.what.settings": ("the settings", "die Einstellungen"),
    "case.what.model": ("the model", "das Modell"),
    "case.inside_evidence": (
        "refusing to write {what} {path} inside the evidence ({root}): the opened archive is never modified; "
        "choose a place outside it",
        "{what} {path} wird nicht in die Beweismittel ({root}) geschrieben: das geöffnete Archiv wird nie "
        "verändert; wählen Sie einen Ort außerhalb",
    ),
    # --- the case file
    "case.cannot_open": ("Cannot open the case file {path}: {reason}", "Die Falldatei {path} lässt sich nicht öffnen: {reason}"),
    "case.missing": ("The case file {path} is missing or is not a file", "Die Falldatei {path} fehlt oder ist keine Datei"),
    "case.not_sqlite": (
        "{path} is not a VoiceArchive case file (it is not an SQLite database); it was not changed",
        "{path} ist keine VoiceArchive-Falldatei (keine SQLite-Datenbank); sie wurde nicht verändert",
    ),
    "case.foreign_sqlite": (
        "{path} is an SQLite database but not a VoiceArchive case file; it was not changed",
        "{path} ist eine SQLite-Datenbank, aber keine VoiceArchive-Falldatei; sie wurde nicht verändert",
    ),
    "case.truncated": (
        "The case file {path} is truncated: it has {size} bytes but says it holds {expected} (it was cut short, "
        "perhaps by a full disk or an incomplete copy). Restore it from a backup, or choose a new case file",
        "Die Falldatei {path} ist abgeschnitten: sie hat {size} Bytes, sollte aber {expected} haben (etwa durch "
        "eine volle Platte oder eine unvollständige Kopie). Stellen Sie sie aus einer Sicherung wieder her oder "
        "wählen Sie eine neue Falldatei",
    ),
    "case.damaged": (
        "The case file {path} is damaged ({detail}). Restore it from a backup, or choose a new case file",
        "Die Falldatei {path} ist beschädigt ({detail}). Stellen Sie sie aus einer Sicherung wieder her oder "
        "wählen Sie eine neue Falldatei",
    ),
    "case.read_only": (
        "The case file {path} cannot be written (it is read-only: {detail}). Make it writable, or choose "
        "another case file",
        "Die Falldatei {path} kann nicht geschrieben werden (sie ist schreibgeschützt: {detail}). Machen Sie sie "
        "beschreibbar oder wählen Sie eine andere Falldatei",
    ),
    "case.folder_read_only": (
        "The case file {path} cannot be used: its folder {folder} cannot be written (the case file needs to "
        "keep its journal {path}-wal beside it). Move the case file to a writable folder",
        "Die Falldatei {path} kann nicht benutzt werden: in ihren Ordner {folder} kann nicht geschrieben werden "
        "(die Falldatei legt ihr Journal {path}-wal daneben an). Verschieben Sie sie in einen beschreibbaren Ordner",
    ),
    "case.busy": (
        "The case file {path} is busy: another task kept writing for {seconds:g} s",
        "Die Falldatei {path} ist belegt: ein anderer Vorgang schrieb {seconds:g} s lang",
    ),
    "case.busy_locked": ("The case file {path} is busy or cannot be written: {detail}",
                         "Die Falldatei {path} ist belegt oder kann nicht geschrieben werden: {detail}"),
    "case.no_write_permission": ("no permission to write it", "keine Berechtigung, sie zu schreiben"),
    "case.reason_at": ("{reason} ({path})", "{reason} ({path})"),
    "case.closed": ("The case file {path} is closed", "Die Falldatei {path} ist geschlossen"),
    "case.too_new": (
        "The case file {path} was written by a newer version of VoiceArchive (case format {version}; this "
        "version reads up to {latest}). Open it with a newer VoiceArchive; the file was not changed.",
        "Die Falldatei {path} stammt von einer neueren VoiceArchive-Version (Fallformat {version}; diese Version "
        "liest bis {latest}). Öffnen Sie sie mit einer neueren Version; die Datei wurde nicht verändert.",
    ),
    "case.private": ("Cannot make the case file {path} private: {reason}", "Die Falldatei {path} lässt sich nicht privat machen: {reason}"),
    "case.other_archive": (
        "The case file {path} belongs to another archive ({theirs}), not to {ours}: a case holds one archive. "
        "Open it with the archive it was made for, or choose another case file",
        "Die Falldatei {path} gehört zu einem anderen Archiv ({theirs}), nicht zu {ours}: ein Fall enthält ein "
        "Archiv. Öffnen Sie sie mit ihrem Archiv oder wählen Sie eine andere Falldatei",
    ),
    "case.gone": (
        "no longer in the archive (it was there at an earlier scan; the SHA-256 is from then)",
        "nicht mehr im Archiv (bei einem früheren Einlesen war sie da; die SHA-256 stammt von damals)",
    ),
    "case.changed": (
        "the bytes read now have SHA-256 {now}, but the case file recorded {then} at import: the file changed",
        "die jetzt gelesenen Bytes haben SHA-256 {now}, die Falldatei hat beim Einlesen {then} notiert: die "
        "Datei hat sich verändert",
    ),
    "case.could_not_read": ("could not read: {reason}", "konnte nicht gelesen werden: {reason}"),
    # --- export
    "export.no_folder": ("cannot write {path}: the folder {folder} does not exist",
                         "{path} kann nicht geschrieben werden: den Ordner {folder} gibt es nicht"),
    "export.folder_unwritable": ("cannot write to the folder {folder}: {reason}",
                                 "in den Ordner {folder} kann nicht geschrieben werden: {reason}"),
    "export.unwritable": ("could not write {path}: {reason}", "{path} konnte nicht geschrieben werden: {reason}"),
    "export.problem_row": ("could not be read: {reason}", "konnte nicht gelesen werden: {reason}"),
    "export.elided": (
        "… ({n} more characters; the CSV has the full text)",
        "… ({n} weitere Zeichen; die CSV enthält den vollen Text)",
    ),
    # --- command line
    # the role of a voice group in the summary's groups line ("Voice C (64, owner)")
    "cli.role_owner": ("owner", "Besitzer"),
    "cli.role_household": ("household", "Haushalt"),
    "cli.role_stranger": ("stranger", "fremd"),
    "cli.no_such_path": ("{path}: no such file or folder", "{path}: keine solche Datei und kein solcher Ordner"),
    "cli.no_such_sample": ("--owner-sample {path}: no such file", "--owner-sample {path}: keine solche Datei"),
    "cli.bad_sample": ("--owner-sample {path}: {reason}", "--owner-sample {path}: {reason}"),
    "cli.no_such_file": ("{option} {path}: no such file", "{option} {path}: keine solche Datei"),
    "cli.cluster_refused": ("--cluster: {reason}", "--cluster: {reason}"),
    "cli.asr_model_refused": ("--asr-model: {reason}", "--asr-model: {reason}"),
    "cli.note": ("Note: {note}", "Hinweis: {note}"),
    "cli.interrupted": ("interrupted; what was done is kept in the case file",
                        "abgebrochen; was schon erledigt war, bleibt in der Falldatei erhalten"),
    # the progress line on stderr: the step, the counts, the message, the time left
    "cli.progress_eta": (", about {seconds:.0f} s left", ", noch etwa {seconds:.0f} s"),
    "cli.stage.listing": ("listing", "Auflisten"),
    "cli.stage.reading": ("reading", "Lesen"),
    "cli.stage.analysing": ("analysing", "Analyse"),
    "cli.stage.transcribing": ("transcribing", "Spracherkennung"),
    "cli.stage.voices": ("voices", "Stimmen"),
    "cli.stage.done": ("done", "fertig"),
    "cli.archive_unreadable": ("cannot read the archive: {reason}", "das Archiv kann nicht gelesen werden: {reason}"),
    "cli.format_unknown": ("unknown", "unbekannt"),
    "cli.archive": (
        "Archive: {format}; {n} {n:p:recording|recordings} (listed in {seconds:.1f} s)",
        "Archiv: {format}; {n} {n:p:Aufnahme|Aufnahmen} (in {seconds:.1f} s gelistet)",
    ),
    "cli.problems": (
        "  problems: {n} ({files} {files:p:file|files} not read, {audio} with bad audio)",
        "  Probleme: {n} ({files} {files:p:Datei|Dateien} nicht gelesen, {audio} mit fehlerhaftem Ton)",
    ),
    "cli.more_problems_csv": (
        "    … and {n} more: every problem is a row of {csv} (its problem column says what is wrong)",
        "    … und {n} weitere: jedes Problem ist eine Zeile von {csv} (die Spalte problem sagt, was fehlt)",
    ),
    "cli.more_problems_no_csv": (
        "    … and {n} more: run with --csv FILE to get every problem as a row, or open the archive in the window "
        "(Problems tab)",
        "    … und {n} weitere: mit --csv DATEI steht jedes Problem als Zeile in der CSV, oder öffnen Sie das "
        "Archiv im Fenster (Reiter Probleme)",
    ),
    "cli.gone": (
        "  gone since the last scan: {n} (kept in the case file and the CSV, marked as gone)",
        "  seit dem letzten Einlesen verschwunden: {n} (in Falldatei und CSV behalten, als verschwunden markiert)",
    ),
    "cli.csv_written": ("CSV: {n} rows written to {path}", "CSV: {n} Zeilen nach {path} geschrieben"),
    "cli.counts": (
        "  with audio: {audio}; listed without audio: {no_audio}; with transcript: {transcript}; not meant for the "
        "assistant: {not_for}",
        "  mit Ton: {audio}; ohne Ton gelistet: {no_audio}; mit Transkript: {transcript}; nicht für den Assistenten "
        "bestimmt: {not_for}",
    ),
    "cli.machine": ("  with a machine transcript (speech-to-text): {n}",
                    "  mit maschinellem Transkript (Spracherkennung): {n}"),
}
