"""Turning a request into concrete inventory: which resources, which units, what price.

A plan lists candidate resource sets in preference order; the booking service tries to claim
them one by one, so a candidate that went in the meantime simply yields to the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from engine.availability.hotel import free_rooms, room_type_for, stay_pairs, stay_price
from engine.availability.requests import StayRequest, TableRequest, validate_stay, validate_table
from engine.availability.restaurant import (
    free_seatings,
    is_seating_start,
    local_instant,
    require_seatable,
    seating_pairs,
)
from engine.availability.units import Pair
from engine.exceptions import NotAvailableError, OutsideOpeningHoursError, ValidationError
from engine.tenants.models import Venue


@dataclass(frozen=True)
class Candidate:
    """One way to serve the request: these resources, these claims."""

    resources: list[str]
    pairs: list[Pair]


@dataclass
class Plan:
    """Everything a booking needs to hold the request, candidates best first."""

    candidates: list[Candidate]
    amount: int
    party_size: int
    room_type_id: int | None = None
    check_in: date | None = None
    check_out: date | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    unavailable: str = field(default="That is no longer available.")


def prefer(candidates: list[Candidate], resources: list[str]) -> list[Candidate]:
    """Put the candidate using ``resources`` first (keep a guest in their room on a change)."""
    return sorted(candidates, key=lambda c: c.resources != resources)


def stay_unavailable(room_type_name: str) -> str:
    """What a guest is told when no room of the type is free for every night any more."""
    return f"No {room_type_name} room is free for all of those nights."


def stay_plan(
    session: Session,
    venue: Venue,
    request: StayRequest,
    *,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> Plan:
    """Rooms of the requested type free for every night, lowest room number first."""
    validate_stay(venue, request, now=now)
    room_type = room_type_for(session, venue, request)
    free = free_rooms(session, [room_type], request, now=now, ignore_booking_id=ignore_booking_id)
    return Plan(
        candidates=[
            Candidate([resource], stay_pairs(resource, request)) for resource in free[room_type.id]
        ],
        amount=stay_price(session, room_type, request),
        party_size=request.guests,
        room_type_id=room_type.id,
        check_in=request.check_in,
        check_out=request.check_out,
        unavailable=stay_unavailable(room_type.name),
    )


def table_plan(
    session: Session,
    venue: Venue,
    *,
    starts_at: datetime,
    party_size: int,
    now: datetime,
    ignore_booking_id: int | None = None,
    no_shows: int = 0,
) -> Plan:
    """Seatings free for the whole turn at ``starts_at``, tightest fit first; the deposit
    counts the guest's ``no_shows`` under the venue's rule."""
    local = starts_at.astimezone(venue.tz)
    seatings = require_seatable(session, venue, party_size)  # the venue's own largest first
    validate_table(venue, TableRequest(local.date(), local.time(), party_size), now=now)
    if starts_at <= now:
        raise ValidationError("That time has already passed.")
    if not is_seating_start(session, venue, starts_at, party_size):
        raise OutsideOpeningHoursError(
            f"{venue.name} does not seat a party of {party_size} at "
            f"{local:%H:%M} on {local:%a %d %b}."
        )
    free = free_seatings(
        session,
        venue,
        [starts_at],
        party_size,
        now=now,
        ignore_booking_id=ignore_booking_id,
        seatings=seatings,
    ).get(starts_at, [])
    turn = timedelta(minutes=venue.turn_minutes_for(party_size))
    return Plan(
        candidates=[
            Candidate(
                [t.resource for t in seating], seating_pairs(venue, seating, starts_at, party_size)
            )
            for seating in free
        ],
        amount=venue.deposit_for(party_size, no_shows=no_shows),
        party_size=party_size,
        starts_at=starts_at,
        ends_at=starts_at + turn,
        unavailable=table_unavailable(venue, starts_at, party_size),
    )


def table_unavailable(venue: Venue, starts_at: datetime, party_size: int) -> str:
    """What a guest is told when no seating is free for the turn any more."""
    return f"No table for {party_size} is free at {starts_at.astimezone(venue.tz):%H:%M} any more."


def table_checks_pass(venue: Venue, *, starts_at: datetime, party_size: int, now: datetime) -> bool:
    """Whether ``table_plan``'s checks that read nothing pass: the request is valid, the start
    is ahead, and it is the first instant of its wall time (as the grid names a start; a
    repeated hour's second reading is on no grid). Only then may ``bookline_hold_table``
    check the rest; otherwise ``table_plan`` says what is wrong, in its own order."""
    local = starts_at.astimezone(venue.tz)
    try:
        validate_table(venue, TableRequest(local.date(), local.time(), party_size), now=now)
    except ValidationError:
        return False
    first = local_instant(venue, local.date(), local.time().replace(fold=0))
    return starts_at > now and first == starts_at


def require_candidates(plan: Plan) -> None:
    """Raise NotAvailableError when nothing can serve the plan."""
    if not plan.candidates:
        raise NotAvailableError(plan.unavailable)
