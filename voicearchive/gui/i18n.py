"""The user's language in the window: which one, applying it, and the one helper that shows any text.

The core hands the GUI :class:`~voicearchive.messages.Message` values (codes with parameters) or, in code
not yet moved over, plain strings. :func:`ui` turns either (or a Message stored as JSON in the case file)
into the text of the chosen language, so every view calls the same function. GUI-only texts go through
Qt's ``tr()`` and the translators this module installs. Numbers and dates follow the language too
(``0,62`` and ``14.06.2018`` in German).

The language is a setting (``settings.Key.LANGUAGE``: "" follows the system, else "en" or "de"). Qt builds
its widgets' texts once, so a new choice takes effect at the next start; the window says so.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from voicearchive import messages
from voicearchive.messages import Message
from voicearchive.messages.numbers import comparison_places

from . import settings

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}  # each in its own language: found whatever is chosen
SYSTEM = ""  # the setting's value for "as the system is set"


def tr(text: str) -> str:
    return QCoreApplication.translate("i18n", text)


def system_language() -> str:
    """The system's language if VoiceArchive speaks it, else English."""
    env_lang = messages.language_from_env()
    if env_lang != "en":
        return env_lang
    name = QLocale.system().name().split("_")[0].lower()
    return name if name in messages.LANGUAGES else "en"


def chosen_setting() -> str:
    """What the user chose in View > Language ("" for the system's language)."""
    value = str(settings.value(settings.Key.LANGUAGE, SYSTEM) or SYSTEM)
    return value if value in messages.LANGUAGES else SYSTEM


def chosen_language() -> str:
    return chosen_setting() or system_language()


def choose(lang: str) -> bool:
    """Remember ``lang`` ("" for the system's) for the next start; True if that changes the language."""
    lang = lang if lang in messages.LANGUAGES else SYSTEM
    before = chosen_language()
    settings.set_value(settings.Key.LANGUAGE, lang)
    return chosen_language() != before


def qlocale(lang: str) -> QLocale:
    return QLocale(QLocale.Language.German, QLocale.Country.Germany) if lang == "de" else QLocale(
        QLocale.Language.English, QLocale.Country.UnitedStates)


