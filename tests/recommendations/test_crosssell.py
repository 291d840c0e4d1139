"""The venue next door: who is likely to dine at the restaurant, by collaborative filtering."""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from engine.history.service import seed_history
from engine.recommendations.crosssell import (
    MIN_NEIGHBOURS,
    _neighbours,
    likelihood,
    restaurants_of,
    visits_matrix,
)
from engine.seed import seed_demo
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business
from tests.conftest import NOW

# Columns: a stay at the hotel, dinner at the restaurant, lunch at the restaurant.
STAY, DINNER, LUNCH = 0, 1, 2


def _guests(rows: list[tuple[int, int, int]], count: int) -> np.ndarray:
    return np.array([row for row in rows for _ in range(count)], dtype=np.float64)


def test_hotel_guests_like_those_who_dine_next_door_are_offered_the_table() -> None:
    others = _guests([(1, 1, 0), (0, 0, 1)], 15)  # stayers dine; lunch guests never do
    stayer = _neighbours(np.array([1.0, 0.0, 0.0]), others, DINNER)
    luncher = _neighbours(np.array([0.0, 0.0, 1.0]), others, DINNER)
    assert stayer.method == luncher.method == "cf"
    assert stayer.value == 1.0 and stayer.offer
    assert luncher.value == 0.0 and not luncher.offer
    assert stayer.why["similar_guests"] > 0


def test_too_few_similar_guests_leave_it_to_the_rule_which_offers() -> None:
    others = _guests([(1, 1, 0)], MIN_NEIGHBOURS - 1)
    thin = _neighbours(np.array([1.0, 0.0, 0.0]), others, DINNER)
    assert thin.method == "rule" and thin.offer


def test_the_matrix_is_the_businesss_own_and_a_diner_scores_one(session: Session) -> None:
    business = seed_demo(session)
    seed_history(session, business=business, days=30, now=NOW)
    other = Business(name="Elsewhere", slug="elsewhere")
    session.add(other)
    session.flush()
    visits = visits_matrix(session, business_id=business.id)
    guests, columns, matrix = visits.guests, visits.columns, visits.matrix
    assert matrix.shape == (len(guests), len(columns)) and len(guests) > 50
    assert {venue_id for venue_id, _ in columns} == {v.id for v in business.venues}
    assert visits_matrix(session, business_id=other.id).guests == []
    restaurant = restaurants_of(session, business_id=business.id)[0]
    hotel = next(v for v in business.venues if v.kind == VenueKind.HOTEL)
    dinner = columns.index((restaurant.id, "dinner"))
    diner = guests[int(np.flatnonzero(matrix[:, dinner])[0])]
    score = likelihood(visits, guest_id=diner, restaurant=restaurant, hotel=hotel)
    assert (score.value, score.why) == (1.0, {"own_dinners": 1.0})
    stranger = likelihood(visits, guest_id=-1, restaurant=restaurant, hotel=hotel)
    assert stranger.method == "cf" and 0.0 <= stranger.value <= 1.0
