"""Enumerations of the waitlist domain."""

from enum import StrEnum


class WaitlistStatus(StrEnum):
    """An entry waits, is offered a hold when inventory frees up, then closes."""

    WAITING = "waiting"
    OFFERED = "offered"
    CLOSED = "closed"
