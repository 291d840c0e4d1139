"""Hold throughput under contention, against a raw-psycopg unique-INSERT ceiling.

What is measured
----------------
*Engine*: a fresh database holds one hotel with ``--rooms`` rooms (two room types) and a window
of ``--nights`` bookable nights. ``--threads`` workers run ``--attempts`` transactions in all;
each one, in its own Session, does what a chat turn does: ``get_or_create_guest`` (a new
phone number), ``search_availability`` for a one-night stay on an assigned night, and, when an
offer comes back, ``place_hold`` on the cheapest offer, then commits. Nights are dealt out
round-robin and shuffled so every night gets the same demand, far above its supply: the first
holds on a night race for the same room (the unique claim index decides), later attempts find
the night sold out. Exactly ``rooms * nights`` holds must be granted (asserted, and checked
against the claims and bookings tables).

*Ceiling*: the same number of threads and transactions with raw psycopg 3, each one
``BEGIN; INSERT INTO ceiling (k) VALUES (%s); COMMIT`` on a table with ``UNIQUE (k)``, the keys
dealt out the same way over ``rooms * nights`` distinct values, so the same share of attempts
collide. This is the most a PostgreSQL-backed "claim one unit" transaction can do here. A run
of it is short (well under a second), so it is repeated three times; the median counts.

*Session floor*: the ceiling's very transactions (one INSERT each, same keys, same threads), but
through a SQLAlchemy ``Session`` from the engine's own ``make_engine`` as every engine service
takes one. It does no booking work at all, so its ratio to the ceiling is the most any engine
built on SQLAlchemy sessions could score here: the framework's cost per transaction, shown
beside the goal. Also the median of three runs.

Both sides open their connections before the clock starts. "client CPU ms / tx" is this
process's CPU time (all threads: Python, SQLAlchemy, psycopg) per transaction: with the GIL,
1000 / that figure bounds the tx/s one process can reach whatever PostgreSQL does.

The headline is engine holds/s divided by ceiling holds/s, both measured in this run (the goal
is >= 0.3); both sides run the same attempts and must grant the whole supply (asserted), so it
equals the tx/s ratio. The machine is shared, so only same-run ratios mean anything.

Run::

    /tmp/venv/bin/python bench/engine_contention.py [--threads 24] [--attempts 2000]
        [--rooms 40] [--nights 10] [--database-url postgresql+psycopg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import psycopg
from benchdb import DEFAULT_URL, bench_database, libpq_url
from psycopg import errors as pg_errors
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from engine.availability.offers import RoomOffer
from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking, Claim
from engine.bookings.service import place_hold
from engine.db import make_engine, make_session_factory, transaction
from engine.exceptions import NotAvailableError
from engine.guests.service import get_or_create_guest
from engine.inventory.models import Room, RoomType
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue

#: Fixed clock for every engine call (holds never lapse mid-run, dates are always ahead).
NOW = datetime(2027, 1, 4, 6, 30, tzinfo=UTC)
FIRST_NIGHT = date(2027, 2, 1)
SEED = 20270104
CEILING_RUNS = 3


class Outcome(StrEnum):
    """What one attempt ended with."""

    GRANTED = "granted"
    LOST_RACE = "lost race"  # an offer came back but the hold found the rooms gone
    SOLD_OUT = "sold out"  # the search itself found nothing
    ERROR = "error"  # anything unexpected (deadlock, serialization...): must stay 0


@dataclass(frozen=True)
class Hotel:
    """The contended inventory."""

    venue_id: int
    business_id: int
    rooms: int
    nights: list[date]

    @property
    def supply(self) -> int:
        """One-night stays the hotel can sell in the window."""
        return self.rooms * len(self.nights)


@dataclass(frozen=True)
class RunResult:
    """Outcome counts and wall time of one side of the comparison."""

    outcomes: Counter[str]
    seconds: float
    cpu_seconds: float  # CPU of this Python process (all threads), not of PostgreSQL

    @property
    def attempts(self) -> int:
        """Transactions run."""
        return sum(self.outcomes.values())

    @property
    def tx_per_second(self) -> float:
        """Attempted transactions per second."""
        return self.attempts / self.seconds

    @property
    def cpu_ms_per_tx(self) -> float:
        """Client-side (Python + driver) CPU milliseconds per transaction."""
        return 1000 * self.cpu_seconds / self.attempts

    @property
    def granted_per_second(self) -> float:
        """Granted holds (successful inserts) per second."""
        return self.outcomes[Outcome.GRANTED] / self.seconds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help="admin base URL")
    parser.add_argument("--threads", type=int, default=24)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--rooms", type=int, default=40, help="rooms in the hotel")
    parser.add_argument("--nights", type=int, default=10, help="nights in the window")
    args = parser.parse_args()
    if args.attempts < 2 * args.rooms * args.nights:
        parser.error("demand must exceed supply: need attempts >= 2 * rooms * nights")
    return args


def build_hotel(factory: sessionmaker[Session], rooms: int, nights: int) -> Hotel:
    """One hotel with a Standard (2/3 of the rooms) and a Deluxe type, through engine models."""
    standard = rooms * 2 // 3
    with transaction(factory) as session:
        business = Business(name="Bench Hotels", slug="bench-hotels")
        venue = Venue(
            business=business,
            kind=VenueKind.HOTEL,
            name="Contended Hotel",
            slug="contended-hotel",
            timezone="Asia/Kolkata",
            currency="INR",
        )
        session.add(venue)
        session.flush()
        for name, rate, count, first in (
            ("Standard", 350_000, standard, 100),
            ("Deluxe", 550_000, rooms - standard, 200),
        ):
            room_type = RoomType(venue_id=venue.id, name=name, capacity=2, nightly_rate=rate)
            room_type.rooms = [Room(number=str(first + n)) for n in range(count)]
            session.add(room_type)
        session.flush()
        return Hotel(
            venue_id=venue.id,
            business_id=business.id,
            rooms=rooms,
            nights=[FIRST_NIGHT + timedelta(days=n) for n in range(nights)],
        )


def deal(attempts: int, keys: int, rng: random.Random) -> list[int]:
    """``attempts`` key indexes, each of the ``keys`` equally often, in random order."""
    dealt = [n % keys for n in range(attempts)]
    rng.shuffle(dealt)
    return dealt


Worker = Callable[[Sequence[int], Callable[[], object]], Counter[str]]


def run_threads(work: Sequence[int], threads: int, worker: Worker) -> RunResult:
    """Split ``work`` over ``threads`` threads; time from when all are ready until all finish.

    Each worker does its setup (connecting) first, then calls ``ready()`` and waits there for
    the others, so connection set-up is never part of the timed window.
    """
    totals: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def body(chunk: Sequence[int]) -> None:
        counts = worker(chunk, barrier.wait)
        with lock:
            totals.update(counts)

    pool = [threading.Thread(target=body, args=(work[n::threads],)) for n in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for thread in pool:
        thread.join()
    return RunResult(totals, time.perf_counter() - started, time.process_time() - cpu)


# -- engine side -----------------------------------------------------------------------------


def attempt_hold(factory: sessionmaker[Session], hotel: Hotel, night: date, phone: str) -> Outcome:
    """One chat turn: guest, search, hold the cheapest offer, commit."""
    with transaction(factory) as session:
        venue = session.get_one(Venue, hotel.venue_id)
        guest = get_or_create_guest(session, business_id=hotel.business_id, phone=phone)
        request = StayRequest(night, night + timedelta(days=1), 2)
        offers = search_availability(session, venue=venue, request=request, now=NOW)
        if not offers:
            return Outcome.SOLD_OUT
        offer = offers[0]
        assert isinstance(offer, RoomOffer)
        try:
            place_hold(
                session, offer=offer, guest=guest, channel=Channel.WHATSAPP, actor="bench", now=NOW
            )
        except NotAvailableError:
            return Outcome.LOST_RACE
        return Outcome.GRANTED


def run_engine(url: str, hotel: Hotel, work: Sequence[int], threads: int) -> RunResult:
    """The engine side: ``len(work)`` hold attempts on nights ``hotel.nights[work[i]]``."""
    db = make_engine(url, pool_size=threads, max_overflow=0)
    factory = make_session_factory(db)
    phones = iter(range(len(work)))
    phone_lock = threading.Lock()

    def next_phone() -> str:
        with phone_lock:
            return f"+9198{next(phones):08d}"

    def worker(chunk: Sequence[int], ready: Callable[[], object]) -> Counter[str]:
        counts: Counter[str] = Counter()
        ready()
        for index in chunk:
            try:
                outcome = attempt_hold(factory, hotel, hotel.nights[index], next_phone())
            except Exception as exc:  # counted and shown: must stay zero
                print(f"  engine error: {type(exc).__name__}: {exc}".splitlines()[0])
                outcome = Outcome.ERROR
            counts[outcome] += 1
        return counts

    try:
        warm = [db.connect() for _ in range(threads)]  # open the whole pool before timing
        for conn in warm:
            conn.close()
        return run_threads(work, threads, worker)
    finally:
        db.dispose()


def stored_holds(url: str, hotel: Hotel) -> tuple[int, int, int]:
    """(HELD bookings, claims, distinct claimed room-nights) actually in the database."""
    db = make_engine(url)
    try:
        with db.connect() as conn:
            held = conn.scalar(
                select(func.count())
                .select_from(Booking)
                .where(Booking.venue_id == hotel.venue_id, Booking.status == BookingStatus.HELD)
            )
            claims = conn.scalar(select(func.count()).select_from(Claim))
            distinct = conn.scalar(
                select(func.count()).select_from(
                    select(Claim.resource, Claim.unit).distinct().subquery()
                )
            )
        return int(held or 0), int(claims or 0), int(distinct or 0)
    finally:
        db.dispose()


# -- ceiling side ----------------------------------------------------------------------------


CEILING_TABLE = Table(
    "ceiling", MetaData(), Column("id", Integer, primary_key=True), Column("k", Integer)
)


def create_ceiling_table(url: str) -> None:
    """The UNIQUE-keyed table both the ceiling and the session floor insert into."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE ceiling (id bigserial PRIMARY KEY, k integer NOT NULL UNIQUE,"
            " created_at timestamptz NOT NULL DEFAULT now())"
        )


