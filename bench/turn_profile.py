"""The inbound turn alone, in this process: CPU ms, Python calls and SQL statements per turn.

What is measured
----------------
``bench/chat_turn.py`` times the whole stack (webhook, queue, workers, provider); this bench
isolates what a worker does inside one turn, to see where that CPU goes. A fresh, migrated,
demo-seeded PostgreSQL database with ``--history`` (default 90) days of past bookings (created
beside ``--database-url``'s and dropped afterwards), the real Redis (``--redis-url``: an empty
database, its keys deleted afterwards) and ``chat_turn``'s scripted guests (three quarters at
the demo restaurant, a quarter at the hotel; three messages each). Each message is stored as
the webhook stores it, then ``handle_inbound`` runs it in this process as the inbound job
would (the conversation lock, the unit of work, the replies claimed and sent after commit),
without rq around it. The replies go to a sender that answers at once, so the provider's HTTP
call is not part of the figure; jobs the turn queues (the hotel's payment link) are not run.

Two passes over different guests: ``--guests`` turns timed with ``time.process_time`` (CPU ms
per turn, SQL statements counted by a cursor listener, Redis commands by a wrapper), then
``--profiled`` guests under ``cProfile`` (Python function calls per turn, and the top
functions by cumulative time to stderr). ``--warmup`` guests first fill the caches a
long-running worker has warm (intent model, dateparser, compiled statements).

Run (a minute or so)::

    .venv/bin/python bench/turn_profile.py [--database-url ...] [--redis-url ...] [--json]
        [--guests 120] [--profiled 40] [--history 90] [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import redis
from benchdb import add_database_url, bench_database
from chat_turn import HOTEL_SMS, Guest, make_guests
from sqlalchemy import event, select
from stackproc import add_redis_url, json_report, load_average, own_redis, seed_demo_venues

from application.inbound_turn import handle_inbound
from application.sessions import autocommit
from bot.choices import Thread
from engine.messaging.enums import MessageChannel
from engine.messaging.service import record_inbound
from engine.tenants.models import Venue
from infra.runtime import Runtime
from infra.senders.base import SendTask
from infra.settings import Settings


class InstantSender:
    """A provider that accepts every message at once (the HTTP call is not the turn's)."""

    def send(self, task: SendTask) -> str:
        """A fresh provider id, as Twilio would return."""
        return "SM" + uuid.uuid4().hex

    def find_sent(self, task: SendTask) -> str | None:
        """Nothing was ever half-sent here."""
        return None


class Meter:
    """CPU time, SQL statements and Redis commands (a pipeline is one) inside turns only."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.cpu_seconds = 0.0
        self.on = False

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Measure one turn (the harness's own statements around it are not counted)."""
        self.on = True
        began = time.process_time()
        try:
            yield
        finally:
            self.cpu_seconds += time.process_time() - began
            self.on = False

    @contextmanager
    def listening(self, runtime: Runtime) -> Iterator[None]:
        """Count on the runtime's engine and every Redis client while the block runs."""
        counts = self.counts

        def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if self.on:
                counts["sql"] += 1
                counts["sql: " + " ".join(statement.split())[:150]] += 1

        command = redis.Redis.execute_command
        pipeline = redis.client.Pipeline.execute

        def count_command(client: redis.Redis, *args: Any, **options: Any) -> Any:
            counts["redis"] += self.on
            return command(client, *args, **options)

        def count_pipeline(client: redis.client.Pipeline, raise_on_error: bool = True) -> Any:
            counts["redis"] += self.on
            return pipeline(client, raise_on_error)

        event.listen(runtime.engine, "before_cursor_execute", on_statement)
        redis.Redis.execute_command = count_command  # type: ignore[method-assign]
        redis.client.Pipeline.execute = count_pipeline  # type: ignore[method-assign]
        try:
            yield
        finally:
            redis.client.Pipeline.execute = pipeline  # type: ignore[method-assign]
            redis.Redis.execute_command = command  # type: ignore[method-assign]
            event.remove(runtime.engine, "before_cursor_execute", on_statement)


def venue_ids(runtime: Runtime) -> dict[str, int]:
    """The venue behind each demo SMS number."""
    with autocommit(runtime) as session:
        rows = session.execute(select(Venue.sms_number, Venue.id)).all()
    return {phone: venue_id for phone, venue_id in rows if phone}


def store(runtime: Runtime, venue_id: int, guest: Guest, text: str) -> int:
    """Store one guest SMS as the webhook does; its event id."""
    with autocommit(runtime) as session:
        event_id = record_inbound(
            session,
            provider="twilio",
            provider_id="SM" + uuid.uuid4().hex,
            venue_id=venue_id,
            channel=MessageChannel.SMS,
            guest_phone=guest.phone,
            kind="text",
            text=text,
            payload={"Body": text},
        )
    assert event_id is not None
    return event_id


def play(
    runtime: Runtime, guests: list[Guest], venues: dict[str, int], turn: Callable[[], Any]
) -> int:
    """Every guest's script, one message at a time round-robin; ``turn`` wraps each handling.

    Returns the number of turns handled.
    """
    handled = 0
    for number in range(max(len(g.script) for g in guests)):
        for guest in guests:
            venue_id = venues[guest.to]
            event_id = store(runtime, venue_id, guest, guest.script[number])
            thread = Thread(venue_id, MessageChannel.SMS, guest.phone)
            with turn():
                handle_inbound(runtime, event_id, thread)
            handled += 1
    return handled


@contextmanager
def nothing() -> Iterator[None]:
    yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_database_url(parser)
    add_redis_url(parser)
    parser.add_argument("--guests", type=int, default=120, help="timed guests (3 turns each)")
    parser.add_argument("--profiled", type=int, default=40, help="guests under cProfile")
    parser.add_argument("--warmup", type=int, default=8, help="guests before measuring")
    parser.add_argument("--history", type=int, default=90, help="days of past bookings")
    parser.add_argument("--top", type=int, default=40, help="functions listed (cumulative)")
    parser.add_argument("--dump", help="also write the profile here (for pstats)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="one line of JSON on stdout")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    with bench_database(args.database_url) as url, own_redis(args.redis_url):
        seed_demo_venues(url, history_days=args.history)
        runtime = Runtime(Settings(database_url=url, redis_url=args.redis_url, _env_file=None))  # type: ignore[call-arg]
        runtime.__dict__["senders"] = dict.fromkeys(
            ("sms", "whatsapp", "twilio-whatsapp"), InstantSender()
        )
        try:
            venues = venue_ids(runtime)
            blocks = [args.warmup, args.guests, args.profiled]
            firsts = [sum(blocks[:n]) for n in range(3)]
            warm, timed, profiled = (
                make_guests(count, rng, 0.0, first=first)
                for count, first in zip(blocks, firsts, strict=True)
            )
            play(runtime, warm, venues, nothing)

            meter = Meter()
            with meter.listening(runtime):
                turns = play(runtime, timed, venues, meter.turn)
            cpu_ms = meter.cpu_seconds * 1000 / turns
            counts = meter.counts

            profile = cProfile.Profile(time.process_time)
            profiled_turns = play(runtime, profiled, venues, lambda: profile)
        finally:
            runtime.close()

    stats = pstats.Stats(profile)
    if args.dump:
        stats.dump_stats(args.dump)
    calls = stats.total_calls / profiled_turns  # type: ignore[attr-defined]
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue(), file=sys.stderr)
    print("SQL statements per turn (timed pass):", file=sys.stderr)
    for name, count in counts.most_common():
        if name.startswith("sql: "):
            print(f"{count / turns:6.2f}  {name[5:]}", file=sys.stderr)
    report = {
        "turns": turns,
        "cpu_ms_per_turn": round(cpu_ms, 2),
        "sql_per_turn": round(counts["sql"] / turns, 2),
        "redis_per_turn": round(counts["redis"] / turns, 2),
        "calls_per_turn": round(calls),
        "hotel_guests": sum(g.to == HOTEL_SMS for g in timed),
        "load_average": load_average(),
    }
    with json_report(args.json) as shown:
        shown.update(report)


if __name__ == "__main__":
    main()
