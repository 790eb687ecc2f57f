"""Tooltips that show evidence as plain text.

Qt guesses whether a tooltip is rich text (``Qt::mightBeRichText``, which looks for a tag): a transcript
or file name like ``<img src=...>.wav`` would be rendered as HTML. ``plain_tooltip`` makes the guess
certain: text with anything like a tag (``<`` then a letter, ``/`` or ``!``) is escaped and wrapped in
``<qt>``, so every character shows as written; other text ("0.57 < 0.80") cannot be taken for HTML and is
returned as it is. Control characters, bidi controls and undecodable bytes are escaped first
(``safe_text.display``, line breaks kept), so a tooltip never reads reversed.
"""

from __future__ import annotations

import html
import re

from voicearchive.safe_text import display

_TAG_LIKE = re.compile(r"<\s*[A-Za-z/!?]")


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows exactly these characters ("" stays "": no tooltip)."""
    text = display(text, multiline=True)
    if not _TAG_LIKE.search(text):
        return text
    return "<qt>" + html.escape(text, quote=False).replace("\n", "<br>") + "</qt>"
