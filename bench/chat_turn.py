"""Chat-turn latency on the real stack: guest webhook in → reply recorded by the fake provider.

What is measured
----------------
A fresh, migrated, demo-seeded PostgreSQL database with ``--history`` (default 90) days of past
bookings (created beside ``--database-url``'s and dropped afterwards), the real Redis
(``--redis-url``: an empty database, which the bench refuses otherwise; the keys the run created
are deleted afterwards, nothing is flushed), one ``python -m bookline serve`` process and
``--workers`` (default 2) ``python -m bookline worker`` processes, all started as production
starts them.

Every model is fitted by the processes measured, as on a venue's busiest day: the history makes
both demo venues learnable, so each worker fits the risk model of each venue it scores a hold
for, and the processes get an empty model cache (``BOOKLINE_CACHE_DIR``), so the two
workers starting at once train the intent model and fit the venues' answer indexes before they
register. How many holds the venue
models scored (rather than the rules) is printed, to show the fits happened.

``--guests`` (default 200) simulated guests, each with its own phone number, hold a short SMS
conversation at the same time over correctly signed Twilio webhooks (three quarters at the
demo restaurant, a quarter at the demo hotel; dates spread over the coming months so most
requests find room)::

    restaurant: "table for 3 on 14 Feb at 8:30pm" -> offer, "yes" -> asks a name, "Asha Rao"
                -> confirmed
    hotel:      "double room 3-5 Feb for 2" -> room list, "2" -> offer, "Asha Rao" -> held

The guests send through one ``aiohttp`` session, each on a keep-alive connection of its own:
one pooled httpx client for them all cost this process ~10 ms of CPU per webhook (httpcore
polls every pooled connection whenever it hands one out or takes one back), CPU taken from
the stack it measures on a 2-core machine.

Two scenarios run one after the other, each with ``--guests`` new guests:

* ``paced``: guests start at random within ``--ramp`` seconds (default 5) and think
  ``--think-min``..``--think-max`` seconds (default 2-8, uniform) before each message, like
  people typing on a phone;
* ``burst``: every guest starts at once and answers the moment a reply arrives, so the stack
  runs flat out: its turns/s is the capacity, its latency the queueing at that capacity
  (``--no-burst`` skips it).

A turn's reply is the first message the fake provider recorded for that guest after the turn was
sent (any further messages are counted and printed). Its latency is the fake's ``created_at`` of
that reply minus the wall-clock instant just before this process sent the webhook, so it covers the
webhook ack, the queue, the worker's NLU + dialogue + engine transaction and the provider API call
of the reply, which the inbound job sends itself right after its commit; the hotel's third turn is
answered by the payment-link job instead (queued by the inbound job on "followup", which workers
serve before new messages; it creates the link at the app's built-in fake Razorpay and sends the
message carrying it itself). Polling only paces the guests; it does not enter the figure. Reported:
p50/p90/p99/max overall, per turn number, per venue and per venue and turn, the webhook ack
p50/p99, turns/s (turns answered / time from the first send to the last reply), CPU ms per turn of
each process group, and every worker's VmRSS (``/proc/<pid>/status``) once it is ready (models
loaded) and after the run (goals: turn p99 < 500 ms, worker RSS <= 180 MB).

The fake provider (``--fake``):

* ``external`` (default): the fake runs in this process on its own port, the app gets the fake's
  credentials and API base in TWILIO_*/WHATSAPP_* (as with a real provider, so it mounts no fake)
  and the bench reads the fake's recorder directly: the app process serves only Bookline. The
  fake still posts its signed status callbacks (two per message) to the app, on keep-alive
  connections its delivery threads share (``fakeproviders.callback_http``).
* ``mounted``: the app's own built-in fake (no provider keys, the zero-config default), polled
  with ``GET /_fake-providers/_fake/messages`` every ``--poll`` seconds; the fake's recording and
  status-callback threads then share the app's process (and GIL), and so does the polling.

``--json`` sends that report to stderr and prints one line of JSON to stdout: ``paced_p99_ms``,
``burst_p99_ms``, ``burst_turns_per_s``, ``worker_cpu_ms_per_turn`` (all workers' CPU over every
answered turn of both scenarios; per scenario too), ``worker_rss_mb`` (the largest after the run),
unanswered turns and the load averages.

Run (about a minute; the database and Redis default to $DATABASE_URL and $REDIS_URL, else CI's)::

    .venv/bin/python bench/chat_turn.py [--database-url ...] [--redis-url ...] [--json]
        [--guests 200] [--workers 2] [--fake external|mounted]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import aiohttp
import httpx
import redis
from benchdb import add_database_url, bench_database
from rq import Worker
from sqlalchemy import create_engine, func, select
from stackproc import (
    Proc,
    add_redis_url,
    bookline_env,
    cpu_seconds,
    free_port,
    json_report,
    load_average,
    own_redis,
    percentile,
    rss_mb,
    seed_demo_venues,
    set_recommendations,
    start_bookline,
    start_worker,
    stop_all,
    stores_cpu,
    wait_http,
)

from engine.risk.models import RiskAssessment
from fakeproviders import create_fake_app
from fakeproviders import credentials as fake
from fakeproviders.config import FakeConfig
from fakeproviders.server import RunningServer, run_in_thread
from fakeproviders.signing import TWILIO_SIGNATURE_HEADER, twilio_signature
from fakeproviders.state import FakeState, Provider, phone_key
from fakeproviders.twilio_payloads import inbound_sms_form

HOTEL_SMS = "+15005550006"
RESTAURANT_SMS = "+15005550007"
SMS_PATH = "/webhooks/twilio/sms"
VENUE_TZ = ZoneInfo("Asia/Kolkata")
NAMES = ["Asha Rao", "Ravi Kumar", "Meera Iyer", "Kabir Shah", "Lucia Gomez", "Dev Anand"]
DINNER_TIMES = ["7pm", "7:30pm", "8pm", "8:30pm", "9pm", "9:30pm"]
GOAL_P99_MS = 500.0
GOAL_RSS_MB = 180.0
WARMUP_GUESTS = 4
WARMUP_FIRST = 900_000
GUEST_BLOCK = 100_000  # guest numbers of scenario n start at n * GUEST_BLOCK
#: Below uvicorn's 5 s keep-alive: a guest thinking ~5 s otherwise reuses a connection just as
#: the server closes it and the run dies of a read error.
KEEPALIVE_SECONDS = 3.0
WEBHOOK_TIMEOUT_SECONDS = 60.0


# -- conversations -------------------------------------------------------------------------


@dataclass
class Guest:
    """One simulated guest: a phone number, the venue number it texts, what it will say."""

    phone: str
    venue: str  # "restaurant" | "hotel"
    to: str
    script: list[str]
    start_delay: float = 0.0


def restaurant_script(rng: random.Random, day: date) -> list[str]:
    """Ask for a table, say yes, give a name."""
    ask = f"table for {rng.randint(2, 4)} on {day.day} {day:%b} at {rng.choice(DINNER_TIMES)}"
    return [ask, "yes", rng.choice(NAMES)]


def hotel_script(rng: random.Random, check_in: date) -> list[str]:
    """Ask for a double room for two nights, pick a room type, give a name."""
    span = f"{check_in.day}-{check_in.day + 2} {check_in:%b}"
    return [f"double room {span} for 2", rng.choice("123"), rng.choice(NAMES)]


def make_guests(count: int, rng: random.Random, ramp: float, first: int = 0) -> list[Guest]:
    """``count`` guests: every fourth one at the hotel, the rest at the restaurant."""
    today = datetime.now(VENUE_TZ).date()
    guests = []
    for n in range(first, first + count):
        if n % 4 == 3:
            check_in = today + timedelta(days=rng.randint(3, 200))
            if check_in.day > 26:  # keep "d1-d2 Mon" in one month: move to the next one
                check_in = (check_in.replace(day=1) + timedelta(days=32)).replace(day=2)
            venue, to, script = "hotel", HOTEL_SMS, hotel_script(rng, check_in)
        else:
            day = today + timedelta(days=rng.randint(2, 90))
            venue, to, script = "restaurant", RESTAURANT_SMS, restaurant_script(rng, day)
        guests.append(Guest(f"+9197{n:08d}", venue, to, script, rng.uniform(0, ramp)))
    return guests


# -- where the replies are read ------------------------------------------------------------


class ReplySource(Protocol):
    """Reply send times recorded by the fake."""

    async def new_replies(self) -> list[tuple[str, float]]:
        """``(phone_key, epoch seconds)`` of every SMS recorded since the last call."""
        ...


def epoch(created: str | datetime) -> float:
    """A ``created_at`` (ISO 8601 text over HTTP, a datetime in-process) in epoch seconds."""
    return (datetime.fromisoformat(created) if isinstance(created, str) else created).timestamp()


@dataclass
class ExternalFake:
    """The fake in this process: read its recorder directly, no HTTP involved.

    Each poll reads only the messages recorded since the last one: copying them all every
    50 ms took a tenth of a core by the end of a run, CPU the stack measured here lacked.
    """

    state: FakeState
    read: int = 0

    async def new_replies(self) -> list[tuple[str, float]]:
        new = self.state.messages_from(self.read)
        self.read += len(new)
        return [
            (phone_key(m.to), epoch(m.created_at)) for m in new if m.provider == Provider.TWILIO
        ]


@dataclass
class MountedFake:
    """The app's built-in fake, read over its control API (every message, oldest first)."""

    client: httpx.AsyncClient
    url: str
    read: int = 0

    async def new_replies(self) -> list[tuple[str, float]]:
        response = await self.client.get(self.url, params={"provider": "twilio"})
        response.raise_for_status()
        new = response.json()["messages"][self.read :]
        self.read += len(new)
        return [(phone_key(m["to"]), epoch(m["created_at"])) for m in new]


