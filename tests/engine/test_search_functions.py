"""On PostgreSQL the searches' statements run as PL/pgSQL functions (migration 0016), planned
once per connection; SQLite runs the Core statements. On the same data, with a hold, a lapsed
hold, a rate override, a closure and a random restaurant schedule, both give the same answer
(the twins cannot drift apart unnoticed).
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, time, timedelta

import pytest
from sqlalchemy.orm import Session

from engine.availability import hotel, seating_read
from engine.availability.hotel import search_rooms
from engine.availability.requests import StayRequest
from engine.availability.seating_read import read_seating_inputs
from engine.exceptions import BooklineError
from engine.inventory.models import Closure, RateOverride
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import hold_room, hold_table, minutes

XMAS = date(2026, 12, 24)
FRIDAY = date(2026, 12, 11)
DAYS = [FRIDAY + timedelta(days=n) for n in range(4)]


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("the search functions are PostgreSQL's (SQLite runs the Core statements)")


def test_the_room_offers_function_answers_as_the_core_statement(
    session: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    standard = demo.room_type(session, "Standard")
    session.add(RateOverride(room_type_id=standard.id, night=XMAS, nightly_rate=500_000))
    hold_room(session, demo, "Suite", XMAS, XMAS + timedelta(days=2))  # lapsed by NOW + 15 min
    hold_room(session, demo, "Standard", XMAS + timedelta(days=1), XMAS + timedelta(days=3))
    session.flush()
    requests = [
        StayRequest(XMAS, XMAS + timedelta(days=nights), guests, type_id)
        for nights in (1, 2, 4)
        for guests, type_id in [(1, None), (3, None), (2, standard.id)]
    ]
    instants = [NOW, NOW + minutes(15)]
    by_function = [
        search_rooms(session, demo.hotel, r, now=now) for r in requests for now in instants
    ]
    monkeypatch.setattr(hotel, "on_postgresql", lambda _session: False)
    by_statement = [
        search_rooms(session, demo.hotel, r, now=now) for r in requests for now in instants
    ]
    assert by_function == by_statement
    assert by_function[0] != by_function[1]  # the Suite's hold has lapsed by the second instant


def test_the_seating_read_function_answers_as_the_core_statement(
    session: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    for _ in range(40):
        at = time(rng.choice([12, 13, 19, 20, 21]), rng.choice([0, 15, 30, 45]))
        placed = NOW - timedelta(minutes=rng.choice([0, 20]))
        with contextlib.suppress(BooklineError):  # taken, or outside the hours: skip it
            hold_table(session, demo, rng.choice(DAYS), at, rng.randint(1, 10), now=placed)
    session.add(Closure(venue_id=demo.restaurant.id, day=DAYS[2]))
    session.flush()
    later = NOW + timedelta(minutes=2)
    parties = range(1, 11)
    by_function = [
        read_seating_inputs(session, demo.restaurant, DAYS, p, now=later) for p in parties
    ]
    monkeypatch.setattr(seating_read, "on_postgresql", lambda _session: False)
    by_statement = [
        read_seating_inputs(session, demo.restaurant, DAYS, p, now=later) for p in parties
    ]
    for function, statement in zip(by_function, by_statement, strict=True):
        assert (function.tables, function.windows, function.closed) == (
            statement.tables,
            statement.windows,
            statement.closed,
        )
        assert sorted(function.taken) == sorted(statement.taken)  # claims come in no set order
    assert all(read.closed for read in by_function) and any(read.taken for read in by_function)
