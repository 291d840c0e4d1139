"""The one entry point adapters use to search a venue's availability."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.availability.hotel import search_rooms
from engine.availability.offers import RoomOffer, TableOffer
from engine.availability.requests import StayRequest, TableRequest
from engine.availability.restaurant import search_tables
from engine.db import utcnow
from engine.exceptions import ValidationError
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue


def search_availability(
    session: Session,
    *,
    venue: Venue,
    request: StayRequest | TableRequest,
    now: datetime | None = None,
    limit: int = 5,
) -> list[RoomOffer] | list[TableOffer]:
    """Offers for a stay at a hotel or a seating at a restaurant, best first."""
    now = now or utcnow()
    if venue.kind == VenueKind.HOTEL and isinstance(request, StayRequest):
        return search_rooms(session, venue, request, now=now)
    if venue.kind == VenueKind.RESTAURANT and isinstance(request, TableRequest):
        return search_tables(session, venue, request, now=now, limit=limit)
    raise ValidationError(f"{venue.name} does not take that kind of booking.")
