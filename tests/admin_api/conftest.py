"""Owner-API fixtures: the app in-process (TestClient), a seeded world with two businesses, and
tokens for each kind of caller.

Passwords are hashed once per run (the root conftest memoises argon2); tokens are minted
directly except in the tests of login itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin_api.auth.tokens import Identity, TokenService
from bookline.app import create_app
from engine.accounts.enums import Role
from engine.accounts.logins import open_login
from engine.accounts.models import User
from engine.accounts.service import create_user, register_business
from engine.availability.offers import TableOffer
from engine.bookings.enums import Channel
from engine.bookings.models import Booking
from engine.bookings.service import confirm, place_hold
from engine.calendar.service import feed_token
from engine.guests.service import get_or_create_guest
from engine.inventory.models import Closure, OpeningHours, Room, RoomType, Table
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript
from engine.payments.enums import FlagKind, PaymentOutcome, PaymentStatus
from engine.payments.models import Payment, PaymentFlag
from engine.payments.service import flag
from engine.seed import OWNER_EMAIL, OWNER_PASSWORD, seed_demo
from engine.tenants.models import Venue
from fakeproviders import run_in_thread
from infra.runtime import Runtime
from tests.offers import stay_offer
from tests.settings import SECRET_KEY, sandbox_settings

SECRET = SECRET_KEY
#: Strong, as production requires (a weak one stops the start); fixed: two imports, one token.
METRICS_TOKEN = "cYNNz6Rk2SszkdVAu0jKidV5AFJalUU9Ldrj7H8nToLgnB7JaeBsWQSy7x-zoDb7"
PASSWORD = OWNER_PASSWORD
STAFF_EMAIL = "staff@demo.test"
OTHER_EMAIL = "owner@other.test"
GUEST_PHONE = "+919800000001"


@pytest.fixture(scope="module")
def runtime(database_url: str) -> Iterator[Runtime]:
    """A runtime on the test database and, when REDIS_URL is set, the test Redis; the sandbox
    is on and so is public sign-up (ALLOW_SIGNUP), whose tests are among these."""
    settings = sandbox_settings(
        database_url,
        os.environ.get("REDIS_URL") or None,
        allow_signup=True,
        metrics_token=METRICS_TOKEN,
    )
    running = Runtime(settings)
    yield running
    running.close()


@pytest.fixture(scope="module")
def app(runtime: Runtime) -> FastAPI:
    """The real app, built as production builds it."""
    return create_app(runtime.settings, runtime)


@pytest.fixture
def client(app: FastAPI, runtime: Runtime, sessions: sessionmaker[Session]) -> TestClient:
    """An HTTP client on a clean Redis (tables are emptied after each test by ``sessions``)."""
    runtime.redis.flushdb()
    return TestClient(app)


@dataclass
class World:
    """Two businesses: the demo one (owner, staff, bookings, a conversation) and another."""

    ids: dict[str, Any]
    tokens: dict[str, str]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.headers = {name: {"Authorization": f"Bearer {t}"} for name, t in self.tokens.items()}


def today(venue: Venue) -> date:
    """The venue's local date now."""
    return datetime.now(UTC).astimezone(venue.tz).date()


def book_room(
    session: Session,
    venue: Venue,
    room_type: RoomType,
    check_in: date,
    nights: int = 2,
    *,
    phone: str = GUEST_PHONE,
    channel: Channel = Channel.WHATSAPP,
    paid: bool = True,
) -> Booking:
    """A confirmed stay, held at a time before check-in so past stays can be made too."""
    now = datetime.combine(check_in - timedelta(days=3), time(9), tzinfo=UTC)
    guest = get_or_create_guest(session, business_id=venue.business_id, phone=phone, name="Asha")
    offer = stay_offer(venue, room_type, check_in, nights)
    booking = place_hold(session, offer=offer, guest=guest, channel=channel, actor="guest", now=now)
    amount = booking.amount if paid else 0
    return confirm(session, booking=booking, actor="razorpay", now=now, amount_paid=amount)


def book_table(
    session: Session, venue: Venue, day: date, at: time, party: int, phone: str
) -> Booking:
    """A confirmed table at a local wall-clock time, held the day before so past seatings
    can be made too."""
    starts = datetime.combine(day, at, tzinfo=venue.tz).astimezone(UTC)
    now = starts - timedelta(days=1)
    guest = get_or_create_guest(session, business_id=venue.business_id, phone=phone)
    offer = TableOffer(venue.id, starts, starts.astimezone(venue.tz), party, 0, "INR", True)
    held = place_hold(session, offer=offer, guest=guest, channel=Channel.SMS, actor="t", now=now)
    return confirm(session, booking=held, actor="t", now=now)


