"""Restaurant availability: seating times inside opening hours with a table free for the turn.

A search looks at the requested day and the next ``NEXT_DAYS`` days. Everything it needs is
read once for all of them, in one statement (``seating_read``): the tables, the opening hours,
the closures and the live table claims of those days. A hold checks its one start with the
tables, the grid and the claims read separately (``require_seatable``, ``is_seating_start``,
``free_seatings``).

Four searches share one process and so one GIL, so a search keeps its Python small: the
statements are built once, here, with bound parameters and read as plain tuples (no ORM
objects); a window's grid of starts on a date and a start's turn units are computed once per
process; and the free-table test is integer bit arithmetic (one bit per table) rather than
sets of strings per start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import combinations
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, Time, bindparam, cast, null, select, union_all
from sqlalchemy.orm import Session

from engine.availability.offers import TableOffer
from engine.availability.requests import TableRequest, validate_table
from engine.availability.seating_read import (
    SeatingInputs,
    SeatTable,
    Window,
    read_seating_inputs,
)
from engine.availability.units import Pair, slot_units, taken_pairs
from engine.db import core_rows
from engine.exceptions import PartyTooLargeError
from engine.inventory.models import Closure, OpeningHours, Table
from engine.tenants.models import Venue

SAME_DAY_ALTERNATIVES = 3
NEXT_DAYS = 3

Seating = list[SeatTable]


def local_instant(venue: Venue, day: date, at: time) -> datetime | None:
    """The aware instant of a local wall time, or None when DST skips that time."""
    return _local_instant(venue.tz, datetime.combine(day, at))


def _local_instant(tz: ZoneInfo, naive: datetime) -> datetime | None:
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return aware


#: Opening windows (weekday, opens, closes, NULL) of some weekdays, then closure dates (NULL,
#: NULL, NULL, day) in a date range: one round trip for both. The NULLs are typed so that
#: each column reads back as its type on every backend.
_WINDOWS_AND_CLOSURES = union_all(
    select(OpeningHours.weekday, OpeningHours.opens, OpeningHours.closes, cast(null(), Date)).where(
        OpeningHours.venue_id == bindparam("venue_id"),
        OpeningHours.weekday.in_(bindparam("weekdays", expanding=True)),
    ),
    select(cast(null(), Integer), cast(null(), Time), cast(null(), Time), Closure.day).where(
        Closure.venue_id == bindparam("venue_id"),
        Closure.day >= bindparam("first_day"),
        Closure.day <= bindparam("last_day"),
    ),
)

_TABLES = (
    select(Table.id, Table.label, Table.seats, Table.combine_group)
    .where(Table.venue_id == bindparam("venue_id"), Table.active.is_(True))
    .order_by(Table.seats, Table.label)
)


def _windows_and_closures(
    session: Session, venue: Venue, days: Sequence[date]
) -> tuple[dict[int, tuple[Window, ...]], set[date]]:
    """Opening windows by weekday (earliest first) for ``days``, and the closures among them."""
    params = {
        "venue_id": venue.id,
        "weekdays": sorted({day.weekday() for day in days}),
        "first_day": min(days),
        "last_day": max(days),
    }
    windows: dict[int, list[Window]] = {}
    closed: set[date] = set()
    for weekday, opens, closes, closed_day in core_rows(session, _WINDOWS_AND_CLOSURES, params):
        if closed_day is not None:
            closed.add(closed_day)
        else:
            windows.setdefault(weekday, []).append((opens, closes))
    return {weekday: tuple(sorted(each)) for weekday, each in windows.items()}, closed


def starts_by_day(
    session: Session, venue: Venue, days: Sequence[date], party_size: int
) -> dict[date, list[datetime]]:
    """For each of ``days``, every start whose whole turn fits inside one opening window."""
    windows, closed = _windows_and_closures(session, venue, days)
    turn = venue.turn_minutes_for(party_size)
    return {
        day: [start for start, _, _ in _day_turns(venue, day, windows, closed, turn)]
        for day in days
    }


#: A grid start: local (the venue's zone), the same instant in UTC, its turn's slot units.
Turn = tuple[datetime, datetime, tuple[str, ...]]


def _day_turns(
    venue: Venue,
    day: date,
    windows: dict[int, tuple[Window, ...]],
    closed: set[date],
    turn_minutes: int,
) -> tuple[Turn, ...]:
    """The grid starts of ``day`` over its weekday's windows (none on a closure)."""
    if day in closed:
        return ()
    each = windows.get(day.weekday(), ())
    return _grid_turns(venue.timezone, day, each, venue.slot_minutes, turn_minutes)


@lru_cache(maxsize=16384)
def _grid_turns(
    zone: str, day: date, windows: tuple[Window, ...], slot_minutes: int, turn_minutes: int
) -> tuple[Turn, ...]:
    """Every start of ``day`` over ``windows`` with its UTC instant and turn units (cached).

    A search walks the starts of four days; with the instant and the units computed once per
    process, a start costs it a comparison with "now" and a few dictionary look-ups.
    """
    turn = timedelta(minutes=turn_minutes)
    return tuple(
        (start, start.astimezone(UTC), slot_units(start, turn_minutes, slot_minutes))
        for opens, closes in windows
        for start in _grid_starts(zone, day, opens, closes, slot_minutes, turn)
    )


