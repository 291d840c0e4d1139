"""Hold throughput under contention, against the fair hold measured in the same rounds.

What is measured
----------------
*Engine*: a hotel with ``--rooms`` rooms (two room types) and ``--nights`` bookable nights.
``--threads`` workers run ``--attempts`` attempts in all; each one is the product's own path
for a guest who asks for a one-night stay on an assigned night (a new phone number) and takes
the cheapest room offered: the engine calls the bot makes, in the units of work it makes them
in (``attempt_hold``). The search turn: ``venue_and_guest`` (the venue and the guest found or
created, in one statement as the turn reads them with its inbound event's lock) and
``search_availability``, in a transaction. When a room was offered, the yes turn:
``venue_and_guest`` and ``place_hold`` of the cheapest offer with the bot's hold rate (one
statement on PostgreSQL, ``bookline_hold_stay``, the guest's rate check and the audit row
included), in a transaction; if a racer took the room since the search, the bot searches
again in that turn and the guest takes the cheapest of the new offers in another yes turn.
What a turn does besides (the inbound event, transcript, replies; the nearby dates, the
sister hotel and the waitlist offered when nothing is free) is not the hold's work and is
left out. Nights are dealt out round-robin and shuffled so every night gets the same demand,
far above its supply: the first holds on a night race for the same room (the unique claim
index decides), later attempts find the night sold out.

*Fair hold*: the same attempts (same threads, nights and phone numbers, on a hotel of its own)
done the cheapest way PostgreSQL allows: ``SELECT fair_hold(...)`` on an autocommit psycopg
connection, one round trip per attempt. ``bench/fair_hold.sql`` is that function: it finds or
creates the guest, checks every night ignoring lapsed holds, prices the stay with its rate
overrides, inserts the booking under a unique reference, takes all claims under ``UNIQUE`` or
none, and writes the audit row: the engine's work, nothing more.

*Fair hold through a Session* (context, not the goal): the same ``SELECT fair_hold(...)`` in a
unit of work of the engine's own ``transaction()`` (BEGIN, SELECT, COMMIT): what
any hold behind a SQLAlchemy Session could reach at best here.

*Fair turns* (context: the ceiling of the bot's shape): the bot's two turns done the
cheapest way, each a unit of work of the engine's own ``transaction()`` with one call in it:
the search turn ``SELECT fair_offer(...)`` (the guest found or created, and the cheapest room
type with a room free for every night), then, when one was offered, the yes turn ``SELECT
fair_hold(...)``, searching again in that unit of work when a racer took the room. A granted
attempt is 6 round trips, a sold-out one 3: the engine's path with nothing but its units of
work and one statement per turn. ``ratio_fair_turns`` is engine holds/s over these.

The sides take turns over ``--rounds`` rounds (their order rotates each round), each round on
fresh hotels, so all see the same machine load; holds/s is granted
holds over the summed wall time of a side's rounds, and ``ratio_fair`` is engine holds/s over
fair holds/s. Each side must grant exactly the supply of each hotel: counted from the HELD
bookings, and overlaps are counted by comparing the bookings' rooms and dates pairwise, SQL
that does not rely on the claims' UNIQUE index. Round trips of every engine attempt are
counted by engine events (``RoundTrips``): a ping of a connection that sat idle, each statement,
and a BEGIN, COMMIT or ROLLBACK only when psycopg would send one (a transaction is open on
the server, or a statement would open one); the most any granted and any sold-out attempt
took are printed beside the goals (3 and 2), with the count most attempts took (no racer in
the way). A granted attempt is two units of work (BEGIN, at least one statement, COMMIT
each), so it cannot take fewer than 6, nor a sold-out one (the search turn alone) fewer than 3.

Run (``DATABASE_URL`` names the admin database; the bench creates a database of its own and
drops only that; it uses no Redis)::

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/engine_contention.py [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

import psycopg
from benchdb import add_database_url, bench_database, libpq_url
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, Table, event, text
from sqlalchemy.orm import Session, sessionmaker

from engine.availability.requests import StayRequest
from engine.availability.service import search_availability
from engine.bookings.enums import Channel
from engine.bookings.references import new_reference
from engine.bookings.service import place_hold
from engine.db import as_loaded, core_rows, make_engine, make_session_factory, transaction
from engine.exceptions import NotAvailableError
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.inventory.models import Room, RoomType
from engine.risk.service import MAX_HOLDS_PER_HOUR
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue

#: Fixed clock for every call (holds never lapse mid-run, dates are always ahead).
NOW = datetime(2027, 1, 4, 6, 30, tzinfo=UTC)
FIRST_NIGHT = date(2027, 2, 1)
SEED = 20270104
FAIR_HOLD_SQL = Path(__file__).with_name("fair_hold.sql")
GOAL = 0.5
#: Most round trips a granted and a sold-out attempt may take (issue 15, goal 1).
GOAL_ROUND_TRIPS = {"granted": 3, "sold out": 2}


class Outcome(StrEnum):
    """What one attempt ended with."""

    GRANTED = "granted"
    SOLD_OUT = "sold out"  # nothing could be held
    ERROR = "error"  # anything unexpected (deadlock, serialization...): must stay 0


@dataclass(frozen=True)
class Hotel:
    """The contended inventory of one side in one round."""

    venue_id: int
    business_id: int
    rooms: int
    nights: list[date]

    @property
    def supply(self) -> int:
        """One-night stays the hotel can sell in the window."""
        return self.rooms * len(self.nights)


@dataclass
class Totals:
    """One side's outcomes and time, summed over its rounds."""

    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    expected: int = 0
    stored: int = 0
    overlaps: int = 0
    round_trips: dict[str, int] = field(default_factory=dict)  # outcome -> most seen
    usual_round_trips: dict[str, int] = field(default_factory=dict)  # outcome -> most common

    def add(self, outcomes: Counter[str], seconds: float, cpu_seconds: float) -> None:
        """Count one round."""
        self.outcomes.update(outcomes)
        self.seconds += seconds
        self.cpu_seconds += cpu_seconds

    @property
    def attempts(self) -> int:
        """Transactions run."""
        return sum(self.outcomes.values())

    @property
    def holds_per_second(self) -> float:
        """Granted holds per second of this side's wall time."""
        return self.outcomes[Outcome.GRANTED] / self.seconds

    @property
    def cpu_ms_per_attempt(self) -> float:
        """Client-side (Python + driver) CPU milliseconds per attempt."""
        return 1000 * self.cpu_seconds / self.attempts


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_url(parser)
    parser.add_argument("--threads", type=int, default=24)
    parser.add_argument("--attempts", type=int, default=2000, help="per side and round")
    parser.add_argument("--rooms", type=int, default=40, help="rooms in the hotel")
    parser.add_argument("--nights", type=int, default=10, help="nights in the window")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    args = parser.parse_args()
    if args.attempts < 2 * args.rooms * args.nights:
        parser.error("demand must exceed supply: need attempts >= 2 * rooms * nights")
    return args


