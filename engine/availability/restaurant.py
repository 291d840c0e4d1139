"""Restaurant availability: seating times inside opening hours with a table free for the turn.

A search looks at the requested day and the next ``NEXT_DAYS`` days. Everything it needs is
read once for all of them, in four statements: the tables, the closures in the range, the
opening hours, and the live claims from the first start to the end of the last turn.

The statements are built once, here, with bound parameters, and a window's grid of starts on a
date is computed once per process: a search is CPU-bound in Python, and rebuilding statements
(with their cache keys) and stepping through the same wall-clock grid was most of its time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import combinations
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from engine.availability.offers import TableOffer
from engine.availability.requests import TableRequest, validate_table
from engine.availability.units import Pair, slot_units, taken_pairs
from engine.exceptions import PartyTooLargeError
from engine.inventory.models import Closure, OpeningHours, Table
from engine.tenants.models import Venue

SAME_DAY_ALTERNATIVES = 3
NEXT_DAYS = 3

Seating = list[Table]
_NONE: frozenset[str] = frozenset()


def local_instant(venue: Venue, day: date, at: time) -> datetime | None:
    """The aware instant of a local wall time, or None when DST skips that time."""
    return _local_instant(venue.tz, datetime.combine(day, at))


def _local_instant(tz: ZoneInfo, naive: datetime) -> datetime | None:
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return aware


_CLOSED_DAYS = select(Closure.day).where(
    Closure.venue_id == bindparam("venue_id"),
    Closure.day >= bindparam("first_day"),
    Closure.day <= bindparam("last_day"),
)

_WINDOWS = (
    select(OpeningHours)
    .where(
        OpeningHours.venue_id == bindparam("venue_id"),
        OpeningHours.weekday.in_(bindparam("weekdays", expanding=True)),
    )
    .order_by(OpeningHours.weekday, OpeningHours.opens)
)

_TABLES = (
    select(Table)
    .where(Table.venue_id == bindparam("venue_id"), Table.active.is_(True))
    .order_by(Table.seats, Table.label)
)


def _closed_days(session: Session, venue: Venue, days: Sequence[date]) -> set[date]:
    """Closure dates among ``days`` (one query over their range)."""
    params = {"venue_id": venue.id, "first_day": min(days), "last_day": max(days)}
    return set(session.scalars(_CLOSED_DAYS, params))


def _windows(session: Session, venue: Venue, days: Sequence[date]) -> dict[int, list[OpeningHours]]:
    """Opening windows by weekday for the weekdays of ``days``, earliest first."""
    weekdays = sorted({day.weekday() for day in days})
    rows = session.scalars(_WINDOWS, {"venue_id": venue.id, "weekdays": weekdays})
    windows: dict[int, list[OpeningHours]] = {}
    for window in rows:
        windows.setdefault(window.weekday, []).append(window)
    return windows


def starts_by_day(
    session: Session, venue: Venue, days: Sequence[date], party_size: int
) -> dict[date, list[datetime]]:
    """For each of ``days``, every start whose whole turn fits inside one opening window."""
    closed = _closed_days(session, venue, days)
    windows = _windows(session, venue, days)
    turn = timedelta(minutes=venue.turn_minutes_for(party_size))
    return {
        day: [] if day in closed else _day_starts(venue, day, windows.get(day.weekday(), []), turn)
        for day in days
    }


def _day_starts(
    venue: Venue, day: date, windows: list[OpeningHours], turn: timedelta
) -> list[datetime]:
    return [start for window in windows for start in _window_starts(venue, day, window, turn)]


def seating_starts(session: Session, venue: Venue, day: date, party_size: int) -> list[datetime]:
    """Every start on ``day`` whose whole turn fits inside one opening window."""
    return starts_by_day(session, venue, [day], party_size)[day]


def _window_starts(
    venue: Venue, day: date, window: OpeningHours, turn: timedelta
) -> tuple[datetime, ...]:
    """Grid starts of one window whose turn ends by closing time."""
    return _grid_starts(venue.timezone, day, window.opens, window.closes, venue.slot_minutes, turn)


@lru_cache(maxsize=16384)
def _grid_starts(
    zone: str, day: date, opens_at: time, closes_at: time, slot_minutes: int, turn: timedelta
) -> tuple[datetime, ...]:
    """Grid starts from ``opens_at`` on ``day`` whose turn ends by ``closes_at`` (cached).

    Starts step through local wall-clock times (a time DST skips is left out; a repeated hour
    is offered once), but the turn is measured in real elapsed time (UTC), so a window that
    spans a clock change never seats a table past closing. Everything it depends on is in
    its arguments, so a day's grid is computed once per process, not once per search.
    """
    tz = ZoneInfo(zone)
    opens = datetime.combine(day, opens_at)
    closes = datetime.combine(day, closes_at)
    if closes <= opens:
        closes += timedelta(days=1)  # a window that runs past midnight
    last_end = closes.replace(tzinfo=tz).astimezone(UTC)
    step = timedelta(minutes=slot_minutes)
    starts: list[datetime] = []
    wall = opens
    while wall < closes:
        instant = _local_instant(tz, wall)
        if instant is not None and instant.astimezone(UTC) + turn <= last_end:
            starts.append(instant)
        wall += step
    return tuple(starts)


def is_seating_start(session: Session, venue: Venue, starts_at: datetime, party_size: int) -> bool:
    """True when ``starts_at`` is on the seating grid for the party.

    A window that runs past midnight belongs to the evening it opens, so a 00:30 start is
    looked for among the previous local date's starts too. Compared in UTC: ``==`` between
    zones is always False for a time in a repeated (DST) hour.
    """
    instant = starts_at.astimezone(UTC)
    day = instant.astimezone(venue.tz).date()
    starts = starts_by_day(session, venue, [day, day - timedelta(days=1)], party_size)
    return any(instant == start.astimezone(UTC) for each in starts.values() for start in each)


def _tables(session: Session, venue: Venue) -> list[Table]:
    """The venue's active tables, smallest first."""
    return list(session.scalars(_TABLES, {"venue_id": venue.id}))


