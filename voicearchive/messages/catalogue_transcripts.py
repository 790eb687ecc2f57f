"""Texts for the transcripts messages (code -> (English, German)). Codes are "transcripts.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {}
