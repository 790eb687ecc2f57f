"""The archive's key verdicts, in a place of their own: owner found or not, how many flagged, how reliable the
voices are here, problems, each with the numbers behind it.

The status bar says what just happened and is replaced by the next key press; these verdicts stay until the
analysis changes (the window calls :meth:`VerdictPanel.set_case` after every analysis and clears it when the
archive closes). :func:`verdicts` is the pure part: from the case file's voice summary (``voice_meta``), the
rows and, when the window has it, the live voice report, it says what the panel shows, so it is tested
without a window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QMessageBox, QPushButton, QSizePolicy, QWidget

from voicearchive.model import CaseItem

from . import plain
from .i18n import comparison, legacy_core_text, number, ui

OK, WARN, INFO = "ok", "warn", "info"
TONE_MARKS = {OK: "✓", WARN: "⚠", INFO: "•"}  # a sign, not a colour: readable by everyone, in any palette


def tr(text: str) -> str:
    return QCoreApplication.translate("VerdictPanel", text)


@dataclass(frozen=True)
class Verdict:
    id: str  # "owner", "flagged", "reliability", "problems"
    headline: str
    detail: str
    tone: str = INFO

    @property
    def text(self) -> str:
        return f"{self.headline}: {self.detail}" if self.detail else self.headline


def _text(value: Any) -> str:
    """A core text for the user: a Message (rendered), or an older plain English string (translated when
    it is one of the analysis' known sentences)."""
    return legacy_core_text(value) if isinstance(value, str) else ui(value)


def verdicts(meta: dict, items: Sequence[CaseItem], report: Any = None, problems: Iterable = (),
             complete: bool = True) -> list[Verdict]:
    """What the verdict panel says about this state of the case (English or German by the current language).
    ``complete`` is False while the last analysis was stopped before its end."""
    out = [_owner(meta, items), _flagged(meta, items)]
    reliability = _reliability(meta, items, report)
    if reliability is not None:
        out.append(reliability)
    out.append(_problems(items, list(problems), complete))
    return out


def _best_similarity(items: Sequence[CaseItem]) -> float | None:
    scores = [i.voice.deciding_score for i in items
              if i.voice is not None and i.voice.deciding_score is not None and not i.voice.uncertain]
    return max(scores) if scores else None


def _owner(meta: dict, items: Sequence[CaseItem]) -> Verdict:
    if not meta:
        return Verdict("owner", tr("Owner"), tr("the voices are not analysed yet"), INFO)
    source = meta.get("owner_source")
    name = ui(meta.get("owner_name"))
    threshold = meta.get("threshold")
    if source and name:
        detail = f"{name} ({_text(source)})"  # the source says how many recordings the owner's voice holds
        doubt = meta.get("owner_doubt")  # a learned owner with a close rival: say so, and warn
        if doubt:
            return Verdict("owner", tr("Owner found"), f"{detail}. {_text(doubt)}", WARN)
        return Verdict("owner", tr("Owner found"), detail, OK)
    best = _best_similarity(items)
    detail = _text(meta.get("message")) or tr("no voice of this archive is the owner's")
    if best is not None and threshold is not None:
        b, t = comparison(best, float(threshold))
        detail += " " + tr("(best owner score %1, threshold %2)").replace("%1", b).replace("%2", t)
    return Verdict("owner", tr("Owner not found"), detail, WARN)


def _flagged(meta: dict, items: Sequence[CaseItem]) -> Verdict:
    judged = [i for i in items if i.rec.has_audio]
    flagged = sum(1 for i in items if i.flagged)
    head = tr("%1 of %2 recordings flagged").replace("%1", number(flagged)).replace("%2", number(len(judged)))
    threshold = meta.get("threshold") if meta else None
    if threshold is None:
        return Verdict("flagged", head, tr("by your marks only, until the voices are analysed"), INFO)
    detail = tr("unlike the owner and the household: owner score below %1 (%2)").replace(
        "%1", number(float(threshold), ".2f")).replace("%2", _text(meta.get("threshold_source")))
    return Verdict("flagged", head, detail, WARN if flagged else OK)


def _reliability(meta: dict, items: Sequence[CaseItem], report: Any) -> Verdict | None:
    stated = getattr(report, "reliability", None) if report is not None else None
    stated = stated or (meta.get("reliability") if meta else None)
    if stated:
        return Verdict("reliability", tr("Reliability"), _text(stated), INFO)
    voiced = [i for i in items if i.voice is not None]
    if not voiced:
        return None
    uncertain = sum(1 for i in voiced if i.voice.uncertain)
    detail = tr("%1 of %2 recordings have enough speech to judge").replace(
        "%1", number(len(voiced) - uncertain)).replace("%2", number(len(voiced)))
    return Verdict("reliability", tr("Reliability"), detail, WARN if uncertain * 2 > len(voiced) else INFO)


def _problems(items: Sequence[CaseItem], problems: list, complete: bool = True) -> Verdict:
    unread = [i for i in items if i.rec.member_path and i.rec.problem]
    count = len(unread) + len(problems)
    if not complete:
        detail = tr("the analysis was stopped; Resume reads and analyses the rest")
        if count:
            detail += " " + tr("(%1 problems so far)").replace("%1", number(count))
        return Verdict("problems", tr("Not finished"), detail, WARN)
    if not count:
        return Verdict("problems", tr("No problems"), tr("every file of the archive was read"), OK)
    first = (f"{unread[0].rec.member_path}: {_text(unread[0].rec.problem)}" if unread
             else _problem_text(problems[0]))
    head = tr("1 problem") if count == 1 else tr("%1 problems").replace("%1", number(count))
    return Verdict("problems", head, tr("files not read, e.g. %1").replace("%1", first), WARN)


def _problem_text(problem: Any) -> str:
    if isinstance(problem, (list, tuple)) and len(problem) >= 3:
        path = problem[1] or problem[0]
        return f"{path}: {_text(problem[2])}" if path else _text(problem[2])
    return _text(problem)


class VerdictPanel(QFrame):
    """Four short verdicts above the views, and a button that explains the threshold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdict_panel")
        self.setAccessibleName(tr("Verdicts on this archive"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.labels: dict[str, QLabel] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(2)
        for index, verdict_id in enumerate(("owner", "flagged", "reliability", "problems")):
            label = QLabel("", self)
            label.setObjectName(f"verdict_{verdict_id}")
            label.setTextFormat(Qt.TextFormat.PlainText)  # names and problems come from the evidence
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            # The panel decides the height (_fit_height): a wrapped label's own minimum is the height it
            # would need at its narrowest, which made the dock grow the window and drew the text out of view.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            layout.addWidget(label, index // 2, index % 2)
            self.labels[verdict_id] = label
        self.explain = QPushButton(tr("What is the threshold?"), self)
        self.explain.setObjectName("verdict_explain")
        self.explain.setToolTip(tr("How VoiceArchive decides that a recording is unlike the owner"))
        self.explain.clicked.connect(self.explain_threshold)
        layout.addWidget(self.explain, 0, 2, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.verdicts: list[Verdict] = []
        self.clear()

    def _fit_height(self) -> None:
        """As tall as the wrapped verdicts need at this width, never more (the views keep the room)."""
        layout = self.layout()
        margins = layout.contentsMargins()
        width = self.width()
        if width < 300 and self.window() is not None:  # not laid out yet: the window's width is what it gets
            width = self.window().width()
        spacing = layout.horizontalSpacing()
        column = max(80, (width - margins.left() - margins.right() - self.explain.sizeHint().width()
                          - 2 * spacing) // 2 - 8)  # a little narrower than the grid gives: never clip a line
        rows: dict[int, int] = {}
        for index, label in enumerate(self.labels.values()):
            if label.isVisibleTo(self) and label.text():
                rows[index // 2] = max(rows.get(index // 2, 0), label.heightForWidth(column))
        content = sum(rows.values()) + (layout.verticalSpacing() + 2) * max(0, len(rows) - 1) + 2
        height = max(content, self.explain.sizeHint().height()) + margins.top() + margins.bottom()
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_height()

    def clear(self) -> None:
        self.verdicts = []
        for label in self.labels.values():
            label.setText("")
            label.setVisible(False)
        self.setVisible(False)

    def set_case(self, meta: dict, items: Sequence[CaseItem], report: Any = None, problems: Iterable = (),
                 complete: bool = True) -> None:
        self.verdicts = verdicts(meta or {}, items, report, problems, complete)
        shown = {v.id: v for v in self.verdicts}
        for verdict_id, label in self.labels.items():
            verdict = shown.get(verdict_id)
            label.setVisible(verdict is not None)
            if verdict is None:
                continue
            label.setText(plain.text(f"{TONE_MARKS[verdict.tone]} {verdict.text}"))
            label.setToolTip(plain.tooltip(verdict.text))  # it may name evidence files: never rich text
            label.setAccessibleDescription(verdict.text)
        self.setVisible(True)
        self._fit_height()

    def explain_threshold(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, tr("The threshold"), threshold_help_title(), parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(threshold_help())
        box.setObjectName("threshold_help")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()


def threshold_help_title() -> str:  # a function: looked up in the user's language when shown
    return tr("A recording is flagged when its voice is unlike the owner's and unlike every household voice.")


def threshold_help() -> str:
    return tr(
        "Each recording's voice print is compared with the owner's and with the archive's other voices. Its owner "
        "score runs from -1 (like the other voices) to 1 (like the owner); it is a measure of likeness, not a proof "
        "of identity. The threshold is the owner score below which a recording counts as someone else's. "
        "VoiceArchive sets it from the owner's own recordings (how much the owner varies from one recording to the "
        "next), never by splitting the archive in two; you can move it on the histogram in the Voices view, and "
        "the count of flagged recordings follows. Recordings with less than 0.8 seconds of speech are too short to "
        "judge and are never flagged."
    )