def flagged_payment(session: Session, booking: Booking, amount: int) -> PaymentFlag:
    """A captured payment of ``amount`` that did not match the booking, flagged for the owner
    as the settlement of a Razorpay event leaves it."""
    payment = Payment(
        booking_id=booking.id,
        venue_id=booking.venue_id,
        provider_payment_id=f"pay_Flagged{booking.id:07d}",
        amount=amount,
        currency=booking.currency,
        method="upi",
        status=PaymentStatus.CAPTURED,
        outcome=PaymentOutcome.FLAGGED,
    )
    session.add(payment)
    session.flush()
    return flag(
        session,
        venue_id=booking.venue_id,
        kind=FlagKind.AMOUNT_MISMATCH,
        booking_id=booking.id,
        payment_id=payment.id,
        details={"paid": amount, "due": booking.amount, "payment": payment.provider_payment_id},
    )


def _first(session: Session, model: type[Any], venue_id: int) -> Any:
    return session.scalar(select(model).where(model.venue_id == venue_id).order_by(model.id))


def build_world(session: Session, tokens: TokenService) -> World:
    """Seed both businesses and return ids and tokens for every caller."""
    business = seed_demo(session)
    venues = {v.slug: v for v in business.venues}
    hotel, restaurant = venues["seaside-hotel"], venues["spice-garden"]
    owner = session.scalar(select(User).where(User.email == OWNER_EMAIL))
    staff = create_user(
        session, email=STAFF_EMAIL, password=PASSWORD, role=Role.STAFF, business_id=business.id
    )
    other = register_business(
        session, business_name="Other Hospitality", email=OTHER_EMAIL, password=PASSWORD
    )
    admin = create_user(
        session, email="admin@platform.test", password=PASSWORD, role=Role.ADMIN, business_id=None
    )
    room_type = _first(session, RoomType, hotel.id)
    booking = book_room(session, hotel, room_type, today(hotel) + timedelta(days=10))
    add_transcript(
        session,
        venue_id=hotel.id,
        channel=MessageChannel.SMS,
        guest_phone=GUEST_PHONE,
        direction="in",
        text="hello",
    )
    closure = Closure(venue_id=restaurant.id, day=today(restaurant) + timedelta(days=40))
    session.add(closure)
    flagged = flagged_payment(session, booking, booking.amount // 2)
    session.commit()
    assert owner is not None
    ids = {
        "venue_id": hotel.id,
        "restaurant_id": restaurant.id,
        "room_type_id": room_type.id,
        "room_id": session.scalar(select(Room.id).where(Room.room_type_id == room_type.id)),
        "table_id": _first(session, Table, restaurant.id).id,
        "hours_id": _first(session, OpeningHours, restaurant.id).id,
        "closure_id": closure.id,
        "user_id": staff.id,
        "owner_id": owner.id,
        "guest_id": booking.guest_id,
        "reference": booking.reference,
        "channel": "sms",
        "guest_phone": GUEST_PHONE,
        "token": feed_token(venue=hotel, secret=SECRET),
        "business_id": business.id,
        "other_business_id": other.business_id,
        "payment_id": flagged.payment_id,
        "flag_id": flagged.id,
    }

    minted = {
        "owner": mint(session, tokens, owner),
        "staff": mint(session, tokens, staff),
        "other": mint(session, tokens, other),
        "admin": mint(session, tokens, admin),
        "expired": mint(session, tokens, owner, timedelta(minutes=-1)),
    }
    session.commit()
    return World(ids, minted)


def mint(
    session: Session, tokens: TokenService, user: User, ttl: timedelta = timedelta(minutes=15)
) -> str:
    """An access token of a new login of ``user`` (the caller commits), without a password."""
    login = open_login(session, user=user)
    return tokens.access_token(Identity(user.id, login.id), ttl=ttl)


@pytest.fixture
def world(client: TestClient, sessions: sessionmaker[Session], runtime: Runtime) -> World:
    """The seeded world (committed) with tokens for owner, staff, other owner, admin, expired."""
    with sessions() as session:
        return build_world(session, TokenService(runtime.redis, SECRET))


@pytest.fixture(scope="module")
def served(app: FastAPI) -> Iterator[str]:
    """``app`` on a real port with PUBLIC_BASE_URL pointing there: the sandbox posts its
    webhooks to that URL, as a provider would. No lifespan, as under the TestClient."""
    server = run_in_thread(app, lifespan="off")
    settings = app.state.runtime.settings
    fake = app.state.fake_providers.state.fake_config
    before = settings.public_base_url
    settings.public_base_url = fake.app_url = fake.public_base_url = server.url
    yield server.url
    server.stop()
    settings.public_base_url = fake.app_url = fake.public_base_url = before


def second_owner(client: TestClient, world: World) -> tuple[int, str]:
    """Another owner of the demo business, logged in with a password: (user id, access token)."""
    body = {"email": "owner2@demo.test", "password": PASSWORD, "role": "owner"}
    made = client.post("/api/v1/users", json=body, headers=world.headers["owner"])
    assert made.status_code == 201, made.text
    form = {"username": body["email"], "password": PASSWORD}
    login = client.post("/api/v1/auth/token", data=form)
    assert login.status_code == 200, login.text
    return made.json()["id"], login.json()["access_token"]
