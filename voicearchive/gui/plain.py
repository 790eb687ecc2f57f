"""Text from evidence shown as plain text, never as Qt rich text, and never so long it stalls a view.

Qt guesses whether a string is rich text (``Qt.mightBeRichText``) for labels in ``AutoText`` mode and
for every tooltip. A transcript ``Said <img src="/dev/zero">`` would then read a file outside the
evidence (or hang on a FIFO), and ``<span style='color:transparent'>`` would hide words. So:

- labels: :func:`plain_labels` sets ``Qt.PlainText`` on every ``QLabel`` under a widget (the main window
  calls it once built and after a case opens); a label whose text is our own rich text opts out with
  :func:`allow_rich`. :func:`set_plain` sets a label's text with the format forced and the length capped.
- tooltips: :func:`tooltip` caps the text's length and hands it to ``tooltips.plain_tooltip``, which
  escapes anything tag-like into rich text that shows it literally (so Qt's guess is harmless) and leaves
  other text as it is. Use it for every ``setToolTip`` and ``ToolTipRole`` that can hold evidence text
  (and for pyqtgraph's ``tip=`` callbacks).
- control characters and bidi: every evidence-derived text goes through :func:`line` (one line: names,
  paths, devices, cells, titles) or :func:`text` (transcripts, messages: line breaks kept), which escape
  control characters, bidi overrides (``evil\u202ewav.exe`` would read ``evilexe.vaw``) and undecodable
  bytes (``safe_text.display``); :func:`set_plain` and :func:`tooltip` do it themselves.
- long texts: :func:`elide` keeps the first ``limit`` characters and says how many more there are; a
  1 MB transcript in a word-wrapped label takes seconds to lay out, the first 4,000 characters do not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from voicearchive.messages import Message, render
from voicearchive.safe_text import display

from .tooltips import plain_tooltip

RICH_PROPERTY = "voicearchiveRichText"  # set on a QLabel whose (own, trusted) text is rich on purpose
LABEL_LIMIT = 4000  # characters of one text shown in a label
TOOLTIP_LIMIT = 1000  # characters of one text shown in a tooltip
LIST_LIMIT = 300  # characters of one text shown in a list cell
TOOLTIP_PREFIX = "<qt>"  # how an escaped tooltip begins (tooltips.plain_tooltip; tests look for it)


def elide(text: object, limit: int = LABEL_LIMIT) -> str:
    """``text`` (a str or a Message, rendered) cut to ``limit`` characters, saying how many were left out."""
    value = render(text) if isinstance(text, Message) else ("" if text is None else str(text))
    if len(value) <= limit:
        return value
    return value[:limit] + " " + render(Message.of("export.elided", n=len(value) - limit))


def line(value: object, limit: int = LIST_LIMIT) -> str:
    """``value`` (a str or a Message) as one line of the window: at most ``limit`` characters, control
    characters, line breaks, bidi controls and undecodable bytes as visible escapes."""
    return display(elide(value, limit))


def text(value: object, limit: int = LABEL_LIMIT) -> str:
    """``value`` (a str or a Message) as a text of several lines: at most ``limit`` characters, line
    breaks kept, every other control character, bidi control and undecodable byte a visible escape."""
    return display(elide(value, limit), multiline=True)


def tooltip(value: object, limit: int = TOOLTIP_LIMIT) -> str:
    """A tooltip that shows ``value`` literally: capped at ``limit`` characters, escaped when it holds
    anything tag-like, line breaks kept, control and bidi characters escaped (``tooltips.plain_tooltip``).
    Empty text gives an empty tooltip (none shown)."""
    value = elide(value, limit)
    return plain_tooltip(value) if value else ""


def allow_rich(label: QLabel) -> QLabel:
    """Mark ``label`` as showing our own rich text (never evidence): :func:`plain_labels` leaves it."""
    label.setProperty(RICH_PROPERTY, True)
    return label


def is_rich_allowed(label: QLabel) -> bool:
    return bool(label.property(RICH_PROPERTY))


def plain_labels(root: QWidget) -> int:
    """Set ``Qt.PlainText`` on ``root`` (if a label) and every ``QLabel`` under it, except those marked by
    :func:`allow_rich`. Returns how many labels were changed."""
    labels = root.findChildren(QLabel)
    if isinstance(root, QLabel):
        labels.append(root)
    changed = 0
    for label in labels:
        if not is_rich_allowed(label) and label.textFormat() != Qt.TextFormat.PlainText:
            label.setTextFormat(Qt.TextFormat.PlainText)
            changed += 1
    return changed


def set_plain(label: QLabel, value: object, limit: int = LABEL_LIMIT, *, one_line: bool = False) -> None:
    """Show ``value`` in ``label`` as plain text, at most ``limit`` characters of it, escaped by
    :func:`text` (or :func:`line` with ``one_line``)."""
    if label.textFormat() != Qt.TextFormat.PlainText:
        label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(line(value, limit) if one_line else text(value, limit))
