"""Message catalogs: every sentence the bot says, per language, looked up by key.

Catalogs are JSON files in ``bot/catalogs`` so translators edit data, not code. A key missing
in a language falls back to English. A sentence that counts something is an object of CLDR
plural forms (``{"one": "{count} night", "other": "{count} nights"}``); Babel's plural rule
for the language picks the form, so no guest reads "3 night(s)".

``hi-Latn`` is Hindi written in Latin letters (Hinglish), for guests who write it that way:
they read it more easily than Devanagari, and on SMS it stays within GSM-7.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from bot.format import locale_of

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "hi", "hi-Latn", "es")

Entry = str | dict[str, str]


@cache
def _catalog(language: str) -> dict[str, Entry]:
    text = resources.files("bot.catalogs").joinpath(f"{language}.json").read_text("utf-8")
    catalog: dict[str, Entry] = json.loads(text)
    return catalog


def _entry(key: str, language: str | None) -> Entry:
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return _catalog(lang).get(key) or _catalog(DEFAULT_LANGUAGE)[key]


def template(key: str, language: str | None = None) -> str:
    """The raw sentence ``key`` in ``language`` (English when unknown), placeholders unfilled."""
    entry = _entry(key, language)
    if not isinstance(entry, str):
        raise TypeError(f"{key!r} has plural forms: use plural()")
    return entry


def t(key: str, language: str | None = None, **values: object) -> str:
    """The sentence ``key`` in ``language``, with values filled in."""
    return template(key, language).format(**values)


def plural(key: str, count: int, language: str | None = None, **values: object) -> str:
    """The form of ``key`` that ``count`` takes in ``language`` ("1 night", "3 nights")."""
    entry = _entry(key, language)
    if isinstance(entry, str):
        raise TypeError(f"{key!r} has no plural forms: use t()")
    form = locale_of(language).plural_form(count)
    return (entry.get(form) or entry["other"]).format(count=count, **values)
