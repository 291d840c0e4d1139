"""Enumerations of the bookings domain."""

from enum import StrEnum


class BookingStatus(StrEnum):
    """Lifecycle of a booking; allowed moves live in ``engine.bookings.transitions``."""

    HELD = "held"
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    NO_SHOW = "no_show"


class Channel(StrEnum):
    """Where a booking came from."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    DASHBOARD = "dashboard"
    PHONE = "phone"
    WALK_IN = "walk_in"


class Approval(StrEnum):
    """A group booked by chat above the venue's limits waits for staff to accept or decline."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class CancelledBy(StrEnum):
    """Who cancelled: the refund policy applies to guests; an owner refunds in full."""

    GUEST = "guest"
    OWNER = "owner"


#: Statuses whose claims still hold inventory (subject to hold expiry for the first two).
HOLDING_STATUSES = (BookingStatus.HELD, BookingStatus.PENDING_PAYMENT)
ACTIVE_STATUSES = (*HOLDING_STATUSES, BookingStatus.CONFIRMED)
