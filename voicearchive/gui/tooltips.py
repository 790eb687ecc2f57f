"""Tooltips that show evidence as plain text.

Qt guesses whether a tooltip is rich text (``Qt::mightBeRichText``): a transcript or file name like
``<img src=...>.wav`` would be rendered as HTML. ``plain_tooltip`` makes the guess certain: the text is
escaped and wrapped in ``<qt>``, so every character shows as written.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows exactly these characters ("" stays "": no tooltip)."""
    if not text:
        return ""
    return "<qt>" + html.escape(text, quote=False).replace("\n", "<br>") + "</qt>"
