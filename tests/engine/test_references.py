"""Booking references: short, unambiguous when read aloud, forgiving when typed."""

from __future__ import annotations

import pytest

from engine.bookings.references import ALPHABET, new_reference, normalize_reference


def test_new_references_avoid_look_alike_characters() -> None:
    references = {new_reference() for _ in range(200)}
    assert len(references) > 190
    for reference in references:
        assert reference.startswith("BK-") and len(reference) == 9
        assert set(reference[3:]) <= set(ALPHABET)
    assert not set("01OIL") & set(ALPHABET)


@pytest.mark.parametrize("typed", ["BK-7F3K2Q", "bk-7f3k2q", "bk 7f3k2q", "7F3K2Q", " BK7F3K2Q."])
def test_typed_reference_is_normalised(typed: str) -> None:
    assert normalize_reference(typed) == "BK-7F3K2Q"