@dataclass
class ReplyBoard:
    """Polls a ReplySource and wakes exactly the guests whose awaited reply has arrived.

    A poll looks only at the guests that got a message since the last one: checking every
    waiting guest 20 times a second cost more of this process's CPU than sending the webhooks.
    """

    source: ReplySource
    interval: float
    replies: dict[str, list[float]] = field(default_factory=dict)
    waiting: dict[str, tuple[float, asyncio.Future[float]]] = field(default_factory=dict)

    async def run(self, stop: asyncio.Event) -> None:
        """Refresh every ``interval`` seconds until ``stop`` is set, then once more."""
        while not stop.is_set():
            await self.refresh()
            await asyncio.sleep(self.interval)
        await self.refresh()

    async def refresh(self) -> None:
        """Record the new replies and wake the guests waiting for one of them."""
        for key, moment in await self.source.new_replies():
            bisect.insort(self.replies.setdefault(key, []), moment)
            if key in self.waiting:
                after, future = self.waiting[key]
                first = self.first_after(key, after)
                if first is not None and not future.done():
                    future.set_result(first)

    def first_after(self, key: str, after: float) -> float | None:
        """The first reply to ``key`` recorded after ``after`` (epoch seconds), if any."""
        return next((t for t in self.replies.get(key, ()) if t > after), None)

    async def wait_for(self, phone: str, after: float, timeout: float) -> float | None:
        """When the first reply sent to ``phone`` after ``after`` was recorded; None on timeout.

        The reply may already be on the board (a poll ran while the webhook was acknowledged).
        """
        key = phone_key(phone)
        first = self.first_after(key, after)
        if first is not None:
            return first
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[key] = (after, future)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None
        finally:
            del self.waiting[key]


