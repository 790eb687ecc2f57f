"""Texts for the pipeline messages (code -> (English, German)). Codes are "pipeline.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {
    # progress
    "pipeline.listing": ("Listing the archive…", "Archiv wird aufgelistet …"),
    "pipeline.read": ("Read {n} {n:p:item|items}", "{n} {n:p:Eintrag|Einträge} gelesen"),
    "pipeline.analysing_start": ("Analysing {n} {n:p:recording|recordings}…",
                                 "{n} {n:p:Aufnahme wird|Aufnahmen werden} analysiert …"),
    "pipeline.analysed": ("Analysed {done} of {total} recordings", "{done} von {total} Aufnahmen analysiert"),
    "pipeline.long_chunk": ("Analysing a long recording: {done_s:.0f} of {total_s:.0f} s",
                            "Lange Aufnahme wird analysiert: {done_s:.0f} von {total_s:.0f} s"),
    "pipeline.grouping": ("Grouping voices…", "Stimmen werden gruppiert …"),
    "pipeline.complete": ("Analysis complete", "Analyse abgeschlossen"),
    # problems of one recording
    "pipeline.unreadable": ("could not read: {reason}", "konnte nicht gelesen werden: {reason}"),
    "pipeline.changed": ("the file changed since it was listed (its SHA-256 differs): not analysed",
                         "die Datei hat sich seit dem Auflisten geändert (SHA-256 weicht ab): nicht analysiert"),
    "pipeline.worker_died": ("analysis stopped its worker {n} times ({reason}): not analysed",
                             "die Analyse hat ihren Worker {n}-mal beendet ({reason}): nicht analysiert"),
    "pipeline.long_bad_audio": ("long recording cannot be read in blocks: {reason}",
                                "lange Aufnahme kann nicht blockweise gelesen werden: {reason}"),
    "pipeline.stage_failed": ("{stage} failed: {reason}", "Schritt {stage} fehlgeschlagen: {reason}"),
    "pipeline.voice_failed": ("voice analysis failed: {reason}", "Stimmanalyse fehlgeschlagen: {reason}"),
    "pipeline.decode_failed": ("could not decode: {reason}", "konnte nicht dekodiert werden: {reason}"),
    "pipeline.no_samples": ("no audio samples", "keine Audio-Samples"),
    "pipeline.too_long_for_stage": ("{size} bytes: too long for the {stage} stage (only the envelope and the "
                                    "voice analysis read long recordings in chunks)",
                                    "{size} Bytes: zu lang für den Schritt {stage} (nur Hüllkurve und "
                                    "Stimmanalyse lesen lange Aufnahmen abschnittsweise)"),
    # enrolling the owner from a sample
    "pipeline.enrol_no_speech": ("{name}: no speech found in this sample",
                                 "{name}: in dieser Probe wurde keine Sprache gefunden"),
    "pipeline.enrol_too_large": ("larger than {mb} MB: too large for a voice sample",
                                 "größer als {mb} MB: zu groß für eine Stimmprobe"),
    # the cluster
    "pipeline.cluster_lost": ("the cluster went away ({reason}); what was analysed is kept, run the scan again "
                              "to go on", "der Cluster ist nicht mehr erreichbar ({reason}); das bereits "
                              "Analysierte bleibt erhalten, ein neuer Scan macht weiter"),
    "pipeline.worker_version": ("a cluster worker runs another version ({detail}); start the workers with this "
                                "VoiceArchive and its model",
                                "ein Cluster-Worker läuft mit einer anderen Version ({detail}); starten Sie die "
                                "Worker mit diesem VoiceArchive und seinem Modell"),
    # the {detail} of pipeline.worker_version: which versions differ
    "pipeline.version_item": ("{name}: worker {theirs}, here {ours}", "{name}: Worker {theirs}, hier {ours}"),
    "pipeline.version_items": ("{first}; {rest}", "{first}; {rest}"),
    "pipeline.version_worker": ("{worker}: {detail}", "{worker}: {detail}"),
    "pipeline.cluster_insecure": ("{address}: plain tcp:// would send the evidence across the network in clear; "
                                  "use tls:// with --tls-ca-file, --tls-cert and --tls-key, or add "
                                  "--insecure-cluster if this network is yours",
                                  "{address}: unverschlüsseltes tcp:// würde die Beweismittel im Klartext über das "
                                  "Netz senden; verwenden Sie tls:// mit --tls-ca-file, --tls-cert und --tls-key "
                                  "oder geben Sie --insecure-cluster an, wenn dieses Netz Ihres ist"),
    "pipeline.cluster_address": ("{address}: not a cluster address (tcp://HOST:PORT, tls://HOST:PORT or local:N)",
                                 "{address}: keine Cluster-Adresse (tcp://HOST:PORT, tls://HOST:PORT oder local:N)"),
    "pipeline.cluster_tls_files": ("tls:// needs --tls-ca-file, --tls-cert and --tls-key ({missing} missing)",
                                   "tls:// braucht --tls-ca-file, --tls-cert und --tls-key (es fehlt: {missing})"),
    "pipeline.cluster_no_dask": ("--cluster needs Dask: pip install 'voicearchive[cluster]' ({reason})",
                                 "--cluster braucht Dask: pip install 'voicearchive[cluster]' ({reason})"),
    "pipeline.cluster_connect": ("cannot reach the cluster at {address}: {reason}",
                                 "der Cluster unter {address} ist nicht erreichbar: {reason}"),
    "pipeline.cluster_no_workers": ("the cluster at {address} has no workers", "der Cluster unter {address} hat "
                                    "keine Worker"),
    "pipeline.cluster_status": ("the client is {status}", "der Client ist {status}"),
    "pipeline.cluster_no_answer": ("no answer from the scheduler", "keine Antwort vom Scheduler"),
    "pipeline.cluster_connected": ("cluster {address}: {n} {n:p:worker|workers}, {threads} threads",
                                   "Cluster {address}: {n} Worker, {threads} Threads"),
}
