"""A guest's usual at a venue, learnt from their own visits there (never another business's).

A usual needs a habit: at least MIN_VISITS visits, and the same party and time of day (or,
at a hotel, the same guests and room type) in most of them. A guest who came once, or who
comes differently each time, has none, and is asked as a stranger would be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.inventory.models import RoomType
from engine.tenants.models import Venue

MIN_VISITS = 2
#: The share of visits the most common party and time must reach to be a habit.
HABIT_SHARE = 0.5
#: Visits read per guest: the most recent, so a habit that changed is followed.
RECENT_VISITS = 20
#: Statuses of visits that happened (or will): a cancelled or lapsed request is no habit.
VISITED = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
WEEKEND = frozenset({4, 5, 6})


@dataclass(frozen=True)
class Visit:
    """One visit as a habit sees it: when (venue clock), how many, and which room type."""

    day: date
    at: time
    party: int
    nights: int = 0
    room_type: str | None = None


@dataclass(frozen=True)
class Usual:
    """What the guest usually books here, and how they spread over the week."""

    visits: int
    party: int
    at: time
    nights: int
    room_type: str | None
    weekend_share: float

    @property
    def hour(self) -> float:
        """The usual time as hours since midnight."""
        return self.at.hour + self.at.minute / 60


def usual_of(visits: Sequence[Visit]) -> Usual | None:
    """The habit behind ``visits``, or None when there are too few or they differ too much."""
    if len(visits) < MIN_VISITS:
        return None
    party, party_count = Counter(v.party for v in visits).most_common(1)[0]
    at, at_count = Counter(v.at for v in visits).most_common(1)[0]
    share = min(party_count, at_count) / len(visits)
    if share < HABIT_SHARE:
        return None
    nights = Counter(v.nights for v in visits).most_common(1)[0][0]
    room = Counter(v.room_type for v in visits).most_common(1)[0][0]
    weekend = sum(v.day.weekday() in WEEKEND for v in visits) / len(visits)
    return Usual(len(visits), party, at, nights, room, weekend)


#: The guest's recent visits to a venue (built once: it runs on turns a usual could serve).
_VISITS = (
    select(
        Booking.starts_at, Booking.check_in, Booking.check_out, Booking.party_size, RoomType.name
    )
    .outerjoin(RoomType, RoomType.id == Booking.room_type_id)
    .where(
        Booking.venue_id == bindparam("venue_id"),
        Booking.guest_id == bindparam("guest_id"),
        Booking.status.in_(VISITED),
        Booking.created_at < bindparam("before", type_=Booking.created_at.type),
    )
    .order_by(Booking.id.desc())
    .limit(RECENT_VISITS)
)


def guest_visits(session: Session, *, venue: Venue, guest_id: int, before: datetime) -> list[Visit]:
    """The guest's recent visits to ``venue`` booked before ``before``, newest first."""
    params = {"venue_id": venue.id, "guest_id": guest_id, "before": before}
    visits = []
    for starts_at, check_in, check_out, party, room in session.execute(_VISITS, params):
        if starts_at is not None:
            local = starts_at.astimezone(venue.tz)
            visits.append(Visit(local.date(), local.time().replace(tzinfo=None), party))
        elif check_in is not None and check_out is not None:
            nights = (check_out - check_in).days
            visits.append(Visit(check_in, venue.check_in_time, party, nights, room))
    return visits


def guest_usual(session: Session, *, venue: Venue, guest_id: int, now: datetime) -> Usual | None:
    """The guest's usual at ``venue`` as of ``now`` (None: no habit yet)."""
    return usual_of(guest_visits(session, venue=venue, guest_id=guest_id, before=now))
