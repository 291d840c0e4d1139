"""Search latency over a year of realistic inventory (goal: p99 < 10 ms, 4 searches at once).

What is measured
----------------
A fresh database gets ``--venues`` venues (default 500: 60% hotels, 40% restaurants, four time
zones) spread over 50 businesses: hotels with three room types (Standard 4-10 rooms, Deluxe
2-5, Suite 1-2; ``ROOM_TYPES``) and restaurants with 6-8 tables (two of them combinable),
lunch and dinner opening hours (dinner only on Mondays) and a 30-minute slot grid. ``--days``
days (default 365) of inventory from the day after ``NOW`` are then filled to about 55% with
CONFIRMED bookings and their claims (hotel stays of 1-5 nights; restaurant seatings of 90/120
minutes, busier at dinner than at lunch): ~1.4 M bookings and ~4.3 M claims at the defaults.
Rows are written with Core ``insert()`` executemany in batches (explicit ids, sequences moved
past them afterwards), then the database is VACUUM ANALYZEd.

Then ``--searches`` calls (default 2000) of ``engine.availability.service.search_availability``
run one after another, each in its own Session with the venue already loaded, on random
venues: hotel stays of 1-5 nights for 1-4 guests, restaurant requests at random times for
parties of 1-8. Only the search call is timed. p50/p95/p99/max and searches/s are printed
separately for hotels and restaurants. Then the same number of searches again, spread over
``--concurrency`` threads (default 4) of this one process searching at the same time, as one
API process serving several guests does. "now" is the fixed instant ``NOW`` so every date is
in the future whatever the wall clock says.

With ``--json`` it prints one line: ``p99_ms`` and ``p99_ms_4_concurrent`` are the worse of the
hotel and restaurant p99s (the goal holds for both kinds), with each kind's figure beside them.
``--repeat N`` times both phases N times on the one load (the load is most of a run): the
JSON line then gives each figure's median over the repeats, and the p99s' min and max.

Run (about 3-4 minutes, most of it loading; ``DATABASE_URL`` names the admin database, the
bench creates a database of its own and drops only that; it uses no Redis)::

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/availability.py [--venues 500] [--days 365] [--searches 2000]
        [--concurrency 4] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import signal
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from benchdb import add_database_url, bench_database, libpq_url
from sqlalchemy import Connection, Engine, Integer, insert
from sqlalchemy.orm import Session, sessionmaker

from engine.availability.requests import StayRequest, TableRequest
from engine.availability.restaurant import NEXT_DAYS
from engine.availability.service import search_availability
from engine.availability.units import night_unit, slot_unit
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, Claim
from engine.db import Base, make_engine, make_session_factory
from engine.guests.models import Guest
from engine.inventory.models import OpeningHours, Room, RoomType, Table
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue

#: Fixed clock: the inventory starts the next day, every search is in the future.
NOW = datetime(2027, 1, 4, 6, 30, tzinfo=UTC)
SEED = 365500
BUSINESSES = 50
GUESTS_PER_BUSINESS = 200
BATCH = 20_000
GOAL_P99_MS = 10.0
TIMEZONES = ["Asia/Kolkata", "Europe/London", "America/New_York", "Asia/Dubai"]

#: name, capacity, nightly rate, (min rooms, max rooms)
ROOM_TYPES = [
    ("Standard", 2, 350_000, (4, 10)),
    ("Deluxe", 3, 550_000, (2, 5)),
    ("Suite", 4, 900_000, (1, 2)),
]
#: label, seats, combine group; the last two are left out at random (6-8 tables).
TABLE_LAYOUT = [
    ("T1", 2, None),
    ("T2", 2, None),
    ("T3", 4, "A"),
    ("T4", 4, "A"),
    ("T5", 4, None),
    ("T6", 6, None),
    ("T7", 8, None),
    ("T8", 2, None),
]
SLOT_MINUTES = 30
TURN_MINUTES = 90
LARGE_PARTY, LARGE_TURN_MINUTES = 7, 120
#: opens, closes, chance to seat a table at each free slot (lunch is quieter than dinner).
LUNCH = (clock(12, 0), clock(15, 0), 0.25)
DINNER = (clock(19, 0), clock(23, 0), 0.55)


@dataclass(frozen=True)
class HotelSpec:
    """What the fill needs to know about one hotel."""

    venue_id: int
    business_id: int
    #: (room id, room type id, capacity, nightly rate)
    rooms: list[tuple[int, int, int, int]]


@dataclass(frozen=True)
class RestaurantSpec:
    """What the fill needs to know about one restaurant."""

    venue_id: int
    business_id: int
    zone: ZoneInfo
    #: (table id, seats)
    tables: list[tuple[int, int]]


@dataclass
class Inventory:
    """Venue ids by kind, and the specs the fill walks over."""

    hotels: list[HotelSpec] = field(default_factory=list)
    restaurants: list[RestaurantSpec] = field(default_factory=list)


@dataclass
class Ids:
    """Explicit primary keys for bulk rows (sequences are set past them at the end)."""

    counters: dict[str, int] = field(default_factory=dict)

    def next(self, table: str) -> int:
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]


@dataclass
class Loader:
    """Buffers bookings and their claims; writes them with Core executemany in batches."""

    conn: Connection
    ids: Ids
    bookings: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    slots_total: int = 0
    slots_claimed: int = 0
    written: dict[str, int] = field(default_factory=lambda: {"bookings": 0, "claims": 0})

    def add(self, booking: dict[str, Any], units: list[tuple[str, str]]) -> None:
        """Queue one CONFIRMED booking with its (resource, unit) claims."""
        booking_id = self.ids.next("bookings")
        booking["id"] = booking_id
        booking["reference"] = f"BK-{booking_id:09d}"
        self.bookings.append(booking)
        venue_id = booking["venue_id"]
        self.claims.extend(
            {"booking_id": booking_id, "venue_id": venue_id, "resource": r, "unit": u}
            for r, u in units
        )
        if len(self.claims) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write what is buffered (bookings first: claims reference them)."""
        if self.bookings:
            self.conn.execute(insert(Booking), self.bookings)
        if self.claims:
            self.conn.execute(insert(Claim), self.claims)
        self.conn.commit()
        self.written["bookings"] += len(self.bookings)
        self.written["claims"] += len(self.claims)
        self.bookings.clear()
        self.claims.clear()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_url(parser)
    parser.add_argument("--venues", type=int, default=500)
    parser.add_argument("--restaurant-share", type=float, default=0.4)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4, help="searches at once")
    parser.add_argument(
        "--repeat", type=int, default=1, help="time both phases this many times on one load"
    )
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    return parser.parse_args()


