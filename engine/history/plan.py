"""What a generated history consists of: plain records decided before anything is written.

The plan is the source of truth for the history's figures: tests work the expected analytics
out of these records alone, so they carry every fact a figure depends on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.availability.units import Pair
from engine.bookings.enums import BookingStatus, CancelledBy, Channel
from engine.messaging.enums import MessageChannel

#: Statuses whose claims the engine keeps (a completed booking's claims record what was used).
KEEPS_CLAIMS = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
#: The notes of every generated booking: how a second seeding knows the history is there.
HISTORY_NOTE = "demo history"


@dataclass(frozen=True)
class Step:
    """One status change after the hold was placed."""

    status: BookingStatus
    at: datetime
    actor: str


@dataclass(frozen=True)
class Life:
    """What became of a request: its status changes, money and who asked for it."""

    channel: Channel
    #: Who placed the hold (the guest on a chat channel, else the desk).
    creator: str
    created_at: datetime
    hold_expires_at: datetime
    steps: tuple[Step, ...]
    amount_paid: int = 0
    refund: int = 0
    refund_percent: int = 0
    cancelled_by: CancelledBy | None = None
    #: A payment link went out (chat bookings with something due).
    link: bool = False

    @property
    def status(self) -> BookingStatus:
        """The status the booking ends in."""
        return self.steps[-1].status if self.steps else BookingStatus.HELD

    @property
    def released_at(self) -> datetime | None:
        """When the booking gave its inventory back (None: it keeps it)."""
        return None if self.status in KEEPS_CLAIMS else self.steps[-1].at


@dataclass(frozen=True)
class Candidate:
    """One way to serve a request: these resources, these claims (engine order)."""

    resources: tuple[str, ...]
    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class Request:
    """What a guest asked for: a stay (hotels) or a seating (restaurants), with its price."""

    venue_id: int
    party_size: int
    #: When the guest is due (check-in time or seating start), UTC.
    due_at: datetime
    #: When the guest is gone (check-out time or the end of the turn), UTC.
    leaves_at: datetime
    amount: int
    currency: str
    candidates: tuple[Candidate, ...]
    room_type_id: int | None = None
    check_in: date | None = None
    check_out: date | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None


@dataclass(frozen=True)
class PlannedBooking:
    """A booking of the history: the request, the inventory it got and its life."""

    reference: str
    guest_phone: str
    request: Request
    taken: Candidate
    life: Life

    @property
    def status(self) -> BookingStatus:
        """The status the booking ends in."""
        return self.life.status

    @property
    def ever_confirmed(self) -> bool:
        """True when the booking reached CONFIRMED at some point."""
        return any(step.status == BookingStatus.CONFIRMED for step in self.life.steps)


@dataclass(frozen=True)
class Line:
    """One transcript line: "in" from the guest, "out" from the bot."""

    at: datetime
    direction: str
    text: str


@dataclass(frozen=True)
class PlannedConversation:
    """A guest's chat with a venue on one channel (with or without a booking at the end)."""

    venue_id: int
    channel: MessageChannel
    guest_phone: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Guest:
    """A guest of the history's pool."""

    phone: str
    name: str


@dataclass(frozen=True)
class HistoryPlan:
    """Everything the history will write, for both venues."""

    now: datetime
    days: int
    guests: tuple[Guest, ...]
    bookings: tuple[PlannedBooking, ...]
    conversations: tuple[PlannedConversation, ...]
