<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
  <context>
    <name>AboutDialog</name>
    <message>
      <source>About VoiceArchive</source>
      <translation>Über VoiceArchive</translation>
    </message>
    <message>
      <source>Built with Qt for Python (PySide6, LGPLv3), pyqtgraph, NumPy and libsndfile.</source>
      <translation>Erstellt mit Qt for Python (PySide6, LGPLv3), pyqtgraph, NumPy und libsndfile.</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Schließen</translation>
    </message>
    <message>
      <source>Demo voices: LibriSpeech ASR corpus (test-other), Copyright 2014 Vassil Panayotov, licensed under Creative Commons Attribution 4.0 (CC BY 4.0).</source>
      <translation>Demo-Stimmen: LibriSpeech-ASR-Korpus (test-other), Copyright 2014 Vassil Panayotov, lizenziert unter Creative Commons Namensnennung 4.0 (CC BY 4.0).</translation>
    </message>
    <message>
      <source>It reads archives without changing them and keeps its findings in a case file on this computer.</source>
      <translation>Es liest Archive, ohne sie zu verändern, und speichert seine Ergebnisse in einer Falldatei auf diesem Computer.</translation>
    </message>
    <message>
      <source>See what a voice assistant kept of your home: browse, listen, find the voices that are not yours, and export them with provenance.</source>
      <translation>Sehen Sie, was ein Sprachassistent aus Ihrem Zuhause aufbewahrt hat: durchsuchen, anhören, die Stimmen finden, die nicht Ihre sind, und sie mit Herkunftsnachweis exportieren.</translation>
    </message>
    <message>
      <source>Speaker model: GE2E speaker encoder from Resemble AI's Resemblyzer 0.1.4, Copyright 2019 Resemble.AI, licensed under the Apache License 2.0.</source>
      <translation>Sprechermodell: GE2E-Sprecher-Encoder aus Resemblyzer 0.1.4 von Resemble AI, Copyright 2019 Resemble.AI, lizenziert unter der Apache License 2.0.</translation>
    </message>
    <message>
      <source>VoiceArchive never uses the network.</source>
      <translation>VoiceArchive nutzt niemals das Netzwerk.</translation>
    </message>
  </context>
  <context>
    <name>AsrDialog</name>
    <message>
      <source>A CTranslate2 Whisper model folder (model.bin, config.json, tokenizer.json)</source>
      <translation>Ein CTranslate2-Whisper-Modellordner (model.bin, config.json, tokenizer.json)</translation>
    </message>
    <message>
      <source>Add Model Folder…</source>
      <translation>Modellordner hinzufügen…</translation>
    </message>
    <message>
      <source>Checking and copying the model…</source>
      <translation>Prüfe und kopiere das Modell…</translation>
    </message>
    <message>
      <source>Choose a CTranslate2 Whisper model folder</source>
      <translation>Einen CTranslate2-Whisper-Modellordner wählen</translation>
    </message>
    <message>
      <source>English only</source>
      <translation>nur Englisch</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>Sprache</translation>
    </message>
    <message>
      <source>Language of the recordings</source>
      <translation>Sprache der Aufnahmen</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>Modell</translation>
    </message>
    <message>
      <source>Recordings without words of their own get a machine transcript after the voice analysis. Machine words are always marked as such.</source>
      <translation>Aufnahmen ohne eigene Wörter erhalten nach der Stimmanalyse ein maschinelles Transkript. Maschinelle Wörter sind immer als solche gekennzeichnet.</translation>
    </message>
    <message>
      <source>Speech-to-Text</source>
      <translation>Spracherkennung</translation>
    </message>
    <message>
      <source>Transcribe Now</source>
      <translation>Jetzt transkribieren</translation>
    </message>
    <message>
      <source>detected</source>
      <translation>erkannt</translation>
    </message>
    <message>
      <source>multilingual</source>
      <translation>mehrsprachig</translation>
    </message>
  </context>
  <context>
    <name>DateField</name>
    <message>
      <source>Not a date I can read.</source>
      <translation>Das ist kein lesbares Datum.</translation>
    </message>
    <message>
      <source>Pick %1 from a calendar</source>
      <translation>%1 im Kalender auswählen</translation>
    </message>
    <message>
      <source>Pick a date from a calendar</source>
      <translation>Ein Datum im Kalender auswählen</translation>
    </message>
    <message>
      <source>Type a date (%1 or %2) or pick one; empty: any date</source>
      <translation>Datum eintippen (%1 oder %2) oder auswählen; leer: jedes Datum</translation>
    </message>
  </context>
  <context>
    <name>DetailView</name>
    <message>
      <source>%1 uncertain words in ⟨ ⟩</source>
      <translation>%1 unsichere Wörter in ⟨ ⟩</translation>
    </message>
    <message>
      <source>(not meant for the assistant)</source>
      <translation>(nicht für den Assistenten bestimmt)</translation>
    </message>
    <message>
      <source>1 uncertain word in ⟨ ⟩</source>
      <translation>1 unsicheres Wort in ⟨ ⟩</translation>
    </message>
    <message>
      <source>Another voice speaks here</source>
      <translation>Hier spricht eine weitere Stimme</translation>
    </message>
    <message>
      <source>Archive</source>
      <translation>Archiv</translation>
    </message>
    <message>
      <source>Assistant's response</source>
      <translation>Antwort des Assistenten</translation>
    </message>
    <message>
      <source>Audio</source>
      <translation>Audio</translation>
    </message>
    <message>
      <source>Copy the Whole Value</source>
      <translation>Ganzen Wert kopieren</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>Gerät</translation>
    </message>
    <message>
      <source>File</source>
      <translation>Datei</translation>
    </message>
    <message>
      <source>Flag</source>
      <translation>Markierung</translation>
    </message>
    <message>
      <source>No audio to show: %1</source>
      <translation>Kein Audio zum Anzeigen: %1</translation>
    </message>
    <message>
      <source>No audio to show: the archive holds only the text of this recording.</source>
      <translation>Kein Audio zum Anzeigen: Das Archiv enthält von dieser Aufnahme nur den Text.</translation>
    </message>
    <message>
      <source>No recording selected</source>
      <translation>Keine Aufnahme ausgewählt</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Notiz</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>Pause</translation>
    </message>
    <message>
      <source>Play</source>
      <translation>Abspielen</translation>
    </message>
    <message>
      <source>Play or pause</source>
      <translation>Abspielen oder pausieren</translation>
    </message>
    <message>
      <source>Play or pause (Space)</source>
      <translation>Abspielen oder pausieren (Leertaste)</translation>
    </message>
    <message>
      <source>Playback position</source>
      <translation>Wiedergabeposition</translation>
    </message>
    <message>
      <source>Playback status</source>
      <translation>Wiedergabestatus</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>Problem</translation>
    </message>
    <message>
      <source>Reading the audio…</source>
      <translation>Audio wird gelesen…</translation>
    </message>
    <message>
      <source>Recording details</source>
      <translation>Details der Aufnahme</translation>
    </message>
    <message>
      <source>Recording title</source>
      <translation>Titel der Aufnahme</translation>
    </message>
    <message>
      <source>SHA-256</source>
      <translation>SHA-256</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>Suche</translation>
    </message>
    <message>
      <source>Select a recording to see its waveform, spectrogram and details here.</source>
      <translation>Wählen Sie eine Aufnahme, um hier ihre Wellenform, ihr Spektrogramm und ihre Details zu sehen.</translation>
    </message>
    <message>
      <source>Selected recording</source>
      <translation>Ausgewählte Aufnahme</translation>
    </message>
    <message>
      <source>Spectrogram; click to seek</source>
      <translation>Spektrogramm; klicken, um dorthin zu springen</translation>
    </message>
    <message>
      <source>The audio could not be decoded, so there is no spectrogram.</source>
      <translation>Das Audio ließ sich nicht dekodieren, daher gibt es kein Spektrogramm.</translation>
    </message>
    <message>
      <source>The recording you had selected is hidden by the filters. Select one in the list, or clear the filters (Ctrl+Shift+C) to see it again.</source>
      <translation>Die gewählte Aufnahme ist durch die Filter ausgeblendet. Wählen Sie eine in der Liste oder setzen Sie die Filter zurück (Strg+Umschalt+C), um sie wieder zu sehen.</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Zeit</translation>
    </message>
    <message>
      <source>Transcript</source>
      <translation>Transkript</translation>
    </message>
    <message>
      <source>Vendor's speaker hint</source>
      <translation>Sprecherhinweis des Anbieters</translation>
    </message>
    <message>
      <source>Voice</source>
      <translation>Stimme</translation>
    </message>
    <message>
      <source>Waveform; click to seek</source>
      <translation>Wellenform; klicken, um dorthin zu springen</translation>
    </message>
    <message>
      <source>Why there is no waveform</source>
      <translation>Warum keine Wellenform angezeigt wird</translation>
    </message>
    <message>
      <source>Your note about this recording (N to edit, Ctrl+Return to save)</source>
      <translation>Ihre Notiz zu dieser Aufnahme (N zum Bearbeiten, Strg+Eingabe zum Speichern)</translation>
    </message>
    <message>
      <source>another voice in %1 stretches</source>
      <translation>weitere Stimme in %1 Abschnitten</translation>
    </message>
    <message>
      <source>another voice in 1 stretch</source>
      <translation>weitere Stimme in 1 Abschnitt</translation>
    </message>
    <message>
      <source>from</source>
      <translation>aus</translation>
    </message>
    <message>
      <source>kHz</source>
      <translation>kHz</translation>
    </message>
    <message>
      <source>machine transcript</source>
      <translation>maschinelles Transkript</translation>
    </message>
    <message>
      <source>machine transcript, uncertain</source>
      <translation>maschinelles Transkript, unsicher</translation>
    </message>
    <message>
      <source>not analysed yet</source>
      <translation>noch nicht analysiert</translation>
    </message>
    <message>
      <source>not analysed: no audio</source>
      <translation>nicht analysiert: kein Audio</translation>
    </message>
    <message>
      <source>not flagged</source>
      <translation>nicht markiert</translation>
    </message>
    <message>
      <source>owner score</source>
      <translation>Besitzer-Wert</translation>
    </message>
    <message>
      <source>page</source>
      <translation>Seite</translation>
    </message>
    <message>
      <source>seconds</source>
      <translation>Sekunden</translation>
    </message>
    <message>
      <source>similarity to the owner</source>
      <translation>Ähnlichkeit zum Besitzer</translation>
    </message>
    <message>
      <source>too little speech to judge</source>
      <translation>zu wenig Sprache für ein Urteil</translation>
    </message>
    <message>
      <source>unique voice</source>
      <translation>einmalige Stimme</translation>
    </message>
  </context>
  <context>
    <name>EnrolDialog</name>
    <message>
      <source>%1 could not be read: %2</source>
      <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
      <source>%1 holds only %2 s of speech; 10 s or more gives a surer match.</source>
      <translation>%1: nur %2 s Sprache; mit 10 s oder mehr wird der Abgleich sicherer.</translation>
    </message>
    <message>
      <source>%1 is not audio VoiceArchive can read: %2</source>
      <translation>%1 ist kein Audio, das VoiceArchive lesen kann: %2</translation>
    </message>
    <message>
      <source>%1 is too large for a voice sample.</source>
      <translation>%1 ist zu groß für eine Stimmprobe.</translation>
    </message>
    <message>
      <source>%1 s of 10–20 s</source>
      <translation>%1 s von 10–20 s</translation>
    </message>
    <message>
      <source>%1, sample %2</source>
      <translation>%1, Probe %2</translation>
    </message>
    <message>
      <source>&amp;Microphone:</source>
      <translation>&amp;Mikrofon:</translation>
    </message>
    <message>
      <source>&amp;Name:</source>
      <translation>&amp;Name:</translation>
    </message>
    <message>
      <source>&amp;Record</source>
      <translation>&amp;Aufnehmen</translation>
    </message>
    <message>
      <source>&amp;Stop</source>
      <translation>&amp;Stopp</translation>
    </message>
    <message>
      <source>Analysing</source>
      <translation>Wird analysiert</translation>
    </message>
    <message>
      <source>Audio (*.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aac);;All files (*)</source>
      <translation>Audio (*.wav *.flac *.mp3 *.ogg *.opus *.m4a *.aac);;Alle Dateien (*)</translation>
    </message>
    <message>
      <source>Choose &amp;Audio File…</source>
      <translation>&amp;Audiodatei wählen…</translation>
    </message>
    <message>
      <source>Choose Audio of the Owner's Voice</source>
      <translation>Audio mit der Stimme des Besitzers wählen</translation>
    </message>
    <message>
      <source>Choose an audio file of the owner's voice</source>
      <translation>Eine Audiodatei mit der Stimme des Besitzers wählen</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Schließen</translation>
    </message>
    <message>
      <source>Enrol the Owner's Voice</source>
      <translation>Stimme des Besitzers anlernen</translation>
    </message>
    <message>
      <source>Enrol the owner's voice</source>
      <translation>Stimme des Besitzers anlernen</translation>
    </message>
    <message>
      <source>Enrolled %1 from %2 samples.</source>
      <translation>%1 aus %2 Proben angelernt.</translation>
    </message>
    <message>
      <source>Enrolled %1 from 1 sample.</source>
      <translation>%1 aus 1 Probe angelernt.</translation>
    </message>
    <message>
      <source>Enrolled in this case</source>
      <translation>In diesem Fall angelernt</translation>
    </message>
    <message>
      <source>Enrolled samples</source>
      <translation>Angelernte Proben</translation>
    </message>
    <message>
      <source>Enrolment status</source>
      <translation>Status des Anlernens</translation>
    </message>
    <message>
      <source>From an audio file</source>
      <translation>Aus einer Audiodatei</translation>
    </message>
    <message>
      <source>From the microphone</source>
      <translation>Über das Mikrofon</translation>
    </message>
    <message>
      <source>Listening to %1…</source>
      <translation>Wird angehört: %1…</translation>
    </message>
    <message>
      <source>Microphone</source>
      <translation>Mikrofon</translation>
    </message>
    <message>
      <source>Microphone level</source>
      <translation>Mikrofonpegel</translation>
    </message>
    <message>
      <source>Microphone status</source>
      <translation>Mikrofonstatus</translation>
    </message>
    <message>
      <source>Name of the person enrolled</source>
      <translation>Name der angelernten Person</translation>
    </message>
    <message>
      <source>No microphone</source>
      <translation>Kein Mikrofon</translation>
    </message>
    <message>
      <source>No microphone was found on this computer. You can enrol from an audio file instead.</source>
      <translation>Auf diesem Computer wurde kein Mikrofon gefunden. Sie können die Stimme stattdessen aus einer Audiodatei anlernen.</translation>
    </message>
    <message>
      <source>No speech was heard in %1.</source>
      <translation>Keine Sprache zu hören: %1.</translation>
    </message>
    <message>
      <source>No speech was heard.</source>
      <translation>Es war keine Sprache zu hören.</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>Besitzer</translation>
    </message>
    <message>
      <source>Press Record and read any text aloud for 10 to 20 seconds, in a quiet room.</source>
      <translation>Drücken Sie „Aufnehmen“ und lesen Sie in einem ruhigen Raum 10 bis 20 Sekunden lang einen beliebigen Text laut vor.</translation>
    </message>
    <message>
      <source>Record from the microphone</source>
      <translation>Über das Mikrofon aufnehmen</translation>
    </message>
    <message>
      <source>Recorded time</source>
      <translation>Aufgenommene Zeit</translation>
    </message>
    <message>
      <source>Recording… read aloud now.</source>
      <translation>Aufnahme läuft… lesen Sie jetzt laut vor.</translation>
    </message>
    <message>
      <source>Remo&amp;ve Sample</source>
      <translation>Probe &amp;entfernen</translation>
    </message>
    <message>
      <source>Remove the selected enrolled sample</source>
      <translation>Die ausgewählte angelernte Probe entfernen</translation>
    </message>
    <message>
      <source>Removed %1.</source>
      <translation>%1 entfernt.</translation>
    </message>
    <message>
      <source>That was %1 s: please record at least 10 seconds.</source>
      <translation>Das waren %1 s: Bitte nehmen Sie mindestens 10 Sekunden auf.</translation>
    </message>
    <message>
      <source>The enrolment could not be saved: %1</source>
      <translation>Die angelernte Stimme konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
      <source>The microphone could not be opened.</source>
      <translation>Das Mikrofon konnte nicht geöffnet werden.</translation>
    </message>
    <message>
      <source>The sample could not be removed: %1</source>
      <translation>Die Probe konnte nicht entfernt werden: %1</translation>
    </message>
    <message>
      <source>VoiceArchive learns the owner's voice from 10 to 20 seconds of speech: a recording of the owner, or the owner reading aloud to the microphone. Nothing leaves this computer.</source>
      <translation>VoiceArchive lernt die Stimme des Besitzers aus 10 bis 20 Sekunden Sprache: aus einer Aufnahme des Besitzers oder indem der Besitzer ins Mikrofon vorliest. Nichts verlässt diesen Computer.</translation>
    </message>
    <message>
      <source>the microphone recording</source>
      <translation>Mikrofonaufnahme</translation>
    </message>
  </context>
  <context>
    <name>ExportDialog</name>
    <message>
      <source>%1 recordings could not be read now; the README inside lists them.</source>
      <translation>%1 Aufnahmen konnten jetzt nicht gelesen werden; die enthaltene README listet sie auf.</translation>
    </message>
    <message>
      <source>&amp;All recordings (%1)</source>
      <translation>&amp;Alle Aufnahmen (%1)</translation>
    </message>
    <message>
      <source>&amp;Flagged recordings (%1)</source>
      <translation>&amp;Markierte Aufnahmen (%1)</translation>
    </message>
    <message>
      <source>1 recording could not be read now; the README inside names it.</source>
      <translation>1 Aufnahme konnte jetzt nicht gelesen werden; die enthaltene README nennt sie.</translation>
    </message>
    <message>
      <source>A zip of the %1 flagged recordings' original audio, with the CSV, a SHA-256 manifest and a README naming where each file came from: for a newsroom or a lawyer.</source>
      <translation>Ein ZIP mit dem Originalaudio der %1 markierten Aufnahmen, mit der CSV-Tabelle, einem SHA-256-Manifest und einer README, die die Herkunft jeder Datei nennt: für eine Redaktion oder eine Anwaltskanzlei.</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
      <source>CSV table</source>
      <translation>CSV-Tabelle</translation>
    </message>
    <message>
      <source>Cancel Export</source>
      <translation>Export abbrechen</translation>
    </message>
    <message>
      <source>Cancel the evidence export</source>
      <translation>Den Beweisexport abbrechen</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Schließen</translation>
    </message>
    <message>
      <source>Copying the flagged recordings…</source>
      <translation>Die markierten Aufnahmen werden kopiert…</translation>
    </message>
    <message>
      <source>Evidence export progress</source>
      <translation>Fortschritt des Beweisexports</translation>
    </message>
    <message>
      <source>Evidence package</source>
      <translation>Beweispaket</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>Exportieren</translation>
    </message>
    <message>
      <source>Export recordings</source>
      <translation>Aufnahmen exportieren</translation>
    </message>
    <message>
      <source>Export status</source>
      <translation>Exportstatus</translation>
    </message>
    <message>
      <source>Recordings the list &amp;shows now (%1)</source>
      <translation>&amp;Derzeit in der Liste gezeigte Aufnahmen (%1)</translation>
    </message>
    <message>
      <source>Save &amp;CSV…</source>
      <translation>&amp;CSV speichern…</translation>
    </message>
    <message>
      <source>Save &amp;Evidence Zip…</source>
      <translation>&amp;Beweis-ZIP speichern…</translation>
    </message>
    <message>
      <source>Save CSV</source>
      <translation>CSV speichern</translation>
    </message>
    <message>
      <source>Save Evidence Zip</source>
      <translation>Beweis-ZIP speichern</translation>
    </message>
    <message>
      <source>Save evidence zip</source>
      <translation>Beweis-ZIP speichern</translation>
    </message>
    <message>
      <source>The evidence export was cancelled; no file was left behind.</source>
      <translation>Der Beweisexport wurde abgebrochen; es blieb keine Datei zurück.</translation>
    </message>
    <message>
      <source>The export failed: %1</source>
      <translation>Der Export ist fehlgeschlagen: %1</translation>
    </message>
    <message>
      <source>WARNING: %1 recordings no longer match the hash taken at import; the README inside names them.</source>
      <translation>WARNUNG: %1 Aufnahmen stimmen nicht mehr mit dem beim Import ermittelten Hash überein; die enthaltene README nennt sie.</translation>
    </message>
    <message>
      <source>WARNING: 1 recording no longer matches the hash taken at import; the README inside names it.</source>
      <translation>WARNUNG: 1 Aufnahme stimmt nicht mehr mit dem beim Import ermittelten Hash überein; die enthaltene README nennt sie.</translation>
    </message>
    <message>
      <source>Writing the CSV…</source>
      <translation>Die CSV-Tabelle wird geschrieben…</translation>
    </message>
    <message>
      <source>Wrote %1 recordings and the CSV to %2.</source>
      <translation>%1 Aufnahmen und die CSV-Tabelle nach %2 geschrieben.</translation>
    </message>
    <message>
      <source>Wrote %1 rows to %2.</source>
      <translation>%1 Zeilen nach %2 geschrieben.</translation>
    </message>
    <message>
      <source>Wrote 1 recording and the CSV to %2.</source>
      <translation>1 Aufnahme und die CSV-Tabelle nach %2 geschrieben.</translation>
    </message>
    <message>
      <source>Wrote 1 row to %2.</source>
      <translation>1 Zeile nach %2 geschrieben.</translation>
    </message>
    <message>
      <source>Zip files (*.zip)</source>
      <translation>ZIP-Dateien (*.zip)</translation>
    </message>
  </context>
  <context>
    <name>FilterBar</name>
    <message>
      <source>1 recording</source>
      <translation>1 Aufnahme</translation>
    </message>
    <message>
      <source>All devices</source>
      <translation>Alle Geräte</translation>
    </message>
    <message>
      <source>All voices</source>
      <translation>Alle Stimmen</translation>
    </message>
    <message>
      <source>Below threshold</source>
      <translation>Unter der Schwelle</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>Gerät</translation>
    </message>
    <message>
      <source>Filters</source>
      <translation>Filter</translation>
    </message>
    <message>
      <source>Finds the text in a recording's transcript, the assistant's response, your note, the device, the file's path or the problem with it; a row's tooltip and the details say where it matched</source>
      <translation>Findet den Text im Transkript einer Aufnahme, in der Antwort des Assistenten, in Ihrer Notiz, im Gerät, im Dateipfad oder im Problem damit; der Tooltip einer Zeile und die Details sagen, wo er gefunden wurde</translation>
    </message>
    <message>
      <source>Flagged</source>
      <translation>Markiert</translation>
    </message>
    <message>
      <source>From date</source>
      <translation>Ab Datum</translation>
    </message>
    <message>
      <source>Not meant for the assistant</source>
      <translation>Nicht für den Assistenten bestimmt</translation>
    </message>
    <message>
      <source>Only flagged recordings</source>
      <translation>Nur markierte Aufnahmen</translation>
    </message>
    <message>
      <source>Only recordings less similar to the owner than the threshold</source>
      <translation>Nur Aufnahmen, die dem Besitzer weniger ähneln als die Schwelle</translation>
    </message>
    <message>
      <source>Only recordings of this device</source>
      <translation>Nur Aufnahmen dieses Geräts</translation>
    </message>
    <message>
      <source>Only recordings of this voice</source>
      <translation>Nur Aufnahmen dieser Stimme</translation>
    </message>
    <message>
      <source>Only recordings the vendor says were not meant for the assistant</source>
      <translation>Nur Aufnahmen, die laut Anbieter nicht für den Assistenten bestimmt waren</translation>
    </message>
    <message>
      <source>Only the %1 recordings that said “%2”</source>
      <translation>Nur die %1 Aufnahmen, in denen „%2“ gesagt wurde</translation>
    </message>
    <message>
      <source>Recordings shown</source>
      <translation>Angezeigte Aufnahmen</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>Suche</translation>
    </message>
    <message>
      <source>Search transcripts, responses, notes, devices, file paths and problems (Ctrl+F)</source>
      <translation>Transkripte, Antworten, Notizen, Geräte, Dateipfade und Probleme durchsuchen (Strg+F)</translation>
    </message>
    <message>
      <source>Showing</source>
      <translation>Angezeigt</translation>
    </message>
    <message>
      <source>The list shows only these recordings; press to show all again</source>
      <translation>Die Liste zeigt nur diese Aufnahmen; klicken, um wieder alle zu zeigen</translation>
    </message>
    <message>
      <source>To date</source>
      <translation>Bis Datum</translation>
    </message>
    <message>
      <source>Voice</source>
      <translation>Stimme</translation>
    </message>
    <message>
      <source>from: any date</source>
      <translation>von: jedem Datum</translation>
    </message>
    <message>
      <source>of</source>
      <translation>von</translation>
    </message>
    <message>
      <source>recordings</source>
      <translation>Aufnahmen</translation>
    </message>
    <message>
      <source>to: any date</source>
      <translation>bis: jedem Datum</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Analysis complete</source>
      <translation>Analyse abgeschlossen</translation>
    </message>
    <message>
      <source>Archives and audio (*.zip *.tgz *.json *.wav *.mp3 *.flac *.ogg *.opus *.m4a);;All files (*)</source>
      <translation>Archive und Audio (*.zip *.tgz *.json *.wav *.mp3 *.flac *.ogg *.opus *.m4a);;Alle Dateien (*)</translation>
    </message>
    <message>
      <source>Columns: click to sort, drag to reorder</source>
      <translation>Spalten: klicken zum Sortieren, ziehen zum Umordnen</translation>
    </message>
    <message>
      <source>Continue the stopped analysis where it stopped</source>
      <translation>Die angehaltene Analyse dort fortsetzen, wo sie angehalten wurde</translation>
    </message>
    <message>
      <source>Found in the</source>
      <translation>Gefunden im</translation>
    </message>
    <message>
      <source>Not found</source>
      <translation>Nicht gefunden</translation>
    </message>
    <message>
      <source>Open a folder of recordings</source>
      <translation>Einen Ordner mit Aufnahmen öffnen</translation>
    </message>
    <message>
      <source>Open an archive first</source>
      <translation>Öffnen Sie zuerst ein Archiv</translation>
    </message>
    <message>
      <source>Open archive (select every part of a multi-part Takeout)</source>
      <translation>Archiv öffnen (alle Teile eines mehrteiligen Takeout auswählen)</translation>
    </message>
    <message>
      <source>Opening…</source>
      <translation>Wird geöffnet…</translation>
    </message>
    <message>
      <source>PDF transcript</source>
      <translation>PDF-Transkript</translation>
    </message>
    <message>
      <source>Progress</source>
      <translation>Fortschritt</translation>
    </message>
    <message>
      <source>Progress of import and analysis</source>
      <translation>Fortschritt von Import und Analyse</translation>
    </message>
    <message>
      <source>Recordings</source>
      <translation>Aufnahmen</translation>
    </message>
    <message>
      <source>Recordings and details</source>
      <translation>Aufnahmen und Details</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>Fortsetzen</translation>
    </message>
    <message>
      <source>Resume analysis</source>
      <translation>Analyse fortsetzen</translation>
    </message>
    <message>
      <source>Rows</source>
      <translation>Zeilen</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>Stopp</translation>
    </message>
    <message>
      <source>Stop analysis</source>
      <translation>Analyse anhalten</translation>
    </message>
    <message>
      <source>Stop the import or analysis; what is done is kept (Ctrl+.)</source>
      <translation>Import oder Analyse anhalten; Erledigtes bleibt erhalten (Strg+.)</translation>
    </message>
    <message>
      <source>Stopped; what was done is kept</source>
      <translation>Angehalten; Erledigtes bleibt erhalten</translation>
    </message>
    <message>
      <source>Stopping…</source>
      <translation>Wird angehalten…</translation>
    </message>
    <message>
      <source>The archive is still being opened</source>
      <translation>Das Archiv wird noch geöffnet</translation>
    </message>
    <message>
      <source>This recording has no audio to play</source>
      <translation>Diese Aufnahme hat kein Audio zum Abspielen</translation>
    </message>
    <message>
      <source>Timeline</source>
      <translation>Zeitachse</translation>
    </message>
    <message>
      <source>Views</source>
      <translation>Ansichten</translation>
    </message>
    <message>
      <source>VoiceArchive main window</source>
      <translation>VoiceArchive-Hauptfenster</translation>
    </message>
    <message>
      <source>Voices</source>
      <translation>Stimmen</translation>
    </message>
    <message>
      <source>Words</source>
      <translation>Wörter</translation>
    </message>
    <message>
      <source>machine transcript</source>
      <translation>maschinellen Transkript</translation>
    </message>
    <message>
      <source>no longer in the archive</source>
      <translation>nicht mehr im Archiv</translation>
    </message>
    <message>
      <source>vendor transcript</source>
      <translation>Anbieter-Transkript</translation>
    </message>
  </context>
  <context>
    <name>Player</name>
    <message>
      <source>No audio output device: playback is silent, the playhead still runs</source>
      <translation>Kein Audioausgabegerät: Die Wiedergabe ist stumm, die Abspielposition läuft trotzdem</translation>
    </message>
    <message>
      <source>Playback is unavailable: Qt found no media backend on this system</source>
      <translation>Wiedergabe nicht möglich: Qt hat auf diesem System kein Medien-Backend gefunden</translation>
    </message>
    <message>
      <source>This recording cannot be played</source>
      <translation>Diese Aufnahme kann nicht abgespielt werden</translation>
    </message>
  </context>
  <context>
    <name>ProblemsView</name>
    <message>
      <source>%1 files not read</source>
      <translation>%1 Dateien nicht gelesen</translation>
    </message>
    <message>
      <source>%1 gone since the last scan</source>
      <translation>%1 seit dem letzten Einlesen verschwunden</translation>
    </message>
    <message>
      <source>%1 problems</source>
      <translation>%1 Probleme</translation>
    </message>
    <message>
      <source>%1 recordings with bad audio</source>
      <translation>%1 Aufnahmen mit fehlerhaftem Ton</translation>
    </message>
    <message>
      <source>%1: %2, %3, %4.</source>
      <translation>%1: %2, %3, %4.</translation>
    </message>
    <message>
      <source>1 file not read</source>
      <translation>1 Datei nicht gelesen</translation>
    </message>
    <message>
      <source>1 gone since the last scan</source>
      <translation>1 seit dem letzten Einlesen verschwunden</translation>
    </message>
    <message>
      <source>1 problem</source>
      <translation>1 Problem</translation>
    </message>
    <message>
      <source>1 recording with bad audio</source>
      <translation>1 Aufnahme mit fehlerhaftem Ton</translation>
    </message>
    <message>
      <source>Archive</source>
      <translation>Archiv</translation>
    </message>
    <message>
      <source>Every file of the archive could be read.</source>
      <translation>Jede Datei des Archivs konnte gelesen werden.</translation>
    </message>
    <message>
      <source>File</source>
      <translation>Datei</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>Art</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>Problem</translation>
    </message>
    <message>
      <source>Problem counts</source>
      <translation>Anzahl der Probleme</translation>
    </message>
    <message>
      <source>Problems</source>
      <translation>Probleme</translation>
    </message>
    <message>
      <source>Problems (%1)</source>
      <translation>Probleme (%1)</translation>
    </message>
    <message>
      <source>Search the problems</source>
      <translation>Probleme durchsuchen</translation>
    </message>
    <message>
      <source>Search the problems (file name, archive, reason)</source>
      <translation>Probleme durchsuchen (Dateiname, Archiv, Grund)</translation>
    </message>
    <message>
      <source>Showing %1.</source>
      <translation>Angezeigt: %1.</translation>
    </message>
    <message>
      <source>bad audio</source>
      <translation>fehlerhafter Ton</translation>
    </message>
    <message>
      <source>gone</source>
      <translation>verschwunden</translation>
    </message>
    <message>
      <source>not read</source>
      <translation>nicht gelesen</translation>
    </message>
  </context>
  <context>
    <name>RecordingsModel</name>
    <message>
      <source>(machine)</source>
      <translation>(maschinell)</translation>
    </message>
    <message>
      <source>(machine, uncertain)</source>
      <translation>(maschinell, unsicher)</translation>
    </message>
    <message>
      <source>+ another voice</source>
      <translation>+ weitere Stimme</translation>
    </message>
    <message>
      <source>Another voice speaks in this recording: %1</source>
      <translation>In dieser Aufnahme spricht eine weitere Stimme: %1</translation>
    </message>
    <message>
      <source>Device</source>
      <translation>Gerät</translation>
    </message>
    <message>
      <source>Duration</source>
      <translation>Dauer</translation>
    </message>
    <message>
      <source>File</source>
      <translation>Datei</translation>
    </message>
    <message>
      <source>Flagged: probably not the owner's voice</source>
      <translation>Markiert: wahrscheinlich nicht die Stimme des Besitzers</translation>
    </message>
    <message>
      <source>Household</source>
      <translation>Haushalt</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>Notiz</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>Besitzer</translation>
    </message>
    <message>
      <source>Owner score</source>
      <translation>Besitzer-Wert</translation>
    </message>
    <message>
      <source>Stranger</source>
      <translation>Fremd</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>Zeit</translation>
    </message>
    <message>
      <source>Transcript</source>
      <translation>Transkript</translation>
    </message>
    <message>
      <source>Voice</source>
      <translation>Stimme</translation>
    </message>
    <message>
      <source>Waveform</source>
      <translation>Wellenform</translation>
    </message>
    <message>
      <source>not analysed yet</source>
      <translation>noch nicht analysiert</translation>
    </message>
    <message>
      <source>too little speech</source>
      <translation>zu wenig Sprache</translation>
    </message>
    <message>
      <source>unique voice</source>
      <translation>einmalige Stimme</translation>
    </message>
    <message>
      <source>⚑</source>
      <translation>⚑</translation>
    </message>
  </context>
  <context>
    <name>Review</name>
    <message>
      <source>1 recording</source>
      <translation>1 Aufnahme</translation>
    </message>
    <message>
      <source>Decision cleared</source>
      <translation>Entscheidung aufgehoben</translation>
    </message>
    <message>
      <source>Flag cleared</source>
      <translation>Markierung aufgehoben</translation>
    </message>
    <message>
      <source>Flagged</source>
      <translation>Markiert</translation>
    </message>
    <message>
      <source>Marked as</source>
      <translation>Eingestuft als</translation>
    </message>
    <message>
      <source>No flagged recording in this list</source>
      <translation>Keine markierte Aufnahme in dieser Liste</translation>
    </message>
    <message>
      <source>Note saved</source>
      <translation>Notiz gespeichert</translation>
    </message>
    <message>
      <source>Nothing changed</source>
      <translation>Nichts geändert</translation>
    </message>
    <message>
      <source>Nothing to redo</source>
      <translation>Nichts zum Wiederholen</translation>
    </message>
    <message>
      <source>Nothing to undo</source>
      <translation>Nichts zum Rückgängigmachen</translation>
    </message>
    <message>
      <source>Unflagged</source>
      <translation>Markierung entfernt</translation>
    </message>
    <message>
      <source>recordings</source>
      <translation>Aufnahmen</translation>
    </message>
  </context>
  <context>
    <name>SearchText</name>
    <message>
      <source>assistant's response</source>
      <translation>Antwort des Assistenten</translation>
    </message>
    <message>
      <source>device</source>
      <translation>Gerät</translation>
    </message>
    <message>
      <source>file path</source>
      <translation>Dateipfad</translation>
    </message>
    <message>
      <source>note</source>
      <translation>Notiz</translation>
    </message>
    <message>
      <source>problem</source>
      <translation>Problem</translation>
    </message>
    <message>
      <source>transcript</source>
      <translation>Transkript</translation>
    </message>
    <message>
      <source>“%1” found in: %2</source>
      <translation>„%1“ gefunden in: %2</translation>
    </message>
  </context>
  <context>
    <name>StartScreen</name>
    <message>
      <source>(+%1 more parts)</source>
      <translation>(+%1 weitere Teile)</translation>
    </message>
    <message>
      <source>(+1 more part)</source>
      <translation>(+1 weiterer Teil)</translation>
    </message>
    <message>
      <source>(no longer there)</source>
      <translation>(nicht mehr vorhanden)</translation>
    </message>
    <message>
      <source>A folder of recordings or an unpacked export (Ctrl+Shift+O)</source>
      <translation>Ein Ordner mit Aufnahmen oder ein entpackter Export (Strg+Umschalt+O)</translation>
    </message>
    <message>
      <source>A zip export, or several Takeout parts at once (Ctrl+O)</source>
      <translation>Ein ZIP-Export oder mehrere Takeout-Teile auf einmal (Strg+O)</translation>
    </message>
    <message>
      <source>About VoiceArchive</source>
      <translation>Über VoiceArchive</translation>
    </message>
    <message>
      <source>Drop hint</source>
      <translation>Hinweis zum Ablegen</translation>
    </message>
    <message>
      <source>Nothing opened yet</source>
      <translation>Noch nichts geöffnet</translation>
    </message>
    <message>
      <source>Open Archive…</source>
      <translation>Archiv öffnen…</translation>
    </message>
    <message>
      <source>Open Folder…</source>
      <translation>Ordner öffnen…</translation>
    </message>
    <message>
      <source>Open archive</source>
      <translation>Archiv öffnen</translation>
    </message>
    <message>
      <source>Open folder</source>
      <translation>Ordner öffnen</translation>
    </message>
    <message>
      <source>Recent archives</source>
      <translation>Zuletzt geöffnete Archive</translation>
    </message>
    <message>
      <source>See what a voice assistant kept of your home. Open an Amazon Alexa or Google Takeout export, Home Assistant or Mycroft recordings, or any folder or zip of audio. Nothing leaves this computer and the archive is never changed.</source>
      <translation>Sehen Sie, was ein Sprachassistent aus Ihrem Zuhause aufbewahrt hat. Öffnen Sie einen Export von Amazon Alexa oder Google Takeout, Aufnahmen von Home Assistant oder Mycroft oder einen beliebigen Ordner oder ein ZIP mit Audio. Nichts verlässt diesen Computer, und das Archiv wird nie verändert.</translation>
    </message>
    <message>
      <source>Start</source>
      <translation>Start</translation>
    </message>
    <message>
      <source>VoiceArchive</source>
      <translation>VoiceArchive</translation>
    </message>
    <message>
      <source>in %1</source>
      <translation>in %1</translation>
    </message>
    <message>
      <source>…or drop a zip, Takeout parts or a folder anywhere on this window.</source>
      <translation>…oder ziehen Sie ein ZIP, Takeout-Teile oder einen Ordner irgendwo auf dieses Fenster.</translation>
    </message>
  </context>
  <context>
    <name>ThresholdHistogram</name>
    <message>
      <source>&amp;Threshold:</source>
      <translation>&amp;Schwelle:</translation>
    </message>
    <message>
      <source>Bars: the recordings the threshold decides (orange = flagged); your own decisions are counted apart. Dashed: the owner's own recordings.</source>
      <translation>Balken: die Aufnahmen, über die die Schwelle entscheidet (orange = markiert); Ihre eigenen Entscheidungen werden gesondert gezählt. Gestrichelt: die eigenen Aufnahmen des Besitzers.</translation>
    </message>
    <message>
      <source>Each recording's owner score appears here once the voices are analysed.</source>
      <translation>Der Besitzer-Wert jeder Aufnahme erscheint hier, sobald die Stimmen analysiert sind.</translation>
    </message>
    <message>
      <source>Histogram legend</source>
      <translation>Legende des Histogramms</translation>
    </message>
    <message>
      <source>Histogram of owner scores</source>
      <translation>Histogramm der Besitzer-Werte</translation>
    </message>
    <message>
      <source>How many recordings have each owner score; left of the line is flagged.</source>
      <translation>Wie viele Aufnahmen welchen Besitzer-Wert haben; links der Linie wird markiert.</translation>
    </message>
    <message>
      <source>Owner score (against the owner or the closest household voice)</source>
      <translation>Besitzer-Wert (gegen den Besitzer oder die nächste Haushaltsstimme)</translation>
    </message>
    <message>
      <source>Owner threshold</source>
      <translation>Schwelle für den Besitzer</translation>
    </message>
    <message>
      <source>Recordings</source>
      <translation>Aufnahmen</translation>
    </message>
    <message>
      <source>Recordings less similar to the owner than this are flagged</source>
      <translation>Aufnahmen, die dem Besitzer weniger ähneln, werden markiert</translation>
    </message>
    <message>
      <source>Threshold value</source>
      <translation>Wert der Schwelle</translation>
    </message>
  </context>
  <context>
    <name>TimelineView</name>
    <message>
      <source>%1 %2, %3 flagged (%4 of them at night, 22:00–06:00).</source>
      <translation>%1 %2, %3 markiert (%4 davon nachts, 22:00–06:00).</translation>
    </message>
    <message>
      <source>%1 recordings</source>
      <translation>%1 Aufnahmen</translation>
    </message>
    <message>
      <source>%1 without a known time are not shown.</source>
      <translation>%1 ohne bekannte Zeit werden nicht gezeigt.</translation>
    </message>
    <message>
      <source>1 recording</source>
      <translation>1 Aufnahme</translation>
    </message>
    <message>
      <source>Bars: recordings per day (click one to list that day)</source>
      <translation>Balken: Aufnahmen pro Tag (anklicken listet diesen Tag)</translation>
    </message>
    <message>
      <source>Bars: recordings per month (click one to list that month)</source>
      <translation>Balken: Aufnahmen pro Monat (anklicken listet diesen Monat)</translation>
    </message>
    <message>
      <source>Bars: recordings per week (click one to list that week)</source>
      <translation>Balken: Aufnahmen pro Woche (anklicken listet diese Woche)</translation>
    </message>
    <message>
      <source>Bars: recordings per year (click one to list that year)</source>
      <translation>Balken: Aufnahmen pro Jahr (anklicken listet dieses Jahr)</translation>
    </message>
    <message>
      <source>Each dot is a recording at its day and hour; flagged recordings are orange, night is shaded.</source>
      <translation>Jeder Punkt ist eine Aufnahme an ihrem Tag und zu ihrer Stunde; markierte Aufnahmen sind orange, die Nacht ist schattiert.</translation>
    </message>
    <message>
      <source>Legend: %1</source>
      <translation>Legende: %1</translation>
    </message>
    <message>
      <source>No recording has a known time.</source>
      <translation>Keine Aufnahme hat eine bekannte Zeit.</translation>
    </message>
    <message>
      <source>Recordings by day and hour</source>
      <translation>Aufnahmen nach Tag und Stunde</translation>
    </message>
    <message>
      <source>Recordings per day</source>
      <translation>Aufnahmen pro Tag</translation>
    </message>
    <message>
      <source>Recordings per hour of day</source>
      <translation>Aufnahmen pro Tagesstunde</translation>
    </message>
    <message>
      <source>Timeline</source>
      <translation>Zeitachse</translation>
    </message>
    <message>
      <source>Timeline summary</source>
      <translation>Zusammenfassung der Zeitachse</translation>
    </message>
    <message>
      <source>What the bars count</source>
      <translation>Was die Balken zählen</translation>
    </message>
    <message>
      <source>flagged</source>
      <translation>markiert</translation>
    </message>
    <message>
      <source>night (22:00–06:00)</source>
      <translation>Nacht (22:00–06:00)</translation>
    </message>
    <message>
      <source>on %1 days</source>
      <translation>an %1 Tagen</translation>
    </message>
    <message>
      <source>on 1 day</source>
      <translation>an 1 Tag</translation>
    </message>
    <message>
      <source>per day</source>
      <translation>pro Tag</translation>
    </message>
    <message>
      <source>per month</source>
      <translation>pro Monat</translation>
    </message>
    <message>
      <source>per week</source>
      <translation>pro Woche</translation>
    </message>
    <message>
      <source>per year</source>
      <translation>pro Jahr</translation>
    </message>
    <message>
      <source>recording, not flagged</source>
      <translation>Aufnahme, nicht markiert</translation>
    </message>
  </context>
  <context>
    <name>VerdictPanel</name>
    <message>
      <source>%1 of %2 recordings flagged</source>
      <translation>%1 von %2 Aufnahmen markiert</translation>
    </message>
    <message>
      <source>%1 of %2 recordings have enough speech to judge</source>
      <translation>%1 von %2 Aufnahmen enthalten genug Sprache für ein Urteil</translation>
    </message>
    <message>
      <source>%1 problems</source>
      <translation>%1 Probleme</translation>
    </message>
    <message>
      <source>(%1 problems so far)</source>
      <translation>(bisher %1 Probleme)</translation>
    </message>
    <message>
      <source>(best owner score %1, threshold %2)</source>
      <translation>(höchster Besitzer-Wert %1, Schwelle %2)</translation>
    </message>
    <message>
      <source>1 problem</source>
      <translation>1 Problem</translation>
    </message>
    <message>
      <source>A recording is flagged when its voice is unlike the owner's and unlike every household voice.</source>
      <translation>Eine Aufnahme wird markiert, wenn ihre Stimme weder der des Besitzers noch einer Stimme des Haushalts ähnelt.</translation>
    </message>
    <message>
      <source>Each recording's voice print is compared with the owner's and with the archive's other voices. Its owner score runs from -1 (like the other voices) to 1 (like the owner); it is a measure of likeness, not a proof of identity. The threshold is the owner score below which a recording counts as someone else's. VoiceArchive sets it from the owner's own recordings (how much the owner varies from one recording to the next), never by splitting the archive in two; you can move it on the histogram in the Voices view, and the count of flagged recordings follows. Recordings with less than 0.8 seconds of speech are too short to judge and are never flagged.</source>
      <translation>Der Stimmabdruck jeder Aufnahme wird mit dem des Besitzers und mit den übrigen Stimmen des Archivs verglichen. Ihr Besitzer-Wert reicht von -1 (wie die anderen Stimmen) bis 1 (wie der Besitzer); er misst Ähnlichkeit und beweist keine Identität. Die Schwelle ist der Besitzer-Wert, unter dem eine Aufnahme als die einer anderen Person gilt. VoiceArchive setzt sie aus den eigenen Aufnahmen des Besitzers (wie stark der Besitzer von Aufnahme zu Aufnahme schwankt), nie durch Zweiteilung des Archivs; Sie können sie im Histogramm der Ansicht Stimmen verschieben, und die Zahl der markierten Aufnahmen folgt. Aufnahmen mit weniger als 0,8 Sekunden Sprache sind zu kurz für ein Urteil und werden nie markiert.</translation>
    </message>
    <message>
      <source>How VoiceArchive decides that a recording is unlike the owner</source>
      <translation>Wie VoiceArchive entscheidet, dass eine Aufnahme dem Besitzer nicht ähnelt</translation>
    </message>
    <message>
      <source>No problems</source>
      <translation>Keine Probleme</translation>
    </message>
    <message>
      <source>Not finished</source>
      <translation>Nicht abgeschlossen</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>Besitzer</translation>
    </message>
    <message>
      <source>Owner found</source>
      <translation>Besitzer gefunden</translation>
    </message>
    <message>
      <source>Owner not found</source>
      <translation>Besitzer nicht gefunden</translation>
    </message>
    <message>
      <source>Reliability</source>
      <translation>Verlässlichkeit</translation>
    </message>
    <message>
      <source>The threshold</source>
      <translation>Die Schwelle</translation>
    </message>
    <message>
      <source>Verdicts on this archive</source>
      <translation>Befunde zu diesem Archiv</translation>
    </message>
    <message>
      <source>What is the threshold?</source>
      <translation>Was ist die Schwelle?</translation>
    </message>
    <message>
      <source>by your marks only, until the voices are analysed</source>
      <translation>nur durch Ihre Markierungen, bis die Stimmen analysiert sind</translation>
    </message>
    <message>
      <source>every file of the archive was read</source>
      <translation>jede Datei des Archivs wurde gelesen</translation>
    </message>
    <message>
      <source>files not read, e.g. %1</source>
      <translation>nicht gelesene Dateien, z. B. %1</translation>
    </message>
    <message>
      <source>no voice of this archive is the owner's</source>
      <translation>keine Stimme dieses Archivs ist die des Besitzers</translation>
    </message>
    <message>
      <source>the analysis was stopped; Resume reads and analyses the rest</source>
      <translation>die Analyse wurde angehalten; „Fortsetzen“ liest und analysiert den Rest</translation>
    </message>
    <message>
      <source>the voices are not analysed yet</source>
      <translation>die Stimmen sind noch nicht analysiert</translation>
    </message>
    <message>
      <source>unlike the owner and the household: owner score below %1 (%2)</source>
      <translation>unähnlich dem Besitzer und dem Haushalt: Besitzer-Wert unter %1 (%2)</translation>
    </message>
  </context>
  <context>
    <name>VoiceMap</name>
    <message>
      <source>Each dot is a recording, coloured by voice group; similar voices lie close together.</source>
      <translation>Jeder Punkt ist eine Aufnahme, gefärbt nach Stimmgruppe; ähnliche Stimmen liegen nah beieinander.</translation>
    </message>
    <message>
      <source>Map of voices</source>
      <translation>Karte der Stimmen</translation>
    </message>
  </context>
  <context>
    <name>VoicesView</name>
    <message>
      <source>%1 of %2 recordings flagged below %3</source>
      <translation>%1 von %2 Aufnahmen unter %3 markiert</translation>
    </message>
    <message>
      <source>%1 of 1 recording flagged below %3</source>
      <translation>%1 von 1 Aufnahme unter %3 markiert</translation>
    </message>
    <message>
      <source>%1 voices in %2 recordings.</source>
      <translation>%1 Stimmen in %2 Aufnahmen.</translation>
    </message>
    <message>
      <source>%1 · %2 · owner score %3</source>
      <translation>%1 · %2 · Besitzer-Wert %3</translation>
    </message>
    <message>
      <source>1 voice in %2 recordings.</source>
      <translation>1 Stimme in %2 Aufnahmen.</translation>
    </message>
    <message>
      <source>A&amp;utomatic Threshold</source>
      <translation>Au&amp;tomatische Schwelle</translation>
    </message>
    <message>
      <source>Change the owner?</source>
      <translation>Besitzer ändern?</translation>
    </message>
    <message>
      <source>Click a dot to select and play its recording.</source>
      <translation>Klicken Sie auf einen Punkt, um seine Aufnahme auszuwählen und abzuspielen.</translation>
    </message>
    <message>
      <source>Double-click or press Enter to play a sample</source>
      <translation>Doppelklicken oder Eingabetaste drücken, um eine Probe abzuspielen</translation>
    </message>
    <message>
      <source>Flagged</source>
      <translation>Markiert</translation>
    </message>
    <message>
      <source>Flagged recordings at this threshold</source>
      <translation>Markierte Aufnahmen bei dieser Schwelle</translation>
    </message>
    <message>
      <source>Forget the threshold you set and let VoiceArchive learn it again</source>
      <translation>Die von Ihnen gesetzte Schwelle verwerfen und VoiceArchive sie wieder selbst lernen lassen</translation>
    </message>
    <message>
      <source>Household</source>
      <translation>Haushalt</translation>
    </message>
    <message>
      <source>How well voices can be told apart</source>
      <translation>Wie gut sich Stimmen unterscheiden lassen</translation>
    </message>
    <message>
      <source>Mark every recording of the selected voice</source>
      <translation>Alle Aufnahmen der ausgewählten Stimme einstufen</translation>
    </message>
    <message>
      <source>Mark only the selected recording</source>
      <translation>Nur die ausgewählte Aufnahme einstufen</translation>
    </message>
    <message>
      <source>Mark recording as %1</source>
      <translation>Aufnahme einstufen als %1</translation>
    </message>
    <message>
      <source>Mark recording:</source>
      <translation>Aufnahme einstufen:</translation>
    </message>
    <message>
      <source>Mark voice as %1</source>
      <translation>Stimme einstufen als %1</translation>
    </message>
    <message>
      <source>Mark voice:</source>
      <translation>Stimme einstufen:</translation>
    </message>
    <message>
      <source>O, H, S: mark the selected voice as owner, household or stranger; C: undecided; Enter: play a sample</source>
      <translation>O, H, S: die ausgewählte Stimme als Besitzer, Haushalt oder fremd einstufen; C: offen; Eingabetaste: eine Probe abspielen</translation>
    </message>
    <message>
      <source>Owner</source>
      <translation>Besitzer</translation>
    </message>
    <message>
      <source>Play S&amp;ample</source>
      <translation>Pro&amp;be abspielen</translation>
    </message>
    <message>
      <source>Play a clip of the selected voice</source>
      <translation>Eine Probe der ausgewählten Stimme abspielen</translation>
    </message>
    <message>
      <source>Recordings</source>
      <translation>Aufnahmen</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>Rolle</translation>
    </message>
    <message>
      <source>Selected recording</source>
      <translation>Ausgewählte Aufnahme</translation>
    </message>
    <message>
      <source>Stranger</source>
      <translation>Fremd</translation>
    </message>
    <message>
      <source>The decision could not be saved: %1</source>
      <translation>Die Entscheidung konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
      <source>The voices could not be read from the case file: %1</source>
      <translation>Die Stimmen konnten nicht aus der Falldatei gelesen werden: %1</translation>
    </message>
    <message>
      <source>This changes whose voice is taken for the owner's, and every flag with it. Go on?</source>
      <translation>Das ändert, wessen Stimme als die des Besitzers gilt, und mit ihr jede Markierung. Fortfahren?</translation>
    </message>
    <message>
      <source>Threshold %1 (%2).</source>
      <translation>Schwelle %1 (%2).</translation>
    </message>
    <message>
      <source>Undecided</source>
      <translation>Offen</translation>
    </message>
    <message>
      <source>Voice</source>
      <translation>Stimme</translation>
    </message>
    <message>
      <source>Voice analysis summary</source>
      <translation>Zusammenfassung der Stimmanalyse</translation>
    </message>
    <message>
      <source>Voice groups</source>
      <translation>Stimmgruppen</translation>
    </message>
    <message>
      <source>Voices</source>
      <translation>Stimmen</translation>
    </message>
    <message>
      <source>Voices heard once</source>
      <translation>Einmal gehörte Stimmen</translation>
    </message>
  </context>
  <context>
    <name>WordsView</name>
    <message>
      <source> (the first {0:,} are listed)</source>
      <translation> (die ersten {0:,} sind aufgeführt)</translation>
    </message>
    <message>
      <source>Counting words…</source>
      <translation>Zähle Wörter…</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>Art</translation>
    </message>
    <message>
      <source>No word recurs in the transcripts yet.</source>
      <translation>Noch kein Wort kommt in mehreren Transkripten vor.</translation>
    </message>
    <message>
      <source>PDF</source>
      <translation>PDF</translation>
    </message>
    <message>
      <source>Recordings</source>
      <translation>Aufnahmen</translation>
    </message>
    <message>
      <source>Recurring words</source>
      <translation>Wiederkehrende Wörter</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>Quelle</translation>
    </message>
    <message>
      <source>Voices</source>
      <translation>Stimmen</translation>
    </message>
    <message>
      <source>Word</source>
      <translation>Wort</translation>
    </message>
    <message>
      <source>Words</source>
      <translation>Wörter</translation>
    </message>
    <message>
      <source>Words appear here once recordings have transcripts.</source>
      <translation>Wörter erscheinen hier, sobald Aufnahmen Transkripte haben.</translation>
    </message>
    <message>
      <source>machine</source>
      <translation>maschinell</translation>
    </message>
    <message>
      <source>name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>phone number</source>
      <translation>Telefonnummer</translation>
    </message>
    <message>
      <source>street</source>
      <translation>Straße</translation>
    </message>
    <message>
      <source>time</source>
      <translation>Uhrzeit</translation>
    </message>
    <message>
      <source>vendor</source>
      <translation>Anbieter</translation>
    </message>
    <message>
      <source>word</source>
      <translation>Wort</translation>
    </message>
    <message>
      <source>{0:,} words recur in more than one recording; activate one to list those recordings.</source>
      <translation>{0:,} Wörter kommen in mehr als einer Aufnahme vor; eines aktivieren, um diese Aufnahmen aufzulisten.</translation>
    </message>
  </context>
  <context>
    <name>actions</name>
    <message>
      <source>&amp;About VoiceArchive</source>
      <translation>Ü&amp;ber VoiceArchive</translation>
    </message>
    <message>
      <source>&amp;Back 2 Seconds</source>
      <translation>2 Sekunden &amp;zurück</translation>
    </message>
    <message>
      <source>&amp;Clear Decision</source>
      <translation>Entscheidung &amp;aufheben</translation>
    </message>
    <message>
      <source>&amp;Clear Filters</source>
      <translation>Filter &amp;zurücksetzen</translation>
    </message>
    <message>
      <source>&amp;Close Archive</source>
      <translation>Archiv &amp;schließen</translation>
    </message>
    <message>
      <source>&amp;Enrol Owner Voice…</source>
      <translation>Stimme des Besitzers &amp;anlernen…</translation>
    </message>
    <message>
      <source>&amp;Export…</source>
      <translation>&amp;Exportieren…</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>&amp;Datei</translation>
    </message>
    <message>
      <source>&amp;Flag</source>
      <translation>&amp;Markieren</translation>
    </message>
    <message>
      <source>&amp;Flagged Only</source>
      <translation>Nur &amp;markierte</translation>
    </message>
    <message>
      <source>&amp;Forward 2 Seconds</source>
      <translation>2 Sekunden &amp;vor</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>&amp;Hilfe</translation>
    </message>
    <message>
      <source>&amp;Keyboard Shortcuts</source>
      <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
      <source>&amp;Next Recording</source>
      <translation>&amp;Nächste Aufnahme</translation>
    </message>
    <message>
      <source>&amp;Open Archive or Folder…</source>
      <translation>Archiv oder Ordner ö&amp;ffnen…</translation>
    </message>
    <message>
      <source>&amp;Play / Pause</source>
      <translation>&amp;Abspielen / Pause</translation>
    </message>
    <message>
      <source>&amp;Playback</source>
      <translation>&amp;Wiedergabe</translation>
    </message>
    <message>
      <source>&amp;Previous Recording</source>
      <translation>&amp;Vorherige Aufnahme</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>&amp;Beenden</translation>
    </message>
    <message>
      <source>&amp;Recordings</source>
      <translation>&amp;Aufnahmen</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>&amp;Wiederholen</translation>
    </message>
    <message>
      <source>&amp;Resume Analysis</source>
      <translation>Analyse &amp;fortsetzen</translation>
    </message>
    <message>
      <source>&amp;Review</source>
      <translation>&amp;Prüfen</translation>
    </message>
    <message>
      <source>&amp;Search…</source>
      <translation>&amp;Suchen…</translation>
    </message>
    <message>
      <source>&amp;Stop Analysis</source>
      <translation>Analyse an&amp;halten</translation>
    </message>
    <message>
      <source>&amp;Timeline</source>
      <translation>&amp;Zeitachse</translation>
    </message>
    <message>
      <source>&amp;Unflag</source>
      <translation>Markierung &amp;entfernen</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>&amp;Ansicht</translation>
    </message>
    <message>
      <source>&amp;Voices</source>
      <translation>&amp;Stimmen</translation>
    </message>
    <message>
      <source>&amp;Words</source>
      <translation>&amp;Wörter</translation>
    </message>
    <message>
      <source>A stranger speaks in this recording (flags it)</source>
      <translation>In dieser Aufnahme spricht eine fremde Person (markiert sie)</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>Aktion</translation>
    </message>
    <message>
      <source>Choose the speech-to-text model and language, or transcribe now</source>
      <translation>Modell und Sprache der Spracherkennung wählen oder jetzt transkribieren</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>Schließen</translation>
    </message>
    <message>
      <source>Close the archive and return to the start screen</source>
      <translation>Das Archiv schließen und zum Startbildschirm zurückkehren</translation>
    </message>
    <message>
      <source>Continue the stopped analysis; what was done is kept</source>
      <translation>Die angehaltene Analyse fortsetzen; Erledigtes bleibt erhalten</translation>
    </message>
    <message>
      <source>Edit &amp;Note</source>
      <translation>&amp;Notiz bearbeiten</translation>
    </message>
    <message>
      <source>Export flagged, filtered or all recordings as CSV or an evidence zip</source>
      <translation>Markierte, gefilterte oder alle Aufnahmen als CSV oder Beweis-ZIP exportieren</translation>
    </message>
    <message>
      <source>Flag the recording as not the owner's voice</source>
      <translation>Die Aufnahme markieren: nicht die Stimme des Besitzers</translation>
    </message>
    <message>
      <source>Forget the flag and voice decision for this recording</source>
      <translation>Markierung und Stimmeinstufung dieser Aufnahme verwerfen</translation>
    </message>
    <message>
      <source>Jump back two seconds</source>
      <translation>Zwei Sekunden zurückspringen</translation>
    </message>
    <message>
      <source>Jump forward two seconds</source>
      <translation>Zwei Sekunden vorspringen</translation>
    </message>
    <message>
      <source>Jump to the next flagged recording</source>
      <translation>Zur nächsten markierten Aufnahme springen</translation>
    </message>
    <message>
      <source>Jump to the previous flagged recording</source>
      <translation>Zur vorherigen markierten Aufnahme springen</translation>
    </message>
    <message>
      <source>Keyboard Shortcuts</source>
      <translation>Tastenkürzel</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>Tastenkürzel</translation>
    </message>
    <message>
      <source>Keys</source>
      <translation>Tasten</translation>
    </message>
    <message>
      <source>List every keyboard shortcut</source>
      <translation>Alle Tastenkürzel auflisten</translation>
    </message>
    <message>
      <source>Mark as &amp;Household</source>
      <translation>Als &amp;Haushalt einstufen</translation>
    </message>
    <message>
      <source>Mark as &amp;Owner</source>
      <translation>Als &amp;Besitzer einstufen</translation>
    </message>
    <message>
      <source>Mark as &amp;Stranger</source>
      <translation>Als &amp;fremd einstufen</translation>
    </message>
    <message>
      <source>Mark the recording as not suspicious</source>
      <translation>Die Aufnahme als unverdächtig kennzeichnen</translation>
    </message>
    <message>
      <source>Next &amp;Flagged Recording</source>
      <translation>Nächste mar&amp;kierte Aufnahme</translation>
    </message>
    <message>
      <source>Open &amp;Folder…</source>
      <translation>&amp;Ordner öffnen…</translation>
    </message>
    <message>
      <source>Open a folder of recordings</source>
      <translation>Einen Ordner mit Aufnahmen öffnen</translation>
    </message>
    <message>
      <source>Open an export zip, Takeout parts or a folder</source>
      <translation>Ein Export-ZIP, Takeout-Teile oder einen Ordner öffnen</translation>
    </message>
    <message>
      <source>Play or pause the selected recording</source>
      <translation>Die ausgewählte Aufnahme abspielen oder pausieren</translation>
    </message>
    <message>
      <source>Previous Fla&amp;gged Recording</source>
      <translation>Vorherige markierte Auf&amp;nahme</translation>
    </message>
    <message>
      <source>Quit VoiceArchive</source>
      <translation>VoiceArchive beenden</translation>
    </message>
    <message>
      <source>Redo what was undone</source>
      <translation>Rückgängig Gemachtes wiederholen</translation>
    </message>
    <message>
      <source>Search transcripts, responses, notes, devices, file paths and problems</source>
      <translation>Transkripte, Antworten, Notizen, Geräte, Dateipfade und Probleme durchsuchen</translation>
    </message>
    <message>
      <source>Select the next recording in the list</source>
      <translation>Die nächste Aufnahme in der Liste auswählen</translation>
    </message>
    <message>
      <source>Select the previous recording in the list</source>
      <translation>Die vorherige Aufnahme in der Liste auswählen</translation>
    </message>
    <message>
      <source>Shortcut list</source>
      <translation>Liste der Tastenkürzel</translation>
    </message>
    <message>
      <source>Show every recording again</source>
      <translation>Wieder alle Aufnahmen zeigen</translation>
    </message>
    <message>
      <source>Show only flagged recordings</source>
      <translation>Nur markierte Aufnahmen zeigen</translation>
    </message>
    <message>
      <source>Show recordings per day and hour</source>
      <translation>Aufnahmen pro Tag und Stunde zeigen</translation>
    </message>
    <message>
      <source>Show the list of recordings</source>
      <translation>Die Liste der Aufnahmen zeigen</translation>
    </message>
    <message>
      <source>Show the names, places and numbers that recur in the transcripts</source>
      <translation>Die Namen, Orte und Nummern zeigen, die in den Transkripten wiederkehren</translation>
    </message>
    <message>
      <source>Show the voice groups and the owner threshold</source>
      <translation>Die Stimmgruppen und die Schwelle für den Besitzer zeigen</translation>
    </message>
    <message>
      <source>Someone of the household speaks in this recording</source>
      <translation>In dieser Aufnahme spricht jemand aus dem Haushalt</translation>
    </message>
    <message>
      <source>Speech-to-&amp;Text…</source>
      <translation>Sprach&amp;erkennung…</translation>
    </message>
    <message>
      <source>Stop the import or analysis running in the background</source>
      <translation>Den im Hintergrund laufenden Import oder die Analyse anhalten</translation>
    </message>
    <message>
      <source>Teach VoiceArchive the owner's voice from a file or the microphone</source>
      <translation>VoiceArchive die Stimme des Besitzers aus einer Datei oder über das Mikrofon beibringen</translation>
    </message>
    <message>
      <source>The owner speaks in this recording</source>
      <translation>In dieser Aufnahme spricht der Besitzer</translation>
    </message>
    <message>
      <source>U&amp;ndo</source>
      <translation>&amp;Rückgängig</translation>
    </message>
    <message>
      <source>Undo the last decision or note (also after a restart)</source>
      <translation>Die letzte Entscheidung oder Notiz rückgängig machen (auch nach einem Neustart)</translation>
    </message>
    <message>
      <source>Version, licence and credits</source>
      <translation>Version, Lizenz und Danksagungen</translation>
    </message>
    <message>
      <source>What it does</source>
      <translation>Was es bewirkt</translation>
    </message>
    <message>
      <source>Write a note about this recording</source>
      <translation>Eine Notiz zu dieser Aufnahme schreiben</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <source>Something went wrong</source>
      <translation>Etwas ist schiefgegangen</translation>
    </message>
    <message>
      <source>Your labels are safe.</source>
      <translation>Ihre Einstufungen sind sicher gespeichert.</translation>
    </message>
  </context>
  <context>
    <name>i18n</name>
    <message>
      <source>%1 byte</source>
      <translation>%1 Byte</translation>
    </message>
    <message>
      <source>%1 bytes</source>
      <translation>%1 Byte</translation>
    </message>
    <message>
      <source>&amp;Language</source>
      <translation>&amp;Sprache</translation>
    </message>
    <message>
      <source>As the System</source>
      <translation>Wie das System</translation>
    </message>
    <message>
      <source>No recording in this archive matches the enrolled owner's voice: these recordings may be someone else's</source>
      <translation>Keine Aufnahme in diesem Archiv passt zur angelernten Stimme des Besitzers: Diese Aufnahmen stammen womöglich von jemand anderem</translation>
    </message>
    <message>
      <source>No voice in this archive matches the enrolled owner's voice (only %1 recordings come close): these recordings may be someone else's</source>
      <translation>Keine Stimme in diesem Archiv passt zur angelernten Stimme des Besitzers (nur %1 Aufnahmen kommen ihr nahe): Diese Aufnahmen stammen womöglich von jemand anderem</translation>
    </message>
    <message>
      <source>No voice in this archive matches the enrolled owner's voice (only 1 recording comes close): these recordings may be someone else's</source>
      <translation>Keine Stimme in diesem Archiv passt zur angelernten Stimme des Besitzers (nur 1 Aufnahme kommt ihr nahe): Diese Aufnahmen stammen womöglich von jemand anderem</translation>
    </message>
    <message>
      <source>No voice recurs often enough to be taken for the owner's: mark the owner's recordings or enrol the owner's voice</source>
      <translation>Keine Stimme kommt oft genug vor, um als die des Besitzers zu gelten: Stufen Sie Aufnahmen des Besitzers ein oder lernen Sie seine Stimme an</translation>
    </message>
    <message>
      <source>Redo %1</source>
      <translation>Wiederholen: %1</translation>
    </message>
    <message>
      <source>Redone: %1</source>
      <translation>Wiederholt: %1</translation>
    </message>
    <message>
      <source>The language of VoiceArchive (applies at the next start)</source>
      <translation>Die Sprache von VoiceArchive (gilt ab dem nächsten Start)</translation>
    </message>
    <message>
      <source>The language setting is saved.</source>
      <translation>Die Spracheinstellung ist gespeichert.</translation>
    </message>
    <message>
      <source>Undo %1</source>
      <translation>Rückgängig: %1</translation>
    </message>
    <message>
      <source>Undone: %1</source>
      <translation>Rückgängig gemacht: %1</translation>
    </message>
    <message>
      <source>a stranger</source>
      <translation>fremde Person</translation>
    </message>
    <message>
      <source>automatic: from the owner's own scores</source>
      <translation>automatisch: aus den eigenen Werten des Besitzers</translation>
    </message>
    <message>
      <source>automatic: too few owner recordings, from how this archive's voices spread</source>
      <translation>automatisch: zu wenige Aufnahmen des Besitzers, aus der Streuung der Stimmen dieses Archivs</translation>
    </message>
    <message>
      <source>clearing the flag of %1 recordings</source>
      <translation>Zurücksetzen der Markierung von %1 Aufnahmen</translation>
    </message>
    <message>
      <source>clearing the flag of 1 recording</source>
      <translation>Zurücksetzen der Markierung von 1 Aufnahme</translation>
    </message>
    <message>
      <source>clearing the labels of %1 recordings</source>
      <translation>Zurücksetzen der Entscheidungen zu %1 Aufnahmen</translation>
    </message>
    <message>
      <source>clearing the labels of 1 recording</source>
      <translation>Zurücksetzen der Entscheidungen zu 1 Aufnahme</translation>
    </message>
    <message>
      <source>clearing the voice role of %1 recordings</source>
      <translation>Zurücksetzen der Einstufung von %1 Aufnahmen</translation>
    </message>
    <message>
      <source>clearing the voice role of 1 recording</source>
      <translation>Zurücksetzen der Einstufung von 1 Aufnahme</translation>
    </message>
    <message>
      <source>confirmed by the user</source>
      <translation>vom Benutzer bestätigt</translation>
    </message>
    <message>
      <source>default: too few owner recordings to learn from</source>
      <translation>Standardwert: zu wenige Aufnahmen des Besitzers zum Lernen</translation>
    </message>
    <message>
      <source>editing the notes of %1 recordings</source>
      <translation>Bearbeiten der Notizen von %1 Aufnahmen</translation>
    </message>
    <message>
      <source>enrolled from %1 samples</source>
      <translation>aus %1 Proben angelernt</translation>
    </message>
    <message>
      <source>enrolled from 1 sample</source>
      <translation>aus 1 Probe angelernt</translation>
    </message>
    <message>
      <source>flagging %1 recordings</source>
      <translation>Markieren von %1 Aufnahmen</translation>
    </message>
    <message>
      <source>flagging 1 recording</source>
      <translation>Markieren von 1 Aufnahme</translation>
    </message>
    <message>
      <source>from %1</source>
      <translation>aus %1</translation>
    </message>
    <message>
      <source>from the file name</source>
      <translation>aus dem Dateinamen</translation>
    </message>
    <message>
      <source>from the file's modification time</source>
      <translation>aus dem Änderungsdatum der Datei</translation>
    </message>
    <message>
      <source>from the utterance id</source>
      <translation>aus der Äußerungs-ID</translation>
    </message>
    <message>
      <source>from the vendor's metadata</source>
      <translation>aus den Metadaten des Anbieters</translation>
    </message>
    <message>
      <source>household</source>
      <translation>Haushalt</translation>
    </message>
    <message>
      <source>largest group</source>
      <translation>größte Gruppe</translation>
    </message>
    <message>
      <source>marked as %1</source>
      <translation>eingestuft als %1</translation>
    </message>
    <message>
      <source>marking %1 recordings as %2</source>
      <translation>Einstufen von %1 Aufnahmen als %2</translation>
    </message>
    <message>
      <source>marking 1 recording as %2</source>
      <translation>Einstufen von 1 Aufnahme als %2</translation>
    </message>
    <message>
      <source>set by the user</source>
      <translation>vom Benutzer festgelegt</translation>
    </message>
    <message>
      <source>the note edit</source>
      <translation>Bearbeiten der Notiz</translation>
    </message>
    <message>
      <source>the owner</source>
      <translation>Besitzer</translation>
    </message>
    <message>
      <source>unflagging %1 recordings</source>
      <translation>Entfernen der Markierung von %1 Aufnahmen</translation>
    </message>
    <message>
      <source>unflagging 1 recording</source>
      <translation>Entfernen der Markierung von 1 Aufnahme</translation>
    </message>
  </context>
  <context>
    <name>workers</name>
    <message>
      <source>%1 of %2 (%3%)</source>
      <translation>%1 von %2 (%3 %)</translation>
    </message>
    <message>
      <source>Analysing voices</source>
      <translation>Stimmen werden analysiert</translation>
    </message>
    <message>
      <source>Done</source>
      <translation>Fertig</translation>
    </message>
    <message>
      <source>Grouping voices</source>
      <translation>Stimmen werden gruppiert</translation>
    </message>
    <message>
      <source>Listing the archive</source>
      <translation>Archiv wird aufgelistet</translation>
    </message>
    <message>
      <source>Reading</source>
      <translation>Wird gelesen</translation>
    </message>
    <message>
      <source>The analysis stopped because of an internal error</source>
      <translation>Die Analyse wurde wegen eines internen Fehlers angehalten</translation>
    </message>
    <message>
      <source>Transcribing</source>
      <translation>Transkribiere</translation>
    </message>
    <message>
      <source>about %1 left</source>
      <translation>noch etwa %1</translation>
    </message>
  </context>
</TS>