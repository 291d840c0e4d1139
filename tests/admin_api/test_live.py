"""The dashboard's live feed over real HTTP: a business's staff see its bookings, payments and
handoffs as they commit — never another business's — and only with a valid token; a feed ends
when its login does (logout, demotion, deactivation)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin_api.api import PREFIX
from admin_api.routes.live import RECHECK_SECONDS
from application.unit_of_work import unit_of_work
from bot.events import publish
from engine.accounts.service import update_user
from engine.bookings.models import Booking
from engine.inventory.models import RoomType
from engine.payments.enums import PaymentStatus, RefundStatus
from engine.payments.models import Payment
from engine.payments.service import refund_payment, settle_refund
from engine.tenants.models import Venue
from engine.tenants.service import create_venue
from infra.live import publish_committed
from infra.runtime import Runtime
from tests.admin_api.conftest import World, book_room, second_owner, today
from tests.stack import live_feed


def _book(runtime: Runtime, world: World) -> str:
    """A confirmed stay at the demo hotel, committed through the runtime's sessions."""
    with unit_of_work(runtime) as uow:
        session = uow.session
        hotel = session.get_one(Venue, world.ids["venue_id"])
        room_type = session.get_one(RoomType, world.ids["room_type_id"])
        booking = book_room(session, hotel, room_type, today(hotel) + timedelta(days=30))
        return booking.reference


def _other_venue(runtime: Runtime, world: World) -> int:
    with unit_of_work(runtime) as uow:
        session = uow.session
        fields = {"kind": "restaurant", "name": "Other Place", "timezone": "UTC", "currency": "INR"}
        return create_venue(session, business_id=world.ids["other_business_id"], fields=fields).id


def _payment(booking: Booking, provider_id: str, status: PaymentStatus) -> Payment:
    return Payment(
        booking_id=booking.id,
        venue_id=booking.venue_id,
        provider_payment_id=provider_id,
        amount=120_000,
        currency="INR",
        status=status,
    )


def test_the_feed_refuses_callers_without_a_valid_token(client: TestClient, world: World) -> None:
    assert client.get(f"{PREFIX}/live").status_code == 401
    assert client.get(f"{PREFIX}/live", headers=world.headers["expired"]).status_code == 401
    assert client.get(f"{PREFIX}/live", headers=world.headers["admin"]).status_code == 403


def test_owner_sees_a_new_booking_and_another_business_does_not(
    served: str, world: World, runtime: Runtime
) -> None:
    theirs_venue = _other_venue(runtime, world)
    with (
        live_feed(served, world.tokens["owner"]) as mine,
        live_feed(served, world.tokens["other"]) as theirs,
    ):
        reference = _book(runtime, world)
        created, held = mine.next_event()
        changed, confirmed = mine.next_event()
        marker = {"venue_id": theirs_venue, "summary": "Asha asked for a person (sms)"}
        publish(runtime.redis, "conversation.handoff", marker)
        assert theirs.next_event() == (
            "conversation.handoff",
            {"type": "conversation.handoff", **marker},
        )
    assert (created, held["reference"], held["status"]) == ("booking.created", reference, "held")
    assert held["venue_id"] == world.ids["venue_id"] and held["type"] == "booking.created"
    assert (changed, confirmed["status"]) == ("booking.changed", "confirmed")
    assert confirmed["summary"] == f"{reference} is now confirmed"


@contextmanager
def _published(runtime: Runtime) -> Iterator[Session]:
    """Commit, then publish what committed, as a unit of work does; without handing the
    refunds it queued to the (fake) provider, whose answers would add news of their own."""
    with runtime.sessions() as session:
        yield session
        session.commit()
        publish_committed(session, runtime.redis)


def test_staff_see_failed_payments_refunds_and_flags_once_committed(
    served: str, world: World, runtime: Runtime
) -> None:
    with live_feed(served, world.tokens["staff"]) as feed:
        with _published(runtime) as session:
            booking = session.scalars(
                select(Booking).where(Booking.reference == world.ids["reference"])
            ).one()
            session.add(_payment(booking, "pay_failed_1", PaymentStatus.FAILED))
            paid = _payment(booking, "pay_ok_1", PaymentStatus.CAPTURED)
            session.add(paid)
            refund = refund_payment(session, payment=paid, amount=50_000, cause="goodwill")
            other = refund_payment(session, payment=paid, amount=10_000, cause="second")
        assert (
            feed.next_event()[1]["summary"] == f"Payment of ₹1,200 for {booking.reference} failed"
        )
        with _published(runtime) as session:
            settle_refund(session, refund=session.merge(refund), status=RefundStatus.PROCESSED)
            settle_refund(session, refund=session.merge(other), status=RefundStatus.FAILED)
        refunded, flagged = feed.next_event(), feed.next_event()
        with pytest.raises(httpx.ReadTimeout):  # settling the same refund again says nothing
            with _published(runtime) as session:
                settle_refund(session, refund=session.merge(refund), status=RefundStatus.PROCESSED)
            feed.next_event()
    assert refunded[0] == "payment.refunded" and refunded[1]["amount"] == 50_000
    assert refunded[1]["summary"] == f"Refund of ₹500 for {booking.reference} processed"
    assert flagged[0] == "payment.flagged" and flagged[1]["kind"] == "refund_failed"


def test_a_feed_ends_as_soon_as_its_login_logs_out(
    served: str, client: TestClient, world: World
) -> None:
    with live_feed(served, world.tokens["staff"]) as feed:
        out = client.post(f"{PREFIX}/auth/logout", headers=world.headers["staff"])
        assert out.status_code == 204
        feed.wait_end()  # within the feed's 2 s: the bus said so


def test_a_feed_ends_as_soon_as_its_owner_is_demoted(
    served: str, client: TestClient, world: World
) -> None:
    user_id, token = second_owner(client, world)
    with live_feed(served, token) as feed:
        demote = client.patch(
            f"{PREFIX}/users/{user_id}", json={"role": "staff"}, headers=world.headers["owner"]
        )
        assert demote.status_code == 200
        feed.wait_end()


def test_a_feed_ends_after_deactivation_even_when_the_bus_never_tells_it(
    served: str, world: World, sessions: sessionmaker[Session]
) -> None:
    # ``sessions`` publishes nothing on commit: the stream must find out from the database.
    with live_feed(served, world.tokens["staff"], within=RECHECK_SECONDS + 3) as feed:
        with sessions.begin() as session:
            update_user(
                session,
                business_id=world.ids["business_id"],
                user_id=world.ids["user_id"],
                acting_user_id=world.ids["owner_id"],
                active=False,
            )
        feed.wait_end()
