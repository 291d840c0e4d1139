"""Recommendations in the conversation: the guest's usual filled in, alternatives ranked by
what guests like this one take, and each noted so the owner sees what it brought.

The usual is only ever a proposal: it fills in what the guest left out, the search runs, and
the offer is put with every detail on screen for a yes, as any other offer is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.conversation import State
from bot.flows.offers import offer_line
from bot.format import format_money, format_time
from bot.messages import Option, Reply
from bot.render import WA_BODY_MAX, render_sms
from bot.turn import Turn
from engine.availability.offers import Offer, RoomOffer
from engine.availability.requests import StayRequest
from engine.bookings.models import Booking
from engine.messaging.enums import MessageChannel
from engine.recommendations.enums import RecommendationKind
from engine.recommendations.profile import Usual, guest_usual
from engine.recommendations.service import (
    accepted,
    rank_alternatives,
    record,
    shown,
)
from engine.recommendations.settings import enabled
from engine.recommendations.sister import candidate, note_sister_booked, sister_stay
from engine.recommendations.upgrade import upgrade_candidates, upgrade_for
from engine.tenants.enums import VenueKind


def fill_usual(turn: Turn, missing: list[str]) -> bool:
    """Fill what the guest left out from their usual here; True when anything was filled.

    Never the date (only a restaurant's "today", which a time alone already means), and never
    for a guest who said no to it in this conversation or whose name the bot does not know.
    """
    conversation = turn.conversation
    if conversation.usual_declined or not turn.guest.name or turn.guest.id is None:
        return False
    if not enabled(turn.venue, RecommendationKind.USUAL):
        return False
    fillable = [name for name in missing if name in ("time", "party", "guests", "nights")]
    if not fillable:
        return False
    usual = guest_usual(turn.session, venue=turn.venue, guest_id=turn.guest.id, now=turn.now)
    if usual is None:
        return False
    _fill(turn, usual, fillable)
    conversation.usual_why = _why_usual(usual)
    return bool(conversation.usual)


def _fill(turn: Turn, usual: Usual, names: list[str]) -> None:
    request = turn.conversation.request
    filled = turn.conversation.usual
    for name in names:
        if name == "time" and turn.venue.kind == VenueKind.RESTAURANT:
            request.time = usual.at
        elif name in ("party", "guests"):
            request.party = usual.party
        elif name == "nights" and usual.nights:
            request.nights = usual.nights
        else:
            continue
        filled.append(name)
    if turn.venue.kind == VenueKind.HOTEL and request.room_type is None and usual.room_type:
        request.room_type = usual.room_type
        filled.append("room_type")


def forget_said(turn: Turn) -> None:
    """The guest said some details themselves: those are theirs now, not their usual."""
    slots = turn.understood.slots
    said = {
        "time": slots.time,
        "party": slots.party_size,
        "guests": slots.party_size,
        "nights": slots.nights or slots.check_out,
        "room_type": slots.room_type,
    }
    turn.conversation.usual = [n for n in turn.conversation.usual if said.get(n) is None]


def usual_proposal(turn: Turn, offer: Offer, line: str) -> Reply:
    """ "For 2 at 20:00 as usual, Asha? …": the offer with the usual named, for a yes."""
    request = turn.conversation.request
    why = turn.conversation.usual_why
    note(turn, RecommendationKind.USUAL, "usual", shown([(line, [])]), why)
    if turn.venue.kind == VenueKind.RESTAURANT and request.time is not None:
        at = format_time(datetime.combine(turn.today, request.time))
        return turn.say(
            "confirm_usual_table",
            turn.yes_no(),
            party=request.party,
            time=at,
            name=turn.guest.name,
            offer=line,
        )
    return turn.say("confirm_usual_stay", turn.yes_no(), name=turn.guest.name, offer=line)


def _why_usual(usual: Usual) -> dict[str, float]:
    """What made it the usual: how many visits, and how they spread over the week."""
    return {"visits": float(usual.visits), "weekend_share": round(usual.weekend_share, 2)}


def forget_usual(turn: Turn) -> None:
    """The guest said no to their usual: forget what it filled in, and do not put it again."""
    conversation = turn.conversation
    request = conversation.request
    for name in conversation.usual:
        if name == "time":
            request.time = None
        elif name in ("party", "guests"):
            request.party = None
        elif name == "nights":
            request.nights = None
        elif name == "room_type":
            request.room_type = None
    conversation.usual = []
    conversation.usual_declined = True
    conversation.recommendation_id = None


def rank(turn: Turn, offers: list[Offer]) -> list[Offer]:
    """The alternatives to show, best first (at most three), noted as a recommendation; all of
    them in the search's order where the owner turned ranking off."""
    if not enabled(turn.venue, RecommendationKind.ALTERNATIVES) or not offers:
        return offers
    request = turn.conversation.request
    ranked = rank_alternatives(
        turn.session,
        venue=turn.venue,
        guest_id=turn.guest.id,
        offers=offers,
        wanted=_wanted(turn),
        party=request.party or 1,
        now=turn.now,
    )
    candidates = shown(list(zip(ranked.labels, ranked.rows, strict=True)))
    note(turn, RecommendationKind.ALTERNATIVES, ranked.method, candidates, ranked.why)
    return ranked.offers


def upgrade(turn: Turn, offers: list[Offer], asked: int) -> list[Reply]:
    """The room type asked for is nearly full and a better one is free: both, for the guest
    to pick, the better one at the price difference (none: no upgrade to offer)."""
    if not enabled(turn.venue, RecommendationKind.UPGRADE):
        return []
    better = upgrade_for(offers, asked)
    wanted = offers[asked]
    if better is None or not isinstance(wanted, RoomOffer):
        return []
    offer = offers[better]
    assert isinstance(offer, RoomOffer)
    difference = offer.total_amount - wanted.total_amount
    conversation = turn.conversation
    conversation.offers = [wanted, offer]
    why = {"rooms_left": float(wanted.rooms_left), "price_difference": float(difference)}
    note(turn, RecommendationKind.UPGRADE, "rule", upgrade_candidates(wanted, offer), why)
    conversation.move_to(State.CHOOSING_OFFER)
    extra = turn.money(difference)
    options = [
        Option("offer:0", wanted.room_type_name[:20]),
        Option("offer:1", f"{offer.room_type_name} +{extra}"[:20]),
    ]
    return [
        turn.say(
            "upgrade_offer",
            options,
            room=wanted.room_type_name,
            left=wanted.rooms_left,
            better=offer.room_type_name,
            difference=extra,
            offer=offer_line(turn, offer),
        )
    ]


def sister_hotel(turn: Turn, stay: StayRequest) -> str | None:
    """This hotel has no room for exactly ``stay``: the sentence naming the business's other
    hotel that has (its cheapest room, the total, the number to write to), noted as offered;
    None when none has, or the owner turned it off. The guest books there by writing to it."""
    if turn.venue.kind != VenueKind.HOTEL or not enabled(
        turn.venue, RecommendationKind.SISTER_VENUE
    ):
        return None
    found = sister_stay(turn.session, venue=turn.venue, request=stay, now=turn.now)
    if found is None:
        return None
    offer, sms = found.offer, turn.channel == MessageChannel.SMS
    total = format_money(offer.total_amount, offer.currency, ascii_only=sms)
    sentence = turn.text(
        "sister_hotel_free",
        venue=found.venue.name,
        room=offer.room_type_name,
        guests=turn.count("n_guests", offer.guests),
        nights=turn.count("n_nights", offer.nights),
        total=total,
        number=found.venue.sms_number,
    )
    record(
        turn.session,
        venue=turn.venue,
        guest_id=turn.guest.id,
        kind=RecommendationKind.SISTER_VENUE,
        method="rule",
        candidates=[candidate(found, f"{offer.room_type_name} {total}")],
        why={"rooms_left": float(offer.rooms_left)},
        now=turn.now,
    )
    return sentence


def with_sister(turn: Turn, sentence: str | None, reply: Reply) -> list[Reply]:
    """``reply`` with the sister hotel's ``sentence`` above it, in one message when the whole
    of both reaches the guest (an SMS list too long for its segments drops its prose; a
    WhatsApp body has a limit), else in a message of its own first."""
    if sentence is None:
        return [reply]
    both = replace(reply, text=f"{sentence}\n{reply.text}")
    if turn.channel == MessageChannel.SMS:
        fits = render_sms(both)["body"].startswith(both.text)
    else:
        fits = len(both.text) <= WA_BODY_MAX
    return [both] if fits else [Reply(sentence, language=turn.language), reply]


def sister_booked(turn: Turn, booking: Booking) -> None:
    """A stay held here may be the one another hotel of the business suggested: note it."""
    if turn.venue.kind == VenueKind.HOTEL:
        note_sister_booked(turn.session, booking=booking, now=turn.now)


def _wanted(turn: Turn) -> datetime:
    """When the guest asked to come, on the venue's clock."""
    request, venue = turn.conversation.request, turn.venue
    if venue.kind == VenueKind.HOTEL:
        assert request.check_in is not None
        return datetime.combine(request.check_in, venue.check_in_time, tzinfo=venue.tz)
    assert request.day is not None and request.time is not None
    return datetime.combine(request.day, request.time, tzinfo=venue.tz)


def note(
    turn: Turn,
    kind: RecommendationKind,
    method: str,
    candidates: list[dict[str, Any]],
    why: dict[str, float],
) -> None:
    """Record the recommendation once per showing (a proposal put again is the same one)."""
    if turn.conversation.recommendation_id is not None:
        return
    turn.conversation.recommendation_id = record(
        turn.session,
        venue=turn.venue,
        guest_id=turn.guest.id,
        kind=kind,
        method=method,
        candidates=candidates,
        why=why,
        now=turn.now,
    )


def note_taken(turn: Turn, booking: Booking) -> None:
    """The guest said yes and the booking is held: the recommendation on screen was taken."""
    recommendation_id = turn.conversation.recommendation_id
    if recommendation_id is None:
        return
    chosen = turn.conversation.chosen_offer or 0
    accepted(
        turn.session,
        recommendation_id=recommendation_id,
        chosen=chosen,
        booking=booking,
        now=turn.now,
    )
    turn.conversation.recommendation_id = None