def apply_language(app, lang: str | None = None) -> list[QTranslator]:
    """Use ``lang`` (the chosen one by default) for the messages, Qt's locale and the translators."""
    lang = lang if lang in messages.LANGUAGES else chosen_language()
    messages.set_language(lang)
    localise_plot_numbers()
    QLocale.setDefault(qlocale(lang))
    for old in app.property("voicearchive_translators") or []:
        app.removeTranslator(old)
    translators: list[QTranslator] = []
    if lang != "en":
        candidates = [("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
        try:
            from voicearchive.resources import resource

            candidates.append(("voicearchive", str(resource("translations"))))
        except FileNotFoundError:
            pass
        for name, folder in candidates:
            translator = QTranslator(app)
            if translator.load(qlocale(lang), name, "_", folder):
                app.installTranslator(translator)
                translators.append(translator)
    app.setProperty("voicearchive_translators", translators)  # keep them alive with the app
    return translators


def language() -> str:
    """The language the window speaks now."""
    return messages.language()


def ui(value: Any) -> str:
    """Any text for the user: a Message, a Message stored as JSON, a plain string, or nothing."""
    if value is None:
        return ""
    if isinstance(value, Message):
        return messages.render(value)
    if isinstance(value, dict) and isinstance(value.get("code"), str):  # a Message inside a stored JSON object
        return messages.render(Message.from_json(json.dumps(value)))
    if isinstance(value, str):
        if value.startswith('{"code"'):
            try:
                if isinstance(json.loads(value), dict):
                    return messages.render(Message.from_json(value))
            except ValueError:
                pass
        return value
    return str(value)


def number(value: float | int, spec: str = "") -> str:
    """``value`` with the language's decimal mark and digit grouping."""
    return messages.format_number(value, messages.language(), spec)


def when(value: datetime, *, with_time: bool = True) -> str:
    return messages.format_datetime(value, messages.language(), with_time=with_time)


def month(index: int) -> str:
    return messages.month_name(index, messages.language())


def comparison(value: float, limit: float, digits: int = 2) -> tuple[str, str]:
    """``value`` and ``limit`` with as many decimals as it takes (2 to 4) for their order to show:
    0.797 < 0.80 reads "0.797" and "0.800", never "0.80 < 0.80"."""
    spec = f".{comparison_places(value, limit, least=digits)}f"
    return number(value, spec), number(limit, spec)


# --- the core's words for the user ---------------------------------------------------------------------
def role_name(role: str | None) -> str:
    """A voice role as a word in a sentence ("marked as a stranger")."""
    return {"owner": tr("the owner"), "household": tr("household"), "stranger": tr("a stranger")}.get(
        role or "", role or "")


def marked_as(role: str) -> str:
    return tr("marked as %1").replace("%1", role_name(role))


def time_basis(basis: str) -> str:
    """Where a recording's time came from, as the detail view says it ("from the vendor's metadata")."""
    return {
        "metadata": tr("from the vendor's metadata"),
        "utterance-id": tr("from the utterance id"),
        "file-name": tr("from the file name"),
        "file-mtime": tr("from the file's modification time"),
    }.get(basis, tr("from %1").replace("%1", basis))


def size(n: int) -> str:
    """A file size for people: "12,636 bytes" / "12.636 Byte"."""
    return (tr("%1 byte") if n == 1 else tr("%1 bytes")).replace("%1", number(int(n)))


def history_text(action, undo: bool, *, done: bool = False) -> str:
    """The Undo/Redo menu text for a ``case.labels.Action`` ("Undo flagging 3 recordings", "Rückgängig:
    3 Aufnahmen markieren"), or with ``done`` what the status bar says after it ("Undone: ...")."""
    one = action.count == 1
    n = number(int(action.count))
    if action.kind == "flag":
        if action.value is None:
            phrase = tr("clearing the flag of 1 recording") if one else tr("clearing the flag of %1 recordings")
        elif action.value:
            phrase = tr("flagging 1 recording") if one else tr("flagging %1 recordings")
        else:
            phrase = tr("unflagging 1 recording") if one else tr("unflagging %1 recordings")
    elif action.kind == "role":
        if action.value is None:
            phrase = tr("clearing the voice role of 1 recording") if one else tr(
                "clearing the voice role of %1 recordings")
        else:
            phrase = (tr("marking 1 recording as %2") if one else tr("marking %1 recordings as %2")).replace(
                "%2", role_name(str(action.value)))
    elif action.kind == "clear":
        phrase = tr("clearing the labels of 1 recording") if one else tr("clearing the labels of %1 recordings")
    else:
        phrase = tr("the note edit") if one else tr("editing the notes of %1 recordings")
    phrase = phrase.replace("%1", n)
    if done:
        return (tr("Undone: %1") if undo else tr("Redone: %1")).replace("%1", phrase)
    return (tr("Undo %1") if undo else tr("Redo %1")).replace("%1", phrase)


_ENROLLED = re.compile(r"enrolled from (\d+) samples?")
_NO_VOICE_MATCH = re.compile(r"No voice in this archive matches the enrolled owner's voice \(only (\d+) "
                             r"(?:recordings come|recording comes) close\): these recordings may be someone else's")


def legacy_core_text(value: Any) -> str:
    """A core text for the user. Messages are rendered; the analysis' few fixed English sentences, stored by
    case files (and code) older than the messages catalogue, are given in the user's language; any other
    string is shown as it is."""
    if not isinstance(value, str):
        return ui(value)
    known = {
        "largest group": tr("largest group"),
        "confirmed by the user": tr("confirmed by the user"),
        "automatic: from the owner's own scores": tr("automatic: from the owner's own scores"),
        "set by the user": tr("set by the user"),
        "automatic: too few owner recordings, from how this archive's voices spread":
            tr("automatic: too few owner recordings, from how this archive's voices spread"),
        "default: too few owner recordings to learn from": tr("default: too few owner recordings to learn from"),
        "No recording in this archive matches the enrolled owner's voice: these recordings may be someone else's":
            tr("No recording in this archive matches the enrolled owner's voice: these recordings may be "
               "someone else's"),
        "No voice recurs often enough to be taken for the owner's: mark the owner's recordings or enrol the "
        "owner's voice": tr("No voice recurs often enough to be taken for the owner's: mark the owner's "
                            "recordings or enrol the owner's voice"),
    }
    if value in known:
        return known[value]
    found = _ENROLLED.fullmatch(value)
    if found:
        n = int(found.group(1))
        return tr("enrolled from 1 sample") if n == 1 else tr("enrolled from %1 samples").replace("%1", number(n))
    found = _NO_VOICE_MATCH.fullmatch(value)
    if found:
        n = int(found.group(1))
        return (tr("No voice in this archive matches the enrolled owner's voice (only 1 recording comes close): "
                   "these recordings may be someone else's") if n == 1 else
                tr("No voice in this archive matches the enrolled owner's voice (only %1 recordings come close): "
                   "these recordings may be someone else's").replace("%1", number(n)))
    return ui(value)


# --- View > Language -------------------------------------------------------------------------------------
def add_language_menu(window, menubar, notify) -> dict[str, Any]:
    """A "Language" submenu in the View menu: System, English, Deutsch (checkable). Choosing one saves it
    and ``notify`` says (in the chosen language, and the current one) that it applies at the next start."""
    from PySide6.QtGui import QAction, QActionGroup
    from PySide6.QtWidgets import QMenu

    view = menubar.findChild(QMenu, "menu_view")
    menu = (view.addMenu(tr("&Language")) if view is not None else menubar.addMenu(tr("&Language")))
    menu.setObjectName("menu_language")
    group = QActionGroup(window)
    group.setExclusive(True)
    actions: dict[str, Any] = {}
    current = chosen_setting()
    for code, text in ((SYSTEM, tr("As the System")), *LANGUAGE_NAMES.items()):
        action = QAction(text, window)
        action.setObjectName(f"action_language_{code or 'system'}")
        action.setCheckable(True)
        action.setChecked(code == current)
        action.setStatusTip(tr("The language of VoiceArchive (applies at the next start)"))
        group.addAction(action)
        menu.addAction(action)
        action.triggered.connect(lambda _checked=False, c=code: _chosen(c, notify))
        actions[code] = action
    return actions


def _chosen(code: str, notify) -> None:
    if code == chosen_setting():
        return
    choose(code)
    target = chosen_language()
    if target == language():
        notify(tr("The language setting is saved."))
        return
    # Said in both languages: the one the window speaks now and the one it will speak.
    notify(f"{restart_note(language())} / {restart_note(target)}")


def restart_note(lang: str) -> str:
    return {
        "en": "VoiceArchive will speak English when you start it again.",
        "de": "VoiceArchive spricht Deutsch, sobald Sie es neu starten.",
    }[lang]


def day_month(day) -> str:
    """A short day and month for an axis: "02 Sep" / "2. Sept."."""
    if language() == "de":
        return f"{day.day}. {month(day.month)}"
    return f"{day.day:02d} {month(day.month)}"


_PLOT_PATCHED = False


def localise_plot_numbers() -> None:
    """pyqtgraph writes axis numbers with a decimal point: write them with the language's mark (0,5 in German).
    Axes that write their own labels (dates, hours) override ``tickStrings`` and are left alone."""
    global _PLOT_PATCHED
    if _PLOT_PATCHED:
        return
    import pyqtgraph as pg

    plain = pg.AxisItem.tickStrings

    def tick_strings(self, values, scale, spacing):
        texts = plain(self, values, scale, spacing)
        if language() != "de":
            return texts
        return [t.replace(",", "\x00").replace(".", ",").replace("\x00", ".") for t in texts]

    pg.AxisItem.tickStrings = tick_strings
    _PLOT_PATCHED = True
