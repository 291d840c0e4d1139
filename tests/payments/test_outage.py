"""Provider outages: link creation is retried with backoff, the guest is told to wait, the hold
is kept, and however the attempts end there is exactly one link.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from rq import Retry
from sqlalchemy import select

from engine.bookings.enums import BookingStatus
from engine.db import utcnow
from engine.messaging.enums import OutboxStatus
from engine.messaging.models import OutboxMessage
from infra.jobs import enqueue_send
from infra.senders.base import TransientSendError
from infra.senders.razorpay import RazorpayGateway
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, find
from tests.stack import HOTEL_SMS, wait_for
from workers.outbound import send_outbound

Make = Callable[..., ChatGuest]


def _paylink_row(checkout: Checkout, booking_id: int) -> OutboxMessage:
    with checkout.sessions() as session:
        key = f"paylink:{booking_id}"
        return session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()


def _hold_until_link(guest: ChatGuest, checkout: Checkout) -> int:
    """Chat up to the guest's "yes" under an outage; returns the booking id."""
    offer = guest.say("deluxe room 24-27 Dec for 2")[0]
    assert offer.has("confirm_offer_name")
    checkout.stack.fake.update_knobs(fail_next=2, fail_provider="razorpay")
    assert checkout.stack.sms(guest.name, guest=guest.phone, to=HOTEL_SMS).status_code == 200
    (delayed,) = checkout.stack.wait_sent(guest.phone, guest.seen + 1)[guest.seen :]
    assert "slow to answer" in (delayed.body or "")
    (booking,) = guest.bookings()
    return booking.id


def test_outage_retries_with_backoff_keeps_the_hold_and_makes_one_link(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    booking_id = _hold_until_link(guest, checkout)
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.hold_expires_at is not None and booking.hold_expires_at > utcnow()
    assert checkout.links() == []
    row = _paylink_row(checkout, booking_id)
    assert row.attempts >= 1 and "razorpay" in (row.last_error or "")

    if checkout.stack.real_workers:  # rq retries the job on its backoff schedule
        wait_for(lambda: checkout.links(guest.phone), timeout=30)
    else:  # inline jobs are not retried by rq: the sweep re-sends; do what it does
        for _ in range(2):
            with contextlib.suppress(TransientSendError):
                send_outbound(row.id)
    checkout.settle()
    replies = guest.receive()
    held = find(replies, "held_payment")
    assert [r.has("payment_link_delayed") for r in replies].count(True) == 1
    (link,) = checkout.links()
    assert link["short_url"] in held.text and link["reference_id"] == booking.reference
    assert _paylink_row(checkout, booking_id).status == OutboxStatus.SENT
    assert guest.bookings()[0].status == BookingStatus.PENDING_PAYMENT


def test_send_jobs_retry_with_growing_backoff() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.kwargs: dict[str, object] = {}

        def enqueue(self, *_args: object, **kwargs: object) -> None:
            self.kwargs = kwargs

    recorder = Recorder()

    class FakeRuntime:
        def queue(self, _name: str) -> Recorder:
            return recorder

    enqueue_send(FakeRuntime(), 7)  # type: ignore[arg-type]
    retry = recorder.kwargs["retry"]
    assert isinstance(retry, Retry) and retry.max >= 3
    assert retry.intervals == sorted(retry.intervals) and retry.intervals[0] < retry.intervals[-1]


def test_timed_out_create_that_reached_razorpay_is_adopted_not_duplicated(
    guest_factory: Make, checkout: Checkout, monkeypatch: pytest.MonkeyPatch
) -> None:
    guest = guest_factory("hotel", "sms")
    guest.say("deluxe room 24-27 Dec for 2")
    keys = checkout.stack.runtime.settings.razorpay()
    impatient = RazorpayGateway(keys, timeout=0.3)
    monkeypatch.setitem(vars(checkout.stack.runtime), "gateway", impatient)  # its cached client
    if checkout.stack.real_workers:
        pytest.skip("the patched timeout lives in this process; workers run their own")
    checkout.stack.fake.update_knobs(hang_after_accept_seconds=1.0)
    checkout.stack.sms(guest.name, guest=guest.phone, to=HOTEL_SMS)
    (booking,) = guest.bookings()
    row = _paylink_row(checkout, booking.id)
    assert row.status == OutboxStatus.PENDING and "timed out" in (row.last_error or "").lower()
    assert len(checkout.links(guest.phone)) == 1  # Razorpay made it; the answer was lost
    checkout.stack.fake.update_knobs(hang_after_accept_seconds=0)
    send_outbound(row.id)
    (link,) = checkout.links()
    assert _paylink_row(checkout, booking.id).provider_message_id == link["id"]
    assert find(guest.receive(), "held_payment")


def test_interrupted_create_is_reconciled_on_recovery(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    guest.say("double room 24-27 Dec for 2")
    guest.tap("offer:0", "Standard")
    guest.tap("yes")
    (booking,) = guest.bookings()
    row = _paylink_row(checkout, booking.id)
    with checkout.sessions.begin() as session:  # as if a worker died mid-call, long ago
        stuck = session.get(OutboxMessage, row.id)
        assert stuck is not None
        stuck.status, stuck.sending_started_at = OutboxStatus.SENDING, utcnow() - timedelta(hours=1)
    send_outbound(row.id)
    send_outbound(row.id)
    assert len(checkout.links()) == 1
    assert _paylink_row(checkout, booking.id).status == OutboxStatus.SENT
