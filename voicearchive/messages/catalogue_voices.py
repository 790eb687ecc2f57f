"""Texts for the voices messages (code -> (English, German)). Codes are "voices.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {}
