"""Keeping each business's recommendation ranker up to date as its history grows."""

from __future__ import annotations

from datetime import datetime

from application.unit_of_work import unit_of_work
from engine.recommendations.rankers import refit_due
from infra.runtime import Runtime


def refit_rankers(runtime: Runtime, now: datetime) -> int:
    """Refit the rankers whose business made enough new recommendations; how many."""
    with unit_of_work(runtime, live=False) as uow:
        return refit_due(uow.session, now=now)
