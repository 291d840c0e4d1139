"""Reading a guest's score of a visit: numbers, stars and the scale's words in three languages,
and nothing read into a message that is not only a score."""

from __future__ import annotations

import pytest

from bot.catalog import LANGUAGES, t
from bot.nlu.ratings import Rating, read_rating


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("5", 5),
        (" 1 ", 1),
        ("4.", 4),
        ("4/5", 4),
        ("5 / 5", 5),
        ("3 stars", 3),
        ("5 out of 5", 5),
        ("4 estrellas", 4),
        ("⭐⭐⭐⭐", 4),
        ("⭐️⭐️⭐️", 3),
    ],
)
def test_numbers_and_stars_are_scores(text: str, score: int) -> None:
    assert read_rating(text) == Rating(score)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("Excellent!", 5),
        ("it was excellent", 5),
        ("very good", 4),
        ("Good, thanks", 3),
        ("fair", 2),
        ("terrible", 1),
        ("bahut accha", 4),
        ("Bahut accha tha", 4),
        ("bahut badhiya", 5),
        ("बहुत अच्छा", 4),
        ("ठीक-ठाक", 2),
        ("खराब", 1),
        ("muy bien", 4),
        ("Muy bien, gracias", 4),
        ("excelente", 5),
        ("Todo estuvo increíble", 5),
        ("regular", 2),
        ("pésimo", 1),
    ],
)
def test_the_scales_words_are_scores_in_every_language(text: str, score: int) -> None:
    assert read_rating(text) == Rating(score)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
def test_each_option_title_typed_back_is_its_own_score(language: str, score: int) -> None:
    assert read_rating(t(f"rating_{score}", language)) == Rating(score)


def test_a_number_may_carry_a_comment_after_a_separator() -> None:
    assert read_rating("4 - lovely food but slow service") == Rating(
        4, "lovely food but slow service"
    )
    assert read_rating("2, the soup was cold") == Rating(2, "the soup was cold")


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "6",
        "10",
        "2 people tomorrow at 8",
        "table for 4",
        "not good",
        "good morning",
        "great food, slow service",
        "thanks",
        "ok",
        "",
    ],
)
def test_anything_else_is_no_score(text: str) -> None:
    assert read_rating(text) is None
