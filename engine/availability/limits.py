"""The most a venue can take in one booking: its largest party, its largest room."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.availability.restaurant import max_party
from engine.inventory.models import RoomType
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue


def largest_room(session: Session, *, venue: Venue) -> int:
    """How many guests the venue's biggest room type sleeps (0 with no rooms)."""
    query = select(func.max(RoomType.capacity)).where(RoomType.venue_id == venue.id)
    return session.scalar(query) or 0


def largest_party(session: Session, *, venue: Venue) -> int:
    """The most guests one booking can be for: one room at a hotel, a table or pair of
    combinable tables at a restaurant."""
    if venue.kind == VenueKind.HOTEL:
        return largest_room(session, venue=venue)
    return max_party(session, venue)
