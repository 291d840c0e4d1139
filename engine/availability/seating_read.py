"""Everything a table search reads, in one statement: the tables, the opening hours, the
closures and the live table claims of the days searched.

On PostgreSQL the statement runs as the function ``bookline_seating_read`` (migration 0016),
whose plan the server keeps for the connection's life (sent as text it was planned on every
search, which cost as much as running it).

Four searches in one process share one GIL, and each statement costs a search about as much
Python as its whole free-table test, so a search reads once. The four parts are one
``UNION ALL``; a ``kind`` column says which part a row belongs to, and each part fills its own
columns (the others are typed NULLs, so every column reads back as its type on every backend).

The opening hours are read for every weekday (a handful of rows): a list of weekdays would be
an expanding parameter, rendered into the statement's text again on every execution. A
claim's booking is not joined (``live_claim``), and a table's claims come back as one row,
its units joined by commas: a row costs the read more Python than a unit split from a string.

The claims are read before the grid is known, so their range is the days themselves: from
local midnight of the first day to local midnight two days after the last (a window that
opens on the last day may run past midnight, and closes within a day of opening). A claim
in that range outside every turn searched blocks nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Date,
    Executable,
    Integer,
    String,
    TextClause,
    Time,
    bindparam,
    cast,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from engine.availability.units import Pair, live_claim, slot_unit
from engine.bookings.models import Claim
from engine.db import comma_joined, core_rows, on_postgresql
from engine.inventory.models import Closure, OpeningHours, Table
from engine.tenants.models import Venue

Window = tuple[time, time]


class SeatTable(NamedTuple):
    """An active table as a search reads it: a plain tuple, cheaper than an ORM object."""

    id: int
    label: str
    seats: int
    combine_group: str | None

    @property
    def resource(self) -> str:
        """The claim resource key of this table (as ``Table.resource``)."""
        return f"table:{self.id}"


@dataclass
class SeatingInputs:
    """What one read returns: tables smallest first (then by label), windows by weekday
    earliest first (tuples: a day's grid is cached by them), the closed dates, and the
    (resource, unit) pairs live claims hold."""

    tables: list[SeatTable] = field(default_factory=list)
    windows: dict[int, tuple[Window, ...]] = field(default_factory=dict)
    closed: set[date] = field(default_factory=set)
    taken: list[Pair] = field(default_factory=list)


#: ``Table.resource`` ("table:<id>") spelled in SQL, to match a table's claims in the query.
TABLE_RESOURCE: ColumnElement[str] = literal("table:") + cast(Table.id, String)

_TABLE, _WINDOW, _CLOSURE, _CLAIM = 0, 1, 2, 3
_NO_INT, _NO_STR = cast(null(), Integer), cast(null(), String)
_NO_TIME, _NO_DATE = cast(null(), Time), cast(null(), Date)
_VENUE: BindParameter[int] = bindparam("venue_id")

_READ: CompoundSelect[*tuple[Any, ...]] = union_all(
    select(
        literal(_TABLE).label("kind"),
        Table.id,
        Table.label.label("label"),
        Table.seats.label("seats"),
        Table.combine_group,
        _NO_INT,
        _NO_TIME,
        _NO_TIME,
        _NO_DATE,
    ).where(Table.venue_id == _VENUE, Table.active.is_(True)),
    select(
        literal(_WINDOW),
        _NO_INT,
        _NO_STR,
        _NO_INT,
        _NO_STR,
        OpeningHours.weekday,
        OpeningHours.opens,
        OpeningHours.closes,
        _NO_DATE,
    ).where(OpeningHours.venue_id == _VENUE),
    select(
        literal(_CLOSURE),
        _NO_INT,
        _NO_STR,
        _NO_INT,
        _NO_STR,
        _NO_INT,
        _NO_TIME,
        _NO_TIME,
        Closure.day,
    ).where(
        Closure.venue_id == _VENUE,
        Closure.day >= bindparam("first_day"),
        Closure.day <= bindparam("last_day"),
    ),
    select(
        literal(_CLAIM),
        _NO_INT,
        Claim.resource,
        _NO_INT,
        comma_joined(Claim.unit),
        _NO_INT,
        _NO_TIME,
        _NO_TIME,
        _NO_DATE,
    )
    .join(Table, Claim.resource == TABLE_RESOURCE)
    .where(
        Table.venue_id == _VENUE,
        Table.active.is_(True),
        or_(Table.seats >= bindparam("party_size"), Table.combine_group.is_not(None)),
        Claim.unit >= bindparam("unit_from"),
        Claim.unit < bindparam("unit_to"),
        live_claim(bindparam("now")),
    )
    .group_by(Claim.resource),
).order_by("kind", "seats", "label")  # the tables in the order every backend sorts them


#: ``_READ`` as PostgreSQL runs it: a PL/pgSQL function (migration 0016) keeps its plan for the
#: connection's life, where the statement sent as text was planned again on every search.
_READ_FUNCTION: TextClause = text(
    "SELECT * FROM bookline_seating_read(:venue_id, :first_day, :last_day, :unit_from,"
    " :unit_to, :party_size, :now)"
)


def read_seating_inputs(
    session: Session, venue: Venue, days: Sequence[date], party_size: int, *, now: datetime
) -> SeatingInputs:
    """The tables, windows, closures and live table claims of ``days``, in one round trip.

    Only the claims of tables that may seat the party, alone or combined, are read: a
    smaller table that combines with none can be in none of its seatings.
    """
    first, last = min(days), max(days)
    params = {
        "venue_id": venue.id,
        "first_day": first,
        "last_day": last,
        "unit_from": slot_unit(datetime.combine(first, time(), tzinfo=venue.tz)),
        "unit_to": slot_unit(datetime.combine(last + timedelta(days=2), time(), tzinfo=venue.tz)),
        "party_size": party_size,
        "now": now,
    }
    statement: Executable = _READ_FUNCTION if on_postgresql(session) else _READ
    read = SeatingInputs()
    windows: dict[int, list[Window]] = {}
    for kind, table_id, label, seats, other, weekday, opens, closes, day in core_rows(
        session, statement, params
    ):
        if kind == _CLAIM:
            read.taken.extend((label, unit) for unit in other.split(","))
        elif kind == _TABLE:
            read.tables.append(SeatTable(table_id, label, seats, other))
        elif kind == _WINDOW:
            windows.setdefault(weekday, []).append((opens, closes))
        else:
            read.closed.add(day)
    read.windows = {weekday: tuple(sorted(each)) for weekday, each in windows.items()}
    return read
