"""Payment flags in the owner API: listed per business, refunded by an owner (all or part, once
per request, never more than is left), closed with the owner named in the audit trail."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Booking, BookingEvent
from engine.messaging.models import OutboxMessage
from engine.payments.enums import PaymentOutcome
from engine.payments.models import Payment, Refund
from engine.payments.review import OWNER_REFUND
from engine.payments.service import FLAG_RESOLVED
from tests.admin_api.conftest import World

API = "/api/v1"


def _refund(client: TestClient, world: World, caller: str, **body: object) -> object:
    url = f"{API}/payments/{world.ids['payment_id']}/refunds"
    return client.post(url, json=body, headers=world.headers[caller])


def _audit(sessions: sessionmaker[Session], reason: str) -> list[BookingEvent]:
    with sessions() as session:
        return list(session.scalars(select(BookingEvent).where(BookingEvent.reason == reason)))


def test_open_flags_are_listed_with_their_payment_for_owner_and_staff(
    client: TestClient, world: World
) -> None:
    for caller in ("owner", "staff"):
        (listed,) = client.get(f"{API}/payments/flags", headers=world.headers[caller]).json()
        assert (listed["id"], listed["kind"]) == (world.ids["flag_id"], "amount_mismatch")
        assert listed["booking_reference"] == world.ids["reference"]
        payment = listed["payment"]
        assert payment["outcome"] == "flagged" and payment["refunds"] == []
        assert payment["refundable"] == payment["amount"] == 350_000


def test_another_business_sees_no_flags_and_cannot_touch_ours(
    client: TestClient, world: World
) -> None:
    other = world.headers["other"]
    assert client.get(f"{API}/payments/flags", headers=other).json() == []
    assert client.get(f"{API}/payments/{world.ids['payment_id']}", headers=other).status_code == 404
    assert _refund(client, world, "other", amount=100).status_code == 404
    url = f"{API}/payments/flags/{world.ids['flag_id']}/resolve"
    assert client.post(url, json={}, headers=other).status_code == 404


def test_staff_can_neither_refund_nor_resolve(client: TestClient, world: World) -> None:
    assert _refund(client, world, "staff", amount=100).status_code == 403
    url = f"{API}/payments/flags/{world.ids['flag_id']}/resolve"
    assert client.post(url, json={}, headers=world.headers["staff"]).status_code == 403


def test_owner_partial_refund_is_queued_once_per_request_and_audited(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    first = _refund(client, world, "owner", amount=100_000, reason="short", request_id="r-1")
    again = _refund(client, world, "owner", amount=100_000, reason="short", request_id="r-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["amount"] == 100_000 and first.json()["status"] == "pending"
    with sessions() as session:
        (refund,) = session.scalars(select(Refund)).all()
        (row,) = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("refund:%")))
        payment = session.get(Payment, world.ids["payment_id"])
        assert payment is not None and payment.outcome == PaymentOutcome.FLAGGED
    assert row.key == refund.outbox_key and row.payload["amount"] == 100_000
    shown = client.get(f"{API}/payments/{world.ids['payment_id']}", headers=world.headers["staff"])
    assert shown.json()["refundable"] == 250_000
    (event,) = _audit(sessions, OWNER_REFUND)
    assert event.actor.startswith("owner:") and event.details["amount"] == 100_000


def test_refunding_more_than_is_left_is_refused_with_what_is_left(
    client: TestClient, world: World
) -> None:
    assert _refund(client, world, "owner", amount=300_000).status_code == 201
    answer = _refund(client, world, "owner", amount=50_001)
    assert answer.status_code == 409
    assert "At most 50000 INR" in answer.json()["detail"]
    assert _refund(client, world, "owner", amount=0).status_code == 422


def test_a_full_owner_refund_leaves_nothing_for_the_sweep(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    assert _refund(client, world, "owner", amount=350_000).status_code == 201
    with sessions() as session:
        payment = session.get(Payment, world.ids["payment_id"])
        assert payment is not None and payment.outcome == PaymentOutcome.REFUNDED


def test_money_paying_for_a_confirmed_booking_is_refunded_by_cancelling_not_here(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        payment = session.get(Payment, world.ids["payment_id"])
        assert payment is not None
        payment.outcome = PaymentOutcome.CONFIRMED
    answer = _refund(client, world, "owner", amount=100)
    assert answer.status_code == 409
    assert "cancel or change the booking" in answer.json()["detail"]


def test_owner_resolves_a_flag_once_and_the_audit_trail_names_them(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    url = f"{API}/payments/flags/{world.ids['flag_id']}/resolve"
    owner = world.headers["owner"]
    closed = client.post(url, json={"note": "called the guest"}, headers=owner)
    assert closed.status_code == 200 and closed.json()["resolved_at"] is not None
    assert client.post(url, json={"note": "again"}, headers=owner).status_code == 200
    assert client.get(f"{API}/payments/flags", headers=owner).json() == []
    (listed,) = client.get(f"{API}/payments/flags?resolved=true", headers=owner).json()
    assert listed["id"] == world.ids["flag_id"]
    (event,) = _audit(sessions, FLAG_RESOLVED)
    assert event.actor.startswith("owner:") and event.details["note"] == "called the guest"
    with sessions() as session:
        booking = session.scalars(select(Booking).where(Booking.id == event.booking_id)).one()
    detail = client.get(f"{API}/bookings/{booking.reference}", headers=owner).json()
    assert FLAG_RESOLVED in [entry["reason"] for entry in detail["events"]]


def test_a_bookings_payments_are_listed_for_its_page_and_hidden_from_other_businesses(
    client: TestClient, world: World
) -> None:
    url = f"{API}/bookings/{world.ids['reference']}/payments"
    (payment,) = client.get(url, headers=world.headers["staff"]).json()
    assert (payment["id"], payment["outcome"]) == (world.ids["payment_id"], "flagged")
    assert payment["booking_reference"] == world.ids["reference"]
    assert client.get(url, headers=world.headers["other"]).status_code == 404
