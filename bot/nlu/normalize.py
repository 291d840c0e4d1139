"""Text normalisation shared by training and prediction.

Guests type on phones: mixed case, stray punctuation, elongated words ("hiiii"), numbers that
carry slots rather than intent. Normalising first lets "Table for 4!!" and "table for 7" look the
same to the model. Devanagari is kept as is (its vowel signs are combining marks, so no accent
stripping there); Latin accents are folded because guests often omit them ("habitacion").
"""

from __future__ import annotations

import re
import unicodedata

#: Every run of digits (ASCII or Devanagari) becomes this token, so numbers never drive intent.
NUMBER_TOKEN = "0"

_LATIN_FOLD = str.maketrans("áàäâéèëêíìïîóòöôúùüûñç", "aaaaeeeeiiiioooouuuunc")
_APOSTROPHES = re.compile(r"['’`´]")
_DIGITS = re.compile(r"\d+")
_REPEATS = re.compile(r"(.)\1{2,}")
_SPACES = re.compile(r"\s+")


def _keep(char: str) -> str:
    """The character itself, or a space for punctuation and non-emoji symbols."""
    category = unicodedata.category(char)
    if category.startswith("P") or category in {"Sm", "Sc", "Sk"}:
        return " "
    if category == "So":  # emoji and pictographs: meaningful ("👍", "🙏"), keep as own token
        return f" {char} "
    return char


def normalize(text: str) -> str:
    """Lowercased, accent-folded, punctuation-free text with digits mapped to a placeholder."""
    text = unicodedata.normalize("NFC", text).lower().translate(_LATIN_FOLD)
    text = _REPEATS.sub(r"\1\1", _APOSTROPHES.sub("", text))
    text = _DIGITS.sub(NUMBER_TOKEN, "".join(_keep(char) for char in text))
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Whitespace tokens of already-normalised text (keeps Devanagari words whole)."""
    return text.split()
