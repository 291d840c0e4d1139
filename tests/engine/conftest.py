"""Engine fixtures: the demo business and handy lookups into it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import engine.seed
from engine.accounts.service import hash_password
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.seed import OWNER_PASSWORD, seed_demo
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


@pytest.fixture(scope="session")
def owner_password_hash() -> str:
    """The demo owner's real argon2 hash, computed once: hashing is slow by design."""
    return hash_password(OWNER_PASSWORD)


@pytest.fixture
def demo(session: Session, owner_password_hash: str, monkeypatch: pytest.MonkeyPatch) -> Demo:
    """Seed the demo business (committed, so other sessions and threads see it)."""
    monkeypatch.setattr(engine.seed, "hash_password", lambda _password: owner_password_hash)
    business = seed_demo(session)
    guest = get_or_create_guest(
        session, business_id=business.id, phone="+919800000001", name="Asha"
    )
    session.commit()
    venues = {venue.slug: venue for venue in business.venues}
    return Demo(venues["seaside-hotel"], venues["spice-garden"], guest)
