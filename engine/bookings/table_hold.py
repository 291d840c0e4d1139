"""A restaurant table held in one statement on PostgreSQL (``bookline_hold_table``, migration
0018), as a stay is by ``bookline_hold_stay`` (see ``stay_hold``).

The function does what the Python path of ``place_hold`` does for a table: the guest's hold
rate, the start checked against the opening hours, the seatings that fit the party in the
plan's order, the deposit with the guest's no-shows where the venue's rule counts them, the
booking, one seating's claims (every slot of the turn on every table, or none) tried seating
by seating, and the audit row. Python still decides everything that reads nothing (the
request's own checks, the turn's units and the deposit amounts), and says why whenever the
function answers ``invalid``: the function only proves a start and a seating good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, column, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from engine.availability.offers import TableOffer
from engine.availability.units import slot_units
from engine.bookings.enums import Channel
from engine.bookings.stay_hold import HoldOutcome, HoldsLimit, hold_params
from engine.db import core_rows
from engine.tenants.models import Venue

_HOLD_TABLE = text(
    "SELECT * FROM bookline_hold_table(:venue, :guest, :party, :starts_at, :ends_at,"
    " :local_start, :zone, :slot_minutes, :units, :now, :expires, :channel, :currency, :notes,"
    " :references, :actor, :holds_since, :holds_most, :amount, :no_show_amount,"
    " :no_shows_after)"
).columns(
    column("o_outcome", String),
    column("o_booking_id", Integer),
    column("o_reference", String),
    column("o_resources", ARRAY(String)),
    column("o_amount", Integer),
    column("o_event_id", Integer),
)


@dataclass(frozen=True)
class TableHold:
    """The function's answer; the booking fields are set when ``outcome`` is HELD."""

    outcome: HoldOutcome
    booking_id: int | None
    reference: str | None
    resources: list[str] | None
    amount: int | None
    event_id: int | None  # the audit row "hold placed"


def _deposit_params(venue: Venue, party_size: int) -> dict[str, int | None]:
    """The deposit without no-shows, the one the venue's no-show rule would ask, and the
    no-shows that make it due (None: no count can change the deposit, so none is made)."""
    amount = venue.deposit_for(party_size)
    after = venue.no_show_deposit_after
    with_no_shows = venue.deposit_for(party_size, no_shows=after)
    counted = after if after > 0 and with_no_shows != amount else None
    return {"amount": amount, "no_show_amount": with_no_shows, "no_shows_after": counted}


def hold_table(
    session: Session,
    *,
    venue: Venue,
    guest_id: int,
    offer: TableOffer,
    channel: Channel,
    notes: str,
    actor: str,
    now: datetime,
    expires: datetime,
    ends_at: datetime,
    holds_limit: HoldsLimit | None,
) -> TableHold:
    """Run ``bookline_hold_table`` for ``offer`` in the caller's transaction; it writes the
    hold's audit row as ``actor`` too, and first refuses a guest over ``holds_limit``."""
    minutes = venue.turn_minutes_for(offer.party_size)
    (row,) = core_rows(
        session,
        _HOLD_TABLE,
        {
            "venue": venue.id,
            "guest": guest_id,
            "party": offer.party_size,
            "starts_at": offer.starts_at,
            "ends_at": ends_at,
            "local_start": offer.starts_at.astimezone(venue.tz).replace(tzinfo=None),
            "zone": venue.timezone,
            "slot_minutes": venue.slot_minutes,
            "units": list(slot_units(offer.starts_at, minutes, venue.slot_minutes)),
            **hold_params(
                now=now,
                expires=expires,
                channel=channel,
                currency=venue.currency,
                notes=notes,
                actor=actor,
                holds_limit=holds_limit,
            ),
            **_deposit_params(venue, offer.party_size),
        },
    )
    return TableHold(HoldOutcome(row[0]), *row[1:])
