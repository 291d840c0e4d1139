"""What guests asked each venue for, day by day: stays and seatings, priced by the engine.

Inventory, prices, the seating grid and claim units all come from the engine's own helpers,
so a generated request is one ``place_hold`` would have accepted when it was made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from random import Random

from sqlalchemy.orm import Session

from engine.availability.hotel import room_pairs, room_types_for, stay_price
from engine.availability.requests import StayRequest
from engine.availability.restaurant import Seating, seating_pairs, seatings_for, starts_by_day
from engine.availability.units import Pair
from engine.bookings.models import Booking
from engine.bookings.policies import booking_start
from engine.history.plan import Candidate, Request
from engine.inventory.models import RoomType
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

Maker = Callable[[date, Random], Request | None]

#: Requests per day (low, high); Friday to Sunday bring a third more.
HOTEL_REQUESTS = (1, 4)
TABLE_REQUESTS = (14, 24)
BUSY_WEEKDAYS = frozenset({4, 5, 6})
#: Nights per stay and party sizes by how often they are asked for.
NIGHTS = {1: 30, 2: 30, 3: 20, 4: 10, 5: 6, 7: 4}
PARTY_SIZES = {1: 3, 2: 34, 3: 12, 4: 24, 5: 9, 6: 9, 7: 5, 8: 4}
#: Local hours guests like best for lunch and dinner.
PEAK_HOURS = (13.0, 20.0)


def weighted(rng: Random, weights: dict[int, int]) -> int:
    """One key of ``weights``, drawn in proportion to its weight."""
    return rng.choices(list(weights), cum_weights=list(accumulate(weights.values())))[0]


def requests_for(session: Session, venue: Venue, days: list[date], rng: Random) -> list[Request]:
    """Every request made of ``venue`` for arrivals on ``days``."""
    hotel = venue.kind == VenueKind.HOTEL
    make = _stays(session, venue) if hotel else _seatings(session, venue, days)
    low, high = HOTEL_REQUESTS if hotel else TABLE_REQUESTS
    requests: list[Request] = []
    for day in days:
        count = rng.randint(low, high)
        if day.weekday() in BUSY_WEEKDAYS:
            count += count // 3
        made = (make(day, rng) for _ in range(count))
        requests.extend(request for request in made if request is not None)
    return requests


def _stays(session: Session, venue: Venue) -> Maker:
    """A maker of stay requests: a room type, nights and guests, priced with the day's rates."""
    room_types = room_types_for(session, venue, StayRequest(date.min, date.min, 1))
    popularity = [1 / rank for rank in range(1, len(room_types) + 1)]  # cheapest sells most

    def make(day: date, rng: Random) -> Request | None:
        if not room_types:
            return None
        room_type = rng.choices(room_types, weights=popularity)[0]
        nights = timedelta(days=weighted(rng, NIGHTS))
        stay = StayRequest(day, day + nights, rng.randint(1, room_type.capacity), room_type.id)
        return _stay(session, venue, room_type, stay)

    return make


def _stay(session: Session, venue: Venue, room_type: RoomType, stay: StayRequest) -> Request:
    """The request for ``stay``: any active room of the type, lowest number first."""
    rooms = [room for room in room_type.rooms if room.active]
    leaves = datetime.combine(stay.check_out, venue.check_out_time, tzinfo=venue.tz)
    return Request(
        venue_id=venue.id,
        party_size=stay.guests,
        due_at=booking_start(Booking(check_in=stay.check_in), venue),  # unsaved stand-in
        leaves_at=leaves.astimezone(UTC),
        amount=stay_price(session, room_type, stay),
        currency=venue.currency,
        candidates=tuple(
            Candidate((room.resource,), tuple(room_pairs(room, stay))) for room in rooms
        ),
        room_type_id=room_type.id,
        check_in=stay.check_in,
        check_out=stay.check_out,
    )


def _seatings(session: Session, venue: Venue, days: list[date]) -> Maker:
    """A maker of seating requests on the venue's grid, busier around lunch and dinner peaks.

    The grid, the tables and the appeal of each start are worked out once per party size.
    """
    grids: dict[int, dict[date, tuple[list[datetime], list[float]]]] = {}
    tables: dict[int, list[Seating]] = {}

    def make(day: date, rng: Random) -> Request | None:
        party = weighted(rng, PARTY_SIZES)
        if party not in grids:
            grids[party] = {
                each: (starts, list(accumulate(_appeal(venue, start) for start in starts)))
                for each, starts in starts_by_day(session, venue, days, party).items()
            }
            tables[party] = seatings_for(session, venue, party)
        starts, appeal = grids[party][day]
        if not starts:
            return None  # closed that day
        start = rng.choices(starts, cum_weights=appeal)[0]
        return _seating(venue, start.astimezone(UTC), party, tables[party])

    return make


def _appeal(venue: Venue, start: datetime) -> float:
    """How much guests like a start time: highest at the lunch and dinner peaks."""
    local = start.astimezone(venue.tz)
    hour = local.hour + local.minute / 60
    return 1 / (0.5 + min(abs(hour - peak) for peak in PEAK_HOURS))


def _seating(venue: Venue, start: datetime, party: int, seatings: list[Seating]) -> Request:
    """The request for a party at ``start``: any seating that fits, tightest first.

    The engine's claims are worked out once for every table involved, then shared out.
    """
    ends = start + timedelta(minutes=venue.turn_minutes_for(party))
    tables = list({table.id: table for seating in seatings for table in seating}.values())
    by_table: dict[str, list[Pair]] = {table.resource: [] for table in tables}
    for pair in seating_pairs(venue, tables, start, party):
        by_table[pair[0]].append(pair)
    return Request(
        venue_id=venue.id,
        party_size=party,
        due_at=start,
        leaves_at=ends,
        amount=venue.deposit_for(party),
        currency=venue.currency,
        candidates=tuple(
            Candidate(
                tuple(table.resource for table in seating),
                tuple(pair for table in seating for pair in by_table[table.resource]),
            )
            for seating in seatings
        ),
        starts_at=start,
        ends_at=ends,
    )
