"""The reminder sweep over 100,000 upcoming bookings: one pass under 10 s, nothing sent twice.

What is measured
----------------
A fresh database gets ``--venues`` venues of one business (default 200: 70% restaurants, 30%
hotels, spread over four time zones) and ``--bookings`` CONFIRMED bookings (default 100,000)
starting within the ``--days`` days after ``NOW`` (default 7): restaurant seatings at any
quarter hour (so some reminders fall at night and move earlier), hotel stays from each of the
next days; each for one of 20,000 guests, half on WhatsApp and half on SMS, booked 30 days
before ``NOW``. Rows are written with
Core executemany, then VACUUM ANALYZE.

*Pass*: ``application.reminders.send_due_reminders(runtime, NOW)`` once, as the maintenance
sweep calls it: it reads each venue's bookings within reach of its schedule, decides which
reminder is due for each (``engine.reminders``), writes those as outbox rows with their
bookings locked, and queues their send jobs (on ``REDIS_URL``'s Redis, else an in-process
stand-in; nothing handles them here). At ``NOW`` every booking whose day-before or same-day
reminder has come due gets one — about a seventh of them, as on a first sweep after a long
outage — except where it is night on the venue's clock (New York), where nothing is written.
A second pass at the same clock (the steady state: nothing new) is timed too.

*Ceilings*, measured in the same run with raw psycopg on autocommit: a bare SELECT of every
upcoming booking's id, venue, guest, start and channel (what any sweep must at least read),
and that SELECT plus a bare multi-row INSERT of as many rows as the pass wrote, of the same
shape, into a scratch copy of the outbox (what it must at least write). ``ratio_select`` and
``ratio_floor`` are the pass's time over each.

*Two sweeps at once*: at a later clock (``NOW`` + 12 h, new reminders due), two threads with
runtimes of their own (two workers) call the sweep together behind a barrier. Each reminder
must be written once: the two counts add up to what one sweep finds due, and every row id is
in exactly one queued send job.

Run (``DATABASE_URL`` names the admin database; the bench creates a database of its own and
drops only that; with ``REDIS_URL`` set, it uses that Redis database and empties it first)::

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/reminder_sweep.py [--bookings 100000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import fakeredis
import psycopg
from benchdb import add_database_url, bench_database, libpq_url
from rq import Queue
from sqlalchemy import Connection, insert

from application.reminders import send_due_reminders
from application.sessions import autocommit
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking
from engine.db import make_engine
from engine.guests.models import Guest
from engine.reminders.service import due_reminders
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue
from infra.runtime import Runtime
from infra.settings import Settings, new_secret_key

#: Fixed clock: 17:30 in Kolkata, 12:00 in London, 07:00 in New York (night), 16:00 in Dubai.
NOW = datetime(2027, 1, 4, 12, 0, tzinfo=UTC)
RACE = NOW + timedelta(hours=12)
SEED = 20270104
GUESTS = 20_000
BATCH = 20_000
GOAL_SECONDS = 10.0
TIMEZONES = ["Asia/Kolkata", "Europe/London", "America/New_York", "Asia/Dubai"]
#: Stand-in for REDIS_URL when none is given: queued jobs wait in an in-process Redis.
IN_PROCESS_REDIS = "redis://in-process"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_url(parser)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or None)
    parser.add_argument("--venues", type=int, default=200)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one line of JSON")
    return parser.parse_args()


# -- the data set ------------------------------------------------------------------------------


def venue_rows(venues: int, rng: random.Random) -> list[dict[str, Any]]:
    """70% restaurants, 30% hotels, in four zones; settings left at their defaults."""
    kinds = [VenueKind.RESTAURANT] * round(venues * 0.7)
    kinds += [VenueKind.HOTEL] * (venues - len(kinds))
    rng.shuffle(kinds)
    return [
        {
            "id": n,
            "business_id": 1,
            "kind": kind,
            "name": f"{kind.value.title()} {n}",
            "slug": f"{kind.value}-{n}",
            "timezone": TIMEZONES[n % len(TIMEZONES)],
            "currency": "INR",
            "settings": {},
            "created_at": NOW,
        }
        for n, kind in enumerate(kinds, start=1)
    ]


def booking_row(
    booking_id: int, venue: dict[str, Any], days: int, rng: random.Random
) -> dict[str, Any]:
    """One confirmed booking of ``venue`` starting within ``days`` days after ``NOW``: a
    seating at any quarter hour, or a stay from one of the next days."""
    row: dict[str, Any] = {
        "id": booking_id,
        "reference": f"BK-{booking_id:09d}",
        "venue_id": venue["id"],
        "guest_id": rng.randint(1, GUESTS),
        "status": BookingStatus.CONFIRMED,
        "channel": Channel.WHATSAPP if booking_id % 2 else Channel.SMS,
        "party_size": 2,
        "room_type_id": None,
        "check_in": None,
        "check_out": None,
        "starts_at": None,
        "ends_at": None,
        "resources": [],
        "amount": 0,
        "amount_paid": 0,
        "currency": "INR",
        "hold_expires_at": None,
        "notes": "",
        "created_at": NOW - timedelta(days=30),
        "updated_at": NOW - timedelta(days=30),
    }
    if venue["kind"] == VenueKind.HOTEL:
        day = NOW.date() + timedelta(days=rng.randint(1, days))
        row.update(check_in=day, check_out=day + timedelta(days=2))
    else:
        start = NOW + timedelta(minutes=15 * rng.randint(1, days * 24 * 4))
        row.update(starts_at=start, ends_at=start + timedelta(minutes=90))
    return row


def load(url: str, args: argparse.Namespace, rng: random.Random) -> float:
    """Write the business, venues, guests and upcoming bookings; seconds it took."""
    started = time.perf_counter()
    db = make_engine(url)
    with db.connect() as conn:
        conn.execute(insert(Business), [{"id": 1, "name": "Bench", "slug": "bench"}])
        venues = venue_rows(args.venues, rng)
        conn.execute(insert(Venue), venues)
        guests = [
            {"id": g, "business_id": 1, "phone": f"+9197{g:08d}"} for g in range(1, GUESTS + 1)
        ]
        conn.execute(insert(Guest), guests)
        rows = [
            booking_row(n, venues[n % len(venues)], args.days, rng)
            for n in range(1, args.bookings + 1)
        ]
        _write(conn, rows)
    db.dispose()
    finish_load(url)
    return time.perf_counter() - started


def _write(conn: Connection, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(Booking), rows[start : start + BATCH])
    conn.commit()


def finish_load(url: str) -> None:
    """Move the id sequences of the tables written past their explicit ids, then VACUUM
    ANALYZE for fresh statistics."""
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        for model in (Business, Venue, Guest, Booking):
            table = model.__tablename__
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        conn.execute("VACUUM ANALYZE")


# -- the runtime -------------------------------------------------------------------------------


def runtime(url: str, redis_url: str | None, redis: fakeredis.FakeRedis | None) -> Runtime:
    """A runtime on the bench database whose jobs wait in Redis (nothing handles them)."""
    settings = Settings(
        database_url=url,
        redis_url=redis_url or IN_PROCESS_REDIS,
        secret_key=new_secret_key(),
        bookline_sandbox=True,
        _env_file=None,  # type: ignore[call-arg]
    )
    made = Runtime(settings)
    if redis is not None:
        made.__dict__["redis"] = redis  # the in-process stand-in, shared by both "workers"
    return made


def queued_ids(made: Runtime) -> list[int]:
    """Every outbox id in a send job waiting on "outbound"."""
    queue = Queue("outbound", connection=made.redis)
    return [outbox_id for job in queue.jobs for outbox_id in job.args[0]]


# -- measuring ---------------------------------------------------------------------------------


def bare_select(url: str) -> tuple[float, int]:
    """Seconds to read every upcoming booking's id, venue, guest, start and channel."""
    query = (
        "SELECT id, venue_id, guest_id, starts_at, check_in, channel FROM bookings "
        "WHERE status = 'confirmed' AND (starts_at > %(now)s OR check_in >= %(today)s)"
    )
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        started = time.perf_counter()
        rows = conn.execute(query, {"now": NOW, "today": NOW.date()}).fetchall()
        return time.perf_counter() - started, len(rows)


