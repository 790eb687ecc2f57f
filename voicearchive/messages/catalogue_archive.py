"""Texts for the archive messages (code -> (English, German)). Codes are "archive.<what>"."""

MESSAGES: dict[str, tuple[str, str]] = {}
