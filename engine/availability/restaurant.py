"""Restaurant availability: seating times inside opening hours with a table free for the turn."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.offers import TableOffer
from engine.availability.requests import TableRequest, validate_table
from engine.availability.units import Pair, slot_unit, slot_units, taken_pairs
from engine.exceptions import ValidationError
from engine.inventory.models import Closure, OpeningHours, Table
from engine.tenants.models import Venue

SAME_DAY_ALTERNATIVES = 3
NEXT_DAYS = 3


def local_instant(venue: Venue, day: date, at: time) -> datetime | None:
    """The aware instant of a local wall time, or None when DST skips that time."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=venue.tz)
    if aware.astimezone(UTC).astimezone(venue.tz).replace(tzinfo=None) != naive:
        return None
    return aware


def seating_starts(session: Session, venue: Venue, day: date, party_size: int) -> list[datetime]:
    """Every start on ``day`` whose whole turn fits inside one opening window."""
    closed = session.scalar(
        select(Closure.id).where(Closure.venue_id == venue.id, Closure.day == day)
    )
    if closed is not None:
        return []
    windows = session.scalars(
        select(OpeningHours)
        .where(OpeningHours.venue_id == venue.id, OpeningHours.weekday == day.weekday())
        .order_by(OpeningHours.opens)
    )
    turn = timedelta(minutes=venue.turn_minutes_for(party_size))
    return [start for window in windows for start in _window_starts(venue, day, window, turn)]


def _window_starts(
    venue: Venue, day: date, window: OpeningHours, turn: timedelta
) -> list[datetime]:
    """Grid starts of one window whose turn ends by closing time.

    Starts step through local wall-clock times (a time DST skips is left out; a repeated hour
    is offered once), but the turn is measured in real elapsed time (UTC), so a window that
    spans a clock change never seats a table past closing.
    """
    opens = datetime.combine(day, window.opens)
    closes = datetime.combine(day, window.closes)
    if closes <= opens:
        closes += timedelta(days=1)  # a window that runs past midnight
    last_end = closes.replace(tzinfo=venue.tz).astimezone(UTC)
    step = timedelta(minutes=venue.slot_minutes)
    starts: list[datetime] = []
    wall = opens
    while wall < closes:
        instant = local_instant(venue, wall.date(), wall.time())
        if instant is not None and instant.astimezone(UTC) + turn <= last_end:
            starts.append(instant)
        wall += step
    return starts


def is_seating_start(session: Session, venue: Venue, starts_at: datetime, party_size: int) -> bool:
    """True when ``starts_at`` is on the seating grid for the party.

    A window that runs past midnight belongs to the evening it opens, so a 00:30 start is
    looked for among the previous local date's starts too. Compared in UTC: ``==`` between
    zones is always False for a time in a repeated (DST) hour.
    """
    instant = starts_at.astimezone(UTC)
    day = instant.astimezone(venue.tz).date()
    return any(
        instant == start.astimezone(UTC)
        for d in (day, day - timedelta(days=1))
        for start in seating_starts(session, venue, d, party_size)
    )


def seatings_for(session: Session, venue: Venue, party_size: int) -> list[list[Table]]:
    """Tables (or combinable pairs) that seat the party, tightest fit first."""
    tables = list(
        session.scalars(
            select(Table)
            .where(Table.venue_id == venue.id, Table.active.is_(True))
            .order_by(Table.seats, Table.label)
        )
    )
    singles = [[t] for t in tables if t.seats >= party_size]
    pairs = [
        [a, b]
        for a, b in combinations(tables, 2)
        if a.combine_group
        and a.combine_group == b.combine_group
        and a.seats < party_size
        and b.seats < party_size <= a.seats + b.seats
    ]
    pairs.sort(key=lambda pair: (pair[0].seats + pair[1].seats, pair[0].label))
    return singles + pairs


def seating_pairs(venue: Venue, seating: list[Table], start: datetime, party: int) -> list[Pair]:
    """The claims a seating needs: every slot of the turn on every table of the seating."""
    units = slot_units(
        start, minutes=venue.turn_minutes_for(party), slot_minutes=venue.slot_minutes
    )
    return [(table.resource, unit) for table in seating for unit in units]


def free_seatings(
    session: Session,
    venue: Venue,
    starts: list[datetime],
    party_size: int,
    *,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> dict[datetime, list[list[Table]]]:
    """For each start, the seatings whose tables are free for the whole turn."""
    seatings = seatings_for(session, venue, party_size)
    if not seatings or not starts:
        return {}
    instants = [start.astimezone(UTC) for start in starts]
    last_slot = max(instants) + timedelta(minutes=venue.turn_minutes_for(party_size))
    taken = taken_pairs(
        session,
        venue_id=venue.id,
        resources={table.resource for seating in seatings for table in seating},
        unit_from=slot_unit(min(instants)),
        unit_to=slot_unit(last_slot),
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    return {
        start: [s for s in seatings if taken.isdisjoint(seating_pairs(venue, s, start, party_size))]
        for start in starts
    }


def free_starts(
    session: Session, venue: Venue, day: date, party_size: int, *, now: datetime
) -> list[datetime]:
    """Starts on ``day`` still in the future with at least one seating free for the turn."""
    starts = [s for s in seating_starts(session, venue, day, party_size) if s > now]
    free = free_seatings(session, venue, starts, party_size, now=now)
    return [start for start, seatings in free.items() if seatings]


def max_party(session: Session, venue: Venue) -> int:
    """The largest party any single table or combinable pair can seat."""
    tables = session.scalars(
        select(Table).where(Table.venue_id == venue.id, Table.active.is_(True))
    ).all()
    sizes = [t.seats for t in tables] + [
        a.seats + b.seats
        for a, b in combinations(tables, 2)
        if a.combine_group and a.combine_group == b.combine_group
    ]
    return max(sizes, default=0)


def require_seatable(session: Session, venue: Venue, party_size: int) -> None:
    """Raise ValidationError when no table or combinable pair could ever seat the party."""
    if not seatings_for(session, venue, party_size):
        raise ValidationError(
            f"We can seat at most {max_party(session, venue)} guests at one booking."
        )


def search_tables(
    session: Session, venue: Venue, request: TableRequest, *, now: datetime, limit: int = 5
) -> list[TableOffer]:
    """The requested time if free, else the nearest free times that day, then the next days."""
    validate_table(venue, request, now=now)
    require_seatable(session, venue, request.party_size)
    wanted = datetime.combine(request.day, request.at, tzinfo=venue.tz)
    same_day = sorted(
        free_starts(session, venue, request.day, request.party_size, now=now),
        key=lambda s: (abs(s - wanted), s),
    )
    chosen = same_day[:SAME_DAY_ALTERNATIVES]
    for offset in range(1, NEXT_DAYS + 1):
        day = request.day + timedelta(days=offset)
        target = wanted + timedelta(days=offset)
        later = free_starts(session, venue, day, request.party_size, now=now)
        if later:
            chosen.append(min(later, key=lambda s: (abs(s - target), s)))
    chosen.extend(s for s in same_day[SAME_DAY_ALTERNATIVES:] if s not in chosen)
    deposit = venue.deposit_for(request.party_size)
    return [
        TableOffer(
            venue_id=venue.id,
            starts_at=start.astimezone(UTC),
            local_start=start.astimezone(venue.tz),
            party_size=request.party_size,
            deposit_amount=deposit,
            currency=venue.currency,
            exact=start == wanted,
        )
        for start in chosen[:limit]
    ]
