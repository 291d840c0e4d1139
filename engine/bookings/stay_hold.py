"""A hotel stay held in one statement on PostgreSQL (``bookline_hold_stay``, migration 0006).

The function does what the Python path of ``place_hold`` does for a stay: rooms of the type
free for every night, the price with its rate overrides, the booking under a fresh reference,
then one room's claims (all nights or none) tried room by room in number order. A chat turn
that holds thus costs one round trip where the Python path costs one per query and several per
candidate room that a racer took first. Claims still go in through ``UNIQUE(resource, unit)``
with ON CONFLICT DO NOTHING: the constraint decides who wins, exactly as on the Python path.

SQLite has no stored functions; there (and when a claim collides with a lapsed hold, which the
Python path releases with its audit entry) ``place_hold`` takes the Python path.

``bookline_hold_cheapest_stay`` (migration 0010) is a whole chat turn's hold in one statement,
behind ``hold_cheapest_stay``: the venue read, the guest found or created by phone, the
cheapest room type with a room free held through ``bookline_hold_stay``, its audit row, and
lapsed holds in the way expired with theirs. Atomic alone, it needs no BEGIN or COMMIT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, column, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from engine.availability.requests import BOOKING_HORIZON, StayRequest
from engine.bookings.enums import Channel
from engine.bookings.references import new_reference
from engine.db import UTCDateTime

#: Fresh references offered per hold; the function takes the first one not yet used.
REFERENCE_DRAWS = 5

_HOLD_STAY = text(
    "SELECT * FROM bookline_hold_stay(:venue, :guest, :room_type, :party, :check_in,"
    " :check_out, :now, :expires, :channel, :currency, :notes, :references)"
)


class StayHoldOutcome(StrEnum):
    """What the function did."""

    HELD = "held"
    NONE_FREE = "none"  # no room of the type could be claimed for every night
    LAPSED = "lapsed"  # a claim collided with a lapsed hold: wrote nothing
    INVALID = "invalid"  # not the venue's room type, or too small for the party


@dataclass(frozen=True)
class StayHold:
    """The function's answer; the booking fields are set when ``outcome`` is HELD."""

    outcome: StayHoldOutcome
    booking_id: int | None
    reference: str | None
    resource: str | None
    amount: int | None
    room_type_name: str | None


def holds_in_one_statement(session: Session) -> bool:
    """True when the session's database has ``bookline_hold_stay`` (PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def hold_stay(
    session: Session,
    *,
    venue_id: int,
    guest_id: int,
    room_type_id: int,
    request: StayRequest,
    channel: Channel,
    currency: str,
    notes: str,
    now: datetime,
    expires: datetime,
) -> StayHold:
    """Run ``bookline_hold_stay`` for ``request`` in the caller's transaction."""
    row = session.execute(
        _HOLD_STAY,
        {
            "venue": venue_id,
            "guest": guest_id,
            "room_type": room_type_id,
            "party": request.guests,
            "check_in": request.check_in,
            "check_out": request.check_out,
            "now": now,
            "expires": expires,
            "channel": channel.value,
            "currency": currency,
            "notes": notes,
            "references": [new_reference() for _ in range(REFERENCE_DRAWS)],
        },
    ).one()
    return StayHold(StayHoldOutcome(row[0]), *row[1:])


#: Typed columns: timestamps come back in UTC, and the result's description is built once.
_HOLD_CHEAPEST_STAY = text(
    "SELECT * FROM bookline_hold_cheapest_stay(:venue, :phone, :party, :check_in, :check_out,"
    " :now, :horizon_days, :channel, :notes, :actor, :references)"
).columns(
    column("o_outcome", String),
    column("o_guest_id", Integer),
    column("o_booking_id", Integer),
    column("o_reference", String),
    column("o_resource", String),
    column("o_amount", Integer),
    column("o_room_type_id", Integer),
    column("o_currency", String),
    column("o_expires", UTCDateTime()),
    column("o_event_id", Integer),
    column("o_expired_events", postgresql.ARRAY(Integer)),
)


class CheapestStayOutcome(StrEnum):
    """What ``bookline_hold_cheapest_stay`` did."""

    HELD = "held"
    SOLD_OUT = "sold_out"  # no room type sleeping the party had a room free for every night
    INVALID = "invalid"  # no such hotel, or dates it cannot take: wrote nothing


@dataclass(frozen=True)
class CheapestStay:
    """The function's answer; the booking fields are set when ``outcome`` is HELD."""

    outcome: CheapestStayOutcome
    guest_id: int | None
    booking_id: int | None
    reference: str | None
    resource: str | None
    amount: int | None
    room_type_id: int | None
    currency: str | None
    expires: datetime | None
    event_id: int | None
    expired_event_ids: list[int] | None  # audit rows of lapsed holds it expired to hold


def hold_cheapest_stay_statement(
    session: Session,
    *,
    venue_id: int,
    phone: str,
    request: StayRequest,
    channel: Channel,
    actor: str,
    notes: str,
    now: datetime,
) -> CheapestStay:
    """Run ``bookline_hold_cheapest_stay`` (migration 0010): one statement, atomic alone.

    Sent on the session's connection with Core, after flushing what the session has pending
    (as ``Session.execute`` would): a text statement needs none of the ORM's execution.
    """
    session.flush()
    params = {
        "venue": venue_id,
        "phone": phone,
        "party": request.guests,
        "check_in": request.check_in,
        "check_out": request.check_out,
        "now": now,
        "horizon_days": BOOKING_HORIZON.days,
        "channel": channel.value,
        "notes": notes,
        "actor": actor,
        "references": [new_reference() for _ in range(REFERENCE_DRAWS)],
    }
    row = session.connection().execute(_HOLD_CHEAPEST_STAY, params).one()
    return CheapestStay(CheapestStayOutcome(row[0]), *row[1:])