# -- building venues -------------------------------------------------------------------------


def venue_row(venue_id: int, business_id: int, kind: VenueKind, zone: str) -> dict[str, Any]:
    """A venues row; columns left out get their model defaults."""
    return {
        "id": venue_id,
        "business_id": business_id,
        "kind": kind,
        "name": f"{kind.value.title()} {venue_id}",
        "slug": f"{kind.value}-{venue_id}",
        "timezone": zone,
        "currency": "INR",
        "slot_minutes": SLOT_MINUTES,
        "turn_minutes": TURN_MINUTES,
        "large_party_size": LARGE_PARTY,
        "large_party_turn_minutes": LARGE_TURN_MINUTES,
        "created_at": NOW,
    }


def build_venues(
    conn: Connection, ids: Ids, venues: int, share: float, rng: random.Random
) -> Inventory:
    """Businesses, guests, venues and their rooms/tables/opening hours."""
    conn.execute(
        insert(Business),
        [
            {"id": b, "name": f"Business {b}", "slug": f"business-{b}", "created_at": NOW}
            for b in range(1, BUSINESSES + 1)
        ],
    )
    conn.execute(
        insert(Guest),
        [
            {"id": g, "business_id": 1 + (g - 1) % BUSINESSES, "phone": f"+9197{g:08d}"}
            for g in range(1, BUSINESSES * GUESTS_PER_BUSINESS + 1)
        ],
    )
    inventory = Inventory()
    rows: dict[str, list[dict[str, Any]]] = {
        "venues": [],
        "room_types": [],
        "rooms": [],
        "tables": [],
        "opening_hours": [],
    }
    restaurants = round(venues * share)
    kinds = [VenueKind.RESTAURANT] * restaurants + [VenueKind.HOTEL] * (venues - restaurants)
    rng.shuffle(kinds)
    for venue_id, kind in enumerate(kinds, start=1):
        business_id = 1 + (venue_id - 1) % BUSINESSES
        zone = rng.choice(TIMEZONES)
        rows["venues"].append(venue_row(venue_id, business_id, kind, zone))
        if kind == VenueKind.HOTEL:
            inventory.hotels.append(hotel_rows(rows, ids, venue_id, business_id, rng))
        else:
            inventory.restaurants.append(
                restaurant_rows(rows, ids, venue_id, business_id, ZoneInfo(zone), rng)
            )
    for model in (Venue, RoomType, Room, Table, OpeningHours):
        conn.execute(insert(model), rows[model.__tablename__])
    conn.commit()
    return inventory


