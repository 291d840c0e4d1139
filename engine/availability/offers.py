"""Offers returned by a search; a hold re-checks the inventory behind an offer, never trusts it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class RoomOffer:
    """A room type free for every night of a stay, with the stay's total price."""

    venue_id: int
    room_type_id: int
    room_type_name: str
    capacity: int
    check_in: date
    check_out: date
    guests: int
    nights: int
    total_amount: int
    currency: str
    rooms_left: int


@dataclass(frozen=True)
class TableOffer:
    """A seating time with a free table (or combinable pair) for the party."""

    venue_id: int
    starts_at: datetime
    local_start: datetime
    party_size: int
    deposit_amount: int
    currency: str
    exact: bool


Offer = RoomOffer | TableOffer
