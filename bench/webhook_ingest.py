"""Webhook ack latency and throughput of ``POST /webhooks/twilio/sms`` against a bare FastAPI route.

What is measured
----------------
Two servers run side by side on loopback, each one uvicorn process started the way production
starts it, with the same log level (access log on at ``info``, the product default):

* *bookline*: ``python -m bookline serve --port P`` on a fresh, migrated and demo-seeded
  PostgreSQL database (created beside ``--database-url``'s and dropped afterwards) and the real
  Redis (``--redis-url``: an empty database, which the bench refuses otherwise; the keys the run
  created are deleted afterwards, nothing is flushed). Every request is a correctly signed
  Twilio inbound-SMS form with its own ``MessageSid`` (guests spread over 1000 numbers, to the
  demo hotel's +15005550006), so each one verifies the signature, looks the venue up, INSERTs an
  inbound event and enqueues an rq job before the empty TwiML comes back. No worker runs: the
  ack does not wait for one.
* *bare*: ``python -m uvicorn bare_app:app`` (``bench/bare_app.py``), one ``async`` POST route
  answering the same empty TwiML, fed the same request bytes.

Requests are built and signed before any clock starts. The load generator is this process: an
asyncio (uvloop) client speaking raw HTTP/1.1 keep-alive over a connection pool, so it costs a
few tens of microseconds per request (its CPU per request is printed; httpx would cost ~1 ms,
enough to cap the bare server on two cores and flatter the ratio).

For each server, in order:

1. warm-up: open loop at ``--rate`` for ``--warmup`` seconds (not reported);
2. open loop: request *i* is due at ``start + i / rate`` whether or not earlier ones came back
   (a request waits for a free connection if all ``--max-connections`` are busy); latency is
   measured from the due time to the end of the response, so queueing anywhere counts
   (no coordinated omission). p50/p99/max at the offered ``--rate`` (goal: bookline p99 < 50 ms);
3. closed loop: ``--connections`` connections each send the next request as soon as the
   previous answer arrives, for ``--seconds``; completed requests / elapsed = max req/s.

The headline is bookline closed-loop req/s divided by bare closed-loop req/s, both from this run
(goal >= 0.35); the machine is shared, so only same-run ratios mean anything. CPU ms per request
of the server process, of all PostgreSQL and Redis processes (machine-wide, including the
backends of closed connections, so other users' load leaks in) and of this client are printed
per phase, to show where the cores went; load averages are printed at start and end. Finally
the bench checks that the database holds one inbound event per acknowledged bookline request
and the inbound queue as many jobs.

*Prescribed steps*: after the servers stop, this process times, alone, three things the
webhook must do per message whatever else it does: the twilio SDK's ``RequestValidator``
check (the product's own), parsing the form, and enqueueing the rq job (one per batch of 20,
as the ingest path does: ``enqueue_inbound_batch``). Added to the bare server's CPU per request,
they give the best ratio any server doing them could reach on one process, storing nothing.

``--json`` sends that report to stderr and prints one line of JSON to stdout: ``req_per_s`` and
``bare_req_per_s`` (closed loop), ``ratio_bare``, ``p99_ms_at_300`` (bookline's open-loop p99 at
the offered ``--rate``, 300 by default: ``rate`` says which), ``lost`` (acknowledged requests
without a stored event or a queued job covering it) and ``errors`` (requests not answered 200).

Run (about a minute; the database and Redis default to $DATABASE_URL and $REDIS_URL, else CI's)::

    .venv/bin/python bench/webhook_ingest.py [--database-url ...] [--redis-url ...] [--json]
        [--rate 300] [--seconds 10] [--warmup 3] [--connections 32] [--max-connections 256]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

import psycopg
import redis
import uvloop
from benchdb import add_database_url, bench_database, libpq_url
from rq.job import Job
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
    seed_demo_venues,
    spawn,
    start_bookline,
    stop_all,
    stores_cpu,
    wait_http,
)

from fakeproviders.credentials import FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN
from fakeproviders.signing import twilio_signature
from fakeproviders.twilio_payloads import inbound_sms_form
from infra.jobs import enqueue_inbound_batch
from infra.runtime import Runtime
from infra.settings import Settings
from webhooks.twilio_signature import valid_signature

HOST = "127.0.0.1"
PATH = "/webhooks/twilio/sms"
HOTEL_SMS = "+15005550006"
GUESTS = 1000
GOAL_RATIO = 0.35
GOAL_P99_MS = 50.0
#: uvicorn closes keep-alive connections idle for 5 s; older idle ones are replaced, not reused.
IDLE_LIMIT = 4.0
REQUEST_TIMEOUT = 30.0  # a request still unanswered then counts as an error
BOOKLINE_MAX_RPS = 4000  # signed requests prepared for the closed loop: seconds * this


# -- requests ----------------------------------------------------------------------------


def signed_request(port: int, number: int) -> bytes:
    """One complete HTTP/1.1 request: a signed inbound SMS with a fresh MessageSid."""
    form = inbound_sms_form(
        account_sid=FAKE_TWILIO_ACCOUNT_SID,
        from_=f"+9198{number % GUESTS:08d}",
        to=HOTEL_SMS,
        body=f"double room 24-27 Dec for 2 (#{number})",
        message_sid="SM" + uuid.uuid4().hex,
    )
    body = urlencode(form).encode()
    signature = twilio_signature(FAKE_TWILIO_AUTH_TOKEN, f"http://{HOST}:{port}{PATH}", form)
    head = (
        f"POST {PATH} HTTP/1.1\r\n"
        f"Host: {HOST}:{port}\r\n"
        "User-Agent: TwilioProxy/1.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Twilio-Signature: {signature}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


@dataclass
class Feed:
    """Prepared requests, handed out in order; ``reuse`` cycles (bare), else they run out."""

    requests: list[bytes]
    reuse: bool
    position: int = 0

    def next(self) -> bytes | None:
        """The next request, or None when a non-reusable feed is exhausted."""
        if self.position >= len(self.requests):
            if not self.reuse:
                return None
            self.position = 0
        request = self.requests[self.position]
        self.position += 1
        return request


# -- raw HTTP/1.1 client -----------------------------------------------------------------


class Connection:
    """One keep-alive connection; a request is pre-built bytes, the answer its status code."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.last_used = time.monotonic()

    @classmethod
    async def open(cls, port: int) -> Connection:
        """Connect to the server on loopback."""
        reader, writer = await asyncio.open_connection(HOST, port)
        return cls(reader, writer)

    async def send(self, request: bytes) -> int:
        """Write ``request`` and read the whole response (Content-Length framed)."""
        async with asyncio.timeout(REQUEST_TIMEOUT):
            status = await self._exchange(request)
        self.last_used = time.monotonic()
        return status

    async def _exchange(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        marker = head.lower().find(b"\r\ncontent-length:")
        if marker < 0:
            raise RuntimeError("response without Content-Length")
        end = head.index(b"\r\n", marker + 2)
        length = int(head[marker + 17 : end])
        if length:
            await self.reader.readexactly(length)
        return int(head[9:12])

    def close(self) -> None:
        """Close the socket."""
        self.writer.close()


class Pool:
    """Idle connections reused LIFO; at most ``limit`` open, later callers wait for one."""

    def __init__(self, port: int, limit: int) -> None:
        self.port = port
        self.idle: list[Connection] = []
        self.slots = asyncio.Semaphore(limit)
        self.opened: list[Connection] = []

    async def send(self, request: bytes) -> int:
        """Send on an idle (or new) connection; a failed connection is dropped."""
        async with self.slots:
            conn = self.idle.pop() if self.idle else await self._open()
            if time.monotonic() - conn.last_used > IDLE_LIMIT:  # the server may be closing it
                conn.close()
                conn = await self._open()
            try:
                status = await conn.send(request)
            except Exception:
                conn.close()
                raise
            self.idle.append(conn)
            return status

    async def _open(self) -> Connection:
        conn = await Connection.open(self.port)
        self.opened.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this pool opened."""
        for conn in self.opened:
            conn.close()


# -- measurements ------------------------------------------------------------------------


@dataclass
class CpuMeter:
    """CPU seconds of the server, of PostgreSQL + Redis (all their processes) and of us."""

    server_pid: int
    start: dict[str, float] = field(default_factory=dict)
    used: dict[str, float] = field(default_factory=dict)  # filled in on exit

    def read(self) -> dict[str, float]:
        """Current cumulative CPU seconds per group."""
        return {
            "server": cpu_seconds(self.server_pid),
            "pg+redis": stores_cpu(),
            "client": time.process_time(),
        }

    def __enter__(self) -> CpuMeter:
        self.start = self.read()
        return self

    def __exit__(self, *_exc: object) -> None:
        end = self.read()
        self.used = {name: end[name] - self.start[name] for name in end}


@dataclass
class Sample:
    """One measured phase: latencies (s) of successful requests, failures, wall time, CPU."""

    latencies: list[float]
    errors: int
    elapsed: float
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        """Requests answered 200."""
        return len(self.latencies)

    @property
    def rps(self) -> float:
        """Successful requests per second of wall time."""
        return self.ok / self.elapsed

    def ms(self, q: float) -> float:
        """Latency percentile in milliseconds."""
        return 1000 * percentile(self.latencies, q)

    def cpu_ms_per_request(self, group: str) -> float:
        """CPU milliseconds ``group`` spent per request of this phase."""
        return 1000 * self.cpu.get(group, 0.0) / max(1, self.ok + self.errors)


async def _timed(pool: Pool, request: bytes, due: float, sample: Sample) -> None:
    """Send one request; its latency counts from ``due`` (its scheduled start)."""
    try:
        status = await pool.send(request)
    except Exception:
        sample.errors += 1
        return
    if status == 200:
        sample.latencies.append(time.perf_counter() - due)
    else:
        sample.errors += 1


async def open_loop(feed: Feed, port: int, rate: float, seconds: float, limit: int) -> Sample:
    """Start one request every ``1 / rate`` s for ``seconds``, whatever the server does."""
    loop = asyncio.get_running_loop()
    pool = Pool(port, limit)
    sample = Sample([], 0, 0.0)
    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter() + 0.05
    for i in range(int(rate * seconds)):
        request = feed.next()
        if request is None:
            break
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(loop.create_task(_timed(pool, request, due, sample)))
    await asyncio.gather(*tasks)
    sample.elapsed = time.perf_counter() - start
    pool.close()
    return sample


async def _closed_worker(feed: Feed, port: int, deadline: float, sample: Sample) -> None:
    conn = await Connection.open(port)
    try:
        while time.perf_counter() < deadline and (request := feed.next()) is not None:
            began = time.perf_counter()
            try:
                status = await conn.send(request)
            except Exception:
                sample.errors += 1
                conn.close()
                conn = await Connection.open(port)
                continue
            if status == 200:
                sample.latencies.append(time.perf_counter() - began)
            else:
                sample.errors += 1
    finally:
        conn.close()


async def closed_loop(feed: Feed, port: int, connections: int, seconds: float) -> Sample:
    """``connections`` clients back to back for ``seconds``: the server's max req/s."""
    sample = Sample([], 0, 0.0)
    start = time.perf_counter()
    workers = [_closed_worker(feed, port, start + seconds, sample) for _ in range(connections)]
    await asyncio.gather(*workers)
    sample.elapsed = time.perf_counter() - start
    return sample


def measured(pid: int, phase: Callable[[], Coroutine[Any, Any, Sample]]) -> Sample:
    """Run ``phase`` on a fresh uvloop event loop, recording CPU of every party."""
    with CpuMeter(pid) as meter:
        sample: Sample = uvloop.run(phase())
    sample.cpu = meter.used
    return sample


# -- servers -------------------------------------------------------------------------------


@dataclass
class Target:
    """A running server and what to send it."""

    name: str
    proc: Proc
    port: int
    feed: Feed


def start_bare(port: int, log_level: str) -> Proc:
    """The bare FastAPI route under uvicorn (same defaults as ``bookline serve``)."""
    argv = [sys.executable, "-m", "uvicorn", "bare_app:app", "--app-dir", "bench"]
    argv += ["--host", HOST, "--port", str(port), "--log-level", log_level]
    return spawn(f"bare:{port}", argv, {**os.environ, "PYTHONUNBUFFERED": "1"})


def prepare(port: int, count: int) -> list[bytes]:
    """``count`` signed requests for the server on ``port``."""
    return [signed_request(port, n) for n in range(count)]


@dataclass
class Phases:
    """The three phases run against one server."""

    warmup: Sample
    steady: Sample  # open loop at the offered rate
    flat_out: Sample  # closed loop

    @property
    def acked(self) -> int:
        """Requests answered 200 in all phases."""
        return self.warmup.ok + self.steady.ok + self.flat_out.ok

    @property
    def failed(self) -> int:
        """Requests that failed in all phases."""
        return self.warmup.errors + self.steady.errors + self.flat_out.errors


def run_target(target: Target, args: argparse.Namespace) -> Phases:
    """Warm up, then the open-loop and the closed-loop phases."""
    pid, feed, port = target.proc.pid, target.feed, target.port
    cap = args.max_connections
    phases = Phases(
        warmup=measured(pid, lambda: open_loop(feed, port, args.rate, args.warmup, cap)),
        steady=measured(pid, lambda: open_loop(feed, port, args.rate, args.seconds, cap)),
        flat_out=measured(pid, lambda: closed_loop(feed, port, args.connections, args.seconds)),
    )
    target.proc.check_alive()
    return phases


# -- report --------------------------------------------------------------------------------


def print_phase(title: str, rows: list[tuple[str, Sample]]) -> None:
    """One table: a row per server."""
    print(f"\n{title}")
    print(
        f"  {'server':<9} {'ok':>7} {'err':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} | cpu ms/req: {'server':>6} {'pg+redis':>8} {'client':>6}"
    )
    for name, s in rows:
        print(
            f"  {name:<9} {s.ok:>7} {s.errors:>5} {s.rps:>8.0f} {s.ms(50):>8.2f} "
            f"{s.ms(99):>8.2f} {s.ms(100):>8.2f} | {'':>11} "
            f"{s.cpu_ms_per_request('server'):>6.2f} {s.cpu_ms_per_request('pg+redis'):>8.2f} "
            f"{s.cpu_ms_per_request('client'):>6.3f}"
        )


def report(args: argparse.Namespace, results: dict[str, Phases]) -> None:
    """Tables, then the two headline figures against their goals."""
    names = ["bare", "bookline"]
    print_phase(
        f"Open loop at {args.rate:.0f} req/s offered for {args.seconds:.0f} s "
        "(latency from the scheduled send time)",
        [(n, results[n].steady) for n in names],
    )
    print_phase(
        f"Closed loop, {args.connections} connections for {args.seconds:.0f} s (max throughput)",
        [(n, results[n].flat_out) for n in names],
    )
    ratio = results["bookline"].flat_out.rps / results["bare"].flat_out.rps
    p99 = results["bookline"].steady.ms(99)
    print()
    print(
        f"bookline/bare req/s ratio: {ratio:.2f} (goal >= {GOAL_RATIO}) "
        f"{'MET' if ratio >= GOAL_RATIO else 'MISSED'}"
    )
    print(
        f"bookline p99 at {args.rate:.0f} req/s: {p99:.1f} ms (goal < {GOAL_P99_MS:.0f} ms) "
        f"{'MET' if p99 < GOAL_P99_MS else 'MISSED'}"
    )


def cpu_us_per_call(call: Callable[[], object], calls: int) -> float:
    """CPU microseconds one ``call`` costs in this process, averaged over ``calls``."""
    started = time.process_time()
    for _ in range(calls):
        call()
    return 1e6 * (time.process_time() - started) / calls


def prescribed_steps(database_url: str, redis_url: str) -> dict[str, float]:
    """CPU µs per message of the steps the webhook cannot skip, each timed alone here."""
    form = inbound_sms_form(
        account_sid=FAKE_TWILIO_ACCOUNT_SID,
        from_="+919800000001",
        to=HOTEL_SMS,
        body="double room 24-27 Dec for 2",
        message_sid="SM" + uuid.uuid4().hex,
    )
    body, url = urlencode(form), f"http://{HOST}:8000{PATH}"
    signature = twilio_signature(FAKE_TWILIO_AUTH_TOKEN, url, form)
    if not valid_signature(FAKE_TWILIO_AUTH_TOKEN, url, form, signature):
        raise SystemExit("the prescribed-steps signature does not verify")
    runtime = Runtime(Settings(database_url=database_url, redis_url=redis_url))
    batch, ids = 20, iter(range(1_000_000))

    def enqueue_batch() -> None:
        events = [(next(ids), 1, "sms", f"+9198{n:08d}") for n in range(batch)]
        enqueue_inbound_batch(runtime, events)

    try:
        return {
            "signature check": cpu_us_per_call(
                lambda: valid_signature(FAKE_TWILIO_AUTH_TOKEN, url, form, signature), 5000
            ),
            "parse the form": cpu_us_per_call(
                lambda: dict(parse_qsl(body, keep_blank_values=True)), 5000
            ),
            "rq enqueue (one job per batch of 20)": cpu_us_per_call(enqueue_batch, 250) / batch,
        }
    finally:
        runtime.close()


def report_prescribed(steps: dict[str, float], bare: Sample) -> None:
    """The steps' costs, and the best ratio of a server doing only them (storing nothing)."""
    bare_us = 1000 * bare.cpu_ms_per_request("server")
    print("\nPrescribed steps, CPU µs per message, each timed alone in this process")
    for name, micros in steps.items():
        print(f"  {name:<28}{micros:>8.1f}")
    steps_us = sum(steps.values())
    floor_us = bare_us + steps_us
    print(
        f"  bare server + these steps: {bare_us:.0f} + {steps_us:.0f} = {floor_us:.0f} µs"
        f" -> best ratio on one process, storing nothing: {bare_us / floor_us:.2f}"
    )


def check_stored(database_url: str, redis_url: str, bookline: Phases) -> int:
    """Every acknowledged bookline request left one event row, and a queued job covers it
    (the ingest queues one job per stored batch, carrying the batch's event ids).

    Returns how many acknowledged requests were lost (0 when the check passes)."""
    with psycopg.connect(libpq_url(database_url)) as conn:
        row = conn.execute("SELECT count(*) FROM inbound_events").fetchone()
    events = row[0] if row else 0
    client = redis.Redis.from_url(redis_url)
    try:
        ids = [raw.decode() for raw in client.lrange("rq:queue:inbound", 0, -1)]
        jobs = [job for job in Job.fetch_many(ids, connection=client) if job is not None]
    finally:
        client.close()
    covered = sum(_events_in(job) for job in jobs)
    print(
        f"check: bookline acked {bookline.acked} (failed {bookline.failed}); "
        f"{events} inbound events stored, {len(jobs)} inbound jobs queued covering {covered}"
    )
    lost = max(0, bookline.acked - min(events, covered))
    if lost:
        print(f"LOST: bookline acknowledged {lost} requests it did not store and enqueue")
    return lost


def _events_in(job: Job) -> int:
    """How many stored events a queued inbound job handles."""
    argument = job.args[0]
    return len(argument) if isinstance(argument, list) else 1


# -- main ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_url(parser)
    add_redis_url(parser)
    parser.add_argument("--json", action="store_true", help="one line of JSON on stdout")
    parser.add_argument("--rate", type=float, default=300.0, help="open-loop offered req/s")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--warmup", type=float, default=3.0, help="open-loop warm-up seconds")
    parser.add_argument("--connections", type=int, default=32, help="closed-loop clients")
    parser.add_argument("--max-connections", type=int, default=256, help="open-loop pool cap")
    parser.add_argument("--log-level", default="info", help="both servers (product default)")
    return parser.parse_args()


def bookline_requests(args: argparse.Namespace) -> int:
    """Unique signed requests the bookline phases may use (open loops + closed-loop cap)."""
    return int(args.rate * (args.warmup + args.seconds) + BOOKLINE_MAX_RPS * args.seconds)


def start_targets(args: argparse.Namespace, database_url: str, procs: list[Proc]) -> list[Target]:
    """Start bare and bookline (appended to ``procs`` at once), then sign their requests."""
    bare_port, bookline_port = free_port(), free_port()
    procs.append(start_bare(bare_port, args.log_level))
    env = bookline_env(database_url, args.redis_url, bookline_port, args.log_level)
    procs.append(start_bookline(env, bookline_port))
    started = time.perf_counter()
    bare_feed = Feed(prepare(bare_port, 20_000), reuse=True)
    bookline_feed = Feed(prepare(bookline_port, bookline_requests(args)), reuse=False)
    print(f"signed {len(bookline_feed.requests)} requests in {time.perf_counter() - started:.1f} s")
    return [
        Target("bare", procs[0], bare_port, bare_feed),
        Target("bookline", procs[1], bookline_port, bookline_feed),
    ]


def figures(args: argparse.Namespace, results: dict[str, Phases], lost: int) -> dict[str, object]:
    """The headline figures for ``--json``."""
    bookline, bare = results["bookline"], results["bare"]
    return {
        "req_per_s": round(bookline.flat_out.rps, 1),
        "bare_req_per_s": round(bare.flat_out.rps, 1),
        "ratio_bare": round(bookline.flat_out.rps / bare.flat_out.rps, 3),
        "p99_ms_at_300": round(bookline.steady.ms(99), 2),
        "rate": args.rate,
        "lost": lost,
        "errors": bookline.failed,
    }


def main() -> None:
    args = parse_args()
    with (
        json_report(args.json) as found,
        own_redis(args.redis_url),
        bench_database(args.database_url) as database_url,
    ):
        found["load_average_start"] = load_average()
        print(f"load average at start: {found['load_average_start']} ({os.cpu_count()} CPUs)")
        seed_demo_venues(database_url)
        procs: list[Proc] = []
        try:
            targets = start_targets(args, database_url, procs)
            for target in targets:
                wait_http(target.proc, f"http://{HOST}:{target.port}/")
            results = {target.name: run_target(target, args) for target in targets}
            report(args, results)
            found["load_average_end"] = load_average()
            print(f"load average at end: {found['load_average_end']}")
            lost = check_stored(database_url, args.redis_url, results["bookline"])
        finally:
            stop_all(procs)
        steps = prescribed_steps(database_url, args.redis_url)
        report_prescribed(steps, results["bare"].flat_out)
        found |= figures(args, results, lost)
    if lost:
        raise SystemExit("bookline acknowledged requests it did not store and enqueue")


if __name__ == "__main__":
    main()