def hotel_rows(
    rows: dict[str, list[dict[str, Any]]],
    ids: Ids,
    venue_id: int,
    business_id: int,
    rng: random.Random,
) -> HotelSpec:
    """Room types and rooms of one hotel."""
    rooms: list[tuple[int, int, int, int]] = []
    for name, capacity, rate, (low, high) in ROOM_TYPES:
        type_id = ids.next("room_types")
        rows["room_types"].append(
            {
                "id": type_id,
                "venue_id": venue_id,
                "name": name,
                "capacity": capacity,
                "nightly_rate": rate,
            }
        )
        for n in range(rng.randint(low, high)):
            room_id = ids.next("rooms")
            rows["rooms"].append(
                {"id": room_id, "room_type_id": type_id, "number": f"{name[0]}{n}"}
            )
            rooms.append((room_id, type_id, capacity, rate))
    return HotelSpec(venue_id, business_id, rooms)


def restaurant_rows(
    rows: dict[str, list[dict[str, Any]]],
    ids: Ids,
    venue_id: int,
    business_id: int,
    zone: ZoneInfo,
    rng: random.Random,
) -> RestaurantSpec:
    """Tables and opening hours (dinner only on Mondays) of one restaurant."""
    tables: list[tuple[int, int]] = []
    for label, seats, group in TABLE_LAYOUT[: rng.randint(6, len(TABLE_LAYOUT))]:
        table_id = ids.next("tables")
        rows["tables"].append(
            {
                "id": table_id,
                "venue_id": venue_id,
                "label": label,
                "seats": seats,
                "combine_group": group,
            }
        )
        tables.append((table_id, seats))
    for weekday in range(7):
        for opens, closes, _ in [DINNER] if weekday == 0 else [LUNCH, DINNER]:
            rows["opening_hours"].append(
                {
                    "id": ids.next("opening_hours"),
                    "venue_id": venue_id,
                    "weekday": weekday,
                    "opens": opens,
                    "closes": closes,
                }
            )
    return RestaurantSpec(venue_id, business_id, zone, tables)


# -- filling a year with confirmed bookings --------------------------------------------------


def confirmed(venue_id: int, business_id: int, rng: random.Random) -> dict[str, Any]:
    """The columns every bench booking shares."""
    guest = business_id + BUSINESSES * rng.randrange(GUESTS_PER_BUSINESS)
    return {
        "venue_id": venue_id,
        "guest_id": guest,
        "status": BookingStatus.CONFIRMED,
        "channel": Channel.WHATSAPP,
        "room_type_id": None,
        "check_in": None,
        "check_out": None,
        "starts_at": None,
        "ends_at": None,
        "hold_expires_at": None,
        "currency": "INR",
        "notes": "",
        "created_at": NOW,
        "updated_at": NOW,
    }


def stays(days: int, rng: random.Random) -> Iterator[tuple[int, int]]:
    """(first night index, nights): stays of 1-5 nights with 0-5 free nights between (~55%)."""
    pos = rng.randrange(4)
    while pos < days:
        nights = min(rng.randint(1, 5), days - pos)
        yield pos, nights
        pos += nights + rng.randint(0, 5)


