"""Seeding a demo history once: plan it, write it, and leave it alone on every later run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bookings.models import Booking
from engine.db import utcnow
from engine.exceptions import ValidationError
from engine.history.plan import HISTORY_NOTE, HistoryPlan
from engine.history.planner import plan_history
from engine.history.preferences import simulate_preferences
from engine.history.write import write_plan
from engine.tenants.models import Business, Venue

MAX_DAYS = 366


def has_history(session: Session, *, business: Business) -> bool:
    """True when a history was seeded for the business before (its bookings carry the note)."""
    venues = select(Venue.id).where(Venue.business_id == business.id)
    query = select(Booking.id).where(Booking.venue_id.in_(venues), Booking.notes == HISTORY_NOTE)
    return session.scalar(query.limit(1)) is not None


def seed_history(
    session: Session, *, business: Business, days: int, now: datetime | None = None
) -> HistoryPlan | None:
    """Write ``days`` days of history for the business's venues; None when there is nothing to do.

    Idempotent: once a history is there (of any length), seeding again changes nothing, so an
    owner's demo never doubles and its figures stay the ones the plan promised.
    """
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError(f"History can be 0 to {MAX_DAYS} days.")
    if days == 0 or has_history(session, business=business):
        return None
    now = now or utcnow()
    plan = plan_history(session, business=business, days=days, now=now)
    write_plan(session, business=business, plan=plan)
    simulate_preferences(session, business=business, days=days, now=now)
    return plan