def median_of_runs(
    url: str, work: Sequence[int], threads: int, worker: Worker
) -> tuple[RunResult, list[float]]:
    """``CEILING_RUNS`` runs on an emptied table: the median run by tx/s, and every run's tx/s."""
    runs = []
    for _ in range(CEILING_RUNS):
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            conn.execute("TRUNCATE ceiling RESTART IDENTITY")
        runs.append(run_threads(work, threads, worker))
    runs.sort(key=lambda run: run.tx_per_second)
    return runs[len(runs) // 2], [run.tx_per_second for run in runs]


def run_ceiling(url: str, work: Sequence[int], threads: int) -> tuple[RunResult, list[float]]:
    """Raw psycopg: one BEGIN/INSERT/COMMIT per attempt into a UNIQUE-keyed table."""
    conninfo = libpq_url(url)

    def worker(chunk: Sequence[int], ready: Callable[[], object]) -> Counter[str]:
        counts: Counter[str] = Counter()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            ready()
            for key in chunk:
                try:
                    with conn.transaction():
                        conn.execute("INSERT INTO ceiling (k) VALUES (%s)", (key,))
                    counts[Outcome.GRANTED] += 1
                except pg_errors.UniqueViolation:
                    counts[Outcome.LOST_RACE] += 1
        return counts

    return median_of_runs(url, work, threads, worker)


def run_session_floor(url: str, work: Sequence[int], threads: int) -> tuple[RunResult, list[float]]:
    """The ceiling's transactions through a SQLAlchemy Session, as the engine opens them."""
    db = make_engine(url, pool_size=threads, max_overflow=0)
    factory = make_session_factory(db)
    statement = insert(CEILING_TABLE)

    def worker(chunk: Sequence[int], ready: Callable[[], object]) -> Counter[str]:
        counts: Counter[str] = Counter()
        ready()
        for key in chunk:
            try:
                with transaction(factory) as session:
                    session.execute(statement, {"k": key})
                counts[Outcome.GRANTED] += 1
            except IntegrityError:
                counts[Outcome.LOST_RACE] += 1
        return counts

    try:
        warm = [db.connect() for _ in range(threads)]
        for conn in warm:
            conn.close()
        return median_of_runs(url, work, threads, worker)
    finally:
        db.dispose()


# -- report ----------------------------------------------------------------------------------


def report(
    args: argparse.Namespace, hotel: Hotel, engine: RunResult, ceiling: RunResult, floor: RunResult
) -> None:
    """Print the comparison table."""
    sides = (engine, ceiling, floor)
    rows = [
        ("transactions", [f"{side.attempts}" for side in sides]),
        (
            "granted / expected",
            [f"{side.outcomes[Outcome.GRANTED]} / {hotel.supply}" for side in sides],
        ),
        (
            "lost race / sold out",
            [
                f"{engine.outcomes[Outcome.LOST_RACE]} / {engine.outcomes[Outcome.SOLD_OUT]}",
                f"{ceiling.outcomes[Outcome.LOST_RACE]} / -",
                f"{floor.outcomes[Outcome.LOST_RACE]} / -",
            ],
        ),
        ("errors", [f"{engine.outcomes[Outcome.ERROR]}", "0", "0"]),
        ("wall time (s)", [f"{side.seconds:.2f}" for side in sides]),
        ("client CPU ms / tx", [f"{side.cpu_ms_per_tx:.2f}" for side in sides]),
        ("tx/s (attempts)", [f"{side.tx_per_second:.0f}" for side in sides]),
        ("holds/s (granted)", [f"{side.granted_per_second:.0f}" for side in sides]),
    ]
    print(
        f"\nthreads={args.threads} attempts={args.attempts} rooms={args.rooms} "
        f"nights={args.nights} supply={hotel.supply}"
    )
    print(f"{'':24}{'engine':>16}{'ceiling':>16}{'session floor':>16}")
    for label, cells in rows:
        print(f"{label:24}" + "".join(f"{cell:>16}" for cell in cells))
    ratio = engine.granted_per_second / ceiling.granted_per_second
    verdict = "meets" if ratio >= 0.3 else "MISSES"
    print(f"\nengine/ceiling holds/s ratio: {ratio:.3f} ({verdict} the >= 0.3 goal)")
    print(f"engine/ceiling tx/s ratio:    {engine.tx_per_second / ceiling.tx_per_second:.3f}")
    print(
        f"session floor/ceiling ratio:  {floor.granted_per_second / ceiling.granted_per_second:.3f}"
        " (the ceiling's one INSERT through a SQLAlchemy Session: no engine can score above it)"
    )


def main() -> None:
    args = parse_args()
    rng = random.Random(SEED)
    with bench_database(args.database_url) as url:
        setup = make_engine(url)
        hotel = build_hotel(make_session_factory(setup), args.rooms, args.nights)
        setup.dispose()
        print(f"engine: {args.attempts} hold attempts on {args.threads} threads...")
        engine = run_engine(url, hotel, deal(args.attempts, args.nights, rng), args.threads)
        held, claims, distinct = stored_holds(url, hotel)
        print(f"ceiling: {args.attempts} unique INSERT transactions on {args.threads} threads...")
        keys = deal(args.attempts, hotel.supply, rng)
        create_ceiling_table(url)
        ceiling, ceiling_runs = run_ceiling(url, keys, args.threads)
        print("session floor: the same transactions through a SQLAlchemy Session...")
        floor, floor_runs = run_session_floor(url, keys, args.threads)
        report(args, hotel, engine, ceiling, floor)
        print("ceiling tx/s of each run: " + ", ".join(f"{tps:.0f}" for tps in ceiling_runs))
        print("session floor tx/s of each run: " + ", ".join(f"{tps:.0f}" for tps in floor_runs))
        print(f"stored: {held} HELD bookings, {claims} claims, {distinct} distinct room-nights")
        assert engine.outcomes[Outcome.ERROR] == 0, "unexpected errors in engine attempts"
        assert engine.outcomes[Outcome.GRANTED] == hotel.supply, "granted != supply"
        assert held == claims == distinct == hotel.supply, "database disagrees with the count"
        assert ceiling.outcomes[Outcome.GRANTED] == hotel.supply, "ceiling granted != supply"
        assert floor.outcomes[Outcome.GRANTED] == hotel.supply, "session floor granted != supply"
        print("OK: granted holds == supply, no double booking")


if __name__ == "__main__":
    main()
