"""Visits for feedback tests: a confirmed booking of a chat guest, the time its question is
due, and the owner's view of it through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from engine.availability.offers import Offer
from engine.bookings.enums import Channel
from engine.bookings.service import confirm, place_hold
from engine.db import utcnow
from engine.feedback.service import visit_end
from engine.guests.service import get_or_create_guest
from engine.inventory.models import RoomType
from engine.seed import OWNER_EMAIL, OWNER_PASSWORD
from engine.tenants.models import Venue
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import in_days
from tests.engine.factories import table_offer
from tests.offers import stay_offer

SLUGS = {"hotel": "seaside-hotel", "restaurant": "spice-garden"}
#: The venues' default: two hours after the table's end or the check-out.
DELAY = timedelta(hours=2)


@dataclass(frozen=True)
class Visit:
    """A booking of the guest's, and when the question about it is due."""

    reference: str
    venue_id: int
    day: date
    due: datetime


def visit(guest: ChatGuest, *, days: int = 3, language: str | None = None) -> Visit:
    """A confirmed lunch for 2 at 13:00 (restaurant) or a 2-night stay (hotel) ``days`` from
    today, booked on the guest's channel; the question is due 2 h after its end."""
    day = in_days(days)
    with guest.sessions.begin() as session:
        venue = session.scalars(select(Venue).where(Venue.slug == SLUGS[guest.venue])).one()
        person = get_or_create_guest(
            session, business_id=venue.business_id, phone=guest.phone, name=guest.name
        )
        person.language = language or person.language
        if guest.venue == "hotel":
            room = session.scalars(select(RoomType).where(RoomType.venue_id == venue.id)).first()
            assert room is not None
            offer: Offer = stay_offer(venue, room, day, 2)
        else:
            offer = table_offer(venue, day, time(13, 0), 2)
        now = utcnow()
        channel = Channel(guest.channel)
        held = place_hold(session, offer=offer, guest=person, channel=channel, actor="t", now=now)
        booking = confirm(session, booking=held, actor="test", now=now, amount_paid=held.amount)
        return Visit(booking.reference, venue.id, day, visit_end(booking, venue) + DELAY)


class Owner:
    """The demo owner, logged in to the stack's API."""

    def __init__(self, url: str) -> None:
        form = {"username": OWNER_EMAIL, "password": OWNER_PASSWORD}
        login = httpx.post(f"{url}/api/v1/auth/token", data=form, timeout=30)
        assert login.status_code == 200, login.text
        self.url, self.token = url, login.json()["access_token"]

    def get(self, path: str, **params: object) -> Any:
        """GET an API path as the owner; the JSON answer."""
        headers = {"Authorization": f"Bearer {self.token}"}
        answer = httpx.get(f"{self.url}/api/v1{path}", params=params, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()
