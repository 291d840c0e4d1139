"""An upgrade when it helps both: the asked room type nearly full, a better one offered at the
price difference; the guest picks either, and only the upgrade counts as taken."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.models import Recommendation
from tests.dialogue.harness import ChatGuest
from tests.dialogue.helpers import next_date

Make = Callable[..., ChatGuest]
STAY = "standard room 24-27 Dec for 2"
DELUXE_MORE = 3 * (550_000 - 350_000)


def _fill_standards(guest_factory: Make, count: int) -> None:
    """``count`` guests each hold a Standard room for the same stay."""
    for n in range(count):
        other = guest_factory("hotel", "sms")
        other.say(STAY)
        other.say(f"Guest {'ABCDE'[n]}")


def _upgrades(sessions: sessionmaker[Session]) -> list[Recommendation]:
    with sessions() as session:
        query = select(Recommendation).where(Recommendation.kind == RecommendationKind.UPGRADE)
        return list(session.scalars(query))


def test_the_last_standard_room_comes_with_the_deluxe_at_the_difference(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    _fill_standards(guest_factory, 4)  # the demo hotel has five
    guest = guest_factory("hotel", "whatsapp", name="Asha")
    (upgrade,) = guest.say(STAY)
    assert upgrade.has("upgrade_offer") and "Only 1 Standard room" in upgrade.text
    assert "Rs 6,000" in upgrade.text or "₹6,000" in upgrade.text
    assert upgrade.options == [("offer:0", "Standard"), ("offer:1", "Deluxe +₹6,000")]
    (confirm,) = guest.tap("offer:1", "Deluxe +₹6,000")
    assert confirm.has("confirm_offer") and "Deluxe room" in confirm.text
    assert guest.bookings() == []  # nothing is held before the yes
    (held,) = guest.tap("yes")
    assert held.has("held_payment")
    (booking,) = guest.bookings()
    assert booking.check_in == next_date(12, 24) and booking.amount == 3 * 550_000
    (recommendation,) = _upgrades(sessions)
    assert recommendation.outcome == Outcome.ACCEPTED
    assert recommendation.revenue == DELUXE_MORE
    assert recommendation.contributions == {"rooms_left": 1.0, "price_difference": DELUXE_MORE}


def test_keeping_the_room_asked_for_declines_the_upgrade(
    guest_factory: Make, sessions: sessionmaker[Session]
) -> None:
    _fill_standards(guest_factory, 4)
    guest = guest_factory("hotel", "sms")
    (upgrade,) = guest.say(STAY)
    assert upgrade.has("upgrade_offer") and "Rs 6,000" in upgrade.text
    (confirm,) = guest.say("1")
    assert confirm.has("confirm_offer_name") and "Standard room" in confirm.text
    guest.say("Ravi Kumar")
    assert guest.bookings()[0].amount == 3 * 350_000
    (recommendation,) = _upgrades(sessions)
    assert (recommendation.outcome, recommendation.revenue) == (Outcome.DECLINED, 0)


def test_no_upgrade_while_the_room_type_has_rooms_to_spare(guest_factory: Make) -> None:
    _fill_standards(guest_factory, 2)
    guest = guest_factory("hotel", "sms")
    (confirm,) = guest.say(STAY)
    assert confirm.has("confirm_offer_name") and not confirm.has("upgrade_offer")
