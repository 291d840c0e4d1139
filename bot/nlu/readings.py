"""Which detail a word names, to answer "4 people or 16:00?" without repeating the number.

"people", "log", "personas" name the party; "o'clock", "baje", "pm" the time; "nights",
"raat", "noches" the nights; "guests", "mehmaan" the guests. Words are matched after
``normalize`` (lowercase, accents folded, apostrophes dropped, digits as one token).
"""

from __future__ import annotations

from typing import Final

from bot.nlu.normalize import normalize

#: Detail -> the words that name it. A restaurant's party and a hotel's guests share words;
#: the question asked says which of the two is meant.
DETAIL_WORDS: Final = {
    "party": (
        "people", "persons", "person", "pax", "of us", "log", "logon", "logo", "jan", "जन",
        "लोग", "personas", "gente", "guests",
    ),
    "guests": (
        "guests", "guest", "people", "persons", "adults", "log", "logon", "mehmaan", "mehman",
        "लोग", "मेहमान", "personas", "huespedes", "adultos",
    ),
    "time": (
        "oclock", "o clock", "baje", "bje", "बजे", "pm", "am", "hours", "hrs", "horas",
        "de la tarde", "de la noche", "evening", "in the evening", "shaam", "raat ko",
    ),
    "nights": ("nights", "night", "nites", "raat", "raatein", "raaten", "रात", "noches", "noche"),
}  # fmt: skip


def detail_named(text: str, among: list[str]) -> str | None:
    """The one detail of ``among`` that ``text`` names by a word, or None (none or several)."""
    said = f" {normalize(text)} "
    named = [
        detail
        for detail in among
        if any(f" {word} " in said for word in DETAIL_WORDS.get(detail, ()))
    ]
    return named[0] if len(named) == 1 else None
