"""Offers on screen: how they read in a sentence and as numbered options."""

from __future__ import annotations

from bot.format import format_time
from bot.messages import Option, Reply
from bot.render import render_sms
from bot.turn import Turn
from engine.availability.offers import Offer, RoomOffer


def offer_line(turn: Turn, offer: Offer) -> str:
    """How an offer reads in a sentence."""
    if isinstance(offer, RoomOffer):
        return turn.text(
            "room_offer_line",
            room=offer.room_type_name,
            guests=offer.guests,
            nights=offer.nights,
            check_in=turn.day(offer.check_in),
            check_out=turn.day(offer.check_out),
            total=turn.money(offer.total_amount),
        )
    return turn.text(
        "table_offer_line",
        party=offer.party_size,
        day=turn.day(offer.local_start.date()),
        time=format_time(offer.local_start),
    )


def offer_option(turn: Turn, index: int, offer: Offer, *, same_stay: bool) -> Option:
    """A short option title (buttons allow 20 characters) with details in the description."""
    if isinstance(offer, RoomOffer):
        title = (
            offer.room_type_name
            if same_stay
            else (f"{turn.day(offer.check_in)} {offer.room_type_name}")
        )
        return Option(f"offer:{index}", title[:24], turn.money(offer.total_amount))
    local = offer.local_start  # the date always: with the party above, the option is the offer
    return Option(f"offer:{index}", f"{turn.day(local.date())} {format_time(local)}"[:24])


def offer_options(turn: Turn, offers: list[Offer]) -> list[Option]:
    """Options for offers; room titles drop the dates when every offer shares the stay."""
    same = len({(o.check_in, o.check_out) for o in offers if isinstance(o, RoomOffer)}) == 1
    return [offer_option(turn, n, offer, same_stay=same) for n, offer in enumerate(offers)]


def listed(turn: Turn, reply: Reply, *, whole: bool) -> Reply:
    """``reply``, a list of offers, remembering whether the guest sees each offer whole in it.

    ``whole`` says the sentence names what the options leave out (the party, the stay). The
    sentence must also reach the guest: as plain text (SMS, or WhatsApp carried by Twilio) a
    list that does not fit three segments keeps its options and drops the sentence, which
    happens soonest in Hindi and Spanish (their letters need UCS-2).
    """
    kept = render_sms(reply)["body"].startswith(reply.text)
    turn.conversation.listed_whole = whole and kept
    return reply


def chosen_index(choice: str | None) -> int | None:
    """The offer index an option id points at ("offer:2" -> 2)."""
    if choice and choice.startswith("offer:") and choice[6:].isdigit():
        return int(choice[6:])
    return None
