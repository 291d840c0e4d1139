"""The usual: a habit learnt from the guest's own visits, or none."""

from __future__ import annotations

from datetime import date, time

from engine.recommendations.profile import Visit, usual_of

MONDAY = date(2026, 11, 30)
SATURDAY = date(2026, 12, 5)


def test_two_visits_alike_make_a_usual() -> None:
    usual = usual_of([Visit(MONDAY, time(20), 2), Visit(SATURDAY, time(20), 2)])
    assert usual is not None
    assert (usual.party, usual.at, usual.visits) == (2, time(20), 2)
    assert usual.weekend_share == 0.5


def test_one_visit_is_no_habit() -> None:
    assert usual_of([Visit(MONDAY, time(20), 2)]) is None


def test_visits_that_differ_each_time_are_no_habit() -> None:
    visits = [Visit(MONDAY, time(19), 2), Visit(SATURDAY, time(21), 4), Visit(MONDAY, time(13), 6)]
    assert usual_of(visits) is None


def test_the_most_common_party_and_time_win_when_they_are_most_visits() -> None:
    visits = [
        Visit(SATURDAY, time(13), 4),
        Visit(SATURDAY, time(13), 4),
        Visit(MONDAY, time(20), 2),
    ]
    usual = usual_of(visits)
    assert usual is not None and (usual.party, usual.at) == (4, time(13))
    assert usual.weekend_share == 2 / 3
