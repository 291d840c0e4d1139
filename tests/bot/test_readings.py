"""The words that answer "4 people or 16:00?" and "3 nights or 3 guests?" without a number."""

from __future__ import annotations

import pytest

from bot.nlu.readings import detail_named

RESTAURANT = ["party", "time"]
HOTEL = ["nights", "guests"]


@pytest.mark.parametrize(
    ("text", "among", "detail"),
    [
        ("people", RESTAURANT, "party"),
        ("4 people", RESTAURANT, "party"),
        ("log", RESTAURANT, "party"),
        ("personas", RESTAURANT, "party"),
        ("o'clock", RESTAURANT, "time"),
        ("4 baje", RESTAURANT, "time"),
        ("बजे", RESTAURANT, "time"),
        ("nights", HOTEL, "nights"),
        ("3 raat", HOTEL, "nights"),
        ("noches", HOTEL, "nights"),
        ("guests", HOTEL, "guests"),
        ("huéspedes", HOTEL, "guests"),
    ],
)
def test_a_word_names_the_detail_it_answers(text: str, among: list[str], detail: str) -> None:
    assert detail_named(text, among) == detail


@pytest.mark.parametrize(
    ("text", "among"),
    [
        ("yes", RESTAURANT),
        ("nights", RESTAURANT),  # not one of the readings asked about
        ("people at 8 o'clock", RESTAURANT),  # both: no answer
        ("peoplex", RESTAURANT),  # a word, not part of one
    ],
)
def test_no_word_or_both_words_answer_nothing(text: str, among: list[str]) -> None:
    assert detail_named(text, among) is None
