"""Offers on screen: how they read in a sentence and as numbered options."""

from __future__ import annotations

from bot.format import format_time
from bot.messages import Option
from bot.turn import Turn
from engine.availability.offers import Offer, RoomOffer, RoomsOffer, TableOffer


def offer_line(turn: Turn, offer: Offer) -> str:
    """How an offer reads in a sentence."""
    if isinstance(offer, RoomsOffer):
        return rooms_line(turn, offer)
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


def rooms_line(turn: Turn, offer: RoomsOffer) -> str:
    """Several rooms in a sentence: every room with its guests and price, then the total."""
    rooms = ", ".join(
        turn.text(
            "room_share", room=r.room_type_name, guests=r.guests, total=turn.money(r.total_amount)
        )
        for r in offer.rooms
    )
    return turn.text(
        "rooms_offer_line",
        count=len(offer.rooms),
        guests=offer.guests,
        check_in=turn.day(offer.check_in),
        check_out=turn.day(offer.check_out),
        nights=offer.nights,
        rooms=rooms,
        total=turn.money(offer.total_amount),
    )


def offer_option(turn: Turn, index: int, offer: Offer, *, same_stay: bool) -> Option:
    """A short option title (buttons allow 20 characters) with details in the description."""
    if isinstance(offer, RoomOffer | RoomsOffer):
        name = _rooms_title(offer) if isinstance(offer, RoomsOffer) else offer.room_type_name
        title = name if same_stay else (f"{turn.day(offer.check_in)} {name}")
        return Option(f"offer:{index}", title[:24], turn.money(offer.total_amount))
    local = offer.local_start
    title = format_time(local) if same_stay else f"{turn.day(local.date())} {format_time(local)}"
    return Option(f"offer:{index}", title[:24])


def _rooms_title(offer: RoomsOffer) -> str:
    """ "2 Standard + Deluxe": the room types of a set of rooms, shortly."""
    counts: dict[str, int] = {}
    for room in offer.rooms:
        counts[room.room_type_name] = counts.get(room.room_type_name, 0) + 1
    return " + ".join(f"{n} {name}" if n > 1 else name for name, n in counts.items())


def offer_options(turn: Turn, offers: list[Offer]) -> list[Option]:
    """Options for offers; titles drop the date when every offer shares it."""
    if all(isinstance(o, RoomOffer) for o in offers):
        same = len({(o.check_in, o.check_out) for o in offers if isinstance(o, RoomOffer)}) == 1
    else:
        same = len({o.local_start.date() for o in offers if isinstance(o, TableOffer)}) == 1
    return [offer_option(turn, n, offer, same_stay=same) for n, offer in enumerate(offers)]


def chosen_index(choice: str | None) -> int | None:
    """The offer index an option id points at ("offer:2" -> 2)."""
    if choice and choice.startswith("offer:") and choice[6:].isdigit():
        return int(choice[6:])
    return None
