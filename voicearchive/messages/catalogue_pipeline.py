"""Texts for the pipeline messages (code -> (English, German)). Codes are "pipeline.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {}
