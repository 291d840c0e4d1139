"""A hotel stay held in one statement on PostgreSQL (``bookline_hold_stay``, migrations 0006,
0014 and 0015).

The function does what the Python path of ``place_hold`` does for a stay: the guest's hold
rate when the caller gives a limit, then rooms of the type free for every night, the price with
its rate overrides, the booking under a fresh reference, one room's claims (all nights or none)
tried room by room in number order, and the hold's audit row. A chat turn that holds thus costs
one round trip where the Python path costs one per query (the rate's count among them),
several per candidate room that a racer took first, and the audit INSERT. Claims still go in
through ``UNIQUE(resource, unit)`` with ON CONFLICT DO NOTHING: the constraint decides who
wins, exactly as on the Python path.

SQLite has no stored functions; there (and when a claim collides with a lapsed hold, which the
Python path releases with its audit entry) ``place_hold`` takes the Python path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, column, text
from sqlalchemy.orm import Session

from engine.availability.requests import StayRequest
from engine.bookings.enums import Channel
from engine.bookings.references import new_reference
from engine.db import core_rows

#: Fresh references offered per hold; the function takes the first one not yet used.
REFERENCE_DRAWS = 5

#: The function's call, its columns named: SQLAlchemy then keeps the result's layout with the
#: compiled statement, where for bare text it matched the columns by name again on every hold.
_HOLD_STAY = text(
    "SELECT * FROM bookline_hold_stay(:venue, :guest, :room_type, :party, :check_in,"
    " :check_out, :now, :expires, :channel, :currency, :notes, :references, :actor,"
    " :holds_since, :holds_most)"
).columns(
    column("o_outcome", String),
    column("o_booking_id", Integer),
    column("o_reference", String),
    column("o_resource", String),
    column("o_amount", Integer),
    column("o_room_type_name", String),
    column("o_event_id", Integer),
)


class HoldOutcome(StrEnum):
    """What a hold's function did (``bookline_hold_stay``, ``bookline_hold_table``)."""

    HELD = "held"
    NONE_FREE = "none"  # no room (no seating) free for every night (the whole turn)
    LAPSED = "lapsed"  # a claim collided with a lapsed hold: wrote nothing
    INVALID = "invalid"  # not the venue's room type, too small, or no seating: Python says why
    RATE_LIMITED = "rate_limited"  # the guest started too many bookings lately: wrote nothing


@dataclass(frozen=True)
class StayHold:
    """The function's answer; the booking fields are set when ``outcome`` is HELD."""

    outcome: HoldOutcome
    booking_id: int | None
    reference: str | None
    resource: str | None
    amount: int | None
    room_type_name: str | None
    event_id: int | None  # the audit row "hold placed"


@dataclass(frozen=True)
class HoldsLimit:
    """At most ``most`` bookings started by a guest after ``since`` (the hold rate)."""

    since: datetime
    most: int


def hold_params(
    *,
    now: datetime,
    expires: datetime,
    channel: Channel,
    currency: str,
    notes: str,
    actor: str,
    holds_limit: HoldsLimit | None,
) -> dict[str, object]:
    """The parameters every hold function takes alike (``bookline_hold_stay`` and
    ``bookline_hold_table``): the clock and the hold's lapse, its channel, currency and
    notes, the references to draw from, the audit row's actor, and the hold rate."""
    return {
        "now": now,
        "expires": expires,
        "channel": channel.value,
        "currency": currency,
        "notes": notes,
        "references": [new_reference() for _ in range(REFERENCE_DRAWS)],
        "actor": actor,
        "holds_since": None if holds_limit is None else holds_limit.since,
        "holds_most": None if holds_limit is None else holds_limit.most,
    }


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
    actor: str,
    now: datetime,
    expires: datetime,
    holds_limit: HoldsLimit | None,
) -> StayHold:
    """Run ``bookline_hold_stay`` for ``request`` in the caller's transaction; it writes the
    hold's audit row as ``actor`` too, and first refuses a guest over ``holds_limit``.
    Read by ``core_rows``: ``Session.execute`` wraps even a text statement in its ORM
    execution layer."""
    (row,) = core_rows(
        session,
        _HOLD_STAY,
        {
            "venue": venue_id,
            "guest": guest_id,
            "room_type": room_type_id,
            "party": request.guests,
            "check_in": request.check_in,
            "check_out": request.check_out,
            **hold_params(
                now=now,
                expires=expires,
                channel=channel,
                currency=currency,
                notes=notes,
                actor=actor,
                holds_limit=holds_limit,
            ),
        },
    )
    return StayHold(HoldOutcome(row[0]), *row[1:])