def fill_hotel(
    loader: Loader, hotel: HotelSpec, first: date, days: int, rng: random.Random
) -> None:
    """Confirmed stays over every room of the hotel."""
    for room_id, type_id, capacity, rate in hotel.rooms:
        resource = f"room:{room_id}"
        loader.slots_total += days
        for start, nights in stays(days, rng):
            check_in = first + timedelta(days=start)
            booking = confirmed(hotel.venue_id, hotel.business_id, rng)
            booking.update(
                room_type_id=type_id,
                check_in=check_in,
                check_out=check_in + timedelta(days=nights),
                party_size=rng.randint(1, capacity),
                resources=[resource],
                amount=rate * nights,
                amount_paid=rate * nights,
            )
            units = [(resource, night_unit(check_in + timedelta(days=n))) for n in range(nights)]
            loader.slots_claimed += nights
            loader.add(booking, units)


def day_slots(zone: ZoneInfo, day: date) -> list[tuple[datetime, str, float]]:
    """Every slot of the opening windows of ``day``: (UTC start, unit, seat chance)."""
    windows = [DINNER] if day.weekday() == 0 else [LUNCH, DINNER]
    slots: list[tuple[datetime, str, float]] = []
    step = timedelta(minutes=SLOT_MINUTES)
    for opens, closes, chance in windows:
        start = datetime.combine(day, opens, tzinfo=zone)
        end = datetime.combine(day, closes, tzinfo=zone)
        while start < end:
            slots.append((start.astimezone(UTC), slot_unit(start), chance))
            start += step
        slots.append((end.astimezone(UTC), "", 0.0))  # window end marker: no seating spans it
    return slots


def fill_restaurant(
    loader: Loader, restaurant: RestaurantSpec, first: date, days: int, rng: random.Random
) -> None:
    """Confirmed seatings over every table, slot by slot, never across a window's end."""
    for offset in range(days):
        slots = day_slots(restaurant.zone, first + timedelta(days=offset))
        for table_id, seats in restaurant.tables:
            resource = f"table:{table_id}"
            loader.slots_total += sum(1 for _, unit, _ in slots if unit)
            pos = 0
            while pos < len(slots):
                starts_at, unit, chance = slots[pos]
                party = rng.randint(max(1, seats - 3), seats)
                turn = LARGE_TURN_MINUTES if party >= LARGE_PARTY else TURN_MINUTES
                span = slots[pos : pos + turn // SLOT_MINUTES]
                fits = len(span) == turn // SLOT_MINUTES and all(s[1] for s in span)
                if not unit or not fits or rng.random() >= chance:
                    pos += 1
                    continue
                booking = confirmed(restaurant.venue_id, restaurant.business_id, rng)
                booking.update(
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=turn),
                    party_size=party,
                    resources=[resource],
                    amount=0,
                    amount_paid=0,
                )
                loader.slots_claimed += len(span)
                loader.add(booking, [(resource, s[1]) for s in span])
                pos += len(span)


def finish_load(url: str) -> None:
    """Move every id sequence past the explicit ids, then VACUUM ANALYZE for fresh stats.

    Only integer ids have a sequence (a login session's id is a random string).
    """
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and isinstance(table.c.id.type, Integer):
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"
                )
        conn.execute("VACUUM ANALYZE")


