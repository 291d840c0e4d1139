"""The message catalogs: every language complete, plural forms chosen by Babel's rules, and
romanised Hinglish that an SMS carries in GSM-7."""

from __future__ import annotations

import json
import re
from importlib import resources
from string import Formatter

import pytest

from bot.catalog import LANGUAGES, plural, t
from bot.render import is_gsm7

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _raw(language: str) -> dict[str, str | dict[str, str]]:
    text = resources.files("bot.catalogs").joinpath(f"{language}.json").read_text("utf-8")
    catalog: dict[str, str | dict[str, str]] = json.loads(text)
    return catalog


def _sentences(entry: str | dict[str, str]) -> list[str]:
    return [entry] if isinstance(entry, str) else list(entry.values())


def _fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(sentence) if name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_sentence_with_the_same_placeholders(language: str) -> None:
    english, catalog = _raw("en"), _raw(language)
    assert catalog.keys() == english.keys()
    for key, entry in catalog.items():
        assert isinstance(entry, str) == isinstance(english[key], str), key
        expected = set().union(*(_fields(s) for s in _sentences(english[key])))
        assert set().union(*(_fields(s) for s in _sentences(entry))) == expected, key


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_hedges_a_plural_with_brackets(language: str) -> None:
    for key, entry in _raw(language).items():
        for sentence in _sentences(entry):
            assert not re.search(r"\w\((s|es|en)\)", sentence), (key, sentence)
        if not isinstance(entry, str):
            assert "other" in entry, key


def test_romanised_hinglish_is_latin_letters_that_fit_gsm7() -> None:
    for key, entry in _raw("hi-Latn").items():
        for sentence in _sentences(entry):
            assert is_gsm7(sentence) and not DEVANAGARI.search(sentence), (key, sentence)


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 night"),
        ("en", 0, "0 nights"),
        ("en", 3, "3 nights"),
        ("es", 1, "1 noche"),
        ("es", 2, "2 noches"),
        ("hi", 0, "0 रात"),  # CLDR: Hindi's "one" covers 0 and 1
        ("hi", 1, "1 रात"),
        ("hi", 3, "3 रातें"),
        ("hi-Latn", 1, "1 raat"),
        ("hi-Latn", 7, "7 raatein"),
        ("xx", 2, "2 nights"),
    ],
)
def test_plural_form_follows_the_languages_rule(language: str, count: int, expected: str) -> None:
    assert plural("n_nights", count, language) == expected


def test_a_plural_entry_is_not_a_sentence_and_a_sentence_is_not_a_plural() -> None:
    with pytest.raises(TypeError):
        t("n_nights", "en")
    with pytest.raises(TypeError):
        plural("ask_name", 2, "en")
