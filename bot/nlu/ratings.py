"""A guest's score of a visit, 1 to 5, in numbers, stars or words, in English, Hindi and
Spanish: "4", "5/5", "4 stars", "⭐⭐⭐⭐", "excellent", "bahut accha", "muy bien".

The words follow the scale the guest is shown (poor, fair, good, very good, excellent). Only
a message that is a score and nothing else counts (a few filler words aside: "it was
excellent", "muy bien, gracias"): "not good", "good morning" or "great food, slow service"
give None and the bot asks again rather than guess. A number may carry a comment after a
separator ("4 - lovely food, slow service"), but a number followed by booking words
("2 people tomorrow") is not a score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.nlu.normalize import normalize

_NUMBER = re.compile(
    r"^\s*([1-5])\s*(?:/\s*5|out of 5|de 5|stars?|estrellas?|सितारे|स्टार)?\s*"
    r"(?:$|[-–—,.:;!)]+\s*(.*)$)",
    re.IGNORECASE | re.DOTALL,
)
_STARS = frozenset("⭐★🌟")
SCORES = range(1, 6)

SCORE_WORDS: Final = {
    # English
    "excellent": 5, "outstanding": 5, "perfect": 5, "amazing": 5, "superb": 5, "fantastic": 5,
    "wonderful": 5, "loved it": 5,
    "very good": 4, "really good": 4,
    "good": 3, "fine": 3, "decent": 3,
    "fair": 2, "average": 2, "mediocre": 2, "so so": 2,
    "poor": 1, "bad": 1, "very bad": 1, "terrible": 1, "awful": 1, "horrible": 1,
    # Hindi, romanised and in Devanagari
    "bahut badhiya": 5, "bahut badiya": 5, "ekdum badhiya": 5, "shandaar": 5, "shandar": 5,
    "zabardast": 5, "behtareen": 5, "behtarin": 5, "lajawab": 5,
    "बहुत बढ़िया": 5, "शानदार": 5, "ज़बरदस्त": 5, "जबरदस्त": 5, "बेहतरीन": 5, "लाजवाब": 5,
    "bahut accha": 4, "bahut acha": 4, "bahut achha": 4, "bahut achcha": 4, "बहुत अच्छा": 4,
    "accha": 3, "acha": 3, "achha": 3, "achcha": 3, "अच्छा": 3,
    "theek thaak": 2, "theek thak": 2, "thik thak": 2, "thik thaak": 2, "ठीक ठाक": 2,
    "bura": 1, "bahut bura": 1, "kharab": 1, "bekaar": 1, "bekar": 1, "bakwas": 1,
    "बुरा": 1, "बहुत बुरा": 1, "खराब": 1, "ख़राब": 1, "बेकार": 1, "बकवास": 1,
    # Spanish (accents are folded before lookup)
    "excelente": 5, "perfecto": 5, "perfecta": 5, "increible": 5, "espectacular": 5,
    "maravilloso": 5, "maravillosa": 5, "buenisimo": 5, "buenisima": 5,
    "muy bien": 4, "muy bueno": 4, "muy buena": 4,
    "bien": 3, "bueno": 3, "buena": 3,
    "regular": 2, "mas o menos": 2, "asi asi": 2,
    "malo": 1, "mala": 1, "mal": 1, "muy malo": 1, "muy mala": 1, "muy mal": 1, "pesimo": 1,
    "pesima": 1, "fatal": 1,
}  # fmt: skip
#: Words around a score that change nothing ("it was good", "todo muy bien", "accha tha").
FILLERS: Final = frozenset(
    """
    it was its is overall the food meal stay service everything all thanks thank you
    fue estuvo es todo la el comida estancia servicio gracias muchas
    tha thi the sab khana raha rahi laga hai ji shukriya dhanyavad
    था थी सब खाना रहा रही लगा है जी धन्यवाद शुक्रिया
    """.split()
)
_WORDS: Final = {normalize(phrase): score for phrase, score in SCORE_WORDS.items()}


@dataclass(frozen=True)
class Rating:
    """A score the guest gave, and what they wrote after it ("" when nothing)."""

    score: int
    comment: str = ""


def read_rating(text: str) -> Rating | None:
    """The score in ``text`` (see the module docstring), or None when it is not only that."""
    number = _NUMBER.match(text)
    if number:
        return Rating(int(number.group(1)), (number.group(2) or "").strip())
    stars = "".join(text.split()).replace("\ufe0f", "")  # the emoji variation selector
    if stars and set(stars) <= _STARS and len(stars) in SCORES:
        return Rating(len(stars))
    words = [word for word in normalize(text).split() if word not in FILLERS]
    score = _WORDS.get(" ".join(words))
    return Rating(score) if score is not None else None
