"""A restaurant's opening hours on one date, so a refusal can say when it is open instead
of "nothing is free": a closure, a weekday with no service, or a time between services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.inventory.models import Closure, OpeningHours
from engine.tenants.models import Venue

Window = tuple[time, time]


@dataclass(frozen=True)
class OpeningDay:
    """The service windows of one local date, earliest first; none when closed all day."""

    day: date
    windows: tuple[Window, ...]

    @property
    def closed_all_day(self) -> bool:
        """True on a closure or a weekday without any service."""
        return not self.windows

    def is_open_at(self, at: time) -> bool:
        """Whether ``at`` falls inside a window (one past midnight runs on to its close)."""
        return any(_inside(window, at) for window in self.windows)


def _inside(window: Window, at: time) -> bool:
    opens, closes = window
    if closes <= opens:
        return at >= opens or at < closes
    return opens <= at < closes


def opening_day(session: Session, *, venue: Venue, day: date) -> OpeningDay:
    """The venue's opening hours on ``day`` (none on a closure)."""
    closed = session.scalar(
        select(Closure.id).where(Closure.venue_id == venue.id, Closure.day == day)
    )
    if closed is not None:
        return OpeningDay(day, ())
    rows = session.execute(
        select(OpeningHours.opens, OpeningHours.closes)
        .where(OpeningHours.venue_id == venue.id, OpeningHours.weekday == day.weekday())
        .order_by(OpeningHours.opens)
    )
    return OpeningDay(day, tuple((opens, closes) for opens, closes in rows))
