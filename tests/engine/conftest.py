"""Engine fixtures: the demo business and handy lookups into it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.seed import seed_demo
from engine.tenants.models import Venue


@dataclass
class Demo:
    """The seeded demo venues plus one guest."""

    hotel: Venue
    restaurant: Venue
    guest: Guest

    def room_type(self, session: Session, name: str) -> RoomType:
        """A hotel room type by name."""
        room_type = session.scalar(
            select(RoomType).where(RoomType.venue_id == self.hotel.id, RoomType.name == name)
        )
        assert room_type is not None
        return room_type


@pytest.fixture
def demo(session: Session) -> Demo:
    """Seed the demo business (committed, so other sessions and threads see it)."""
    business = seed_demo(session)
    guest = get_or_create_guest(
        session, business_id=business.id, phone="+919800000001", name="Asha"
    )
    session.commit()
    venues = {venue.slug: venue for venue in business.venues}
    return Demo(venues["seaside-hotel"], venues["spice-garden"], guest)
