"""Risk in chat: one number holding table after table is slowed down, then stopped."""

from __future__ import annotations

from collections.abc import Callable

from engine.bookings.enums import BookingStatus
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout

Make = Callable[..., ChatGuest]
TIMES = ("7pm", "7:30pm", "8pm", "8:30pm", "9pm", "9:30pm")


def test_a_burst_of_unpaid_holds_from_one_number_is_stopped(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("restaurant", "sms", name="Meera")
    answers = []
    for n, at in enumerate(TIMES):
        offer = guest.say(f"table for 6 tomorrow {at}")[-1]
        (answer,) = guest.say("Meera Rao" if n == 0 else "yes")
        answers.append(answer)
        assert offer.has("confirm_offer_name" if n == 0 else "confirm_offer"), offer.text
    assert [a.has("held_payment") for a in answers] == [True] * 4 + [False] * 2
    assert answers[4].has("risk_review") and answers[5].has("rate_limited")
    statuses = [b.status for b in guest.bookings()]
    assert statuses == [BookingStatus.PENDING_PAYMENT] * 4 + [BookingStatus.HELD]
    assert len(checkout.links(guest.phone)) == 4


def test_a_normal_guest_is_not(guest_factory: Make, checkout: Checkout) -> None:
    guest = guest_factory("restaurant", "whatsapp", name="Normal")
    guest.say("table for 6 tomorrow 8pm")
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    assert len(checkout.links(guest.phone)) == 1


def test_staff_see_why_a_hold_is_under_review_and_approving_sends_the_link(
    guest_factory: Make, checkout: Checkout
) -> None:
    import httpx

    from engine.seed import OWNER_EMAIL, OWNER_PASSWORD

    guest = guest_factory("restaurant", "sms", name="Meera")
    for n, at in enumerate(TIMES[:5]):
        guest.say(f"table for 6 tomorrow {at}")
        guest.say("Meera Rao" if n == 0 else "yes")
    held = guest.bookings()[-1]
    assert held.status == BookingStatus.HELD
    base = checkout.stack.url
    login = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": OWNER_EMAIL, "password": OWNER_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    (review,) = httpx.get(f"{base}/api/v1/risk/reviews", headers=headers).json()
    assert review["reference"] == held.reference and review["score"] >= 0.5
    assert review["contributions"] and set(review["contributions"]) <= set(review["features"])
    approved = httpx.post(f"{base}/api/v1/bookings/{held.reference}/approve", headers=headers)
    assert approved.status_code == 200, approved.text
    (link_message,) = guest.receive(at_least=1)
    assert link_message.has("held_payment")
    assert len(checkout.links(guest.phone)) == 5
    assert httpx.get(f"{base}/api/v1/risk/reviews", headers=headers).json() == []
