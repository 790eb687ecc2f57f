"""Texts for the archive messages (code -> (English, German)). Codes are "archive.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {
    # links and special files on disk
    "archive.link_outside": (
        "symbolic link to {target}, outside the evidence: not followed",
        "symbolischer Link auf {target}, außerhalb der Beweismittel: nicht gefolgt",
    ),
    "archive.link_inside": (
        "symbolic link to {target}, inside the evidence: not followed (the target is listed under its own name)",
        "symbolischer Link auf {target}, innerhalb der Beweismittel: nicht gefolgt (das Ziel ist unter "
        "seinem eigenen Namen aufgeführt)",
    ),
    "archive.link_loop": ("symbolic link loop: not followed", "symbolischer Link im Kreis: nicht gefolgt"),
    "archive.link_dangling": (
        "dangling symbolic link (to {target}): not followed",
        "symbolischer Link ins Leere (auf {target}): nicht gefolgt",
    ),
    "archive.kind_fifo": ("a named pipe (FIFO)", "eine benannte Pipe (FIFO)"),
    "archive.kind_device": ("a device file", "eine Gerätedatei"),
    "archive.kind_socket": ("a socket", "ein Socket"),
    "archive.kind_link": ("a symbolic link", "ein symbolischer Link"),
    "archive.kind_other": ("not a regular file", "keine reguläre Datei"),
    "archive.not_regular": ("{kind}, not a regular file: not read", "{kind}, keine reguläre Datei: nicht gelesen"),
    "archive.became_special": (
        "is now {kind}, no longer the regular file that was listed: not read",
        "ist jetzt {kind}, nicht mehr die aufgeführte reguläre Datei: nicht gelesen",
    ),
    "archive.replaced": (
        "was replaced or changed since it was listed: not read",
        "wurde seit dem Auflisten ersetzt oder geändert: nicht gelesen",
    ),
    "archive.name_collision": (
        "its exact name reads like another member's once escaped; listed as {path}",
        "sein genauer Name gleicht nach dem Maskieren dem eines anderen Eintrags; aufgeführt als {path}",
    ),
    # zip entries
    "archive.zip_duplicate": (
        "entry name appears {n} times in the zip; copy {i} is listed as {path}",
        "Eintragsname kommt {n}-mal im Zip vor; Kopie {i} ist als {path} aufgeführt",
    ),
    "archive.zip_dir_data": (
        "folder entry holds {size} bytes of data: not read",
        "Ordner-Eintrag enthält {size} Bytes Daten: nicht gelesen",
    ),
    "archive.zip_nul": (
        "entry name holds a NUL byte; listed under its whole name {path}",
        "Eintragsname enthält ein NUL-Byte; unter seinem ganzen Namen {path} aufgeführt",
    ),
    "archive.zip_special": ("{kind} stored in the zip: not read", "{kind} im Zip gespeichert: nicht gelesen"),
    "archive.zip_ratio": (
        "compression ratio {ratio}:1 is over the {limit}:1 limit ({compressed} -> {size} bytes); "
        "possible zip bomb: not read",
        "Kompressionsverhältnis {ratio}:1 über der Grenze von {limit}:1 ({compressed} -> {size} Bytes); "
        "mögliche Zip-Bombe: nicht gelesen",
    ),
    "archive.size_lies": (
        "holds {actual} bytes, not the {declared} its header declares",
        "enthält {actual} Bytes, nicht die {declared}, die sein Kopf angibt",
    ),
    "archive.local_size_differs": (
        "the zip's directory declares {declared} bytes, its local header {local}: not read",
        "das Zip-Verzeichnis gibt {declared} Bytes an, der lokale Kopf {local}: nicht gelesen",
    ),
    # audio
    "archive.audio_rate_bounds": (
        "{label} declares {rate} Hz, outside {low}–{high} Hz: not decoded",
        "{label} gibt {rate} Hz an, außerhalb von {low}–{high} Hz: nicht dekodiert",
    ),
    "archive.audio_too_long": (
        "{label} of {seconds:.0f} s is longer than the {limit:.0f} s decoded at once: only the start is decoded",
        "{label} mit {seconds:.0f} s ist länger als die {limit:.0f} s, die auf einmal dekodiert werden: "
        "nur der Anfang wird dekodiert",
    ),
    "archive.audio_header_field": (
        "{label} header field {field} = {value} is out of bounds: not decoded",
        "{label}-Kopffeld {field} = {value} liegt außerhalb der Grenzen: nicht dekodiert",
    ),
    "archive.audio_truncated": (
        "truncated {label}: the stream ends without its last page; {seconds:.1f} s present",
        "abgeschnittene {label}-Datei: der Datenstrom endet ohne seine letzte Seite; {seconds:.1f} s vorhanden",
    ),
    # audio that could not be decoded (audio/decode.py, audio/stream.py, audio/ffmpeg.py)
    "archive.audio_empty": ("empty file", "leere Datei"),
    "archive.audio_too_short": ("too short to be audio ({size} bytes)", "zu kurz für Audio ({size} Bytes)"),
    "archive.audio_looks_like": (
        "not audio: looks like {what} (starts with {start})",
        "kein Audio: sieht aus wie {what} (beginnt mit {start})",
    ),
    "archive.audio_not_audio": ("not audio (starts with {start})", "kein Audio (beginnt mit {start})"),
    "archive.looks_markup": ("HTML or XML", "HTML oder XML"),
    "archive.looks_json": ("JSON", "JSON"),
    "archive.looks_pdf": ("a PDF document", "ein PDF-Dokument"),
    "archive.looks_zip": ("a zip archive", "ein Zip-Archiv"),
    "archive.looks_jpeg": ("a JPEG image", "ein JPEG-Bild"),
    "archive.looks_png": ("a PNG image", "ein PNG-Bild"),
    "archive.looks_gif": ("a GIF image", "ein GIF-Bild"),
    "archive.looks_gzip": ("gzip-compressed data", "gzip-komprimierte Daten"),
    "archive.audio_no_samples": ("{label} holds no audio samples", "{label}-Datei enthält keine Audio-Samples"),
    "archive.audio_no_memory": (
        "{label} too long to decode in memory",
        "{label}-Datei zu lang, um sie im Speicher zu dekodieren",
    ),
    "archive.audio_ends_early": (
        "truncated {label}: the file ends before any audio",
        "abgeschnittene {label}-Datei: die Datei endet vor jedem Audio",
    ),
    "archive.audio_short_seconds": (
        "truncated {label}: header promises {promised:.1f} s, {present:.1f} s present",
        "abgeschnittene {label}-Datei: der Kopf verspricht {promised:.1f} s, {present:.1f} s vorhanden",
    ),
    "archive.audio_short_bytes": (
        "truncated {label}: header promises {promised} bytes of audio, {present} present",
        "abgeschnittene {label}-Datei: der Kopf verspricht {promised} Bytes Audio, {present} vorhanden",
    ),
    "archive.audio_bad_header": (
        "damaged {label}: its header is not readable",
        "beschädigte {label}-Datei: ihr Kopf ist nicht lesbar",
    ),
    "archive.audio_damaged": ("damaged or truncated {label}", "beschädigte oder abgeschnittene {label}-Datei"),
    "archive.audio_unreadable": ("unreadable {label}", "nicht lesbare {label}-Datei"),
    "archive.audio_unreadable_detail": ("unreadable {label} ({detail})", "nicht lesbare {label}-Datei ({detail})"),
    "archive.ffmpeg_missing": ("ffmpeg is not available ({reason})", "ffmpeg ist nicht verfügbar ({reason})"),
    "archive.ffmpeg_timeout": ("ffmpeg gave up after {seconds:.0f} s", "ffmpeg gab nach {seconds:.0f} s auf"),
    "archive.ffmpeg_start": ("ffmpeg could not be started ({reason})", "ffmpeg konnte nicht gestartet werden ({reason})"),
    "archive.ffmpeg_invalid": (
        "invalid data found when processing input",
        "ungültige Daten beim Verarbeiten der Eingabe",
    ),
    "archive.ffmpeg_no_stream": ("no audio stream in the file", "kein Audio-Datenstrom in der Datei"),
    # a decoder's own words (English, from the library) quoted as they are, said whose they are in German
    "archive.ffmpeg_said": ("{detail}", "ffmpeg: {detail}"),
    "archive.libsndfile_said": ("{detail}", "libsndfile: {detail}"),
    # text files (archive/text.py) and the parsers' words
    "archive.text_bad_bom": (
        "starts with a {label} byte-order mark but is not valid {label} ({reason})",
        "beginnt mit einer {label}-Bytereihenfolge-Markierung, ist aber kein gültiges {label} ({reason})",
    ),
    "archive.json_empty": ("the JSON file is empty", "die JSON-Datei ist leer"),
    "archive.json_broken": (
        "broken JSON at line {line}, column {column}: {reason}",
        "fehlerhaftes JSON in Zeile {line}, Spalte {column}: {reason}",
    ),
    "archive.json_too_deep": ("the JSON is nested too deeply to read", "das JSON ist zu tief verschachtelt, um es zu lesen"),
    "archive.table_nul": (
        "this is not a text table (it contains NUL bytes)",
        "das ist keine Texttabelle (sie enthält NUL-Bytes)",
    ),
    "archive.table_empty": ("the table is empty", "die Tabelle ist leer"),
    "archive.csv_broken": ("broken CSV: {reason}", "fehlerhaftes CSV: {reason}"),
    "archive.json_expecting_value": ("Expecting value", "Wert erwartet"),
    "archive.json_expecting_name": (
        "Expecting property name enclosed in double quotes",
        "Eigenschaftsname in doppelten Anführungszeichen erwartet",
    ),
    "archive.json_expecting_comma": ("Expecting ',' delimiter", "Trennzeichen ',' erwartet"),
    "archive.json_expecting_colon": ("Expecting ':' delimiter", "Trennzeichen ':' erwartet"),
    "archive.json_unterminated": ("Unterminated string starting at", "nicht abgeschlossene Zeichenkette ab"),
    "archive.json_extra_data": ("Extra data", "überzählige Daten"),
    "archive.json_control_character": ("Invalid control character at", "ungültiges Steuerzeichen bei"),
    "archive.text_invalid_start": ("invalid start byte", "ungültiges Anfangsbyte"),
    "archive.text_invalid_continuation": ("invalid continuation byte", "ungültiges Folgebyte"),
    "archive.text_unexpected_end": ("unexpected end of data", "unerwartetes Ende der Daten"),
    "archive.parser_said": ("{detail}", "Parser: {detail}"),
    # importers: what a listed item lacks, and files that are not what their names say
    "archive.no_audio_for_item": ("no audio in the export for this item", "keine Audiodatei im Export zu diesem Eintrag"),
    "archive.audio_listed_twice": (
        "audio file {name} is already listed with another item",
        "Audiodatei {name} ist schon bei einem anderen Eintrag aufgeführt",
    ),
    "archive.audio_missing": (
        "audio file {name} named in {where} is missing from the export",
        "Audiodatei {name}, genannt in {where}, fehlt im Export",
    ),
    "archive.audio_ambiguous_name": (
        "audio file {name} named in {where} matches {n} files elsewhere in the export",
        "Audiodatei {name}, genannt in {where}, passt auf {n} Dateien an anderen Stellen des Exports",
    ),
    "archive.audio_ambiguous": (
        "audio file {name} named in {where} is ambiguous ({note})",
        "Audiodatei {name}, genannt in {where}, ist nicht eindeutig ({note})",
    ),
    "archive.alexa_same_name": ("{n} audio files are named {name}", "{n} Audiodateien heißen {name}"),
    "archive.found_by_name": ("found by file name at {path}", "am Dateinamen gefunden unter {path}"),
    "archive.found_renamed": ("found as a renamed copy at {path}", "als umbenannte Kopie gefunden unter {path}"),
    "archive.named_audio_not_audio": ("audio file {name} {head}, not audio", "Audiodatei {name} {head}, kein Audio"),
    "archive.named_like_audio": ("named like audio but is not ({head})", "heißt wie Audio, ist aber keines ({head})"),
    "archive.head_empty": ("is empty", "ist leer"),
    "archive.head_text": ('starts with text "{snippet}"', "beginnt mit dem Text „{snippet}“"),
    "archive.head_bytes": ("starts with bytes {hex}", "beginnt mit den Bytes {hex}"),
    "archive.table_beside": (
        "table beside the audio cannot be read ({reason})",
        "Tabelle neben den Audiodateien kann nicht gelesen werden ({reason})",
    ),
    # the whole archive (archive/source.py: ArchiveError)
    "archive.root_none": ("no archive given", "kein Archiv angegeben"),
    "archive.root_missing": ("{root}: no such file or folder", "{root}: keine solche Datei und kein solcher Ordner"),
    "archive.root_unreadable": ("{root}: cannot be read ({reason})", "{root}: kann nicht gelesen werden ({reason})"),
    "archive.root_member": ("{root}: {reason}", "{root}: {reason}"),
    "archive.root_not_zip": (
        "{root}: not a folder or a readable zip archive",
        "{root}: kein Ordner und kein lesbares Zip-Archiv",
    ),
    "archive.root_corrupt_zip": ("{root}: corrupt zip archive ({reason})", "{root}: beschädigtes Zip-Archiv ({reason})"),
    "archive.root_not_archive": ("{root}: not a folder or a zip archive", "{root}: kein Ordner und kein Zip-Archiv"),
    "archive.root_folder_unreadable": (
        "{root}: folder cannot be read ({reason})",
        "{root}: Ordner kann nicht gelesen werden ({reason})",
    ),
    "archive.roots_failed": ("{first}; {rest}", "{first}; {rest}"),
    # the operating system's and zipfile's words (the English is theirs, as they say it)
    "archive.os_denied": ("Permission denied", "Zugriff verweigert"),
    "archive.os_not_permitted": ("Operation not permitted", "Vorgang nicht erlaubt"),
    "archive.os_missing": ("No such file or directory", "Datei oder Ordner nicht vorhanden"),
    "archive.os_io": ("Input/output error", "Ein-/Ausgabefehler"),
    "archive.os_loop": ("Too many levels of symbolic links", "Zu viele Ebenen symbolischer Links"),
    "archive.os_name_too_long": ("File name too long", "Dateiname zu lang"),
    "archive.os_not_dir": ("Not a directory", "Kein Ordner"),
    "archive.os_is_dir": ("Is a directory", "Ist ein Ordner"),
    "archive.os_too_many": ("Too many open files", "Zu viele offene Dateien"),
    "archive.os_no_device": ("No such device or address", "Gerät oder Adresse nicht vorhanden"),
    "archive.os_stale": ("Stale file handle", "Veralteter Datei-Handle"),
    "archive.zip_bad_crc": ("Bad CRC-32 for file '{name}'", "Falsche CRC-32 der Datei „{name}“"),
    "archive.zip_inflate": (
        "Error {n} while decompressing data: {detail}",
        "Fehler {n} beim Entpacken der Daten (zlib: {detail})",
    ),
    "archive.zip_method": ("That compression method is not supported", "Diese Kompressionsmethode wird nicht unterstützt"),
    "archive.zip_bad_magic": ("Bad magic number for file header", "Falsche Kennung im Kopf des Eintrags"),
    "archive.zip_truncated_header": ("Truncated file header", "Abgeschnittener Kopf des Eintrags"),
    "archive.zip_not_zip": ("File is not a zip file", "Die Datei ist keine Zip-Datei"),
    "archive.importer_stopped": (
        "{importer} stopped early ({error})",
        "{importer} hat vorzeitig aufgehört ({error})",
    ),
    "archive.importer_inspect": (
        "{importer} could not inspect the archive ({error})",
        "{importer} konnte das Archiv nicht untersuchen ({error})",
    ),
    # older problems of the archive view, now as messages (same English as before)
    "archive.unreadable": ("cannot be read ({reason})", "kann nicht gelesen werden ({reason})"),
    "archive.folder_unreadable": ("folder cannot be read ({reason})", "Ordner kann nicht gelesen werden ({reason})"),
    "archive.zip_total": (
        "zip declares {size} uncompressed bytes, over the {limit} limit; possible zip bomb: not read",
        "Zip gibt {size} unkomprimierte Bytes an, über der Grenze von {limit}; mögliche Zip-Bombe: nicht gelesen",
    ),
    "archive.zip_entry_size": (
        "entry declares {size} bytes, over the {limit} limit: not read",
        "Eintrag gibt {size} Bytes an, über der Grenze von {limit}: nicht gelesen",
    ),
    "archive.zip_encrypted": (
        "encrypted (password-protected) entry: not read",
        "verschlüsselter (passwortgeschützter) Eintrag: nicht gelesen",
    ),
    "archive.fake_zip": ("named .zip but is not a zip", "heißt .zip, ist aber kein Zip"),
    "archive.nested_too_large": (
        "zip inside the archive is larger than {limit}: not opened",
        "Zip im Archiv ist größer als {limit}: nicht geöffnet",
    ),
    "archive.nested_unreadable": (
        "zip inside the archive cannot be opened ({reason})",
        "Zip im Archiv kann nicht geöffnet werden ({reason})",
    ),
    "archive.nested_deep": (
        "zip nested more than one level deep: not opened",
        "Zip mehr als eine Ebene tief verschachtelt: nicht geöffnet",
    ),
    "archive.size_grows": (
        "yields more bytes than its declared size; not read further",
        "liefert mehr Bytes als seine angegebene Größe; nicht weiter gelesen",
    ),
    "archive.too_large": (
        "{size} bytes, too large to read at once (limit {limit})",
        "{size} Bytes, zu groß, um auf einmal gelesen zu werden (Grenze {limit})",
    ),
    "archive.not_in_archive": ("not in this archive", "nicht in diesem Archiv"),
}