# -- guests --------------------------------------------------------------------------------


@dataclass
class Turn:
    """One measured turn."""

    guest: Guest
    number: int  # 1-based position in the script
    sent_at: float  # epoch seconds, just before the webhook went out
    ack_seconds: float
    replied_at: float | None  # fake's created_at of the reply, epoch seconds

    @property
    def latency(self) -> float | None:
        """Webhook sent → reply recorded, in seconds."""
        return None if self.replied_at is None else self.replied_at - self.sent_at


def signed_sms(base_url: str, guest: Guest, text: str) -> tuple[bytes, dict[str, str]]:
    """Body and headers of a signed inbound SMS with a fresh MessageSid."""
    form = inbound_sms_form(
        account_sid=fake.FAKE_TWILIO_ACCOUNT_SID,
        from_=guest.phone,
        to=guest.to,
        body=text,
        message_sid="SM" + uuid.uuid4().hex,
    )
    signature = twilio_signature(fake.FAKE_TWILIO_AUTH_TOKEN, base_url + SMS_PATH, form)
    headers = {
        TWILIO_SIGNATURE_HEADER: signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return urlencode(form).encode(), headers


@dataclass
class Pacing:
    """How guests behave: think time before each message, how long they wait for a reply."""

    think_min: float
    think_max: float
    timeout: float
    rng: random.Random


async def converse(
    client: aiohttp.ClientSession, base_url: str, board: ReplyBoard, guest: Guest, pacing: Pacing
) -> list[Turn]:
    """Play the guest's script; each message waits for the previous reply."""
    await asyncio.sleep(guest.start_delay)
    turns: list[Turn] = []
    for number, text in enumerate(guest.script, start=1):
        if number > 1:
            await asyncio.sleep(pacing.rng.uniform(pacing.think_min, pacing.think_max))
        body, headers = signed_sms(base_url, guest, text)
        sent_at, began = time.time(), time.perf_counter()
        async with client.post(base_url + SMS_PATH, data=body, headers=headers) as response:
            await response.read()
        ack = time.perf_counter() - began
        if response.status != 200:
            raise RuntimeError(f"{guest.phone}: webhook answered {response.status}")
        replied_at = await board.wait_for(guest.phone, sent_at, pacing.timeout)
        turns.append(Turn(guest, number, sent_at, ack, replied_at))
        if replied_at is None:
            break
    return turns


def guests_client() -> aiohttp.ClientSession:
    """The guests' session: a keep-alive connection per guest at most (no limit on how many),
    closed after KEEPALIVE_SECONDS idle, each webhook given WEBHOOK_TIMEOUT_SECONDS."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEPALIVE_SECONDS),
        timeout=aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT_SECONDS),
    )


async def run_guests(
    base_url: str, source: ReplySource, guests: list[Guest], pacing: Pacing, poll: float
) -> tuple[list[Turn], dict[str, list[float]]]:
    """All guests at once; returns their turns and the final board."""
    board = ReplyBoard(source, poll)
    stop = asyncio.Event()
    poller = asyncio.create_task(board.run(stop))
    try:
        async with guests_client() as client:
            conversations = (converse(client, base_url, board, g, pacing) for g in guests)
            per_guest = await asyncio.gather(*conversations)
    finally:
        stop.set()
        await poller
    return [turn for turns in per_guest for turn in turns], board.replies


# -- the stack -----------------------------------------------------------------------------


@dataclass
class Stack:
    """The running processes and how to read replies."""

    base_url: str
    server: Proc
    workers: list[Proc]
    source_factory: Callable[[httpx.AsyncClient], ReplySource]


def external_fake_env(fake_url: str) -> dict[str, str]:
    """Provider settings pointing the app's Twilio and WhatsApp at the external fake."""
    return {
        "TWILIO_ACCOUNT_SID": fake.FAKE_TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": fake.FAKE_TWILIO_AUTH_TOKEN,
        "TWILIO_API_BASE": fake_url,
        "WHATSAPP_TOKEN": fake.FAKE_WHATSAPP_TOKEN,
        "WHATSAPP_APP_SECRET": fake.FAKE_WHATSAPP_APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": fake.FAKE_WHATSAPP_VERIFY_TOKEN,
        "WHATSAPP_API_BASE": fake_url,
    }


def wait_workers(redis_url: str, workers: list[Proc], timeout: float = 120.0) -> None:
    """Wait until every worker registered with rq (it registers after loading its models)."""
    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    try:
        while Worker.count(connection=client) < len(workers):
            for worker in workers:
                worker.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"workers not registered after {timeout}s")
            time.sleep(0.2)
    finally:
        client.close()


