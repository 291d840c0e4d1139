"""Reminder fixtures: the demo venues, confirmed bookings made at a chosen time, and the
reminder rows the sweep wrote."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.availability.offers import TableOffer
from engine.bookings.enums import Channel
from engine.bookings.models import Booking
from engine.bookings.service import confirm, place_hold
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.messaging.models import OutboxMessage
from engine.seed import seed_demo
from engine.tenants.models import Venue
from tests.offers import stay_offer
from tests.stack import Stack, running_stack, with_fresh_demo, without_quiet_hours


def local(venue: Venue, day: date, at: time) -> datetime:
    """The UTC instant of a wall-clock time at the venue."""
    return datetime.combine(day, at, tzinfo=venue.tz).astimezone(UTC)


@dataclass
class Demo:
    """The seeded demo venues."""

    hotel: Venue
    restaurant: Venue

    @classmethod
    def load(cls, session: Session) -> Demo:
        """The demo venues as seeded (by ``live`` or ``demo``)."""
        venues = {v.slug: v for v in session.scalars(select(Venue))}
        return cls(venues["seaside-hotel"], venues["spice-garden"])

    def guest(self, session: Session, phone: str, language: str | None = None) -> Guest:
        """A guest of the demo business who writes in ``language``."""
        guest = get_or_create_guest(
            session, business_id=self.hotel.business_id, phone=phone, name="Asha"
        )
        guest.language = language
        return guest

    def seating(
        self,
        session: Session,
        day: date,
        at: time,
        *,
        now: datetime,
        phone: str = "+919800000101",
        channel: Channel = Channel.SMS,
        language: str | None = None,
        party: int = 2,
    ) -> Booking:
        """A confirmed table for ``party`` at the demo restaurant, booked at ``now``."""
        venue = self.restaurant
        starts_at = local(venue, day, at)
        offer = TableOffer(
            venue_id=venue.id,
            starts_at=starts_at,
            local_start=starts_at.astimezone(venue.tz),
            party_size=party,
            deposit_amount=0,
            currency=venue.currency,
            exact=True,
        )
        guest = self.guest(session, phone, language)
        held = place_hold(session, offer=offer, guest=guest, channel=channel, actor="test", now=now)
        return confirm(session, booking=held, actor="test", now=now)

    def stay(
        self,
        session: Session,
        check_in: date,
        *,
        now: datetime,
        nights: int = 2,
        phone: str = "+919800000102",
        channel: Channel = Channel.SMS,
        language: str | None = None,
    ) -> Booking:
        """A confirmed Deluxe stay at the demo hotel, booked and paid at ``now``."""
        room_type = session.scalars(
            select(RoomType).where(RoomType.venue_id == self.hotel.id, RoomType.name == "Deluxe")
        ).one()
        offer = stay_offer(self.hotel, room_type, check_in, nights)
        guest = self.guest(session, phone, language)
        held = place_hold(session, offer=offer, guest=guest, channel=channel, actor="test", now=now)
        return confirm(session, booking=held, actor="test", now=now, amount_paid=held.amount)


@pytest.fixture
def demo(session: Session) -> Demo:
    """The demo business, committed (the sweep reads in sessions of its own)."""
    business = seed_demo(session)
    session.commit()
    venues = {venue.slug: venue for venue in business.venues}
    return Demo(venues["seaside-hotel"], venues["spice-garden"])


def reminder_rows(session: Session) -> list[OutboxMessage]:
    """The reminders the sweep wrote (not the messages they became), oldest first."""
    session.expire_all()
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.key.like("reminder:%")).order_by(OutboxMessage.id)
    )
    return [row for row in rows if "action" in row.payload]


@pytest.fixture(scope="package")
def stack(database_url: str) -> Iterator[Stack]:
    """One running app for the reminders' end-to-end tests (two workers on the real stack)."""
    with running_stack(database_url, workers=2) as running:
        yield running


@pytest.fixture
def live(stack: Stack, sessions: sessionmaker[Session]) -> Iterator[Stack]:
    """The stack with the demo seeded, fake providers and conversation state reset."""
    fresh = with_fresh_demo(stack, sessions)
    without_quiet_hours(sessions)  # the reminders' clock is the test's; their sends' is real
    yield fresh
    stack.settle(0.2)
