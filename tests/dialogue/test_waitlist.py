"""Waitlist: a full request never dead-ends; when it frees up the waiting guest holds it first."""

from __future__ import annotations

from collections.abc import Callable

from application.waitlist import offer_waitlist
from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest

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
