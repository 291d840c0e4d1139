"""Offers built directly for tests, rather than searched for.

``place_hold`` re-checks the inventory behind an offer, so a test can aim a hold at a stay of
its choosing (even a sold-out one) without going through search; price and stock are left
unchecked here.
"""

from __future__ import annotations

from datetime import date, timedelta

from engine.availability.offers import RoomOffer
from engine.inventory.models import RoomType
from engine.tenants.models import Venue


def stay_offer(
    venue: Venue, room_type: RoomType, check_in: date, nights: int, *, guests: int = 2
) -> RoomOffer:
    """An offer for ``nights`` nights in ``room_type`` from ``check_in``."""
    return RoomOffer(
        venue_id=venue.id,
        room_type_id=room_type.id,
        room_type_name=room_type.name,
        capacity=room_type.capacity,
        check_in=check_in,
        check_out=check_in + timedelta(days=nights),
        guests=guests,
        nights=nights,
        total_amount=0,
        currency=venue.currency,
        rooms_left=1,
    )
