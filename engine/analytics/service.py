"""Analytics for one venue over a range of local dates: occupancy or covers, revenue, channels,
the conversion funnel, popular times, lead time, cancellation / no-show rates and what guests
said of their visits (a service figure too: the average score of the visits due in the range).

The no-show rate is taken as of a moment (``as_of``, now for the API by default): only bookings
whose guest was due by then can have failed to come, so those still ahead are left out of it.

Two clocks, stated once: service figures (covers, revenue, rates, popular times, lead time)
count bookings by the local date the guest is due, and occupancy counts every night in the
range a stay covers, whenever it arrived; the funnel counts by when the conversation happened
or the booking was made, and only bookings made in a conversation (SMS, WhatsApp). Bookings
are aggregated in Python after one query each: the ranges an owner looks at hold thousands of
rows, not millions, and the same code gives the same answer on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, BookingEvent
from engine.bookings.policies import CHANGE_SETTLED, booking_start
from engine.db import utcnow
from engine.exceptions import ValidationError
from engine.feedback.service import FeedbackSummary, summarize
from engine.inventory.models import Room, RoomType
from engine.messaging.models import TranscriptEntry
from engine.recommendations.analytics import KindFigures, figures
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

MAX_DAYS = 366
#: Bookings whose guest came (or is still due): what occupancy and covers count.
SERVED = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
#: Channels where a booking starts as a conversation: the only ones the funnel follows.
CONVERSATION_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
LEAD_BUCKETS = (
    (0, "same day"),
    (1, "1-2 days"),
    (3, "3-7 days"),
    (8, "8-30 days"),
    (31, "31+ days"),
)


@dataclass(frozen=True)
class NightOccupancy:
    night: date
    rooms_sold: int
    rooms_total: int


@dataclass(frozen=True)
class DayCovers:
    day: date
    covers: int
    bookings: int


@dataclass(frozen=True)
class Revenue:
    paid: int
    refunded: int
    net: int
    currency: str


@dataclass(frozen=True)
class DayRevenue:
    """Money on the bookings due on one local day (minor units): what the chart plots."""

    day: date
    paid: int
    refunded: int


@dataclass(frozen=True)
class Funnel:
    conversations: int
    holds: int
    paid: int
    completed: int


@dataclass(frozen=True)
class LeadTime:
    average_days: float | None
    median_days: float | None
    buckets: dict[str, int]


@dataclass(frozen=True)
class Report:
    """Everything the analytics page shows for one venue and date range."""

    venue_id: int
    start: date
    end: date
    as_of: datetime
    occupancy: list[NightOccupancy]
    covers: list[DayCovers]
    covers_by_slot: dict[str, int]
    revenue: Revenue
    revenue_by_day: list[DayRevenue]
    by_channel: dict[str, int]
    by_status: dict[str, int]
    funnel: Funnel
    by_weekday: dict[int, int]
    by_hour: dict[int, int]
    lead_time: LeadTime
    cancellation_rate: float | None
    no_show_rate: float | None
    feedback: FeedbackSummary
    #: Per kind of recommendation: offered, taken and the revenue they brought.
    recommendations: list[KindFigures]


def venue_report(
    session: Session, *, venue: Venue, start: date, end: date, as_of: datetime | None = None
) -> Report:
    """The analytics of ``venue`` for local dates ``start``..``end`` inclusive, the no-show
    rate over the bookings due by ``as_of`` (now by default)."""
    as_of = as_of or utcnow()
    days = _days(start, end)
    bookings = _due_bookings(session, venue, start, end)
    confirmed = _ever_confirmed(session, bookings)
    served = [b for b in bookings if b.status in SERVED]
    refunds = _refunds(session, bookings)
    return Report(
        venue_id=venue.id,
        start=start,
        end=end,
        as_of=as_of,
        occupancy=occupancy(
            session, venue=venue, bookings=_staying(session, venue, start, end), days=days
        ),
        covers=covers(venue=venue, bookings=served, days=days),
        covers_by_slot=covers_by_slot(venue=venue, bookings=served),
        revenue=revenue(venue=venue, bookings=bookings, refunds=refunds),
        revenue_by_day=revenue_by_day(venue=venue, bookings=bookings, refunds=refunds, days=days),
        by_channel=dict(Counter(b.channel.value for b in bookings)),
        by_status=dict(Counter(b.status.value for b in bookings)),
        funnel=funnel(session, venue=venue, start=start, end=end),
        by_weekday=dict(Counter(_local_start(b, venue).weekday() for b in confirmed)),
        by_hour=dict(Counter(_local_start(b, venue).hour for b in confirmed))
        if venue.kind == VenueKind.RESTAURANT
        else {},
        lead_time=lead_time(venue=venue, bookings=confirmed),
        cancellation_rate=_rate(confirmed, BookingStatus.CANCELLED),
        no_show_rate=_rate(_expected_by(confirmed, venue, as_of), BookingStatus.NO_SHOW),
        feedback=summarize(session, booking_ids=[b.id for b in bookings]),
        recommendations=figures(session, venue=venue, start=start, end=end),
    )


def _days(start: date, end: date) -> list[date]:
    count = (end - start).days + 1
    if not 0 < count <= MAX_DAYS:
        raise ValidationError(f"Choose an end on or after the start, at most {MAX_DAYS} days.")
    return [start + timedelta(days=n) for n in range(count)]


def _utc_midnight(venue: Venue, day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=venue.tz).astimezone(UTC)


def _due_bookings(session: Session, venue: Venue, start: date, end: date) -> list[Booking]:
    """Bookings of the venue due on a local date in the range (stays by arrival date)."""
    query = select(Booking).where(Booking.venue_id == venue.id)
    if venue.kind == VenueKind.HOTEL:
        query = query.where(Booking.check_in >= start, Booking.check_in <= end)
    else:
        upper = _utc_midnight(venue, end + timedelta(days=1))
        query = query.where(
            Booking.starts_at >= _utc_midnight(venue, start), Booking.starts_at < upper
        )
    return list(session.scalars(query.order_by(Booking.id)))


def _staying(session: Session, venue: Venue, start: date, end: date) -> list[Booking]:
    """Served stays with a night in the range, including those that arrived before it."""
    if venue.kind != VenueKind.HOTEL:
        return []
    query = select(Booking).where(
        Booking.venue_id == venue.id,
        Booking.status.in_(SERVED),
        Booking.check_in <= end,
        Booking.check_out > start,
    )
    return list(session.scalars(query.order_by(Booking.id)))


def _ever_confirmed(session: Session, bookings: list[Booking]) -> list[Booking]:
    """The bookings that reached CONFIRMED at some point (per the audit trail)."""
    ids = {b.id for b in bookings}
    query = (
        select(BookingEvent.booking_id)
        .distinct()
        .where(
            BookingEvent.to_status == BookingStatus.CONFIRMED.value,
            BookingEvent.booking_id.in_(ids),
        )
    )
    confirmed = set(session.scalars(query))
    return [b for b in bookings if b.id in confirmed]


def _expected_by(bookings: list[Booking], venue: Venue, as_of: datetime) -> list[Booking]:
    """The bookings whose guest was still expected when the seating or check-in began by
    ``as_of``: a guest who cancelled was not expected, so cannot have failed to come."""
    return [
        b
        for b in bookings
        if b.status != BookingStatus.CANCELLED and booking_start(b, venue) <= as_of
    ]


def _local_start(booking: Booking, venue: Venue) -> datetime:
    return booking_start(booking, venue).astimezone(venue.tz)


def occupancy(
    session: Session, *, venue: Venue, bookings: list[Booking], days: list[date]
) -> list[NightOccupancy]:
    """Rooms sold per night against active rooms (hotels; empty for restaurants).

    Counts every night of the stays in ``bookings`` that falls on one of ``days``: callers
    pass every stay with a night in the range, including those that arrived before it.
    """
    if venue.kind != VenueKind.HOTEL:
        return []
    total = session.scalar(
        select(func.count(Room.id))
        .join(RoomType)
        .where(RoomType.venue_id == venue.id, Room.active.is_(True))
    )
    sold: Counter[date] = Counter()
    for booking in bookings:
        assert booking.check_in is not None and booking.check_out is not None
        for n in range((booking.check_out - booking.check_in).days):
            sold[booking.check_in + timedelta(days=n)] += len(booking.resources)
    return [NightOccupancy(day, sold[day], total or 0) for day in days]


def covers(*, venue: Venue, bookings: list[Booking], days: list[date]) -> list[DayCovers]:
    """Guests seated per local day (restaurants; empty for hotels)."""
    if venue.kind != VenueKind.RESTAURANT:
        return []
    guests: Counter[date] = Counter()
    count: Counter[date] = Counter()
    for booking in bookings:
        day = _local_start(booking, venue).date()
        guests[day] += booking.party_size
        count[day] += 1
    return [DayCovers(day, guests[day], count[day]) for day in days]


def covers_by_slot(*, venue: Venue, bookings: list[Booking]) -> dict[str, int]:
    """Guests seated per local start time ("19:30"), over the whole range."""
    if venue.kind != VenueKind.RESTAURANT:
        return {}
    slots: Counter[str] = Counter()
    for booking in bookings:
        slots[f"{_local_start(booking, venue):%H:%M}"] += booking.party_size
    return dict(sorted(slots.items()))


def _refunds(session: Session, bookings: list[Booking]) -> Counter[int]:
    """Money given back per booking id, as its cancellation and price-lowering changes
    recorded it."""
    rows = session.execute(
        select(BookingEvent.booking_id, BookingEvent.details).where(
            BookingEvent.booking_id.in_([b.id for b in bookings]),
            (BookingEvent.to_status == BookingStatus.CANCELLED.value)
            | (BookingEvent.reason == CHANGE_SETTLED),
        )
    )
    refunds: Counter[int] = Counter()
    for booking_id, details in rows:
        refunds[booking_id] += int(str(details.get("refund_amount", 0)))
    return refunds


def revenue(*, venue: Venue, bookings: list[Booking], refunds: Counter[int]) -> Revenue:
    """Money taken for bookings due in the range, refunds given back on them, and the net."""
    paid = sum(b.amount_paid for b in bookings)
    refunded = sum(refunds[b.id] for b in bookings)
    return Revenue(paid, refunded, paid - refunded, venue.currency)


def revenue_by_day(
    *, venue: Venue, bookings: list[Booking], refunds: Counter[int], days: list[date]
) -> list[DayRevenue]:
    """The revenue figures split by the local day each booking is due, so the days add up to
    the totals (a stay counts on its arrival date, a seating on its local start date)."""
    paid: Counter[date] = Counter()
    refunded: Counter[date] = Counter()
    for booking in bookings:
        day = _local_start(booking, venue).date()
        paid[day] += booking.amount_paid
        refunded[day] += refunds[booking.id]
    return [DayRevenue(day, paid[day], refunded[day]) for day in days]


def funnel(session: Session, *, venue: Venue, start: date, end: date) -> Funnel:
    """Conversations started, holds placed, holds paid, stays or meals completed.

    Counted by when it happened: a conversation by its guest's messages in the range, a hold
    by its creation time; "paid" and "completed" are those holds that got that far. Holds
    count only bookings made in a conversation: a walk-in or a phone booking never had one, and
    counting it would show more holds than conversations.
    """
    low, high = _utc_midnight(venue, start), _utc_midnight(venue, end + timedelta(days=1))
    made = list(
        session.scalars(
            select(Booking).where(
                Booking.venue_id == venue.id,
                Booking.channel.in_(CONVERSATION_CHANNELS),
                Booking.created_at >= low,
                Booking.created_at < high,
            )
        )
    )
    paid = _ever_confirmed(session, made)
    completed = [b for b in made if b.status == BookingStatus.COMPLETED]
    return Funnel(_conversations(session, venue, low, high), len(made), len(paid), len(completed))


def _conversations(session: Session, venue: Venue, low: datetime, high: datetime) -> int:
    """Conversations in ``[low, high)``: a guest writing on one channel on one local day.

    Not one per guest: a regular who books three times in the range had three conversations,
    and counting them once would show more holds than conversations.
    """
    rows = session.execute(
        select(TranscriptEntry.channel, TranscriptEntry.guest_phone, TranscriptEntry.at)
        .where(TranscriptEntry.venue_id == venue.id, TranscriptEntry.direction == "in")
        .where(TranscriptEntry.at >= low, TranscriptEntry.at < high)
    )
    return len({(channel, phone, at.astimezone(venue.tz).date()) for channel, phone, at in rows})


def lead_time(*, venue: Venue, bookings: list[Booking]) -> LeadTime:
    """Days between booking and arrival: average, median and a histogram."""
    days = [
        (_local_start(b, venue).date() - b.created_at.astimezone(venue.tz).date()).days
        for b in bookings
    ]
    buckets = {label: 0 for _, label in LEAD_BUCKETS}
    for value in days:
        label = next(label for low, label in reversed(LEAD_BUCKETS) if max(value, 0) >= low)
        buckets[label] += 1
    if not days:
        return LeadTime(None, None, buckets)
    return LeadTime(round(sum(days) / len(days), 2), float(median(days)), buckets)


def _rate(confirmed: list[Booking], status: BookingStatus) -> float | None:
    """Share of confirmed bookings that ended in ``status`` (None when there were none)."""
    if not confirmed:
        return None
    return round(sum(b.status == status for b in confirmed) / len(confirmed), 4)
