"""Domain errors of the booking engine.

Each carries a message a guest or an owner can read as is; adapters map the class to an HTTP
status or a chat reply in one place, so no adapter needs to parse messages.
"""

from __future__ import annotations


class BooklineError(Exception):
    """Base of every engine error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(BooklineError):
    """The request itself is wrong (bad dates, bad party size, unknown room type...)."""


class PartyTooLargeError(ValidationError):
    """More guests than the venue can take in one booking; ``largest`` is the most it can."""

    def __init__(self, message: str, *, largest: int) -> None:
        super().__init__(message)
        self.largest = largest


class CheckOutBeforeCheckInError(ValidationError):
    """A stay whose check-out is not after its check-in."""


class NotFoundError(BooklineError):
    """The thing asked for does not exist (or is not visible to the caller)."""


class NotAvailableError(BooklineError):
    """The inventory asked for is taken or does not exist for those dates/times."""


class OutsideOpeningHoursError(NotAvailableError):
    """A restaurant time outside the venue's opening hours or on a closure."""


class HoldExpiredError(BooklineError):
    """The hold lapsed before the action that needed it."""


class InvalidTransitionError(BooklineError):
    """A booking status change the lifecycle does not allow."""
