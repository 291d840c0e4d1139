"""What a hold looks like to the risk model: five numbers computed from the venue's history.

The same function computes them for training (every past hold, from what came before it) and
for scoring (the hold being placed), so the model sees one definition of each feature. The
guest's no-shows come from every booking at the venue, payable or not (most tables are
free, and that is where a guest fails to come), each counting from when the guest was due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.bookings.policies import start_of
from engine.guests.models import Guest
from engine.tenants.models import Venue

HOUR = timedelta(hours=1)
NEW_NUMBER_AGE = timedelta(days=1)
HISTORY_LIMIT = 2000
DEFAULT_PARTY = 2.0
#: Holds let lapse unpaid (a guest who cancels politely is not what abuse looks like).
UNPAID_ENDINGS = (BookingStatus.EXPIRED,)
#: When each guest's no-shows at the venue were due, by guest id.
NoShows = Mapping[int, Sequence[datetime]]


@dataclass(frozen=True)
class PastHold:
    """One payable hold of the venue's history."""

    booking_id: int
    guest_id: int
    created_at: datetime
    party_size: int
    status: BookingStatus
    amount_paid: int
    guest_since: datetime

    @property
    def unpaid(self) -> bool | None:
        """True when it lapsed unpaid, False when paid, None while open (or ended otherwise)."""
        if self.amount_paid > 0:
            return False
        return True if self.status in UNPAID_ENDINGS else None


@dataclass(frozen=True)
class HoldFeatures:
    """The model's inputs, named so the owner can read each one's contribution."""

    holds_last_hour: float
    unpaid_ratio: float
    party_ratio: float
    new_number: float
    no_shows: float

    def as_dict(self) -> dict[str, float]:
        """Feature name → value, in model order."""
        return asdict(self)

    def vector(self) -> list[float]:
        """The values in model order (read directly: ``asdict`` deep-copies, ~45 µs a hold)."""
        return [getattr(self, name) for name in FEATURE_NAMES]


FEATURE_NAMES = tuple(HoldFeatures.__dataclass_fields__)


def venue_history(session: Session, *, venue_id: int, limit: int = HISTORY_LIMIT) -> list[PastHold]:
    """The venue's most recent payable holds, oldest first.

    Seven columns as plain rows: every hold a guest places at a paying venue is scored against
    up to ``HISTORY_LIMIT`` of them, and loading each as a ``Booking`` cost most of the turn.
    """
    rows = session.execute(
        select(
            Booking.id,
            Booking.guest_id,
            Booking.created_at,
            Booking.party_size,
            Booking.status,
            Booking.amount_paid,
            Guest.created_at,
        )
        .join(Guest, Guest.id == Booking.guest_id)
        .where(Booking.venue_id == venue_id, Booking.amount > 0)
        .order_by(Booking.created_at.desc(), Booking.id.desc())
        .limit(limit)
    )
    holds = [PastHold(*row) for row in rows]
    return holds[::-1]


def venue_no_shows(session: Session, *, venue_id: int) -> dict[int, list[datetime]]:
    """When each guest's bookings at the venue that ended as no-shows were due, by guest id."""
    venue = session.get_one(Venue, venue_id)
    rows = session.execute(
        select(Booking.guest_id, Booking.starts_at, Booking.check_in).where(
            Booking.venue_id == venue_id, Booking.status == BookingStatus.NO_SHOW
        )
    )
    due: dict[int, list[datetime]] = defaultdict(list)
    for guest_id, starts_at, check_in in rows:
        due[guest_id].append(start_of(venue, starts_at=starts_at, check_in=check_in))
    return dict(due)


def typical_party(history: Sequence[PastHold]) -> float:
    """The venue's median party size (a default when there is no history)."""
    return float(median(h.party_size for h in history)) if history else DEFAULT_PARTY


def features_of(
    hold: PastHold, earlier: Sequence[PastHold], party: float, no_shows: Sequence[datetime]
) -> HoldFeatures:
    """Features of ``hold`` given the same guest's ``earlier`` holds and when their no-shows
    were due (those due after the hold was placed were not known then)."""
    recent = [h for h in earlier if hold.created_at - h.created_at <= HOUR]
    endings = [h.unpaid for h in earlier if h.unpaid is not None]
    paid_before = False in endings
    new = hold.created_at - hold.guest_since < NEW_NUMBER_AGE and not paid_before
    return HoldFeatures(
        holds_last_hour=float(len(recent)),
        unpaid_ratio=sum(endings) / (len(endings) + 1),  # smoothed: one lapse is no pattern
        party_ratio=hold.party_size / party,
        new_number=1.0 if new else 0.0,
        no_shows=float(sum(due <= hold.created_at for due in no_shows)),
    )


def training_set(history: Sequence[PastHold], no_shows: NoShows) -> list[tuple[HoldFeatures, bool]]:
    """(features, went unpaid) for every past hold whose ending is known."""
    party = typical_party(history)
    before: dict[int, list[PastHold]] = defaultdict(list)
    samples = []
    for hold in history:
        earlier = before[hold.guest_id]
        if hold.unpaid is not None:
            guest_no_shows = no_shows.get(hold.guest_id, ())
            samples.append((features_of(hold, earlier, party, guest_no_shows), hold.unpaid))
        earlier.append(hold)
    return samples