def bare_write(url: str, count: int) -> float:
    """Seconds to insert ``count`` outbox-shaped rows into a scratch copy of the outbox."""
    payload = json.dumps({"action": "reminder", "booking_id": 1, "kind": "day_before"})
    rows = [
        (f"scratch:{n}:day_before:20270105T1430", 1, n, "sms", "+919700000001", payload)
        for n in range(count)
    ]
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE scratch (LIKE outbox INCLUDING ALL)")
        started = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO scratch (key, venue_id, guest_id, channel, to_address, payload,"
                " bypass_opt_out, status, attempts, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, false, 'pending', 0, now())"
                " ON CONFLICT (key) DO NOTHING",
                rows,
            )
        return time.perf_counter() - started


def timed_pass(made: Runtime, now: datetime) -> tuple[float, int]:
    started = time.perf_counter()
    written = send_due_reminders(made, now)
    return time.perf_counter() - started, written


def race(url: str, redis_url: str | None, redis: fakeredis.FakeRedis | None) -> dict[str, Any]:
    """Two workers sweep at ``RACE`` at once: what each wrote, and what one would have."""
    workers = [runtime(url, redis_url, redis) for _ in range(2)]
    with autocommit(workers[0]) as session:
        expected = len(due_reminders(session, now=RACE))
    before = set(queued_ids(workers[0]))
    gate = threading.Barrier(2)
    counts: list[int] = []

    def sweep(made: Runtime) -> None:
        gate.wait()
        counts.append(send_due_reminders(made, RACE))

    threads = [threading.Thread(target=sweep, args=(made,)) for made in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queued = [outbox_id for outbox_id in queued_ids(workers[0]) if outbox_id not in before]
    for made in workers:
        made.close()
    once = sum(counts) == expected == len(queued) == len(set(queued))
    return {"expected": expected, "counts": counts, "queued": len(queued), "once": once}


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still drop the database on kill
    rng = random.Random(SEED)
    redis = None if args.redis_url else fakeredis.FakeRedis(server=fakeredis.FakeServer())
    with bench_database(args.database_url) as url:
        loaded = load(url, args, rng)
        made = runtime(url, args.redis_url, redis)
        made.redis.flushdb()
        select_seconds, upcoming = bare_select(url)
        first, written = timed_pass(made, NOW)
        second, again = timed_pass(made, NOW)
        floor = select_seconds + bare_write(url, written)
        made.close()
        together = race(url, args.redis_url, redis)
    figures = {
        "bookings": args.bookings,
        "upcoming": upcoming,
        "written": written,
        "pass_s": round(first, 3),
        "steady_pass_s": round(second, 3),
        "steady_written": again,
        "select_s": round(select_seconds, 3),
        "floor_s": round(floor, 3),
        "ratio_select": round(first / select_seconds, 1),
        "ratio_floor": round(first / floor, 1),
        "race": together,
        "ok": first < GOAL_SECONDS and again == 0 and together["once"],
    }
    if args.json:
        print(json.dumps(figures))
    else:
        report(figures, loaded)
    sys.exit(0 if figures["ok"] else 1)


def report(figures: dict[str, Any], loaded: float) -> None:
    race_figures = figures["race"]
    print(f"loaded {figures['bookings']:,} bookings in {loaded:.1f} s")
    print(
        f"one pass over {figures['upcoming']:,} upcoming bookings: {figures['pass_s']:.2f} s, "
        f"{figures['written']:,} reminders written "
        f"(goal < {GOAL_SECONDS:.0f} s: {'ok' if figures['pass_s'] < GOAL_SECONDS else 'MISSED'})"
    )
    print(
        f"  ceiling: bare SELECT {figures['select_s']:.3f} s (x{figures['ratio_select']}), "
        f"bare SELECT + INSERT {figures['floor_s']:.3f} s (x{figures['ratio_floor']})"
    )
    print(
        f"second pass at the same clock: {figures['steady_pass_s']:.2f} s, "
        f"{figures['steady_written']} written"
    )
    print(
        f"two sweeps at once: wrote {race_figures['counts']} of {race_figures['expected']} due, "
        f"{race_figures['queued']} queued; each once: {race_figures['once']}"
    )


if __name__ == "__main__":
    main()
