"""Message catalogs: every sentence the bot says, per language, looked up by key.

Catalogs are JSON files in ``bot/catalogs`` so translators edit data, not code. A key missing
in a language falls back to English.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "hi", "es")


@cache
def _catalog(language: str) -> dict[str, str]:
    text = resources.files("bot.catalogs").joinpath(f"{language}.json").read_text("utf-8")
    catalog: dict[str, str] = json.loads(text)
    return catalog


def template(key: str, language: str | None = None) -> str:
    """The raw sentence ``key`` in ``language`` (English when unknown), placeholders unfilled."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    return _catalog(lang).get(key) or _catalog(DEFAULT_LANGUAGE)[key]


def t(key: str, language: str | None = None, **values: object) -> str:
    """The sentence ``key`` in ``language``, with values filled in."""
    return template(key, language).format(**values)
