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


@dataclass(frozen=True)
class RoomShare:
    """One room of a stay of several rooms: its type, the guests it sleeps, its price."""

    room_type_id: int
    room_type_name: str
    guests: int
    total_amount: int


@dataclass(frozen=True)
class RoomsOffer:
    """Several rooms for one stay (same dates), booked together under one reference."""

    venue_id: int
    check_in: date
    check_out: date
    nights: int
    rooms: tuple[RoomShare, ...]
    currency: str

    @property
    def guests(self) -> int:
        """The whole party, over every room."""
        return sum(room.guests for room in self.rooms)

    @property
    def total_amount(self) -> int:
        """What the stay costs in every room together, in minor units."""
        return sum(room.total_amount for room in self.rooms)


Offer = RoomOffer | TableOffer | RoomsOffer
