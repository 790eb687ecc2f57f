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
