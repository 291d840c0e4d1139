"""Waitlist services: join, and give freed inventory to the longest-waiting guest first.

When something frees up, the first matching guest gets a real hold (not just a message), so
"first call" is enforced by the same claims as every other booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.offers import Offer, TableOffer
from engine.availability.requests import StayRequest, TableRequest
from engine.availability.service import search_availability
from engine.bookings.enums import Channel
from engine.bookings.models import Booking
from engine.bookings.service import place_hold
from engine.exceptions import BooklineError, NotAvailableError
from engine.guests.models import Guest
from engine.tenants.models import Venue
from engine.waitlist.enums import WaitlistStatus
from engine.waitlist.models import WaitlistEntry


@dataclass(frozen=True)
class WaitlistOffer:
    """A waiting guest who now holds what they asked for."""

    entry: WaitlistEntry
    booking: Booking
    offer: Offer


def join_waitlist(
    session: Session,
    *,
    venue: Venue,
    guest: Guest,
    channel: str,
    request: StayRequest | TableRequest,
) -> WaitlistEntry:
    """Record the request; asking twice for the same thing keeps one place in the queue."""
    fields = _fields(request)
    existing = session.scalar(
        select(WaitlistEntry).filter_by(
            venue_id=venue.id, guest_id=guest.id, status=WaitlistStatus.WAITING, **fields
        )
    )
    if existing is not None:
        return existing
    entry = WaitlistEntry(venue_id=venue.id, guest_id=guest.id, channel=channel, **fields)
    session.add(entry)
    session.flush()
    return entry


def _fields(request: StayRequest | TableRequest) -> dict[str, object]:
    if isinstance(request, StayRequest):
        return {
            "check_in": request.check_in,
            "check_out": request.check_out,
            "party_size": request.guests,
            "room_type_id": request.room_type_id,
        }
    return {"day": request.day, "at": request.at, "party_size": request.party_size}


def _request(entry: WaitlistEntry) -> StayRequest | TableRequest:
    if entry.check_in is not None and entry.check_out is not None:
        return StayRequest(entry.check_in, entry.check_out, entry.party_size, entry.room_type_id)
    assert entry.day is not None and entry.at is not None
    return TableRequest(entry.day, entry.at, entry.party_size)


def _exact(offers: list[Offer]) -> Offer | None:
    """The offer that is exactly what was asked: the same time, or the same stay dates."""
    for offer in offers:
        if not isinstance(offer, TableOffer) or offer.exact:
            return offer
    return None


def venues_with_waiting(session: Session) -> list[int]:
    """The venues where some guest is waiting for a place (the sweep looks at these)."""
    return list(
        session.scalars(
            select(WaitlistEntry.venue_id)
            .distinct()
            .where(WaitlistEntry.status == WaitlistStatus.WAITING)
        )
    )


def offer_freed_inventory(
    session: Session, *, venue_id: int, now: datetime, limit: int = 20
) -> list[WaitlistOffer]:
    """Hold freed inventory for waiting guests, oldest entry first; close stale entries."""
    venue = session.get(Venue, venue_id)
    if venue is None:
        return []
    entries = session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.venue_id == venue_id, WaitlistEntry.status == WaitlistStatus.WAITING)
        .order_by(WaitlistEntry.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # two sweepers never offer one entry twice
    ).all()
    offered = []
    for entry in entries:
        request = _request(entry)
        try:
            found = search_availability(session, venue=venue, request=request, now=now)
            offer = _exact(list(found))
            if offer is None:
                continue
            guest = session.get(Guest, entry.guest_id)
            assert guest is not None
            booking = place_hold(
                session,
                offer=offer,
                guest=guest,
                channel=Channel(entry.channel),
                actor="system:waitlist",
                now=now,
            )
        except NotAvailableError:
            continue  # taken again in the meantime: keep waiting
        except BooklineError:
            entry.status = WaitlistStatus.CLOSED  # in the past or no longer bookable
            continue
        entry.status, entry.offered_at, entry.booking_id = WaitlistStatus.OFFERED, now, booking.id
        offered.append(WaitlistOffer(entry, booking, offer))
    return offered
