"""A guest's change that moves the price never leaves money behind ⚑.

Less to pay than was paid: the difference is refunded as the cancellation policy refunds at
that moment. More to pay on a settled booking, a payment link out for the old price, or a
refund owed on money the venue took itself: the change is refused and the booking kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.analytics.service import venue_report
from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.policies import (
    booking_start,
    paid_not_refunded,
    paid_toward_price,
    quote_cancellation,
)
from engine.bookings.service import cancel, confirm
from engine.messaging.models import OutboxMessage
from engine.payments.changes import PriceChangeError, PriceChangeReason, change_booking
from engine.payments.enums import RefundStatus
from engine.payments.models import Refund
from engine.payments.service import refund_cancellation
from tests.dialogue.harness import ChatGuest, Reply
from tests.payments.checkout import Checkout, book_hotel, find, paid_stay
from tests.payments.test_refunds import paid_booking
from workers.outbound import send_outbound

Make = Callable[..., ChatGuest]


def _desk_paid_stay(guest: ChatGuest, amount_paid: int) -> None:
    """Hold a Deluxe room for 24-27 Dec by chat; the desk confirms it, ``amount_paid`` taken."""
    (offers,) = guest.say("double room 24-27 Dec for 2")
    option = next(option for option in offers.options if option[1] == "Deluxe")
    guest.tap(*option)
    guest.tap("yes")
    reference = guest.bookings()[0].reference
    with guest.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        confirm(session, booking=booking, actor="desk", amount_paid=amount_paid)


def _change(guest: ChatGuest, words: str) -> list[Reply]:
    """Ask for a change, see it put before and after, and say yes to it."""
    (proposal,) = guest.say(words)
    assert proposal.has("confirm_change"), proposal.text
    return guest.tap("yes") if guest.channel == "whatsapp" else guest.say("yes")


def _shorten(checkout: Checkout, reference: str, hours_before: float, nights: int = 1) -> list[int]:
    """Make a paid stay ``nights`` long, ``hours_before`` check-in; the refund rows."""
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert booking.check_in is not None
        now = booking_start(booking, booking.venue) - timedelta(hours=hours_before)
        check_out = booking.check_in + timedelta(days=nights)
        change_booking(session, booking=booking, actor="guest", now=now, check_out=check_out)
        keys = select(Refund.outbox_key).where(Refund.booking_id == booking.id)
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.in_(keys)))
        return [row.id for row in rows]


@pytest.mark.parametrize(("hours_before", "percent"), [(72, 100), (48 - 1 / 60, 50)])
def test_a_shorter_stay_refunds_the_difference_as_the_policy_would_at_that_moment(
    checkout: Checkout, hours_before: float, percent: int
) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155501")
    before = checkout.booking(reference)
    for outbox_id in _shorten(checkout, reference, hours_before):
        send_outbound(outbox_id)
    checkout.settle()
    after = checkout.booking(reference)
    expected = (before.amount - after.amount) * percent // 100
    assert after.amount == before.amount // 2 and after.status == BookingStatus.CONFIRMED
    assert [r["amount"] for r in checkout.stack.fake.resources("refunds")] == [expected]
    with checkout.sessions() as session:
        (refund,) = session.scalars(select(Refund))
    assert (refund.amount, refund.cause, refund.status) == (
        expected,
        "change:1",
        RefundStatus.PROCESSED,
    )


def test_after_a_refunded_change_a_longer_stay_again_is_more_due_not_a_second_refund(
    checkout: Checkout,
) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155502")
    _shorten(checkout, reference, 72)
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert paid_toward_price(booking) == booking.amount  # the difference went back
        assert booking.check_out is not None
        now = booking_start(booking, booking.venue) - timedelta(hours=72)
        with pytest.raises(PriceChangeError) as refused:
            change_booking(
                session,
                booking=booking,
                actor="guest",
                now=now,
                check_out=booking.check_out + timedelta(days=1),
            )
    assert refused.value.reason == PriceChangeReason.MORE_DUE
    with checkout.sessions() as session:
        causes = [refund.cause for refund in session.scalars(select(Refund))]
    assert causes == ["change:1"]


def test_a_refused_change_leaves_the_booking_and_its_claims_as_they_were(
    checkout: Checkout,
) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155503")
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        claims = sorted((claim.resource, claim.unit) for claim in booking.claims)
        assert booking.check_out is not None
        with pytest.raises(PriceChangeError) as refused:
            change_booking(
                session, booking=booking, actor="guest", check_out=booking.check_out + timedelta(1)
            )
        assert refused.value.reason == PriceChangeReason.MORE_DUE
        assert (refused.value.old, refused.value.new) == (booking.amount, booking.amount * 3 // 2)
    with checkout.sessions() as session:
        kept = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert sorted((claim.resource, claim.unit) for claim in kept.claims) == claims
        assert kept.check_out == booking.check_out and kept.amount == booking.amount
        assert session.scalars(select(Refund)).all() == []


def test_guest_shortening_a_paid_stay_in_chat_is_told_the_refund_and_gets_it(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    book_hotel(guest)  # Deluxe, 24-27 Dec
    checkout.pay(checkout.link(guest.phone)["id"])
    guest.receive()
    guest.say("change my booking")
    replies = _change(guest, "make it 24-25 Dec")
    checkout.settle()
    replies += guest.receive()
    changed = find(replies, "changed_refund")
    assert "11,000" in changed.text  # two Deluxe nights, a month ahead: all of it
    assert find(replies, "refund_processed")
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.CONFIRMED and booking.amount == 550_000
    assert [r["amount"] for r in checkout.stack.fake.resources("refunds")] == [1_100_000]


def test_a_longer_paid_stay_is_refused_and_a_person_offered(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    paid_stay(guest, checkout)
    guest.say("change my booking")
    (refused,) = _change(guest, "make it 24-29 Dec")
    assert refused.has("change_costs_more") and "11,000" in refused.text
    assert [option[0] for option in refused.options] == ["menu:agent"]
    (booking,) = guest.bookings()
    assert booking.check_out is not None and booking.check_out.day == 27
    assert booking.amount == booking.amount_paid == 3 * 550_000
    (person,) = guest.tap("menu:agent")
    assert person.has("handoff")
    assert checkout.stack.fake.resources("refunds") == []


def test_a_price_change_while_the_payment_link_is_out_is_refused(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    link = checkout.link(guest.phone)
    guest.say("change my booking")
    (refused,) = _change(guest, "make it 24-28 Dec")
    assert refused.has("change_link_out")
    assert "16,500" in refused.text and "22,000" in refused.text
    (booking,) = guest.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT and booking.amount == link["amount"]
    (kept,) = guest.say("no")
    assert kept.has("kept")
    checkout.pay(link["id"])
    assert find(guest.receive(), "payment_confirmed")
    assert guest.bookings()[0].status == BookingStatus.CONFIRMED


def test_growing_a_party_past_the_deposit_threshold_is_refused(guest_factory: Make) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Ravi")
    (offer,) = guest.say("table for 4 tomorrow 8pm")
    (confirmed,) = guest.tap("yes")
    assert confirmed.has("confirmed")
    (refused,) = _change(guest, "change my booking to 6 people")
    assert refused.has("change_costs_more") and "1,200" in refused.text
    (booking,) = guest.bookings()
    assert booking.party_size == 4 and booking.amount == 0


def test_a_refund_owed_on_money_taken_at_the_desk_is_left_to_a_person(
    guest_factory: Make,
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Desk Paid")
    _desk_paid_stay(guest, 3 * 550_000)  # all paid, none of it online: nothing to refund here
    guest.say("change my booking")
    (refused,) = _change(guest, "make it 24-25 Dec")
    assert refused.has("change_needs_person")
    (booking,) = guest.bookings()
    assert booking.amount == 3 * 550_000 and booking.check_out is not None
    assert booking.check_out.day == 27


@pytest.mark.parametrize("hours_before", [72, 48 - 1 / 60])
def test_shortening_then_cancelling_refunds_what_cancelling_outright_would(
    checkout: Checkout, hours_before: float
) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155504")
    paid = checkout.booking(reference).amount_paid
    _shorten(checkout, reference, hours_before)
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        now = booking_start(booking, booking.venue) - timedelta(hours=hours_before)
        cancellation = cancel(session, booking=booking, by=CancelledBy.GUEST, actor="g", now=now)
        refund_cancellation(session, cancellation=cancellation, now=now)
    with checkout.sessions() as session:
        refunds = {refund.cause: refund.amount for refund in session.scalars(select(Refund))}
    outright = paid * (100 if hours_before >= 48 else 50) // 100
    assert refunds["change:1"] + refunds["cancellation"] == outright


def test_guest_cancelling_after_a_refunded_change_is_quoted_what_is_left(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp")
    paid_stay(guest, checkout)
    guest.say("change my booking")
    _change(guest, "make it 24-25 Dec")
    checkout.settle()
    assert find(guest.receive(), "refund_processed")  # the change's refund, told on its own
    (quote,) = guest.say("cancel my booking")
    assert quote.has("confirm_cancel_refund") and "5,500" in quote.text
    guest.tap("yes")
    checkout.settle()
    amounts = sorted(r["amount"] for r in checkout.stack.fake.resources("refunds"))
    assert amounts == [550_000, 1_100_000]  # all 16,500 back, in two refunds


def test_shortening_step_by_step_refunds_what_shortening_at_once_does(checkout: Checkout) -> None:
    late = 48 - 1 / 60  # inside the 50 % tier
    at_once = paid_booking(checkout, "seaside-hotel", "+919811155505", nights=4)
    in_steps = paid_booking(checkout, "seaside-hotel", "+919811155506", nights=4)
    changes = [(at_once, 1)] + [(in_steps, nights) for nights in (3, 2, 1)]
    for reference, nights in changes:
        for outbox_id in _shorten(checkout, reference, late, nights):
            send_outbound(outbox_id)  # a row sent before is left alone
    checkout.settle()
    with checkout.sessions() as session:
        refunds = session.execute(
            select(Booking.reference, Refund.amount).join(Refund, Refund.booking_id == Booking.id)
        ).all()
    refunded = {reference: 0 for reference in (at_once, in_steps)}
    for reference, amount in refunds:
        refunded[reference] += amount
    four_nights = checkout.booking(at_once).amount_paid
    assert refunded[at_once] == refunded[in_steps] == four_nights * 3 // 4 // 2


def test_a_cheaper_change_of_a_part_paid_desk_booking_is_made_and_refunds_nothing(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "whatsapp", name="Part Paid")
    _desk_paid_stay(guest, 550_000)  # one night of three
    guest.say("change my booking")
    (done,) = _change(guest, "make it 24-26 Dec")
    assert done.has("changed")
    (booking,) = guest.bookings()
    assert booking.amount == 2 * 550_000 and booking.amount_paid == 550_000
    assert checkout.stack.fake.resources("refunds") == []


def test_analytics_count_a_change_refund_as_given_back(checkout: Checkout) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155507")
    for outbox_id in _shorten(checkout, reference, 72):
        send_outbound(outbox_id)
    checkout.settle()
    with checkout.sessions() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert booking.check_in is not None
        report = venue_report(
            session, venue=booking.venue, start=booking.check_in, end=booking.check_in
        )
        (refund,) = session.scalars(select(Refund))
    assert (report.revenue.paid, report.revenue.refunded) == (booking.amount_paid, refund.amount)
    assert report.revenue.net == booking.amount_paid - refund.amount == booking.amount


def test_a_change_racing_another_sees_what_the_first_one_settled(checkout: Checkout) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155508", nights=4)
    by_reference = select(Booking).where(Booking.reference == reference)
    with checkout.sessions() as second:  # loaded before the first change commits
        stale = second.scalars(by_reference).one()
        assert stale.check_in is not None and stale.events  # its audit trail read, too
        _shorten(checkout, reference, 72, nights=3)  # the first change, from another channel
        now = booking_start(stale, stale.venue) - timedelta(hours=72)
        change = change_booking(
            second,
            booking=stale,
            actor="guest",
            now=now,
            check_out=stale.check_in + timedelta(days=2),
        )
        second.commit()
    assert change.refund_amount == checkout.booking(reference).amount // 2  # a night, not two
    with checkout.sessions() as session:
        refunded = sum(refund.amount for refund in session.scalars(select(Refund)))
    assert refunded == checkout.booking(reference).amount_paid // 2


def test_moving_a_late_stay_away_keeps_the_late_share_for_a_cancellation(
    checkout: Checkout,
) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155509")
    with checkout.sessions.begin() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert booking.check_in is not None and booking.check_out is not None
        now = booking_start(booking, booking.venue) - timedelta(hours=30)  # the 50 % tier
        week = timedelta(days=7)
        change = change_booking(
            session,
            booking=booking,
            actor="guest",
            now=now,
            check_in=booking.check_in + week,
            check_out=booking.check_out + week,
        )
        assert change.refund_amount == 0  # same price: nothing settled by the move itself
        quote = quote_cancellation(booking, by=CancelledBy.GUEST, now=now)
    assert (quote.refund_percent, quote.refund_amount) == (50, booking.amount_paid // 2)


def test_a_failed_change_refund_is_owed_again_and_not_counted_as_given(
    checkout: Checkout,
) -> None:
    reference = paid_booking(checkout, "seaside-hotel", "+919811155510")
    checkout.stack.fake.update_knobs(razorpay_refund_outcome="failed")
    for outbox_id in _shorten(checkout, reference, 72):
        send_outbound(outbox_id)
    checkout.settle()
    with checkout.sessions() as session:
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        (refund,) = session.scalars(select(Refund))
        assert refund.status == RefundStatus.FAILED
        assert paid_not_refunded(booking) == booking.amount_paid  # all of it can still go back
        assert booking.check_in is not None
        report = venue_report(
            session, venue=booking.venue, start=booking.check_in, end=booking.check_in
        )
    assert report.revenue.refunded == 0
