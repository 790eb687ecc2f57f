"""Texts for messages shared by every layer (code -> (English, German))."""

MESSAGES: dict[str, tuple[str, str]] = {
    # A plain text that came from outside the catalogue (an old case file, an OS error): shown as it is.
    "text": ("{text}", "{text}"),
    "count.recordings": ("{n} {n:p:recording|recordings}", "{n} {n:p:Aufnahme|Aufnahmen}"),
}
