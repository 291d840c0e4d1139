"""Ranking offers: features relative to the request and habit, a learnt order, explanations."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from engine.recommendations.features import (
    FEATURE_NAMES,
    Candidate,
    Situation,
    feature_rows,
)
from engine.recommendations.profile import Usual
from engine.recommendations.ranking import MIN_ACCEPTED, Episode, Popularity, Ranker, rule_order

TZ = ZoneInfo("Asia/Kolkata")
WANTED = datetime(2026, 12, 5, 20, 0, tzinfo=TZ)  # a Saturday


def _at(hours: float, days: int = 0) -> Candidate:
    start = WANTED.replace(hour=0) + timedelta(days=days, hours=hours)
    return Candidate(f"{start:%H:%M}", start, 0)


def _feature(row: list[float], name: str) -> float:
    return row[FEATURE_NAMES.index(name)]


def test_features_say_how_far_later_and_how_many_days_away() -> None:
    rows = feature_rows(Situation(WANTED, 2, None), [_at(19.5), _at(21), _at(20, days=1)])
    assert [_feature(r, "hours_away") for r in rows] == [0.5, 1.0, 0.0]
    assert [_feature(r, "later") for r in rows] == [-1.0, 1.0, 0.0]
    assert [_feature(r, "days_away") for r in rows] == [0.0, 0.0, 1.0]
    assert [_feature(r, "rule_rank") for r in rows] == [0.0, 1.0, 2.0]


def test_features_measure_distance_from_the_guests_usual_time() -> None:
    usual = Usual(visits=4, party=2, at=time(21), nights=0, room_type=None, weekend_share=1.0)
    rows = feature_rows(Situation(WANTED, 2, usual), [_at(19.5), _at(21)])
    assert [_feature(r, "usual_hours_away") for r in rows] == [1.5, 0.0]
    assert all(_feature(r, "habit_weekend") == 1.0 for r in rows)  # Saturday, a weekend guest


def _episodes(count: int, rng: Random) -> list[Episode]:
    """Guests who always take the later of two offers, whatever the rule put first."""
    start = datetime(2026, 9, 1, tzinfo=UTC)
    episodes = []
    for n in range(count):
        earlier, later = rng.choice([0.25, 0.5, 0.75]), rng.choice([0.25, 0.5, 0.75, 1.0])
        rows = feature_rows(Situation(WANTED, 2, None), [_at(20 - earlier), _at(20 + later)])
        episodes.append(Episode(start + timedelta(hours=n), rows, 1))
    return episodes


def test_the_ranker_learns_what_guests_take_and_says_why() -> None:
    episodes = _episodes(MIN_ACCEPTED + 10, Random(3))
    ranker = Ranker.fit(episodes)
    assert ranker is not None
    assert all(ranker.order(e.rows)[0] == 1 for e in episodes)
    assert rule_order(episodes[0].rows) == [0, 1]
    why = ranker.why(episodes[0].rows[1])
    assert max(why, key=lambda name: why[name]) == "later"


def test_too_few_taken_offers_leave_ranking_to_the_rule() -> None:
    assert Ranker.fit(_episodes(MIN_ACCEPTED - 1, Random(3))) is None


def test_popularity_ranks_what_was_taken_most_often_first() -> None:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    taken_an_hour_later = [
        Episode(start, feature_rows(Situation(WANTED, 2, None), [_at(19.5), _at(21)]), 1)
        for _ in range(3)
    ]
    popular = Popularity.fit(taken_an_hour_later)
    fresh = feature_rows(Situation(WANTED, 2, None), [_at(19.75), _at(20.5), _at(21)])
    assert popular.order(fresh) == [2, 0, 1]
    assert rule_order(fresh) == [0, 1, 2]
