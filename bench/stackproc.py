"""Real processes for the end-to-end benchmarks: ``bookline serve``/``worker`` and helpers.

Everything here talks to loopback only and is bounded: readiness waits time out, and
``stop_all`` terminates (then kills) exactly the processes it was given. A bench uses the Redis
database it is given only if that database is empty, and deletes only the keys its run created
(``own_redis``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import redis
from sqlalchemy import select

from application.unit_of_work import unit_of_work
from engine.history.service import seed_history
from engine.seed import seed_demo
from engine.tenants.models import Venue
from infra.runtime import Runtime
from infra.settings import Settings, new_secret_key

#: The Redis database CI's tests use (``.ci/run``): the default when $REDIS_URL is unset.
CI_REDIS_URL = "redis://127.0.0.1:6379/15"
#: Fresh per run: a key written down anywhere would be one an attacker could read too.
BENCH_SECRET = new_secret_key()
#: A loaded 2-core machine (other benches running) can take over a minute to import and start
#: the app; a bench that gives up then measures nothing.
READY_TIMEOUT = 180.0
REPO_ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Proc:
    """A child process with its stderr captured to a temporary file (shown when it fails)."""

    name: str
    popen: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.popen.pid

    def check_alive(self) -> None:
        """Raise with the tail of its stderr if the process has exited."""
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.name} exited ({self.popen.returncode}):\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        """The last ``chars`` characters of its stderr."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-chars:]


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bookline_env(
    database_url: str, redis_url: str, port: int, log_level: str, **extra: str
) -> dict[str, str]:
    """The environment a production ``bookline`` process gets, pointed at the bench stores,
    with the sandbox asked for (the fake providers stand in for whatever is not configured)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "WHATSAPP_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        SECRET_KEY=BENCH_SECRET,
        BOOKLINE_SANDBOX="1",
        LOG_LEVEL=log_level.upper(),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def spawn(name: str, argv: Sequence[str], env: dict[str, str]) -> Proc:
    """Start ``argv`` from the repository root; stdout (access log) is discarded."""
    log = tempfile.TemporaryFile(prefix=f"bench-{name}-")
    popen = subprocess.Popen(
        list(argv), cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    return Proc(name, popen, log)


def start_bookline(env: dict[str, str], port: int) -> Proc:
    """``python -m bookline serve --port port`` (one uvicorn process)."""
    argv = [sys.executable, "-m", "bookline", "serve", "--port", str(port)]
    return spawn(f"serve:{port}", argv, env)


def start_worker(env: dict[str, str], number: int) -> Proc:
    """``python -m bookline worker`` (an rq SimpleWorker with the scheduler)."""
    return spawn(f"worker{number}", [sys.executable, "-m", "bookline", "worker"], env)


def wait_http(proc: Proc, url: str, timeout: float = READY_TIMEOUT) -> None:
    """Poll ``url`` until it answers below 500; raise if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc.check_alive()
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{proc.name} not ready at {url} after {timeout}s:\n{proc.log_tail()}")


def stop_all(procs: Iterable[Proc]) -> None:
    """SIGTERM each process, wait up to 10 s, then SIGKILL; close the logs."""
    procs = list(procs)
    for proc in procs:
        if proc.popen.poll() is None:
            proc.popen.terminate()
    for proc in procs:
        try:
            proc.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.popen.kill()
            proc.popen.wait(timeout=10)
        proc.log.close()


def seed_demo_venues(database_url: str, history_days: int = 0) -> None:
    """What ``bookline seed --demo --history history_days`` does: the demo hotel
    (+15005550006) and restaurant, with that many days of past bookings."""
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    runtime = Runtime(settings)
    try:
        with unit_of_work(runtime, live=False) as uow:
            business = seed_demo(uow.session)
            seed_history(uow.session, business=business, days=history_days)
    finally:
        runtime.close()


def set_recommendations(database_url: str, *, on: bool) -> None:
    """Turn every recommendation kind of every venue on or off (``--recommendations``)."""
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    runtime = Runtime(settings)
    try:
        with unit_of_work(runtime, live=False) as uow:
            for venue in uow.session.scalars(select(Venue)):
                kinds = {kind.value: on for kind in venue.recommendations}
                venue.settings = {**venue.settings, "recommendations": kinds}
    finally:
        runtime.close()


def add_redis_url(parser: argparse.ArgumentParser) -> None:
    """The ``--redis-url`` every bench with Redis takes: $REDIS_URL, else the CI database."""
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", CI_REDIS_URL),
        help="an empty Redis database, used only while the bench runs "
        "(default: $REDIS_URL, else the CI one)",
    )


@contextmanager
def own_redis(url: str) -> Iterator[None]:
    """Run with the Redis database at ``url`` to ourselves; afterwards delete the keys we made.

    The processes measured use fixed key names (rq's queues and registries), so the database
    must be empty at the start: a stranger's keys would be mixed into the run (jobs taken by
    our workers, counted by our checks) and could not be told apart afterwards. Nothing is
    flushed: the keys deleted at the end are those the run created, as the database held none
    before it.
    """
    client = redis.Redis.from_url(url)
    try:
        if client.dbsize():
            raise SystemExit(
                f"the Redis database at {url} is not empty: a bench needs one to itself "
                "(pass another with --redis-url or $REDIS_URL); nothing was touched"
            )
        try:
            yield
        finally:
            _delete_keys(client)
    finally:
        client.close()


def _delete_keys(client: redis.Redis) -> None:
    """Delete every key in ``client``'s database, a batch per round trip (no FLUSHDB)."""
    batch: list[bytes] = []
    for key in client.scan_iter(count=500):
        batch.append(key)
        if len(batch) == 500:
            client.unlink(*batch)
            batch.clear()
    if batch:
        client.unlink(*batch)


@contextmanager
def json_report(enabled: bool) -> Iterator[dict[str, Any]]:
    """With ``--json``: the bench's report goes to stderr, and the figures it puts in the
    yielded dict are printed to stdout as one line of JSON when the block ends."""
    figures: dict[str, Any] = {}
    if not enabled:
        yield figures
        return
    with redirect_stdout(sys.stderr):
        yield figures
    print(json.dumps(figures, sort_keys=True), flush=True)


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds the process has used so far (``/proc/<pid>/stat``).

    ``children`` adds the CPU of its exited, reaped children (PostgreSQL's postmaster reaps
    the backends of closed connections, whose CPU would otherwise vanish with them).
    """
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def stores_cpu() -> float:
    """CPU seconds of every ``postgres`` (with its reaped backends) and ``redis-server``
    process on the machine: shared servers, so other users' load shows up here too."""
    total = 0.0
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            name = comm.read_text().strip()
            if name == "postgres" or name.startswith("redis-server"):
                total += cpu_seconds(int(comm.parent.name), children=True)
        except (OSError, IndexError, ValueError):
            continue  # the process went away meanwhile
    return total


def load_average() -> str:
    """The machine's 1/5/15-minute load averages (it is shared: judge the figures by it)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def rss_mb(pid: int) -> float:
    """Resident set size in MiB (``VmRSS`` of ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100) of ``values``."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
