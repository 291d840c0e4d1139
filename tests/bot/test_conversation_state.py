"""The stored conversation: typed in the bot, the same JSON in Redis as before it was typed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from bot.conversation import BookingRequest, Conversation, State
from engine.availability.offers import RoomOffer, TableOffer

IST = timezone(timedelta(hours=5, minutes=30))

#: A hotel guest asked to confirm a room, as conversations were stored with untyped details.
HOTEL_CONFIRMING = (
    '{"state":"confirming","language":"en","request":{"check_in":"2026-12-24",'
    '"check_out":"2026-12-27","party":2,"room_type":"Deluxe"},"offers":[{"venue_id":1,'
    '"room_type_id":2,"room_type_name":"Deluxe","capacity":2,"check_in":"2026-12-24",'
    '"check_out":"2026-12-27","guests":2,"nights":3,"total_amount":1650000,"currency":"INR",'
    '"rooms_left":4,"kind":"room"}],"chosen_offer":0,"booking_ref":null,"action":null,'
    '"misunderstandings":0,"handoff_until":null,"new_conversation":false}'
)
#: A restaurant guest choosing among times, stored the same way.
RESTAURANT_CHOOSING = (
    '{"state":"choosing_offer","language":null,"request":{"day":"2026-12-05","time":"20:00",'
    '"party":4},"offers":[{"venue_id":3,"starts_at":"2026-12-05T14:30:00+00:00",'
    '"local_start":"2026-12-05T20:00:00+05:30","party_size":4,"deposit_amount":0,'
    '"currency":"INR","exact":false,"kind":"table"}],"chosen_offer":null,"booking_ref":null,'
    '"action":null,"misunderstandings":1,"handoff_until":null,"new_conversation":true}'
)


def test_a_hotel_conversation_stored_untyped_loads_with_typed_details_and_offers() -> None:
    conversation = Conversation.from_json(HOTEL_CONFIRMING)
    assert conversation.state == State.CONFIRMING and conversation.chosen_offer == 0
    assert conversation.request == BookingRequest(
        check_in=date(2026, 12, 24), check_out=date(2026, 12, 27), party=2, room_type="Deluxe"
    )
    room = RoomOffer(
        1, 2, "Deluxe", 2, date(2026, 12, 24), date(2026, 12, 27), 2, 3, 1650000, "INR", 4
    )
    assert conversation.offers == [room]


def test_a_restaurant_conversation_stored_untyped_loads_with_typed_details_and_offers() -> None:
    conversation = Conversation.from_json(RESTAURANT_CHOOSING)
    assert conversation.state == State.CHOOSING_OFFER and conversation.misunderstandings == 1
    assert conversation.request == BookingRequest(day=date(2026, 12, 5), time=time(20), party=4)
    starts_at = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
    local_start = datetime(2026, 12, 5, 20, tzinfo=IST)
    assert conversation.offers == [TableOffer(3, starts_at, local_start, 4, 0, "INR", False)]
    assert conversation.offers[0].local_start.utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize("stored", [HOTEL_CONFIRMING, RESTAURANT_CHOOSING])
def test_a_loaded_conversation_is_saved_back_as_the_same_document(stored: str) -> None:
    """The same, with fields added since these were stored written as not set."""
    added = {"room_id": None}
    assert json.loads(Conversation.from_json(stored).to_json()) == json.loads(stored) | added


def test_details_not_said_are_left_out_of_the_stored_request_not_written_as_null() -> None:
    conversation = Conversation(request=BookingRequest(time=time(20, 30), party=2))
    assert json.loads(conversation.to_json())["request"] == {"time": "20:30", "party": 2}


def test_a_request_with_nothing_said_is_empty_and_one_with_a_detail_is_not() -> None:
    assert BookingRequest().is_empty()
    assert not BookingRequest(nights=2).is_empty()


@pytest.mark.parametrize(
    "request_",
    [{"day": "5 Dec"}, {"party_size": 4}, {"time": 20}],
    ids=["unreadable date", "unknown detail", "time not a string"],
)
def test_a_stored_request_that_cannot_be_read_starts_a_fresh_conversation(
    request_: dict[str, object],
) -> None:
    document = json.loads(RESTAURANT_CHOOSING) | {"request": request_}
    assert Conversation.from_json(json.dumps(document)) == Conversation()
