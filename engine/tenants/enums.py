"""Enumerations of the tenants domain."""

from enum import StrEnum


class VenueKind(StrEnum):
    """What a venue sells: room-nights or table-slots."""

    HOTEL = "hotel"
    RESTAURANT = "restaurant"
