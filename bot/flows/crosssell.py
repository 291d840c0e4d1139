"""The venue next door in the conversation: a hotel guest whose stay is confirmed is offered a
table at the business's restaurant on the arrival evening, once, with every detail on screen;
one tap (or "1" by SMS) books it. Never to a guest who opted out, never twice."""

from __future__ import annotations

from bot.conversation import State
from bot.flows import recommend
from bot.flows.offers import offer_line
from bot.flows.payment import request_payment
from bot.messages import Reply
from bot.turn import Turn
from engine.availability.offers import TableOffer
from engine.bookings.models import Booking
from engine.bookings.service import confirm, place_hold
from engine.exceptions import BooklineError
from engine.messaging.enums import MessageChannel
from engine.recommendations.crosssell import (
    DINNER_AT,
    EVENING_FROM,
    arrival_table,
    dines_that_day,
    likelihood,
    offered_lately,
    restaurants_of,
    visits_matrix,
)
from engine.recommendations.enums import RecommendationKind
from engine.recommendations.profile import guest_usual
from engine.recommendations.service import shown
from engine.recommendations.settings import enabled
from engine.risk.exceptions import HoldRateLimitedError
from engine.risk.service import MAX_HOLDS_PER_HOUR
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue


def _opted_out(turn: Turn) -> bool:
    guest = turn.guest
    return guest.opted_out_sms if turn.channel == MessageChannel.SMS else guest.opted_out_whatsapp


def _eligible(turn: Turn, stay: Booking) -> bool:
    return (
        turn.venue.kind == VenueKind.HOTEL
        and stay.check_in is not None
        and turn.conversation.state == State.IDLE
        and enabled(turn.venue, RecommendationKind.CROSS_SELL)
        and not _opted_out(turn)
        and not offered_lately(turn.session, guest_id=turn.guest.id, now=turn.now)
    )


def offer_next_door(turn: Turn, stay: Booking) -> list[Reply]:
    """The table on the arrival evening, put for a yes, when the guest is likely to take it."""
    if not _eligible(turn, stay):
        return []
    assert stay.check_in is not None
    restaurants = restaurants_of(turn.session, business_id=turn.venue.business_id)
    if any(
        dines_that_day(turn.session, guest_id=turn.guest.id, restaurant=r, day=stay.check_in)
        for r in restaurants
    ):
        return []
    visits = visits_matrix(turn.session, business_id=turn.venue.business_id)
    chances = [
        (likelihood(visits, guest_id=turn.guest.id, restaurant=r, hotel=turn.venue), r)
        for r in restaurants
    ]
    chances.sort(key=lambda pair: -pair[0].value)  # the likeliest first (stable: oldest venue)
    for chance, restaurant in chances:
        table = _table(turn, restaurant, stay) if chance.offer else None
        if table is not None:
            return [_put(turn, restaurant, table, chance.method, chance.why)]
    return []


def _table(turn: Turn, restaurant: Venue, stay: Booking) -> TableOffer | None:
    """A free table for the party on the arrival evening, at the guest's usual time there."""
    assert stay.check_in is not None
    usual = guest_usual(turn.session, venue=restaurant, guest_id=turn.guest.id, now=turn.now)
    at = usual.at if usual is not None and usual.at.hour >= EVENING_FROM else DINNER_AT
    table = arrival_table(
        turn.session,
        restaurant=restaurant,
        day=stay.check_in,
        at=at,
        party=stay.party_size,
        now=turn.now,
    )
    return table if table is not None and not table.deposit_amount else None  # one tap books


def _put(
    turn: Turn, restaurant: Venue, table: TableOffer, method: str, why: dict[str, float]
) -> Reply:
    conversation = turn.conversation
    line = offer_line(turn, table)
    conversation.offers, conversation.chosen_offer = [table], 0
    candidates = shown([(f"{restaurant.slug} {line}", [])])
    recommend.note(turn, RecommendationKind.CROSS_SELL, method, candidates, why)
    conversation.move_to(State.CROSS_SELL_OFFERED)
    return turn.say(
        "cross_sell_offer",
        turn.yes_no("button_yes", "button_no_thanks"),
        venue=restaurant.name,
        offer=line,
    )


def accept(turn: Turn) -> list[Reply]:
    """Yes: book the table shown (its deposit, if the party owes one, is asked as usual), with
    the guest's hold rate checked as for any hold the bot places."""
    conversation = turn.conversation
    table = conversation.offers[0] if conversation.offers else None
    restaurant = turn.session.get(Venue, table.venue_id) if table else None
    if not isinstance(table, TableOffer) or restaurant is None:
        conversation.reset()
        return [turn.say("what_next")]
    try:
        booking = place_hold(
            turn.session,
            offer=table,
            guest=turn.guest,
            channel=turn.booking_channel,
            actor=turn.actor,
            now=turn.now,
            holds_per_hour=MAX_HOLDS_PER_HOUR,
        )
    except HoldRateLimitedError:
        conversation.reset()
        return [turn.say("rate_limited")]
    except BooklineError:
        conversation.reset()
        return [turn.say("cross_sell_taken", venue=restaurant.name)]
    recommend.note_taken(turn, booking)
    if booking.amount > 0:
        return request_payment(turn, booking)
    confirm(turn.session, booking=booking, actor=turn.actor, now=turn.now)
    conversation.reset()
    line = offer_line(turn, table)
    return [
        turn.say(
            "cross_sell_booked", venue=restaurant.name, offer=line, reference=booking.reference
        )
    ]


def decline(turn: Turn) -> list[Reply]:
    """No, thanks: nothing is booked, and the offer is not made again."""
    turn.conversation.reset()
    return [turn.say("cross_sell_declined")]
