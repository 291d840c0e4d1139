"""The message as slot extraction reads it: normalised once, then consumed piece by piece.

Each extractor finds its phrase, reads it, and blanks it out, so later extractors cannot read the
same characters again ("8pm" never becomes a party of 8, "for 3 nights" never a party of 3).
Normalising keeps digits and punctuation (the class in ``bot.nlu.normalize`` drops them, which
suits intent classification, not slots): lower case, Latin accents folded ("mañana" ->
"manana"), Devanagari digits made ASCII, typographic quotes and dashes made plain.

Python's ``\\b`` does not work after a Devanagari vowel sign (they are combining marks, not word
characters), so patterns use ``START`` / ``END`` as word boundaries instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

V = TypeVar("V")

#: Word boundaries that treat Devanagari (letters and vowel signs) as part of words.
START = r"(?<![\w\u0900-\u097F])"
END = r"(?![\w\u0900-\u097F])"

_FOLD = str.maketrans(
    {
        **dict(zip("áàäâéèëêíìïîóòöôúùüûñç", "aaaaeeeeiiiioooouuuunc", strict=True)),
        **{chr(0x0966 + digit): str(digit) for digit in range(10)},
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "\u00a0": " ",
        "\u200c": None,
        "\u200d": None,
    }
)


def normalise(text: str) -> str:
    """Lower-cased text with Latin accents folded and Devanagari digits made ASCII."""
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


def alternation(words: Iterable[str]) -> str:
    """A regex group matching any of ``words`` (normalised), longest first."""
    unique = {normalise(word) for word in words}
    return "(?:" + "|".join(re.escape(word) for word in sorted(unique, key=len, reverse=True)) + ")"


def keyed(table: Mapping[str, V]) -> dict[str, V]:
    """``table`` with its keys normalised, for looking up words found in normalised text."""
    return {normalise(key): value for key, value in table.items()}


def word(pattern: str) -> str:
    """``pattern`` wrapped in Devanagari-aware word boundaries."""
    return f"{START}{pattern}{END}"


class Scan:
    """A normalised message whose understood parts get blanked out as extractors read them."""

    def __init__(self, text: str) -> None:
        self.text = normalise(text)

    def find(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Every match of ``pattern`` in the text that is still unread."""
        return pattern.finditer(self.text)

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``pattern``, blanked out of the text."""
        match = pattern.search(self.text)
        if match is not None:
            self.blank(match.start(), match.end())
        return match

    def take_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every match of ``pattern``, all blanked out of the text."""
        matches = list(pattern.finditer(self.text))
        for match in matches:
            self.blank(match.start(), match.end())
        return matches

    def blank(self, start: int, end: int) -> None:
        """Replace ``text[start:end]`` with spaces, keeping every other offset valid."""
        self.text = self.text[:start] + " " * (end - start) + self.text[end:]

    def blank_phrase(self, phrase: str) -> None:
        """Blank the first occurrence of ``phrase`` (given un-normalised), if present."""
        needle = normalise(phrase)
        at = self.text.find(needle)
        if needle and at >= 0:
            self.blank(at, at + len(needle))