def seating_starts(session: Session, venue: Venue, day: date, party_size: int) -> list[datetime]:
    """Every start on ``day`` whose whole turn fits inside one opening window."""
    return starts_by_day(session, venue, [day], party_size)[day]


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


def _tables(session: Session, venue: Venue) -> list[SeatTable]:
    """The venue's active tables, smallest first."""
    return [SeatTable._make(row) for row in core_rows(session, _TABLES, {"venue_id": venue.id})]


def _seatings(tables: Sequence[SeatTable], party_size: int) -> list[Seating]:
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
    units = slot_units(start, venue.turn_minutes_for(party), venue.slot_minutes)
    return [(table.resource, unit) for table in seating for unit in units]


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
    query covers every start.
    """
    if seatings is None:
        seatings = seatings_for(session, venue, party_size)
    if not seatings or not starts:
        return {}
    units = _units_by_start(venue, starts, party_size)
    taken = taken_pairs(
        session,
        venue_id=venue.id,
        resources={table.resource for seating in seatings for table in seating},
        unit_from=min(each[0] for each in units.values()),
        unit_to=max(each[-1] for each in units.values()),
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    return _free_by_start(units, seatings, taken)


def _units_by_start(
    venue: Venue, starts: Sequence[datetime], party_size: int
) -> dict[datetime, tuple[str, ...]]:
    """Each start's turn as slot units."""
    minutes, step = venue.turn_minutes_for(party_size), venue.slot_minutes
    return {start: slot_units(start, minutes, step) for start in starts}


def _free_by_start(
    units: dict[datetime, tuple[str, ...]], seatings: list[Seating], taken: Iterable[Pair]
) -> dict[datetime, list[Seating]]:
    """For each start (with its turn's units), the seatings none of whose tables is taken."""
    masks, busy = _table_bits(seatings, taken)
    return {
        start: [s for s, mask in zip(seatings, masks, strict=True) if not mask & blocked]
        for start, turn in units.items()
        for blocked in [_blocked(turn, busy)]
    }


def _table_bits(seatings: list[Seating], taken: Iterable[Pair]) -> tuple[list[int], dict[str, int]]:
    """Each seating's mask, and per unit the mask of its taken tables.

    Each table is one bit: a start is blocked by the OR over its turn's units, and a seating
    is free when none of its bits is blocked (integer arithmetic, not a set of strings per
    start). Claims on other tables block nothing. The search and the hold path both decide
    by this test.
    """
    tables = {table: None for seating in seatings for table in seating}
    bits = {table.resource: 1 << n for n, table in enumerate(tables)}
    masks = [sum(bits[table.resource] for table in seating) for seating in seatings]
    busy: dict[str, int] = {}
    for resource, unit in taken:
        busy[unit] = busy.get(unit, 0) | bits.get(resource, 0)
    return masks, busy


def _blocked(turn: tuple[str, ...], busy: dict[str, int]) -> int:
    """The tables (bits) taken in any unit of a turn."""
    blocked = 0
    for unit in turn:
        blocked |= busy.get(unit, 0)
    return blocked


def free_starts_by_day(
    session: Session, venue: Venue, days: Sequence[date], party_size: int, *, now: datetime
) -> dict[date, list[datetime]]:
    """For each of ``days``, the future starts with at least one seating free for the turn."""
    read = read_seating_inputs(session, venue, days, party_size, now=now)
    seatings = _seatings(read.tables, party_size)
    return _free_starts_by_day(venue, days, party_size, read, seatings, now=now)


def _free_starts_by_day(
    venue: Venue,
    days: Sequence[date],
    party_size: int,
    read: SeatingInputs,
    seatings: list[Seating],
    *,
    now: datetime,
) -> dict[date, list[datetime]]:
    """``free_starts_by_day`` from what one read returned: a start is free when any seating's
    mask misses the tables its turn finds taken."""
    turn = venue.turn_minutes_for(party_size)
    masks, busy = _table_bits(seatings, read.taken)
    free: dict[date, list[datetime]] = {}
    for day in days:
        free[day] = [
            start
            for start, instant, units in _day_turns(venue, day, read.windows, read.closed, turn)
            if instant > now
            for blocked in [_blocked(units, busy)]
            if any(not mask & blocked for mask in masks)
        ]
    return free


def free_starts(
    session: Session, venue: Venue, day: date, party_size: int, *, now: datetime
) -> list[datetime]:
    """Starts on ``day`` still in the future with at least one seating free for the turn."""
    return free_starts_by_day(session, venue, [day], party_size, now=now)[day]


def _max_party(tables: Sequence[SeatTable]) -> int:
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
    return _require_seatings(_tables(session, venue), party_size)


def _require_seatings(tables: list[SeatTable], party_size: int) -> list[Seating]:
    """``require_seatable`` among tables already read."""
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

    A party no table can seat is refused first, with the venue's own largest party. All the
    search needs is read in one statement (``seating_read``).
    """
    days = [request.day + timedelta(days=offset) for offset in range(NEXT_DAYS + 1)]
    read = read_seating_inputs(session, venue, days, request.party_size, now=now)
    seatings = _require_seatings(read.tables, request.party_size)
    validate_table(venue, request, now=now)
    free = _free_starts_by_day(venue, days, request.party_size, read, seatings, now=now)
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
