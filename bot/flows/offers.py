"""Offers on screen: how they read in a sentence and as numbered options."""

from __future__ import annotations

from datetime import date

from bot.format import format_time
from bot.messages import Option, Reply
from bot.render import WA_ROW_TITLE_MAX, render_sms
from bot.turn import Turn
from engine.availability.offers import Offer, RoomOffer, RoomsOffer, TableOffer
from engine.messaging.enums import MessageChannel


def offer_line(turn: Turn, offer: Offer) -> str:
    """How an offer reads in a sentence."""
    if isinstance(offer, RoomsOffer):
        return rooms_line(turn, offer)
    if isinstance(offer, RoomOffer):
        return turn.text(
            "room_offer_line",
            room=offer.room_type_name,
            guests=turn.count("n_guests", offer.guests),
            nights=turn.count("n_nights", offer.nights),
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


def rooms_line(turn: Turn, offer: RoomsOffer) -> str:
    """Several rooms in a sentence: every room with its guests and price, then the total."""
    rooms = ", ".join(
        turn.text(
            "room_share",
            room=r.room_type_name,
            guests=turn.count("n_guests", r.guests),
            total=turn.money(r.total_amount),
        )
        for r in offer.rooms
    )
    return turn.text(
        "rooms_offer_line",
        count=len(offer.rooms),
        guests=turn.count("n_guests", offer.guests),
        check_in=turn.day(offer.check_in),
        check_out=turn.day(offer.check_out),
        nights=turn.count("n_nights", offer.nights),
        rooms=rooms,
        total=turn.money(offer.total_amount),
    )


def offer_option(turn: Turn, index: int, offer: Offer, *, dated: bool) -> Option:
    """A short option title (buttons allow 20 characters, list rows 24), with its date when
    ``dated``; a room's details go in the description."""
    if isinstance(offer, RoomOffer | RoomsOffer):
        return _room_option(turn, f"offer:{index}", offer, dated=dated)
    local = offer.local_start
    title = f"{turn.day(local.date())} {format_time(local)}" if dated else format_time(local)
    return Option(f"offer:{index}", title[:WA_ROW_TITLE_MAX])


def _room_option(
    turn: Turn, option_id: str, offer: RoomOffer | RoomsOffer, *, dated: bool
) -> Option:
    """ "Suite, 6–13 Jan" with "₹63,000 in total, up to 4 guests": what tells rooms apart (a
    set of rooms: "2 Standard + Deluxe" and the guests it is for).

    A title too long for its dates leaves them to the description, so they are never lost.
    """
    if isinstance(offer, RoomsOffer):
        name, guests = _rooms_title(offer), offer.guests
    else:
        name, guests = offer.room_type_name, offer.capacity
    detail = turn.text(
        "room_option_detail",
        total=turn.money(offer.total_amount),
        guests=turn.count("n_guests", guests),
    )
    if not dated:
        return Option(option_id, name[:WA_ROW_TITLE_MAX], detail)
    dates = turn.stay_dates(offer.check_in, offer.check_out)
    if len(title := f"{name}, {dates}") <= WA_ROW_TITLE_MAX:
        return Option(option_id, title, detail)
    return Option(option_id, name[:WA_ROW_TITLE_MAX], f"{dates}: {detail}")


def _rooms_title(offer: RoomsOffer) -> str:
    """ "2 Standard + Deluxe": the room types of a set of rooms, shortly."""
    counts: dict[str, int] = {}
    for room in offer.rooms:
        counts[room.room_type_name] = counts.get(room.room_type_name, 0) + 1
    return " + ".join(f"{n} {name}" if n > 1 else name for name, n in counts.items())


def offer_options(turn: Turn, offers: list[Offer]) -> list[Option]:
    """Options for offers: tables show their day when they span several; rooms show their
    dates unless every one is the stay the guest asked for.

    Rooms offered for other dates than asked always say which, even when they all share them:
    a bare "Suite" under "nothing is free for exactly that" hides that the stay moved.
    """
    dated = options_dated(turn, offers)
    return [offer_option(turn, n, offer, dated=dated) for n, offer in enumerate(offers)]


def shared_day(offers: list[Offer]) -> date | None:
    """The one date all these offers are on, when they are tables of a single day."""
    if not all(isinstance(o, TableOffer) for o in offers):
        return None
    days = {o.local_start.date() for o in offers if isinstance(o, TableOffer)}
    return days.pop() if len(days) == 1 else None


def options_dated(turn: Turn, offers: list[Offer]) -> bool:
    """Whether the options of these offers carry their dates (see ``offer_options``)."""
    rooms = [o for o in offers if isinstance(o, RoomOffer | RoomsOffer)]
    if rooms:
        stays = {(o.check_in, o.check_out) for o in rooms}
        return len(stays) > 1 or rooms[0].check_in != turn.conversation.request.check_in
    return len({o.local_start.date() for o in offers if isinstance(o, TableOffer)}) > 1


def listed(turn: Turn, reply: Reply, *, whole: bool) -> Reply:
    """``reply``, a list of offers, remembering whether the guest sees each offer whole in it.

    ``whole`` says the sentence names what the options leave out (the party, the stay). The
    sentence must also reach the guest: an SMS list that does not fit three segments keeps its
    options and drops the sentence, which happens soonest in Hindi and Spanish (their letters
    need UCS-2). A WhatsApp message always carries it (WhatsApp through Twilio, rendered as
    SMS text, is not told apart here: the turn does not know the provider).
    """
    sms = turn.channel == MessageChannel.SMS
    kept = not sms or render_sms(reply)["body"].startswith(reply.text)
    turn.conversation.listed_whole = whole and kept
    return reply


def chosen_index(choice: str | None) -> int | None:
    """The offer index an option id points at ("offer:2" -> 2)."""
    if choice and choice.startswith("offer:") and choice[6:].isdigit():
        return int(choice[6:])
    return None