def load(
    db: Engine, url: str, args: argparse.Namespace, rng: random.Random, *, quiet: bool
) -> Inventory:
    """Build and fill the whole data set; prints what was written and how fast (unless quiet)."""
    started = time.perf_counter()
    ids = Ids()
    first = (NOW + timedelta(days=1)).date()
    with db.connect() as conn:
        inventory = build_venues(conn, ids, args.venues, args.restaurant_share, rng)
        loader = Loader(conn, ids)
        for hotel in inventory.hotels:
            fill_hotel(loader, hotel, first, args.days, rng)
        hotel_share = loader.slots_claimed / max(loader.slots_total, 1)
        loader.slots_total = loader.slots_claimed = 0
        for restaurant in inventory.restaurants:
            fill_restaurant(loader, restaurant, first, args.days, rng)
        loader.flush()
    restaurant_share = loader.slots_claimed / max(loader.slots_total, 1)
    written = time.perf_counter() - started
    finish_load(url)
    if quiet:
        return inventory
    print(
        f"loaded {len(inventory.hotels)} hotels ({ids.counters.get('rooms', 0)} rooms) and "
        f"{len(inventory.restaurants)} restaurants ({ids.counters.get('tables', 0)} tables) x "
        f"{args.days} days: {loader.written['bookings']} bookings, "
        f"{loader.written['claims']} claims in {written:.0f} s "
        f"({loader.written['claims'] / written:.0f} claims/s), "
        f"vacuum analyze {time.perf_counter() - started - written:.0f} s"
    )
    print(
        f"filled: hotels {hotel_share:.0%} of room-nights, "
        f"restaurants {restaurant_share:.0%} of table-slots in opening hours"
    )
    return inventory


# -- timing searches -------------------------------------------------------------------------


def random_request(kind: VenueKind, days: int, rng: random.Random) -> StayRequest | TableRequest:
    """A plausible request inside the filled window."""
    first = (NOW + timedelta(days=1)).date()
    if kind == VenueKind.HOTEL:
        check_in = first + timedelta(days=rng.randrange(days - 5))
        nights = rng.randint(1, 5)
        return StayRequest(check_in, check_in + timedelta(days=nights), rng.randint(1, 4))
    day = first + timedelta(days=rng.randrange(days - NEXT_DAYS))
    at = clock(rng.randint(11, 22), rng.choice([0, 15, 30, 45]))
    party = rng.choices(range(1, 9), weights=[5, 30, 15, 25, 8, 10, 3, 4])[0]
    return TableRequest(day, at, party)


def time_search(factory: sessionmaker[Session], venue_id: int, request: Any) -> tuple[float, bool]:
    """Milliseconds spent in one search_availability call, and whether it offered anything."""
    with factory() as session:
        venue = session.get_one(Venue, venue_id)
        started = time.perf_counter()
        offers = search_availability(session, venue=venue, request=request, now=NOW)
        return (time.perf_counter() - started) * 1000, bool(offers)


Search = tuple[int, VenueKind, StayRequest | TableRequest]
Results = dict[VenueKind, list[tuple[float, bool]]]


def plan_searches(
    inventory: Inventory, args: argparse.Namespace, rng: random.Random
) -> list[Search]:
    """``args.searches`` random (venue, kind, request) searches."""
    venues = [(h.venue_id, VenueKind.HOTEL) for h in inventory.hotels] + [
        (r.venue_id, VenueKind.RESTAURANT) for r in inventory.restaurants
    ]
    searches = []
    for _ in range(args.searches):
        venue_id, kind = rng.choice(venues)
        searches.append((venue_id, kind, random_request(kind, args.days, rng)))
    return searches


def run_searches(
    factory: sessionmaker[Session], searches: list[Search], threads: int
) -> tuple[Results, float]:
    """Time every search, ``threads`` at a time (each thread takes every n-th search).

    The process's CPU time per search (ms) comes back too: on a shared machine it moves far
    less than latency does, so it shows what the code costs.
    """
    results: Results = {k: [] for k in VenueKind}
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def body(chunk: list[Search]) -> None:
        timed = []
        barrier.wait()
        for venue_id, kind, request in chunk:
            timed.append((kind, time_search(factory, venue_id, request)))
        with lock:
            for kind, sample in timed:
                results[kind].append(sample)

    pool = [threading.Thread(target=body, args=(searches[n::threads],)) for n in range(threads)]
    cpu = time.process_time()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results, 1000 * (time.process_time() - cpu) / len(searches)


