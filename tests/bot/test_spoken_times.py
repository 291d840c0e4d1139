"""Hours said in words ("at eight pm", "saat baje", "a las ocho") are times, with a cue only."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.nlu.slots import extract_slots

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _time(text: str) -> time | None:
    return extract_slots(text, now=NOW, timezone="Asia/Kolkata", venue_kind="restaurant").time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("table for 4 tomorrow at eight pm", time(20, 0)),
        ("at eight", time(20, 0)),
        ("eight o'clock", time(20, 0)),
        ("at seven in the evening", time(19, 0)),
        ("nine am breakfast", time(9, 0)),
        ("half past seven", time(19, 30)),
        ("quarter past eight", time(20, 15)),
        ("quarter to nine", time(20, 45)),
        ("saat baje", time(19, 0)),
        ("kal raat aath baje", time(20, 0)),
        ("saade aath baje", time(20, 30)),
        ("सात बजे", time(19, 0)),
        ("a las ocho de la noche", time(20, 0)),
        ("a la una y media", time(13, 30)),
        ("ocho y media", time(20, 30)),
    ],
)
def test_an_hour_in_words_next_to_a_time_cue_is_a_time(text: str, expected: time) -> None:
    assert _time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "book it at once",
        "for two people",
        "do you have space",
        "one",
        "can I sit at one of the window tables",
        "aaj shaam do table chahiye",
        "kal raat ek table chahiye",
    ],
)
def test_a_number_word_without_a_time_cue_is_no_time(text: str) -> None:
    assert _time(text) is None


def test_a_party_in_words_stays_a_party_next_to_an_hour_in_words() -> None:
    slots = extract_slots(
        "table for four at eight", now=NOW, timezone="Asia/Kolkata", venue_kind="restaurant"
    )
    assert (slots.party_size, slots.time) == (4, time(20, 0))
