"""Applying provider events in the engine: once per payment, in any order, never backwards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import cancel, expire_holds
from engine.exceptions import HoldExpiredError
from engine.payments.enums import LinkStatus, PaymentOutcome, RefundStatus
from engine.payments.exceptions import NotNeededError, RefundError
from engine.payments.models import Payment, PaymentLink
from engine.payments.notices import (
    LinkFacts,
    NoticeKind,
    PaymentFacts,
    PaymentNotice,
    RefundFacts,
)
from engine.payments.service import (
    LINK_MIN_LEAD,
    MAX_LINK_WAIT,
    CreatedLink,
    prepare_link,
    record_link,
    refund_cancellation,
    refund_payment,
    request_link,
)
from engine.payments.settlement import OutcomeKind, apply_notice
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import hold_room

XMAS, BOXING = date(2026, 12, 24), date(2026, 12, 26)


def linked_hold(session: Session, demo: Demo) -> tuple[Booking, PaymentLink]:
    booking = hold_room(session, demo, "Suite", XMAS, BOXING)
    request_link(session, booking=booking, actor="test", now=NOW)
    created = CreatedLink(
        link_id="plink_Test00000001",
        short_url="https://rzp.io/i/test",
        status="created",
        amount=booking.amount,
        currency="INR",
        reference=booking.reference,
        expire_by=NOW + LINK_MIN_LEAD,
        order_id="order_Test0000001",
    )
    return booking, record_link(session, booking_id=booking.id, created=created)


def captured(link: PaymentLink, payment_id: str = "pay_Test00000001") -> PaymentNotice:
    facts = PaymentFacts(payment_id, "captured", link.amount, "INR", order_id=link.order_id)
    return PaymentNotice(NoticeKind.PAYMENT_CAPTURED, payment=facts)


def link_paid(link: PaymentLink, payment_id: str = "pay_Test00000001") -> PaymentNotice:
    facts = LinkFacts(
        link.provider_link_id, "paid", link.amount, link.amount, "INR", link.reference
    )
    return PaymentNotice(
        NoticeKind.LINK_PAID, link=facts, payment=captured(link, payment_id).payment
    )


def test_captured_then_link_paid_confirms_once(session: Session, demo: Demo) -> None:
    booking, link = linked_hold(session, demo)
    first = apply_notice(session, notice=captured(link), now=NOW)
    again = [apply_notice(session, notice=n, now=NOW) for n in (link_paid(link), captured(link))]
    assert first.kind == OutcomeKind.CONFIRMED
    assert [o.kind for o in again] == [OutcomeKind.NOTHING, OutcomeKind.NOTHING]
    assert booking.status == BookingStatus.CONFIRMED and booking.amount_paid == booking.amount
    assert link.status == LinkStatus.PAID
    assert session.scalar(select(func.count(Payment.id))) == 1


def test_link_status_never_goes_backwards(session: Session, demo: Demo) -> None:
    _, link = linked_hold(session, demo)
    apply_notice(session, notice=link_paid(link), now=NOW)
    facts = LinkFacts(link.provider_link_id, "expired", link.amount, link.amount, "INR")
    outcome = apply_notice(session, notice=PaymentNotice(NoticeKind.LINK_EXPIRED, link=facts))
    assert outcome.kind == OutcomeKind.NOTHING and link.status == LinkStatus.PAID


def test_refund_webhook_before_the_refund_id_was_recorded_matches_by_receipt(
    session: Session,
    demo: Demo,
) -> None:
    _, link = linked_hold(session, demo)
    outcome = apply_notice(session, notice=link_paid(link), now=NOW)
    assert outcome.payment is not None
    refund = refund_payment(session, payment=outcome.payment, amount=1000, cause="owner", now=NOW)
    facts = RefundFacts(
        "rfnd_Test0000001", "pay_Test00000001", "processed", 1000, "INR", refund.outbox_key
    )
    notice = PaymentNotice(NoticeKind.REFUND_PROCESSED, refund=facts)
    kinds = [apply_notice(session, notice=notice).kind for _ in range(2)]
    assert kinds == [OutcomeKind.REFUND_PROCESSED, OutcomeKind.NOTHING]
    assert refund.status == RefundStatus.PROCESSED and refund.provider_refund_id == facts.refund_id


def test_refunds_are_keyed_by_cause_and_bounded_by_what_was_paid(
    session: Session,
    demo: Demo,
) -> None:
    booking, link = linked_hold(session, demo)
    payment = apply_notice(session, notice=link_paid(link), now=NOW).payment
    assert payment is not None and payment.outcome == PaymentOutcome.CONFIRMED
    first = refund_payment(session, payment=payment, amount=500, cause="goodwill", now=NOW)
    assert refund_payment(session, payment=payment, amount=900, cause="goodwill", now=NOW) is first
    with pytest.raises(RefundError):
        refund_payment(session, payment=payment, amount=payment.amount, cause="more", now=NOW)
    cancellation = cancel(session, booking=booking, by=CancelledBy.OWNER, actor="owner", now=NOW)
    refunds = refund_cancellation(session, cancellation=cancellation, now=NOW)
    assert [r.amount for r in refunds] == [payment.amount - 500]
    assert refund_cancellation(session, cancellation=cancellation, now=NOW) == refunds
    assert [r.outbox_key for r in (first, *refunds)] == [
        f"refund:{payment.provider_payment_id}:1",
        f"refund:{payment.provider_payment_id}:2",
    ]


def test_preparing_a_link_stretches_the_hold_to_razorpays_minimum(
    session: Session,
    demo: Demo,
) -> None:
    booking, _ = linked_hold(session, demo)
    later = NOW + timedelta(minutes=10)
    request = prepare_link(session, booking_id=booking.id, now=later)
    assert request.expire_by == booking.hold_expires_at == later + LINK_MIN_LEAD
    assert (request.amount, request.reference) == (booking.amount, booking.reference)


def test_a_hold_is_not_kept_alive_forever_while_the_provider_is_down(
    session: Session,
    demo: Demo,
) -> None:
    booking, _ = linked_hold(session, demo)
    with pytest.raises(HoldExpiredError):
        prepare_link(session, booking_id=booking.id, now=NOW + MAX_LINK_WAIT + LINK_MIN_LEAD)
    cancel(session, booking=booking, by=CancelledBy.GUEST, actor="guest", now=NOW)
    with pytest.raises(NotNeededError):
        prepare_link(session, booking_id=booking.id, now=NOW)


def test_payment_on_an_expired_hold_whose_place_is_free_confirms_it(
    session: Session,
    demo: Demo,
) -> None:
    booking, link = linked_hold(session, demo)
    late = NOW + timedelta(hours=1)
    assert expire_holds(session, now=late) == [booking]
    outcome = apply_notice(session, notice=link_paid(link), now=late)
    assert outcome.kind == OutcomeKind.CONFIRMED and booking.status == BookingStatus.CONFIRMED
