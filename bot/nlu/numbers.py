"""Small counts written as digits or words, for party sizes and nights.

Words are grouped by language because some are also ordinary words elsewhere: "do" is an
English verb and "once" an English adverb, so a Hindi or Spanish number word only counts next
to a cue of its own language ("do log", "somos cuatro"); after English cues ("for two") only
English words and digits do.
"""

from __future__ import annotations

from bot.nlu.lexicon import NUMBERS, NUMBERS_EN, NUMBERS_ES, NUMBERS_HI, ONE_WORDS
from bot.nlu.scan import END, START, alternation, normalise

_DIGITS = r"(?<![\d.,:/])\d{1,3}(?![\d])"


def _count(words: dict[str, int] | tuple[str, ...]) -> str:
    """A named group ``n`` matching digits or one of ``words``."""
    return f"(?P<n>{_DIGITS}|{START}{alternation(words)}{END})"


#: Digits or any number word, for cues that follow the count ("4 people", "chaar log").
COUNT_ANY = _count(NUMBERS)
COUNT_EN = _count(NUMBERS_EN)
COUNT_HI = _count({**NUMBERS_HI, **NUMBERS_EN})
COUNT_ES = _count(NUMBERS_ES)
#: Like COUNT_ANY, also "a" / "an" / "ek" meaning one ("a kid", "a night").
COUNT_OR_ONE = _count({**NUMBERS, **dict.fromkeys(ONE_WORDS, 1)})

_WORDS = {normalise(word): value for word, value in NUMBERS.items()} | {
    normalise(word): 1 for word in ONE_WORDS
}


def to_int(token: str) -> int | None:
    """The value of a count matched by one of the patterns above, or None."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    return _WORDS.get(normalise(token))
