"""Several rooms in one booking: the guest's wishes ("2 doubles and a single") made into what
the engine searches for, and the party they imply when the guest named beds but no head count.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.nlu.rooms import ANY_ROOM, BED_WORDS
from bot.turn import Turn
from engine.availability.offers import RoomsOffer
from engine.availability.requests import StayRequest
from engine.availability.rooms import RoomWish, search_room_set
from engine.inventory.models import RoomType


def implied_party(rooms: list[str]) -> int | None:
    """The guests that beds asked for sleep ("a double and a single": 3); None when a room
    was asked for without beds ("2 rooms"), so the party must be asked."""
    if not all(wish in BED_WORDS for wish in rooms):
        return None
    return sum(BED_WORDS[wish] for wish in rooms)


def room_wishes(turn: Turn, rooms: list[str]) -> list[RoomWish]:
    """The engine's wishes for the rooms asked for: a room type by id, beds, or any room."""
    rows = turn.session.execute(
        select(RoomType.name, RoomType.id).where(RoomType.venue_id == turn.venue.id)
    )
    types = {name: type_id for name, type_id in rows}
    return [_wish(wish, types) for wish in rooms]


def _wish(wish: str, types: dict[str, int]) -> RoomWish:
    if wish in types:
        return RoomWish(room_type_id=types[wish])
    if wish == ANY_ROOM:
        return RoomWish()
    return RoomWish(sleeps=BED_WORDS.get(wish))


def room_set_offer(turn: Turn, stay: StayRequest) -> RoomsOffer | None:
    """The rooms asked for, free for the whole stay, or None; a BooklineError says why the
    request itself cannot be (more rooms than guests, a past date...)."""
    rooms = turn.conversation.request.rooms or []
    wishes = room_wishes(turn, rooms)
    return search_room_set(turn.session, turn.venue, stay, wishes, now=turn.now)
