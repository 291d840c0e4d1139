"""The guest's name: "my name is Asha", "I'm Ravi Kumar", "mera naam Asha hai", "me llamo Ana".

Read from the original text, since case matters. After an explicit cue ("my name is",
"mera naam", "me llamo", "मेरा नाम") any spelling is taken and a lower-case name is capitalised.
After a weak cue ("I'm", "this is", "soy") the words must be capitalised, because "I'm looking
for a table" and "soy vegetariano" are no names. A name is at most three words and stops at the
first word that is clearly not part of it ("and", "hai", "for", "from", ...).
"""

from __future__ import annotations

import re
import unicodedata

from bot.nlu.scan import END, START

MAX_WORDS = 3

_LETTER = r"(?:[^\W\d_]|[\u0900-\u0963\u0970-\u097F])"
_NAME_WORD = rf"{_LETTER}+(?:['\-]{_LETTER}+)*"
_NAME = rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,{MAX_WORDS + 1}}})"
_STRONG = re.compile(
    START + r"(?:my\s+name\s+is|my\s+name's|my\s+name\s*:|name\s*:|name\s+is|naam\s*:|"
    r"mera\s+(?:naam|nam|name)(?:\s+(?:hai|h))?|me\s+llamo|mi\s+nombre\s+es|"
    r"मेरा\s+नाम(?:\s+है)?)" + END + r"\s*" + _NAME,
    re.IGNORECASE,
)
_WEAK = re.compile(
    START + r"(?:i\s+am|i'm|im|this\s+is|it's|soy)" + END + r"\s+" + _NAME, re.IGNORECASE
)
_STOP = frozenset(
    """
    and y aur or but hai hain hoon hu hun h here please pls plz i from for with want wanted would
    need to at on in the a an booking book table room mesa quiero querria para is am was will
    calling writing looking checking just not sorry ok okay good fine interested coming going
    trying planning arriving staying back still also so very bringing available ready happy glad
    hungry late really new your my me tomorrow today tonight kal aaj hoy manana de del la el se
    ki ka ke ko ne wala bhi thank thanks there vegetarian vegan allergic traveling travelling
    है हूं हूँ और से का की के को
    """.split()
)


def take_name(text: str) -> str | None:
    """The name the guest gives for themselves, or None."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    for pattern, strong in ((_STRONG, True), (_WEAK, False)):
        for match in pattern.finditer(text):
            name = _name_words(match["name"], strong=strong)
            if name:
                return name
    return None


def _name_words(candidate: str, *, strong: bool) -> str | None:
    """The leading words of ``candidate`` that form a name."""
    words: list[str] = []
    for token in candidate.split():
        if token.lower() in _STOP or len(words) == MAX_WORDS:
            break
        if not strong and not token[0].isupper():
            break
        words.append(token)
    if not words:
        return None
    if strong and all(token.islower() for token in words):
        words = [token[0].upper() + token[1:] for token in words]
    return " ".join(words)