@contextmanager
def running_stack(args: argparse.Namespace, database_url: str) -> Iterator[Stack]:
    """Fake provider (external mode), ``bookline serve`` and the workers; stopped on exit.

    The processes share an empty intent-model cache, so the model is trained in this run.
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    fake_server: RunningServer | None = None
    fake_state: FakeState | None = None
    extra: dict[str, str] = {}
    if args.fake == "external":
        fake_app = create_fake_app(FakeConfig(app_url=base_url, public_base_url=base_url))
        fake_server = run_in_thread(fake_app)
        fake_state = fake_app.state.fake_state
        extra = external_fake_env(fake_server.url)
    nlu_cache = tempfile.TemporaryDirectory(prefix="bench-nlu-cache-")
    extra["BOOKLINE_CACHE_DIR"] = nlu_cache.name
    env = bookline_env(database_url, args.redis_url, port, args.log_level, **extra)
    procs: list[Proc] = []
    try:
        procs.append(start_bookline(env, port))
        procs += [start_worker(env, n) for n in range(args.workers)]
        wait_http(procs[0], base_url + "/api/health/ready")
        wait_workers(args.redis_url, procs[1:])

        def source(client: httpx.AsyncClient) -> ReplySource:
            if fake_state is not None:
                return ExternalFake(fake_state)
            return MountedFake(client, base_url + "/_fake-providers/_fake/messages")

        yield Stack(base_url, procs[0], procs[1:], source)
    finally:
        stop_all(procs)
        nlu_cache.cleanup()
        if fake_server is not None:
            fake_server.stop()


async def drive(
    stack: Stack, guests: list[Guest], pacing: Pacing, poll: float
) -> tuple[list[Turn], dict[str, list[float]]]:
    """Run ``guests`` against the stack with a reply source of the chosen kind."""
    async with httpx.AsyncClient() as control:
        source = stack.source_factory(control)
        return await run_guests(stack.base_url, source, guests, pacing, poll)


# -- measurements and report -------------------------------------------------------------


@dataclass
class CpuGroups:
    """Cumulative CPU seconds of the server, the workers, PostgreSQL+Redis and this process;
    of this process, its main thread (the guests' client and the reply poller) apart too, the
    rest being the external fake's server and callback threads. Read from the main thread."""

    stack: Stack

    def read(self) -> dict[str, float]:
        """Current cumulative CPU seconds per group."""
        return {
            "server": cpu_seconds(self.stack.server.pid),
            "workers": sum(cpu_seconds(w.pid) for w in self.stack.workers),
            "pg+redis": stores_cpu(),
            "bench+fake": time.process_time(),
            "of which client": time.thread_time(),
        }


def ms(values: list[float], q: float) -> float:
    """Percentile of seconds, in milliseconds."""
    return 1000 * percentile(values, q)


def latency_row(label: str, turns: list[Turn]) -> str:
    """count, p50, p90, p99, max of the answered turns in ``turns``."""
    values = [t.latency for t in turns if t.latency is not None]
    return (
        f"  {label:<22} {len(values):>6} {ms(values, 50):>8.0f} {ms(values, 90):>8.0f} "
        f"{ms(values, 99):>8.0f} {ms(values, 100):>8.0f}"
    )


def print_latencies(turns: list[Turn]) -> None:
    """The latency table: all turns, per turn number, per venue and per venue and turn.

    The hotel's third turn is answered by the payment-link job (the reply carries the link),
    the others by the inbound job, so a venue's turns are shown apart too.
    """
    print(f"\n  {'turn latency (ms)':<22} {'turns':>6} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}")
    print(latency_row("all", turns))
    numbers = sorted({t.number for t in turns})
    for number in numbers:
        print(latency_row(f"turn {number}", [t for t in turns if t.number == number]))
    for venue in ("restaurant", "hotel"):
        at_venue = [t for t in turns if t.guest.venue == venue]
        print(latency_row(venue, at_venue))
        for number in numbers:
            print(latency_row(f"  turn {number}", [t for t in at_venue if t.number == number]))


def extra_replies(guests: list[Guest], turns: list[Turn], final: dict[str, list[float]]) -> int:
    """Messages the guests got beyond one per answered turn (0 when every turn has one)."""
    received = sum(len(final.get(phone_key(g.phone), ())) for g in guests)
    return received - sum(t.replied_at is not None for t in turns)


@dataclass
class Scenario:
    """How a batch of guests behaves."""

    name: str
    think_min: float
    think_max: float
    ramp: float

    def describe(self) -> str:
        """One line: think time and ramp."""
        return f"think {self.think_min:g}-{self.think_max:g} s, start within {self.ramp:g} s"


@dataclass
class Outcome:
    """What one scenario measured."""

    scenario: Scenario
    guests: list[Guest]
    turns: list[Turn]
    cpu: dict[str, float]  # CPU seconds per process group during the scenario
    extra: int  # messages beyond one reply per answered turn

    @property
    def answered(self) -> list[Turn]:
        """Turns that got their reply."""
        return [t for t in self.turns if t.replied_at is not None]

    @property
    def p99_ms(self) -> float:
        """p99 turn latency in milliseconds."""
        return ms([t.latency for t in self.answered if t.latency is not None], 99)

    @property
    def span(self) -> float:
        """Seconds from the first message sent to the last reply recorded."""
        first = min(t.sent_at for t in self.turns)
        replies = (t.replied_at for t in self.answered if t.replied_at is not None)
        return max(max(replies, default=first) - first, 1e-9)

    @property
    def turns_per_s(self) -> float:
        """Turns answered per second of ``span``."""
        return len(self.answered) / self.span

    def cpu_ms_per_turn(self, group: str) -> float:
        """CPU milliseconds ``group`` spent per answered turn."""
        return 1000 * self.cpu[group] / max(1, len(self.answered))


def report_outcome(args: argparse.Namespace, outcome: Outcome) -> None:
    """Throughput, latency table, acks, CPU per turn of one scenario."""
    answered = outcome.answered
    print(
        f"\n[{outcome.scenario.name}] {len(outcome.guests)} guests "
        f"({outcome.scenario.describe()}), {args.workers} workers, fake {args.fake}: "
        f"{len(answered)}/{len(outcome.turns)} turns answered in {outcome.span:.1f} s "
        f"= {outcome.turns_per_s:.1f} turns/s"
    )
    print_latencies(answered)
    acks = [t.ack_seconds for t in outcome.turns]
    print(f"\n  webhook ack: p50 {ms(acks, 50):.1f} ms, p99 {ms(acks, 99):.1f} ms")
    per_turn = {name: outcome.cpu_ms_per_turn(name) for name in outcome.cpu}
    print("  CPU ms per turn: " + ", ".join(f"{k} {v:.1f}" for k, v in per_turn.items()))
    print(f"  messages beyond one reply per turn: {outcome.extra}")


def scoring_methods(database_url: str) -> dict[str, int]:
    """How many holds were scored by each method ("model": a fitted venue model, or "rules")."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(RiskAssessment.method, func.count()).group_by(RiskAssessment.method)
            )
            return {str(method): int(count) for method, count in rows}
    finally:
        engine.dispose()


def report(
    args: argparse.Namespace,
    outcomes: list[Outcome],
    rss: dict[str, tuple[float, float]],
    methods: dict[str, int],
) -> None:
    """Every scenario, the workers' memory and the models behind it, then the goals."""
    for outcome in outcomes:
        report_outcome(args, outcome)
    print()
    scored = ", ".join(f"{method} {count}" for method, count in sorted(methods.items()))
    print(f"holds scored ({args.history} days of history): {scored or 'none'}")
    for name, (warm, after) in rss.items():
        print(f"{name} VmRSS: {warm:.0f} MB once ready (models loaded), {after:.0f} MB after")
    print()
    for outcome in outcomes:
        p99 = outcome.p99_ms
        print(
            f"[{outcome.scenario.name}] turn p99: {p99:.0f} ms (goal < {GOAL_P99_MS:.0f} ms) "
            f"{_verdict(p99 < GOAL_P99_MS)}"
        )
    worst = max(after for _warm, after in rss.values())
    print(
        f"worker RSS max: {worst:.0f} MB (goal <= {GOAL_RSS_MB:.0f} MB) "
        f"{_verdict(worst <= GOAL_RSS_MB)}"
    )


def _verdict(met: bool) -> str:
    return "MET" if met else "MISSED"


def figures(outcomes: list[Outcome], rss: dict[str, tuple[float, float]]) -> dict[str, object]:
    """The headline figures for ``--json`` (rounded; None for a scenario that did not run)."""
    found: dict[str, object] = {"paced_p99_ms": None, "burst_p99_ms": None}
    found |= {"burst_turns_per_s": None, "burst_worker_cpu_ms_per_turn": None}
    for outcome in outcomes:
        name = outcome.scenario.name
        found[f"{name}_p99_ms"] = round(outcome.p99_ms, 1)
        found[f"{name}_turns_per_s"] = round(outcome.turns_per_s, 1)
        found[f"{name}_worker_cpu_ms_per_turn"] = round(outcome.cpu_ms_per_turn("workers"), 2)
    answered = sum(len(outcome.answered) for outcome in outcomes)
    worker_cpu = sum(outcome.cpu["workers"] for outcome in outcomes)
    found["worker_cpu_ms_per_turn"] = round(1000 * worker_cpu / max(1, answered), 2)
    found["worker_rss_mb"] = round(max(after for _warm, after in rss.values()), 1)
    found["unanswered"] = sum(len(o.turns) - len(o.answered) for o in outcomes)
    return found


# -- main ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_url(parser)
    add_redis_url(parser)
    parser.add_argument("--json", action="store_true", help="one line of JSON on stdout")
    parser.add_argument("--guests", type=int, default=200, help="per scenario")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--history", type=int, default=90, help="days of demo history")
    parser.add_argument("--fake", choices=["external", "mounted"], default="external")
    parser.add_argument("--think-min", type=float, default=2.0, help="paced: seconds, min")
    parser.add_argument("--think-max", type=float, default=8.0, help="paced: seconds, max")
    parser.add_argument("--ramp", type=float, default=5.0, help="paced: guests start within")
    parser.add_argument("--no-burst", action="store_true", help="skip the burst scenario")
    parser.add_argument("--poll", type=float, default=None, help="reply poll interval (s)")
    parser.add_argument("--turn-timeout", type=float, default=60.0, help="give up on a guest")
    parser.add_argument("--log-level", default="info", help="of every bookline process")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument(
        "--recommendations",
        choices=["on", "off"],
        default="on",
        help="the demo venues' recommendations (the usual, ranked alternatives)",
    )
    args = parser.parse_args()
    if args.poll is None:
        args.poll = 0.05 if args.fake == "external" else 0.2
    return args


def scenarios(args: argparse.Namespace) -> list[Scenario]:
    """Paced (people typing), then burst (every guest answers at once: the capacity)."""
    found = [Scenario("paced", args.think_min, args.think_max, args.ramp)]
    if not args.no_burst:
        found.append(Scenario("burst", 0.0, 0.0, 0.0))
    return found


def run_scenario(
    args: argparse.Namespace, stack: Stack, scenario: Scenario, rng: random.Random, first: int
) -> Outcome:
    """``args.guests`` new guests (numbered from ``first``) behaving as ``scenario`` says."""
    guests = make_guests(args.guests, rng, scenario.ramp, first=first)
    pacing = Pacing(scenario.think_min, scenario.think_max, args.turn_timeout, rng)
    meter = CpuGroups(stack)
    before = meter.read()
    turns, final = asyncio.run(drive(stack, guests, pacing, args.poll))
    after = meter.read()
    cpu = {k: after[k] - before[k] for k in after}
    return Outcome(scenario, guests, turns, cpu, extra_replies(guests, turns, final))


def measure(args: argparse.Namespace, stack: Stack) -> list[Outcome]:
    """Warm-up conversations (not reported), then each scenario with its own guests."""
    rng = random.Random(args.seed)
    warmup = make_guests(WARMUP_GUESTS, rng, ramp=0.0, first=WARMUP_FIRST)
    asyncio.run(drive(stack, warmup, Pacing(0.0, 0.0, args.turn_timeout, rng), args.poll))
    return [
        run_scenario(args, stack, scenario, rng, first=number * GUEST_BLOCK)
        for number, scenario in enumerate(scenarios(args))
    ]


def main() -> None:
    args = parse_args()
    with (
        json_report(args.json) as found,
        own_redis(args.redis_url),
        bench_database(args.database_url) as database_url,
    ):
        found["load_average_start"] = load_average()
        print(f"load average at start: {found['load_average_start']} ({os.cpu_count()} CPUs)")
        seed_demo_venues(database_url, args.history)
        set_recommendations(database_url, on=args.recommendations == "on")
        with running_stack(args, database_url) as stack:
            warm = {w.name: rss_mb(w.pid) for w in stack.workers}
            outcomes = measure(args, stack)
            rss = {w.name: (warm[w.name], rss_mb(w.pid)) for w in stack.workers}
            report(args, outcomes, rss, scoring_methods(database_url))
            found |= figures(outcomes, rss)
            found["load_average_end"] = load_average()
            print(f"load average at end: {found['load_average_end']}")


if __name__ == "__main__":
    main()
