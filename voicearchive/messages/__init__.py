"""Messages as values: the core says what happened as a code with parameters, never as an English sentence.

A :class:`Message` is stored as such (``to_json``) in the case file and rendered at view time, in the user's
language, by the GUI, the CLI and the export (``render(msg, lang)``). The texts live in per-area catalogue
modules (``catalogue_*.py``), each a dict ``code -> (english, german)``; one test checks that every code has
both languages with the same placeholders.

Placeholders are ``str.format`` fields with three extra format specs:

- ``{n:p:recording|recordings}`` picks the singular or plural word for the number ``n``;
- ``{x:.2f}`` (any float spec) is written with the language's decimal mark (``0,62`` in German);
- ``{d:date}`` / ``{d:datetime}`` write a ``datetime`` in the language's date format.

A parameter that is itself a Message is rendered first (``{reason}`` with ``reason=Message.of(...)``).
"""

from __future__ import annotations

import json
import os
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import catalogue_archive, catalogue_core, catalogue_pipeline, catalogue_transcripts, catalogue_voices

LANGUAGES = ("en", "de")
CATALOGUE: dict[str, tuple[str, str]] = {}
for _part in (catalogue_core, catalogue_archive, catalogue_pipeline, catalogue_voices, catalogue_transcripts):
    _dupes = CATALOGUE.keys() & _part.MESSAGES.keys()
    if _dupes:  # pragma: no cover - a programming error, caught by the first import in any test
        raise RuntimeError(f"message codes defined twice: {sorted(_dupes)}")
    CATALOGUE.update(_part.MESSAGES)

_language = "en"


def language_from_env(env: dict[str, str] | None = None) -> str:
    """The language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), "en" by default."""
    env = os.environ if env is None else env
    for var in ("VOICEARCHIVE_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def set_language(lang: str) -> None:
    """The language ``render`` uses when none is given (the GUI sets it from its setting or the system)."""
    global _language
    _language = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _language


@dataclass(frozen=True)
class Message:
    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Any) -> Message:
        return cls(code, tuple(sorted(params.items())))

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    def render(self, lang: str | None = None) -> str:
        return render(self, lang)

    def __str__(self) -> str:  # English, for logs and old callers; views call render()
        return render(self, "en")

    def to_json(self) -> str:
        return json.dumps({"code": self.code, "params": {k: _to_jsonable(v) for k, v in self.params}},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Message | None:
        """The Message stored by ``to_json``; a plain (legacy) string becomes a ``text`` message."""
        if not text:
            return None
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return cls.of("text", text=str(text))
        params = data.get("params") if isinstance(data.get("params"), dict) else {}
        return cls.of(data["code"], **{str(k): _from_jsonable(v) for k, v in params.items()})


def _to_jsonable(value: Any) -> Any:
    if isinstance(value, Message):
        return {"$message": json.loads(value.to_json())}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, dict) and "$message" in value:
        return Message.from_json(json.dumps(value["$message"]))
    if isinstance(value, dict) and "$datetime" in value:
        try:
            return datetime.fromisoformat(value["$datetime"])
        except (TypeError, ValueError):
            return value["$datetime"]
    if isinstance(value, list):
        return tuple(_from_jsonable(v) for v in value)
    return value


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: Any, spec: str) -> str:
        if isinstance(value, Message):
            return render(value, self.lang)
        if spec.startswith("p:"):
            one, _, other = spec[2:].partition("|")
            try:
                return one if abs(float(value)) == 1 else other
            except (TypeError, ValueError):
                return other
        if spec in ("date", "datetime") and isinstance(value, datetime):
            return format_datetime(value, self.lang, with_time=spec == "datetime")
        if isinstance(value, float) or (spec and spec[-1:] in "fe%" and isinstance(value, int)):
            return format_number(value, self.lang, spec)
        if isinstance(value, int) and not isinstance(value, bool) and not spec:
            return format_number(value, self.lang, "")
        return super().format_field(value, spec)


def format_number(value: float | int, lang: str | None = None, spec: str = "") -> str:
    """``value`` with the language's decimal mark and digit grouping (1,700 / 1.700; 0.62 / 0,62)."""
    lang = lang or _language
    if isinstance(value, int) and not spec:
        text = f"{value:,}"
    else:
        text = format(value, spec or "g")
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


_MONTHS_DE = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.")


def format_datetime(value: datetime, lang: str | None = None, *, with_time: bool = True) -> str:
    """A date (and time) as people of that language write it: 2018-06-14 13:13 / 14.06.2018 13:13."""
    lang = lang or _language
    if lang == "de":
        text = value.strftime("%d.%m.%Y")
    else:
        text = value.strftime("%Y-%m-%d")
    return f"{text} {value.strftime('%H:%M:%S')}" if with_time else text


def month_name(month: int, lang: str | None = None) -> str:
    """A short month name (1-12) in the language, for axes and timelines."""
    lang = lang or _language
    if lang == "de":
        return _MONTHS_DE[month - 1]
    return ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[month - 1]


def render(msg: Message | str | None, lang: str | None = None) -> str:
    """``msg`` in ``lang`` (the current language by default). A plain string is returned unchanged."""
    if msg is None:
        return ""
    if isinstance(msg, str):
        return msg
    lang = lang or _language
    texts = CATALOGUE.get(msg.code)
    if texts is None:  # an unknown code (a newer case file): say what is known, never fail
        params = ", ".join(f"{k}={v}" for k, v in msg.params)
        return f"{msg.code}({params})" if params else msg.code
    template = texts[LANGUAGES.index(lang)] if lang in LANGUAGES else texts[0]
    try:
        return _Formatter(lang).vformat(template, (), dict(msg.params))
    except (KeyError, IndexError, ValueError, TypeError):
        return _Formatter("en").vformat(texts[0], (), dict(msg.params)) if lang != "en" else template


def text(code: str, lang: str | None = None, **params: Any) -> str:
    """Shortcut: the rendered text of ``Message.of(code, **params)``."""
    return render(Message.of(code, **params), lang)


class MessageError(Exception):
    """An error that says why as a Message: ``str(error)`` is the English text, ``error.message`` the Message
    (or, from older code, the plain text) to render in the user's language. Subclass it; add ``ValueError``
    beside it where callers catch that."""

    def __init__(self, message: Message | str) -> None:
        super().__init__(str(message))
        self.message = message


def reason_of(exc: BaseException) -> Message | str:
    """What to tell the user about ``exc``: the Message it carries (``MessageError`` and its kind), else its text."""
    return getattr(exc, "message", None) or str(exc)