def build_hotel(factory: sessionmaker[Session], rooms: int, nights: int, slug: str) -> Hotel:
    """One hotel with a Standard (2/3 of the rooms) and a Deluxe type, through engine models."""
    standard = rooms * 2 // 3
    with transaction(factory) as session:
        business = Business(name=f"Bench {slug}", slug=slug)
        venue = Venue(
            business=business,
            kind=VenueKind.HOTEL,
            name=f"Contended {slug}",
            slug=slug,
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


def fair_params(hotel: Hotel, night_index: int, n: int) -> dict[str, object]:
    """Arguments of one ``fair_hold`` call."""
    night = hotel.nights[night_index]
    return {
        "business": hotel.business_id,
        "phone": phone(n),
        "venue": hotel.venue_id,
        "check_in": night,
        "check_out": night + timedelta(days=1),
        "now": NOW,
        "references": [new_reference() for _ in range(5)],
    }


def deal(attempts: int, keys: int, rng: random.Random) -> list[int]:
    """``attempts`` key indexes, each of the ``keys`` equally often, in random order."""
    dealt = [n % keys for n in range(attempts)]
    rng.shuffle(dealt)
    return dealt


def phone(n: int) -> str:
    """The n-th new guest's phone number (the same on both sides)."""
    return f"+9198{n:08d}"


Worker = Callable[[Sequence[tuple[int, int]], Callable[[], object]], Counter[str]]


def run_threads(
    work: Sequence[tuple[int, int]], threads: int, worker: Worker
) -> tuple[Counter[str], float, float]:
    """Split ``work`` over ``threads`` threads; time from when all are ready until all finish.

    Each worker does its setup (connecting) first, then calls ``ready()`` and waits there for
    the others, so connection set-up is never part of the timed window.
    """
    totals: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def body(chunk: Sequence[tuple[int, int]]) -> None:
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
    return totals, time.perf_counter() - started, time.process_time() - cpu


# -- engine side -----------------------------------------------------------------------------


class RoundTrips:
    """Counts, per thread, what an engine attempt sends to PostgreSQL, one round trip each.

    A ping of a pooled connection (``make_engine`` pings one that sat idle) is one, counted by
    wrapping the dialect's ``do_ping``, which still pings; each statement is one; a
    statement sent while psycopg's connection is out of autocommit and idle on the server
    is preceded by psycopg's own BEGIN; a COMMIT or ROLLBACK goes out only while a
    transaction is open on the server (psycopg sends none otherwise, as in autocommit).
    """

    def __init__(self, engine: Engine) -> None:
        self.local = threading.local()
        self.seen: dict[str, Counter[int]] = {}  # outcome -> attempts per round-trip count
        self.lock = threading.Lock()
        ping = engine.dialect.do_ping

        def counted_ping(dbapi_connection: Any) -> bool:
            self.add(1)
            return ping(dbapi_connection)

        engine.dialect.do_ping = counted_ping  # type: ignore[method-assign]
        event.listen(engine, "before_cursor_execute", self.count_statement)
        for name in ("commit", "rollback"):
            event.listen(engine, name, self.count_end)

    def add(self, trips: int) -> None:
        self.local.seen = getattr(self.local, "seen", 0) + trips

    def count_statement(self, _conn: Any, cursor: Any, *_args: Any) -> None:
        dbapi = cursor.connection
        begins = not dbapi.autocommit and dbapi.info.transaction_status == TransactionStatus.IDLE
        self.add(2 if begins else 1)

    def count_end(self, conn: Connection) -> None:
        dbapi = conn.connection.dbapi_connection
        if dbapi is not None and dbapi.info.transaction_status != TransactionStatus.IDLE:
            self.add(1)

    def start(self) -> None:
        self.local.seen = 0

    def record(self, outcome: str) -> None:
        with self.lock:
            self.seen.setdefault(outcome, Counter())[self.local.seen] += 1

    def most(self) -> dict[str, int]:
        """Per outcome, the most round trips any attempt took."""
        return {outcome: max(counts) for outcome, counts in self.seen.items()}

    def usual(self) -> dict[str, int]:
        """Per outcome, the round trips most attempts took (an attempt no racer got in the
        way of)."""
        return {outcome: counts.most_common(1)[0][0] for outcome, counts in self.seen.items()}


def _listed(table: Table, alias: str) -> str:
    """The table's columns in the model's order, named: matched to the model by position."""
    return ", ".join(f"{alias}.{column.name}" for column in table.columns)


_GUESTS = cast(Table, Guest.__table__)
_VENUES = cast(Table, Venue.__table__)

#: What a chat turn reads before it answers, in one round trip as the turn reads it (the turn
#: gets the venue and a known guest with its inbound event's lock; the bench has no events):
#: the venue's row, and its business's guest found or inserted on first contact. No guest
#: columns (all NULL) when a concurrent first message inserted the guest after the snapshot.
#: Read through Core and made the session's objects by ``as_loaded``, as the turn does.
_VENUE_AND_GUEST = (
    text(
        f"""
        WITH venue AS (
            SELECT * FROM venues WHERE id = :venue_id
        ), found AS (
            SELECT guests.* FROM guests JOIN venue ON guests.business_id = venue.business_id
            WHERE guests.phone = :phone
        ), inserted AS (
            INSERT INTO guests (business_id, phone, name, opted_out_sms, opted_out_whatsapp,
                                created_at)
            SELECT venue.business_id, :phone, NULL, false, false, :created_at FROM venue
            WHERE NOT EXISTS (SELECT 1 FROM found)
            ON CONFLICT (business_id, phone) DO NOTHING
            RETURNING *
        ), guest AS (
            SELECT * FROM found UNION ALL SELECT * FROM inserted
        )
        SELECT {_listed(_VENUES, "venue")}, {_listed(_GUESTS, "guest")}
        FROM venue LEFT JOIN guest ON true
        """
    ).columns(*_VENUES.columns, *_GUESTS.columns)  # typed: timestamps come back in UTC
)


def venue_and_guest(session: Session, *, venue_id: int, phone: str) -> tuple[Venue, Guest]:
    """The venue and the guest (created on first contact), as a chat turn starts."""
    params = {"venue_id": venue_id, "phone": phone, "created_at": NOW}
    (row,) = core_rows(session, _VENUE_AND_GUEST, params)
    guest_at = len(_VENUES.columns)
    venue = as_loaded(session, Venue, row[:guest_at])
    if row[guest_at] is None:  # a racer's first message inserted the guest: visible now
        guest = get_or_create_guest(session, business_id=venue.business_id, phone=phone)
    else:
        guest = as_loaded(session, Guest, row[guest_at:])
    return venue, guest


def attempt_hold(factory: sessionmaker[Session], hotel: Hotel, night: date, phone: str) -> Outcome:
    """One guest asking for a night and taking the cheapest room offered, as the bot does it.

    Two chat turns, each one unit of work (BEGIN ... COMMIT), with the engine calls the bot
    makes in them (``application.inbound_turn.answer``, ``bot.flows.booking``): the search
    turn reads the venue, finds or creates the guest and searches the stay; when something
    is offered, the yes turn reads the venue and the guest again and places the hold of the
    offer taken (the cheapest) with the guest's hold rate checked. A racer may have taken it
    since the search: the bot then searches again in that turn, and the guest takes the
    cheapest of what is offered now, in another yes turn, until a hold or nothing is free.
    """
    request = StayRequest(night, night + timedelta(days=1), 2)
    with transaction(factory) as session:
        venue, guest = venue_and_guest(session, venue_id=hotel.venue_id, phone=phone)
        offers = search_availability(session, venue=venue, request=request, now=NOW)
    while offers:
        with transaction(factory) as session:
            venue, guest = venue_and_guest(session, venue_id=hotel.venue_id, phone=phone)
            try:
                place_hold(
                    session,
                    offer=offers[0],
                    guest=guest,
                    channel=Channel.WHATSAPP,
                    actor="bench",
                    now=NOW,
                    holds_per_hour=MAX_HOLDS_PER_HOUR,
                )
            except NotAvailableError:
                offers = search_availability(session, venue=venue, request=request, now=NOW)
                continue
        return Outcome.GRANTED
    return Outcome.SOLD_OUT


def engine_worker(factory: sessionmaker[Session], hotel: Hotel, trips: RoundTrips) -> Worker:
    """Threads' body for the engine side."""

    def worker(chunk: Sequence[tuple[int, int]], ready: Callable[[], object]) -> Counter[str]:
        counts: Counter[str] = Counter()
        ready()
        for night, n in chunk:
            trips.start()
            try:
                outcome = attempt_hold(factory, hotel, hotel.nights[night], phone(n))
            except Exception as exc:  # counted and shown: must stay zero
                print(f"  engine error: {type(exc).__name__}: {exc}".splitlines()[0])
                outcome = Outcome.ERROR
            trips.record(outcome)
            counts[outcome] += 1
        return counts

    return worker


# -- fair side -------------------------------------------------------------------------------


FAIR_HOLD = (
    "SELECT fair_hold(%(business)s, %(phone)s, %(venue)s, 2, %(check_in)s, %(check_out)s,"
    " %(now)s, %(references)s)"
)


def fair_worker(url: str, hotel: Hotel) -> Worker:
    """Threads' body for the fair hold: one ``SELECT fair_hold(...)`` per attempt."""
    conninfo = libpq_url(url)

    def worker(chunk: Sequence[tuple[int, int]], ready: Callable[[], object]) -> Counter[str]:
        counts: Counter[str] = Counter()
        with psycopg.connect(conninfo, autocommit=True, prepare_threshold=0) as conn:
            ready()
            for night_index, n in chunk:
                booking_id = conn.execute(FAIR_HOLD, fair_params(hotel, night_index, n))
                granted = booking_id.fetchone() not in (None, (None,))
                counts[Outcome.GRANTED if granted else Outcome.SOLD_OUT] += 1
        return counts

    return worker


def fair_session_worker(factory: sessionmaker[Session], hotel: Hotel) -> Worker:
    """Threads' body for the fair hold called in an engine unit of work."""
    statement = text(FAIR_HOLD.replace("%(", ":").replace(")s", ""))

    def worker(chunk: Sequence[tuple[int, int]], ready: Callable[[], object]) -> Counter[str]:
        counts: Counter[str] = Counter()
        ready()
        for night_index, n in chunk:
            with transaction(factory) as session:
                booking_id = session.scalar(statement, fair_params(hotel, night_index, n))
            counts[Outcome.SOLD_OUT if booking_id is None else Outcome.GRANTED] += 1
        return counts

    return worker


FAIR_OFFER = text("SELECT fair_offer(:business, :phone, :venue, 2, :check_in, :check_out, :now)")


def fair_turns_worker(factory: sessionmaker[Session], hotel: Hotel) -> Worker:
    """Threads' body for the bot's two turns done the cheapest way: a unit of work of one
    ``fair_offer`` (the search turn), then, when a room was offered, one of ``fair_hold``
    (the yes turn), which searches again in the same unit of work when a racer took the room,
    as the bot does."""
    hold = text(FAIR_HOLD.replace("%(", ":").replace(")s", ""))

    def worker(chunk: Sequence[tuple[int, int]], ready: Callable[[], object]) -> Counter[str]:
        counts: Counter[str] = Counter()
        ready()
        for night_index, n in chunk:
            params = fair_params(hotel, night_index, n)
            offer = {k: v for k, v in params.items() if k != "references"}
            with transaction(factory) as session:
                offered = session.scalar(FAIR_OFFER, offer) is not None
            outcome = Outcome.SOLD_OUT
            while offered and outcome == Outcome.SOLD_OUT:
                with transaction(factory) as session:
                    if session.scalar(hold, params) is not None:
                        outcome = Outcome.GRANTED
                    else:
                        offered = session.scalar(FAIR_OFFER, offer) is not None
            counts[outcome] += 1
        return counts

    return worker


# -- checks and report -----------------------------------------------------------------------


#: Live bookings at the venue that share a room and overlap in time: compares the bookings'
#: own rooms and dates, so it finds a double booking even if the claims' UNIQUE index failed.
OVERLAPS = text(
    """
    SELECT count(*) FROM bookings a JOIN bookings b
      ON a.venue_id = b.venue_id AND a.id < b.id
     AND a.resources::jsonb = b.resources::jsonb
     AND a.check_in < b.check_out AND b.check_in < a.check_out
    WHERE a.venue_id = :venue
      AND a.status IN ('held', 'pending_payment', 'confirmed')
      AND b.status IN ('held', 'pending_payment', 'confirmed')
    """
)
HELD = text("SELECT count(*) FROM bookings WHERE venue_id = :venue AND status = 'held'")


def check(db: Engine, hotel: Hotel, totals: Totals) -> None:
    """Add the hotel's stored holds and overlapping pairs to the side's totals."""
    with db.connect() as conn:
        totals.stored += int(conn.scalar(HELD, {"venue": hotel.venue_id}) or 0)
        totals.overlaps += int(conn.scalar(OVERLAPS, {"venue": hotel.venue_id}) or 0)
    totals.expected += hotel.supply


#: The sides of each round, in the order of the first round (later rounds rotate it).
SIDES = ("engine", "fair", "fair-session", "fair-turns")


def rounds(args: argparse.Namespace, url: str) -> Iterator[dict[str, Totals]]:
    """Run the interleaved rounds, yielding the running totals of each side after each."""
    rng = random.Random(SEED)
    db = make_engine(url, pool_size=args.threads + 1, max_overflow=0)
    factory = make_session_factory(db)
    trips = RoundTrips(db)
    totals = {name: Totals() for name in SIDES}
    workers: dict[str, Callable[[Hotel], Worker]] = {
        "engine": lambda hotel: engine_worker(factory, hotel, trips),
        "fair": lambda hotel: fair_worker(url, hotel),
        "fair-session": lambda hotel: fair_session_worker(factory, hotel),
        "fair-turns": lambda hotel: fair_turns_worker(factory, hotel),
    }
    try:
        warm = [db.connect() for _ in range(args.threads)]  # open the whole pool before timing
        for conn in warm:
            conn.close()
        for number in range(args.rounds):
            nights = deal(args.attempts, args.nights, rng)
            work = list(zip(nights, range(args.attempts), strict=True))
            turn = number % len(SIDES)
            for name in SIDES[turn:] + SIDES[:turn]:
                hotel = build_hotel(factory, args.rooms, args.nights, f"{name}-{number}")
                totals[name].add(*run_threads(work, args.threads, workers[name](hotel)))
                check(db, hotel, totals[name])
            engine = totals["engine"]
            engine.round_trips, engine.usual_round_trips = trips.most(), trips.usual()
            yield totals
    finally:
        db.dispose()


def summary(sides: dict[str, Totals]) -> dict[str, Any]:
    """The figures the README's performance table shows."""
    engine, fair = sides["engine"], sides["fair"]
    fair_session, fair_turns = sides["fair-session"], sides["fair-turns"]
    return {
        "granted": engine.outcomes[Outcome.GRANTED],
        "expected": engine.expected,
        "stored": engine.stored,
        "overlaps": engine.overlaps,
        "errors": engine.outcomes[Outcome.ERROR],
        "holds_per_s": round(engine.holds_per_second, 1),
        "fair_granted": fair.outcomes[Outcome.GRANTED],
        "fair_overlaps": fair.overlaps,
        "fair_hold_per_s": round(fair.holds_per_second, 1),
        "ratio_fair": round(engine.holds_per_second / fair.holds_per_second, 3),
        "fair_session_per_s": round(fair_session.holds_per_second, 1),
        "fair_session_granted": fair_session.outcomes[Outcome.GRANTED],
        "ratio_fair_session_to_fair": round(
            fair_session.holds_per_second / fair.holds_per_second, 3
        ),
        "fair_turns_per_s": round(fair_turns.holds_per_second, 1),
        "fair_turns_granted": fair_turns.outcomes[Outcome.GRANTED],
        "fair_turns_overlaps": fair_turns.overlaps,
        "ratio_fair_turns_to_fair": round(fair_turns.holds_per_second / fair.holds_per_second, 3),
        "ratio_fair_turns": round(engine.holds_per_second / fair_turns.holds_per_second, 3),
        "round_trips_granted_max": engine.round_trips.get(Outcome.GRANTED, 0),
        "round_trips_sold_out_max": engine.round_trips.get(Outcome.SOLD_OUT, 0),
        "round_trips_granted_usual": engine.usual_round_trips.get(Outcome.GRANTED, 0),
        "round_trips_sold_out_usual": engine.usual_round_trips.get(Outcome.SOLD_OUT, 0),
        "engine_cpu_ms_per_attempt": round(engine.cpu_ms_per_attempt, 3),
        "fair_cpu_ms_per_attempt": round(fair.cpu_ms_per_attempt, 3),
        "fair_turns_cpu_ms_per_attempt": round(fair_turns.cpu_ms_per_attempt, 3),
    }


def report(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    """Print the comparison for a person."""
    print(
        f"threads={args.threads} attempts={args.attempts} rooms={args.rooms} "
        f"nights={args.nights} rounds={args.rounds}"
    )
    for key, value in figures.items():
        print(f"  {key:28} {value}")
    verdict = "meets" if figures["ratio_fair"] >= GOAL else "MISSES"
    print(f"engine/fair hold ratio: {figures['ratio_fair']:.3f} ({verdict} the >= {GOAL} goal)")
    for outcome, goal in GOAL_ROUND_TRIPS.items():
        most = figures[f"round_trips_{outcome.replace(' ', '_')}_max"]
        verdict = "meets" if most <= goal else "MISSES"
        print(f"round trips of a {outcome} attempt: at most {most} ({verdict} the <= {goal} goal)")


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still drop the database on kill
    with bench_database(args.database_url) as url:
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            conn.execute(FAIR_HOLD_SQL.read_text())
        for number, sides in enumerate(rounds(args, url), start=1):
            if not args.json:
                rates = ", ".join(f"{name} {sides[name].holds_per_second:.0f}" for name in SIDES)
                print(f"round {number}: holds/s {rates} (running totals)")
        figures = summary(sides)
    if args.json:
        print(json.dumps(figures))
    else:
        report(args, figures)
    ok = (
        figures["granted"] == figures["expected"] == figures["stored"]
        and figures["fair_granted"] == figures["fair_session_granted"] == figures["expected"]
        and figures["fair_turns_granted"] == figures["expected"]
        and figures["overlaps"] == figures["fair_overlaps"] == figures["fair_turns_overlaps"] == 0
        and figures["errors"] == 0
    )
    if not ok:
        raise SystemExit("FAILED: granted != supply, an overlap, or an engine error")


if __name__ == "__main__":
    main()
