"""The facts every venue can be asked about, by topic."""

from __future__ import annotations

from enum import StrEnum


class FactTopic(StrEnum):
    """A structured fact. Some come from the venue's own settings (its address, opening hours,
    check-in and check-out times, cancellation tiers); the rest are the owner's words."""

    ADDRESS = "address"
    HOURS = "hours"
    CHECK_IN_OUT = "check_in_out"
    PARKING = "parking"
    BREAKFAST = "breakfast"
    PETS = "pets"
    DIETARY = "dietary"
    CANCELLATION = "cancellation"
    PAYMENT = "payment"


#: Languages an owner may translate an answer into (the bot's own languages).
LANGUAGES = ("en", "hi", "es")