def percentile(sorted_ms: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = min(max(1, math.ceil(p / 100 * len(sorted_ms))), len(sorted_ms))
    return sorted_ms[rank - 1]


def p99_by_kind(results: Results) -> dict[str, float]:
    """Each kind's p99 in ms, and the worse of the two under "worst"."""
    p99 = {
        kind.value: percentile(sorted(ms for ms, _ in results[kind]), 99)
        for kind in VenueKind
        if results[kind]
    }
    return {**p99, "worst": max(p99.values())}


def report(title: str, results: Results) -> None:
    """Print the latency table and the verdict against the p99 goal."""
    header = f"{'kind':12}{'searches':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    print(f"\n{title}\n{header}{'max ms':>9}{'mean ms':>9}{'search/s':>10}{'offers':>8}")
    rows = [(kind.value, results[kind]) for kind in VenueKind]
    rows.append(("all", [r for kind in VenueKind for r in results[kind]]))
    verdicts = []
    for label, samples in rows:
        if not samples:
            continue
        ms = sorted(latency for latency, _ in samples)
        p99 = percentile(ms, 99)
        with_offers = sum(1 for _, found in samples if found) / len(samples)
        print(
            f"{label:12}{len(ms):>9}{percentile(ms, 50):>9.2f}{percentile(ms, 95):>9.2f}"
            f"{p99:>9.2f}{ms[-1]:>9.2f}{statistics.fmean(ms):>9.2f}"
            f"{1000 * len(ms) / sum(ms):>10.0f}{with_offers:>8.0%}"
        )
        if label != "all":
            verdicts.append(
                f"{label} p99 {p99:.1f} ms {'meets' if p99 < GOAL_P99_MS else 'MISSES'}"
            )
    print(f"goal p99 < {GOAL_P99_MS:.0f} ms: " + "; ".join(verdicts))


def figures(
    alone: tuple[Results, float], together: tuple[Results, float], concurrency: int
) -> dict[str, Any]:
    """The one line ``--json`` prints."""
    one, many = p99_by_kind(alone[0]), p99_by_kind(together[0])
    return {
        "p99_ms": round(one["worst"], 2),
        f"p99_ms_{concurrency}_concurrent": round(many["worst"], 2),
        **{f"p99_ms_{kind}": round(ms, 2) for kind, ms in one.items() if kind != "worst"},
        **{
            f"p99_ms_{kind}_{concurrency}_concurrent": round(ms, 2)
            for kind, ms in many.items()
            if kind != "worst"
        },
        "cpu_ms_per_search": round(alone[1], 3),
        f"cpu_ms_per_search_{concurrency}_concurrent": round(together[1], 3),
        "searches": sum(len(samples) for samples in alone[0].values()),
    }


def repeated(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``--json`` line of several repeats: each figure's median, with min/max of the p99s."""
    merged = {key: round(statistics.median(run[key] for run in runs), 3) for key in runs[0]}
    for key in [k for k in runs[0] if k.startswith("p99_ms")]:
        merged[f"{key}_min"] = min(run[key] for run in runs)
        merged[f"{key}_max"] = max(run[key] for run in runs)
    return {**merged, "repeats": len(runs)}


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still drop the database on kill
    rng = random.Random(SEED)
    runs = []
    with bench_database(args.database_url) as url:
        db = make_engine(url, pool_size=max(5, args.concurrency))
        try:
            inventory = load(db, url, args, rng, quiet=args.json)
            factory = make_session_factory(db)
            run_searches(factory, plan_searches(inventory, args, rng)[:40], 1)  # warm-up
            for _ in range(args.repeat):
                alone = run_searches(factory, plan_searches(inventory, args, rng), 1)
                many = plan_searches(inventory, args, rng)
                together = run_searches(factory, many, args.concurrency)
                runs.append(figures(alone, together, args.concurrency))
                if not args.json:
                    report(f"one search at a time ({alone[1]:.2f} ms CPU per search)", alone[0])
                    cpu = f"{together[1]:.2f} ms CPU per search"
                    report(f"{args.concurrency} searches at once ({cpu})", together[0])
        finally:
            db.dispose()
    if args.json:
        print(json.dumps(runs[0] if len(runs) == 1 else repeated(runs)))


if __name__ == "__main__":
    main()
