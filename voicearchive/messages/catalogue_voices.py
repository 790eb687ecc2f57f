"""Texts for the voices messages (code -> (English, German)). Codes are "voices.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {
    # voice names
    "voices.group.name": ("Voice {letters}", "Stimme {letters}"),
    "voices.group.unique": ("unique voice", "einmalige Stimme"),
    # how the owner was found (the owner line: always true)
    "voices.owner.set": (
        "the {n:,} recordings most like each other, grown from the largest group ({seed:,} recordings)",
        "die {n:,} einander ähnlichsten Aufnahmen, gewachsen aus der größten Gruppe ({seed:,} Aufnahmen)",
    ),
    "voices.owner.set_sibling": (
        "the {n:,} recordings most like each other, grown from the voice heard most often beside the largest "
        "group ({seed:,} recordings to start from)",
        "die {n:,} einander ähnlichsten Aufnahmen, gewachsen aus der Stimme, die neben der größten Gruppe am "
        "häufigsten zu hören ist ({seed:,} Aufnahmen zu Beginn)",
    ),
    "voices.owner.user": (
        "the voice you named the owner's ({seed:,} recordings), grown to {n:,} recordings like it",
        "die Stimme, die Sie als die des Besitzers benannt haben ({seed:,} Aufnahmen), erweitert auf {n:,} "
        "ähnliche Aufnahmen",
    ),
    "voices.owner.enrolled": (
        "enrolled from {samples} {samples:p:sample|samples}; found in the archive: {n:,} recordings",
        "aus {samples} {samples:p:Probe|Proben} angelernt; im Archiv gefunden: {n:,} Aufnahmen",
    ),
    "voices.owner.enrolled_absent": (
        "enrolled from {samples} {samples:p:sample|samples}; no voice of the archive matches",
        "aus {samples} {samples:p:Probe|Proben} angelernt; keine Stimme des Archivs passt",
    ),
    "voices.owner.rival": (
        "{name} is heard often too ({n:,} recordings against {owner_n:,} in {owner}): the owner is taken "
        "to be the voice heard most, so check it; if {name} is the owner's, mark it as the owner's in the Voices "
        "view",
        "{name} ist ebenfalls oft zu hören ({n:,} Aufnahmen gegenüber {owner_n:,} in {owner}): als Besitzer "
        "gilt die am häufigsten gehörte Stimme, prüfen Sie das also; gehört {name} dem Besitzer, markieren Sie "
        "sie in der Ansicht Stimmen als die des Besitzers",
    ),
    "voices.owner.line": ("Owner: {name}, {source}.", "Besitzer: {name}, {source}."),
    "voices.owner.line_absent": ("Owner: {source}.", "Besitzer: {source}."),
    "voices.owner.none": (
        "No voice recurs often enough to be taken for the owner's: name the owner's voice or enrol the owner",
        "Keine Stimme kommt oft genug vor, um als die des Besitzers zu gelten: benennen Sie die Stimme des "
        "Besitzers oder lernen Sie sie an",
    ),
    "voices.enrol.no_match": (
        "No recording in this archive matches the enrolled owner's voice: these recordings may be someone else's",
        "Keine Aufnahme dieses Archivs passt zur angelernten Stimme des Besitzers: diese Aufnahmen könnten "
        "von jemand anderem stammen",
    ),
    "voices.enrol.no_voice_match": (
        "No voice in this archive matches the enrolled owner's voice (only {n} {n:p:recording comes|recordings "
        "come} close): these recordings may be someone else's",
        "Keine Stimme dieses Archivs passt zur angelernten Stimme des Besitzers (nur {n} {n:p:Aufnahme "
        "kommt|Aufnahmen kommen} nahe): diese Aufnahmen könnten von jemand anderem stammen",
    ),
    # the threshold
    "voices.threshold.auto": (
        "automatic: from the owner's own scores", "automatisch: aus den eigenen Werten des Besitzers"),
    "voices.threshold.user": ("set by you", "von Ihnen gesetzt"),
    "voices.threshold.groups": (
        "automatic: too few owner recordings, from how this archive's voices spread",
        "automatisch: zu wenige Aufnahmen des Besitzers, aus der Streuung der Stimmen dieses Archivs",
    ),
    "voices.threshold.default": (
        "default: too few owner recordings to learn from",
        "Standard: zu wenige Aufnahmen des Besitzers, um daraus zu lernen",
    ),
    # flag reasons
    "voices.reason.unlike_owner": (
        "unlike the owner (score {score:.2f} < {threshold:.2f}); {voice}",
        "anders als der Besitzer (Wert {score:.2f} < {threshold:.2f}); {voice}",
    ),
    "voices.reason.unlike_household": (
        "unlike the owner and the household (score {score:.2f} < {threshold:.2f}); {voice}",
        "anders als Besitzer und Haushalt (Wert {score:.2f} < {threshold:.2f}); {voice}",
    ),
    "voices.reason.voice_heard": ("{name}, heard {n} times", "{name}, {n}-mal gehört"),
    "voices.reason.voice_stranger": (
        "{name}, a voice you named a stranger's, heard {n} times",
        "{name}, eine Stimme, die Sie als fremd benannt haben, {n}-mal gehört",
    ),
    "voices.reason.voice_unique": (
        "a voice not heard often enough to form a group",
        "eine Stimme, die zu selten vorkommt, um eine Gruppe zu bilden",
    ),
    "voices.reason.other_voice": (
        "another voice at {spans} s (score {score:.2f})", "eine weitere Stimme bei {spans} s (Wert {score:.2f})"),
    "voices.reason.both": ("{first}; {second}", "{first}; {second}"),
    "voices.reason.with_vendor": ("{reason}; vendor says: {hint}", "{reason}; laut Anbieter: {hint}"),
    "voices.reason.short": (
        "too little speech to judge ({speech:.1f} s; at least {least:.1f} s needed)",
        "zu wenig Sprache, um zu urteilen ({speech:.1f} s; mindestens {least:.1f} s nötig)",
    ),
    "voices.reason.no_speech": ("no speech found", "keine Sprache gefunden"),
    # the user's marks
    "voices.mark.flagged": ("flagged by the user", "vom Benutzer markiert"),
    "voices.mark.stranger": ("marked as a stranger by the user", "vom Benutzer als fremd markiert"),
    # the speaker model and the samples it is given (voices/weights.py, voices/features.py)
    "voices.model.unreadable": ("The speaker model {path} cannot be read ({reason}); reinstall VoiceArchive.",
                                "Das Sprechermodell {path} lässt sich nicht lesen ({reason}); installieren Sie "
                                "VoiceArchive neu."),
    "voices.model.altered": (
        "The speaker model {path} is damaged or has been altered: its SHA-256 is {digest}, expected {expected}. "
        "Reinstall VoiceArchive; voice analysis is disabled until then.",
        "Das Sprechermodell {path} ist beschädigt oder wurde verändert: seine SHA-256 ist {digest}, erwartet "
        "war {expected}. Installieren Sie VoiceArchive neu; bis dahin ist die Stimmanalyse abgeschaltet.",
    ),
    "voices.model.layout": ("The speaker model {path} has an unexpected layout: {reason}",
                            "Das Sprechermodell {path} hat einen unerwarteten Aufbau: {reason}"),
    "voices.audio.not_mono": ("expected mono samples (one dimension), got shape {shape}",
                              "Mono-Samples erwartet (eine Dimension), erhalten: Form {shape}"),
    "voices.audio.bad_rate": ("invalid sample rate {rate}", "ungültige Abtastrate {rate}"),
    "voices.audio.not_float": ("expected floating-point samples in [-1, 1], got {dtype}",
                               "Gleitkomma-Samples in [-1, 1] erwartet, erhalten: {dtype}"),
    "voices.audio.not_finite": ("the decoded audio contains NaN or infinite samples",
                                "der dekodierte Ton enthält NaN- oder unendliche Samples"),
    # how far the flags can be trusted in this archive
    "voices.reliability.good": (
        "Voices are told apart well here: the owner's recordings agree ({agreement:.2f}), {speech:.1f} s of "
        "speech per recording, {narrowband}% narrow-band",
        "Stimmen sind hier gut zu unterscheiden: die Aufnahmen des Besitzers stimmen überein ({agreement:.2f}), "
        "{speech:.1f} s Sprache je Aufnahme, {narrowband} % schmalbandig",
    ),
    "voices.reliability.fair": (
        "Voices are told apart only fairly here (owner agreement {agreement:.2f}, {speech:.1f} s of speech per "
        "recording, {narrowband}% narrow-band): check the flags near the threshold",
        "Stimmen sind hier nur mäßig zu unterscheiden (Übereinstimmung des Besitzers {agreement:.2f}, "
        "{speech:.1f} s Sprache je Aufnahme, {narrowband} % schmalbandig): prüfen Sie die Markierungen nahe "
        "der Schwelle",
    ),
    "voices.reliability.poor": (
        "Voices are hard to tell apart here (owner agreement {agreement:.2f}, {speech:.1f} s of speech per "
        "recording, {narrowband}% narrow-band): listen to every flag before trusting it; an unflagged "
        "recording may be someone else's too",
        "Stimmen sind hier schwer zu unterscheiden (Übereinstimmung des Besitzers {agreement:.2f}, "
        "{speech:.1f} s Sprache je Aufnahme, {narrowband} % schmalbandig): hören Sie jede Markierung an, "
        "bevor Sie ihr trauen; auch eine nicht markierte Aufnahme kann von jemand anderem sein",
    ),
    "voices.reliability.one_voice": (
        "Nearly every recording is in the owner's voice ({outside} {outside:p:recording|recordings} outside it): "
        "either no one else speaks here, or the other voices could not be told from the owner's (owner agreement {agreement:.2f}, "
        "{speech:.1f} s of speech per recording, {narrowband}% narrow-band): an unflagged recording is not "
        "proof that it is the owner's",
        "Fast jede Aufnahme gehört zur Stimme des Besitzers ({outside} {outside:p:Aufnahme|Aufnahmen} außerhalb): "
        "entweder spricht hier niemand sonst, oder die anderen Stimmen ließen sich nicht von der des Besitzers unterscheiden "
        "(Übereinstimmung des Besitzers {agreement:.2f}, {speech:.1f} s Sprache je Aufnahme, {narrowband} % "
        "schmalbandig): eine nicht markierte Aufnahme ist kein Beweis, dass sie vom Besitzer ist",
    ),
    "voices.reliability.no_owner": (
        "The owner's voice is not known well enough ({n} recordings) to judge other voices: listen to every flag",
        "Die Stimme des Besitzers ist nicht gut genug bekannt ({n} Aufnahmen), um andere Stimmen zu beurteilen: "
        "hören Sie jede Markierung an",
    ),
    # the scan summary's voice lines (voices/summary.py)
    "voices.summary.groups": (
        "Voices: {n} {n:p:group|groups}: {names}", "Stimmen: {n} {n:p:Gruppe|Gruppen}: {names}"
    ),
    "voices.summary.unique": ("  unique voices (heard only once or twice): {n}",
                              "  einmalige Stimmen (nur ein- oder zweimal gehört): {n}"),
    "voices.summary.threshold": ("  threshold: {t:.3f} ({source})", "  Schwelle: {t:.3f} ({source})"),
    "voices.summary.reliability": ("  reliability: {verdict}", "  Verlässlichkeit: {verdict}"),
    "voices.summary.flagged": ("Flagged: {n} {n:p:recording|recordings} unlike the owner and household",
                               "Markiert: {n} {n:p:Aufnahme|Aufnahmen} anders als Besitzer und Haushalt"),
    "voices.summary.note": ("Note: {note}", "Hinweis: {note}"),
}
