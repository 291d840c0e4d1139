"""Claim units and the query that tells which of them are taken.

Units are strings so that the ``UNIQUE(resource, unit)`` constraint compares the same way on
every backend: ISO dates for room-nights, minute-precision UTC instants for table-slots.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from engine.bookings.enums import HOLDING_STATUSES
from engine.bookings.models import Booking, Claim
from engine.db import core_rows

Pair = tuple[str, str]


def night_unit(night: date) -> str:
    """Unit of one room-night."""
    return night.isoformat()


@lru_cache(maxsize=8192)
def slot_unit(start: datetime) -> str:
    """Unit of one table-slot starting at ``start`` (aware).

    Cached: a table search names the units of every start it checks over several days, and
    a start's turn shares all but one slot with the next start's, so the same few hundred
    instants are formatted a dozen times a search (``strftime`` was ~2 ms of a first turn).
    Equal instants hash alike in any zone, and the unit is the UTC instant's.
    """
    return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


@lru_cache(maxsize=16384)
def slot_units(starts_at: datetime, minutes: int, slot_minutes: int) -> tuple[str, ...]:
    """The slot units a seating of ``minutes`` covers from ``starts_at`` (aware, any zone).

    Stepped in UTC: adding minutes to a local-zone datetime is wall-clock arithmetic, which
    across a DST change would name the wrong (or the same) slot twice. Cached: consecutive
    searches name the same turns, and equal instants hash alike in any zone.
    """
    start = starts_at.astimezone(UTC)
    count = -(-minutes // slot_minutes)
    return tuple(slot_unit(start + timedelta(minutes=slot_minutes * n)) for n in range(count))


def lapsed_hold(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """SQL condition: the booking is an unpaid hold whose time is up (``now`` may be bound).

    The statuses are spelled as equalities, not ``IN``: a list ``IN`` is an expanding
    parameter, which SQLAlchemy renders into the statement's text again on every execution.
    """
    return and_(
        or_(*(Booking.status == status for status in HOLDING_STATUSES)),
        Booking.hold_expires_at.is_not(None),
        Booking.hold_expires_at <= now,
    )


def live_claim(now: BindParameter[datetime]) -> ColumnElement[bool]:
    """SQL condition: the claim's booking is not a lapsed hold, without joining the bookings.

    ``booking_id NOT IN`` the lapsed holds, which the sweep keeps to a handful: the database
    reads them once (by the status index) and tests each claim against that set, where a join
    read a booking row (a random page of a large table) for every claim in range.
    """
    return Claim.booking_id.not_in(select(Booking.id).where(lapsed_hold(now)))


#: Live (not lapsed) claims on some resources within a unit range; built once, bound per call.
_TAKEN_PAIRS = select(Claim.resource, Claim.unit).where(
    Claim.venue_id == bindparam("venue_id"),
    Claim.resource.in_(bindparam("resources", expanding=True)),
    Claim.unit >= bindparam("unit_from"),
    Claim.unit <= bindparam("unit_to"),
    live_claim(bindparam("now")),
)
_TAKEN_PAIRS_BUT_ONE = _TAKEN_PAIRS.where(Claim.booking_id != bindparam("ignore_booking_id"))


def taken_pairs(
    session: Session,
    *,
    venue_id: int,
    resources: Iterable[str],
    unit_from: str,
    unit_to: str,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> set[Pair]:
    """(resource, unit) pairs in ``[unit_from, unit_to]`` held by live (not lapsed) bookings.

    ``ignore_booking_id`` leaves out one booking's own claims, so a booking being modified
    can keep the units it already holds.
    """
    params: dict[str, object] = {
        "venue_id": venue_id,
        "resources": list(resources),
        "unit_from": unit_from,
        "unit_to": unit_to,
        "now": now,
    }
    statement = _TAKEN_PAIRS
    if ignore_booking_id is not None:
        statement, params["ignore_booking_id"] = _TAKEN_PAIRS_BUT_ONE, ignore_booking_id
    return {(resource, unit) for resource, unit in core_rows(session, statement, params)}
