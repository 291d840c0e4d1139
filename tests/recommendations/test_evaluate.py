"""``recommend eval`` on the demo history: a time split, and the learnt ranking beats the rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.history.service import seed_history
from engine.recommendations.evaluate import evaluate, format_report, split
from engine.recommendations.models import RankingModel, Recommendation
from engine.recommendations.rankers import (
    due_for_refit,
    episodes,
    ranker_for,
    refit_due,
    train,
)
from engine.recommendations.ranking import Episode
from engine.seed import seed_demo
from engine.tenants.models import Business
from tests.conftest import NOW

DAYS = 90


@pytest.fixture
def demo(session: Session) -> Business:
    business = seed_demo(session)
    seed_history(session, business=business, days=DAYS, now=NOW)
    session.commit()
    return business


@pytest.fixture
def history(session: Session, demo: Business) -> list[Episode]:
    return episodes(session, business_id=demo.id, venue_kind="restaurant", now=NOW)


def test_the_evaluation_trains_on_the_past_and_tests_on_the_last_weeks(
    history: list[Episode],
) -> None:
    train_part, test_part = split(history)
    assert train_part and test_part
    assert max(e.offered_at for e in train_part) < min(e.offered_at for e in test_part)
    assert max(e.offered_at for e in test_part) - min(e.offered_at for e in test_part) <= (
        timedelta(weeks=3)
    )
    assert len(train_part) + len(test_part) == len(history)


def test_the_learnt_ranking_is_not_worse_than_the_rule_on_the_demo_history(
    history: list[Episode],
) -> None:
    report = evaluate(history)
    assert report.learned is not None and report.test_cases >= 40
    assert report.learned.acceptance_at_1 >= report.rule.acceptance_at_1
    assert report.learned.hit_rate_at_3 >= report.rule.hit_rate_at_3
    printed = format_report("Demo", report)
    assert "learned" in printed and "rule" in printed and "popularity" in printed
    assert f"{report.test_cases} taken" in printed


def test_training_stores_a_ranker_per_business_and_venue_kind(
    session: Session, demo: Business
) -> None:
    assert due_for_refit(session, business_id=demo.id, venue_kind="restaurant")
    assert refit_due(session, now=NOW) == 1
    stored = session.scalar(select(RankingModel))
    assert stored is not None and stored.venue_kind == "restaurant"
    assert stored.accepted >= 30 and stored.cases > stored.accepted
    assert not due_for_refit(session, business_id=demo.id, venue_kind="restaurant")
    assert train(session, business_id=demo.id, venue_kind="hotel", now=NOW) is None


def test_nothing_learnt_crosses_businesses(session: Session, demo: Business) -> None:
    other = Business(name="Elsewhere", slug="elsewhere")
    session.add(other)
    session.flush()
    assert train(session, business_id=demo.id, venue_kind="restaurant", now=NOW) is not None
    assert ranker_for(session, business_id=demo.id, venue_kind="restaurant") is not None
    assert episodes(session, business_id=other.id, venue_kind="restaurant", now=NOW) == []
    assert train(session, business_id=other.id, venue_kind="restaurant", now=NOW) is None
    assert ranker_for(session, business_id=other.id, venue_kind="restaurant") is None
    recommendations = session.scalars(select(Recommendation.business_id)).all()
    assert set(recommendations) == {demo.id}