def _seatings(tables: Sequence[Table], party_size: int) -> list[Seating]:
    """Tables (or combinable pairs) among ``tables`` that seat the party, tightest fit first."""
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


def seatings_for(session: Session, venue: Venue, party_size: int) -> list[Seating]:
    """Tables (or combinable pairs) that seat the party, tightest fit first."""
    return _seatings(_tables(session, venue), party_size)


def seating_pairs(venue: Venue, seating: Seating, start: datetime, party: int) -> list[Pair]:
    """The claims a seating needs: every slot of the turn on every table of the seating."""
    units = _turn_units(venue, start, party)
    return [(table.resource, unit) for table in seating for unit in units]


def _turn_units(venue: Venue, start: datetime, party: int) -> list[str]:
    return slot_units(start, minutes=venue.turn_minutes_for(party), slot_minutes=venue.slot_minutes)


def free_seatings(
    session: Session,
    venue: Venue,
    starts: list[datetime],
    party_size: int,
    *,
    now: datetime,
    ignore_booking_id: int | None = None,
    seatings: list[Seating] | None = None,
) -> dict[datetime, list[Seating]]:
    """For each start, the seatings whose tables are free for the whole turn.

    ``seatings`` saves reading the tables again when the caller already has them. One claims
    query covers every start; each start's slot units are formatted once, not per seating.
    """
    if seatings is None:
        seatings = seatings_for(session, venue, party_size)
    if not seatings or not starts:
        return {}
    units = {start: _turn_units(venue, start, party_size) for start in starts}
    taken = taken_pairs(
        session,
        venue_id=venue.id,
        resources={table.resource for seating in seatings for table in seating},
        unit_from=min(each[0] for each in units.values()),
        unit_to=max(each[-1] for each in units.values()),
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    by_unit: dict[str, set[str]] = {}
    for resource, unit in taken:
        by_unit.setdefault(unit, set()).add(resource)
    keys = [{table.resource for table in seating} for seating in seatings]
    free: dict[datetime, list[Seating]] = {}
    for start in starts:
        blocked = set().union(*(by_unit.get(unit, _NONE) for unit in units[start]))
        free[start] = [s for s, k in zip(seatings, keys, strict=True) if blocked.isdisjoint(k)]
    return free


def free_starts_by_day(
    session: Session,
    venue: Venue,
    days: Sequence[date],
    party_size: int,
    *,
    now: datetime,
    seatings: list[Seating] | None = None,
) -> dict[date, list[datetime]]:
    """For each of ``days``, the future starts with at least one seating free for the turn."""
    starts = starts_by_day(session, venue, days, party_size)
    future = {day: [s for s in starts[day] if s > now] for day in days}
    free = free_seatings(
        session,
        venue,
        [s for day in days for s in future[day]],
        party_size,
        now=now,
        seatings=seatings,
    )
    return {day: [s for s in future[day] if free.get(s)] for day in days}


def free_starts(
    session: Session, venue: Venue, day: date, party_size: int, *, now: datetime
) -> list[datetime]:
    """Starts on ``day`` still in the future with at least one seating free for the turn."""
    return free_starts_by_day(session, venue, [day], party_size, now=now)[day]


def _max_party(tables: Sequence[Table]) -> int:
    """The largest party any single table or combinable pair among ``tables`` can seat."""
    sizes = [t.seats for t in tables] + [
        a.seats + b.seats
        for a, b in combinations(tables, 2)
        if a.combine_group and a.combine_group == b.combine_group
    ]
    return max(sizes, default=0)


def max_party(session: Session, venue: Venue) -> int:
    """The largest party any single table or combinable pair can seat."""
    return _max_party(_tables(session, venue))


def require_seatable(session: Session, venue: Venue, party_size: int) -> list[Seating]:
    """The seatings for the party; PartyTooLargeError when no table or pair could ever seat it."""
    tables = _tables(session, venue)
    seatings = _seatings(tables, party_size)
    if not seatings:
        largest = _max_party(tables)
        message = f"We can seat at most {largest} guests at one booking."
        raise PartyTooLargeError(message, largest=largest)
    return seatings


def search_tables(
    session: Session, venue: Venue, request: TableRequest, *, now: datetime, limit: int = 5
) -> list[TableOffer]:
    """The requested time if free, else the nearest free times that day, then the next days.

    A party no table can seat is refused first, with the venue's own largest party.
    """
    seatings = require_seatable(session, venue, request.party_size)
    validate_table(venue, request, now=now)
    days = [request.day + timedelta(days=offset) for offset in range(NEXT_DAYS + 1)]
    free = free_starts_by_day(session, venue, days, request.party_size, now=now, seatings=seatings)
    wanted = datetime.combine(request.day, request.at, tzinfo=venue.tz)
    same_day = sorted(free[request.day], key=lambda s: (abs(s - wanted), s))
    chosen = same_day[:SAME_DAY_ALTERNATIVES]
    for offset, day in enumerate(days[1:], start=1):
        target = wanted + timedelta(days=offset)
        if free[day]:
            chosen.append(min(free[day], key=lambda s: (abs(s - target), s)))
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
