"""Several rooms for one stay: the party shared across the rooms asked for, each room of a type
that sleeps its share and is free for every night ("2 rooms for 4 people", "2 doubles and a
single", "a suite and a deluxe").

The party is shared as evenly as the rooms allow: every room sleeps at least one guest, and
the rest go one by one to the rooms that have space left, so 4 in 2 rooms is 2 + 2 and 5 is
3 + 2. A room is then given the cheapest free type that sleeps its share (or the type the
guest named), biggest share first, so the large rooms go where they are needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from engine.availability.hotel import room_types_for, search_rooms
from engine.availability.offers import RoomOffer, RoomShare, RoomsOffer
from engine.availability.requests import StayRequest, validate_stay
from engine.exceptions import ValidationError
from engine.tenants.models import Venue

#: The most rooms one booking may hold (a venue may allow fewer by chat: see ``groups``).
MAX_ROOMS = 10


@dataclass(frozen=True)
class RoomWish:
    """What the guest asked of one room: a type, how many it must sleep (a double: 2), or
    nothing ("2 rooms")."""

    room_type_id: int | None = None
    sleeps: int | None = None


def search_room_set(
    session: Session,
    venue: Venue,
    request: StayRequest,
    wishes: Sequence[RoomWish],
    *,
    now: datetime,
) -> RoomsOffer | None:
    """The cheapest set of rooms that sleeps the party as wished, or None when none is free;
    ValidationError when no such set could sleep the party even with the hotel empty."""
    validate_stay(venue, request, now=now)
    _validate_rooms(request.guests, len(wishes))
    one = StayRequest(request.check_in, request.check_out, 1)
    every = {rt.id: rt.capacity for rt in room_types_for(session, venue, one)}
    for wish in wishes:
        if wish.room_type_id is not None and wish.room_type_id not in every:
            raise ValidationError("That room type does not exist at this hotel.")
    if share_party(request.guests, _capacities(wishes, every)) is None:
        most = sum(_capacities(wishes, every))
        raise ValidationError(f"{len(wishes)} rooms like those sleep at most {most} guests.")
    free = search_rooms(session, venue, one, now=now)
    shares = share_party(
        request.guests, _capacities(wishes, {o.room_type_id: o.capacity for o in free})
    )
    chosen = _choose_types(free, wishes, shares) if shares is not None else None
    if chosen is None:
        return None
    return RoomsOffer(
        venue_id=venue.id,
        check_in=request.check_in,
        check_out=request.check_out,
        nights=len(request.nights),
        rooms=tuple(chosen),
        currency=venue.currency,
    )


def _validate_rooms(guests: int, rooms: int) -> None:
    """A request for rooms the party cannot fill, or more than one booking may hold."""
    if not 2 <= rooms <= MAX_ROOMS:
        raise ValidationError(f"A booking of several rooms holds 2 to {MAX_ROOMS} rooms.")
    if guests < rooms:
        raise ValidationError(f"{rooms} rooms need at least {rooms} guests, one per room.")


def _capacities(wishes: Sequence[RoomWish], capacity: dict[int, int]) -> list[int]:
    """The most guests each wished room may get among room types of these capacities: its
    type's, its beds', or the largest type's (0 where its type is not among them)."""
    biggest = max(capacity.values(), default=0)
    return [
        capacity.get(wish.room_type_id, 0)
        if wish.room_type_id is not None
        else min(wish.sleeps or biggest, biggest)
        for wish in wishes
    ]


def share_party(guests: int, capacities: list[int]) -> list[int] | None:
    """Guests per room: one each, then the rest one by one where there is space; None when
    the rooms cannot sleep the party (or a room would stay empty)."""
    if guests < len(capacities) or guests > sum(capacities) or min(capacities, default=0) < 1:
        return None
    shares = [1] * len(capacities)
    left = guests - len(capacities)
    while left:
        for index, capacity in enumerate(capacities):
            if left and shares[index] < capacity:
                shares[index] += 1
                left -= 1
    return shares


def _choose_types(
    free: list[RoomOffer], wishes: Sequence[RoomWish], shares: list[int]
) -> list[RoomShare] | None:
    """A type per room, biggest share first: the cheapest free one that sleeps the share."""
    left = {offer.room_type_id: offer.rooms_left for offer in free}
    chosen: list[RoomShare] = []
    for index in sorted(range(len(shares)), key=lambda n: -shares[n]):
        wish, share = wishes[index], shares[index]
        fits = [
            offer
            for offer in free  # cheapest first
            if offer.capacity >= share
            and left[offer.room_type_id] > 0
            and wish.room_type_id in (None, offer.room_type_id)
        ]
        if not fits:
            return None
        offer = fits[0]
        left[offer.room_type_id] -= 1
        chosen.append(
            RoomShare(offer.room_type_id, offer.room_type_name, share, offer.total_amount)
        )
    return chosen
