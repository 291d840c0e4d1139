"""Waitlist: a full request never dead-ends; when it frees up the waiting guest holds it first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from application.waitlist import offer_waitlist
from engine.bookings.enums import BookingStatus, CancelledBy
from engine.bookings.models import Booking
from engine.bookings.service import cancel
from engine.exceptions import NotAvailableError
from engine.tenants.service import venue_by_slug
from tests.admin_api.conftest import book_table
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import in_days
from tests.dialogue.test_no_show_deposit import AFTER, DEPOSIT_PER_PERSON, missed

Make = Callable[..., ChatGuest]


def _fill_eight_pm(guest_factory: Make) -> list[ChatGuest]:
    """Book every seating that fits six at 20:00 tomorrow (T9, T10, T7+T8)."""
    diners = [guest_factory("restaurant", "whatsapp", name=f"Diner {n}") for n in range(3)]
    for diner in diners:
        diner.say("table for 6 tomorrow 8pm")
        diner.tap("yes")
    return diners


def test_full_slot_guest_joins_waitlist_and_gets_first_call_when_it_frees(
    guest_factory: Make,
) -> None:
    diners = _fill_eight_pm(guest_factory)
    waiting = guest_factory("restaurant", "whatsapp", name="Wait Ing")
    (alternatives,) = waiting.say("table for 6 tomorrow 8pm")
    assert alternatives.has("alternatives")
    assert alternatives.options[-1][0] == "waitlist:join"
    (joined,) = waiting.tap("waitlist:join", "Join the waitlist")
    assert joined.has("waitlisted")
    assert offer_waitlist(waiting.stack.runtime) == 0  # still full: nothing to offer

    diners[0].say("cancel my booking")
    diners[0].tap("yes")
    offer_waitlist(waiting.stack.runtime)  # the maintenance sweep may have offered it already
    (offer,) = waiting.receive(at_least=1)
    assert offer.has("waitlist_offer") and [o[0] for o in offer.options] == ["yes", "no"]
    assert "a table for 6 on" in offer.text and "20:00" in offer.text  # what the yes books
    assert not offer.has("no_show_deposit")  # six owe the deposit for their size alone
    (held,) = waiting.tap("yes")
    assert held.has("held_payment")
    (booking,) = waiting.bookings()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.starts_at == diners[0].bookings()[0].starts_at


def test_declining_the_waitlist_offer_releases_the_hold(guest_factory: Make) -> None:
    diners = _fill_eight_pm(guest_factory)
    waiting = guest_factory("restaurant", "whatsapp", name="Later")
    waiting.say("table for 6 tomorrow 8pm")
    waiting.tap("waitlist:join")
    diners[1].say("cancel my booking")
    diners[1].tap("yes")
    offer_waitlist(waiting.stack.runtime)
    waiting.receive(at_least=1)
    (released,) = waiting.tap("no")
    assert released.has("released")
    assert waiting.bookings()[0].status == BookingStatus.CANCELLED


def _fill_for_two_at_eight(guest: ChatGuest) -> int:
    """Book every seating that fits two at 20:00 tomorrow; returns the first booking's id."""
    booked: list[Booking] = []
    with guest.sessions.begin() as session:
        restaurant = venue_by_slug(session, slug="spice-garden")
        while True:
            phone = f"+9190000{len(booked):05d}"
            try:
                booked.append(book_table(session, restaurant, in_days(1), time(20), 2, phone))
            except NotAvailableError:
                return booked[0].id


def test_the_waitlist_offer_says_why_a_deposit_is_due_after_no_shows(guest_factory: Make) -> None:
    waiting = guest_factory("restaurant", "whatsapp", name="Meera")
    missed(waiting, AFTER)
    first = _fill_for_two_at_eight(waiting)
    waiting.say("table for 2 tomorrow 8pm")
    (joined,) = waiting.tap("waitlist:join", "Join the waitlist")
    assert joined.has("waitlisted")
    with waiting.sessions.begin() as session:
        freed = session.get_one(Booking, first)
        cancel(session, booking=freed, by=CancelledBy.OWNER, actor="t", reason="moved")
    offer_waitlist(waiting.stack.runtime)
    (offer,) = waiting.receive(at_least=1)
    assert offer.has("no_show_deposit") and offer.has("waitlist_offer")
    assert "a table for 2 on" in offer.text and "400" in offer.text  # two at ₹200 each
    (held,) = waiting.tap("yes")
    assert held.has("held_payment")
    (booking,) = [b for b in waiting.bookings() if b.status == BookingStatus.PENDING_PAYMENT]
    assert booking.amount == 2 * DEPOSIT_PER_PERSON
