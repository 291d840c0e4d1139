"""Enumerations of the recommendations domain."""

from enum import StrEnum


class RecommendationKind(StrEnum):
    """What was recommended; owners turn each kind on or off per venue."""

    #: The returning guest's usual party and time filled in for them.
    USUAL = "usual"
    #: Other times, days or room types when the exact request is not free, ranked.
    ALTERNATIVES = "alternatives"
    #: Another venue of the business (the hotel next door, a table for the arrival evening).
    CROSS_SELL = "cross_sell"
    #: A better room type at the price difference when the one asked for is nearly full.
    UPGRADE = "upgrade"
    #: Another hotel of the business with a room free for exactly the stay this one cannot take.
    SISTER_VENUE = "sister_venue"


class Outcome(StrEnum):
    """What the guest did with a recommendation."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
