"""A running Bookline for end-to-end tests: the real ASGI app served over HTTP with the fake
providers mounted, and — when REDIS_URL points at a real Redis — real rq worker processes and,
on request, a second API process (``bookline serve``) sharing the same database and Redis.

On the embedded default (no REDIS_URL) jobs run inline in the app, the same code path.
``live_feed`` reads a dashboard's live feed (``GET /api/v1/live``) over real HTTP.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import time as wall_time
from typing import Any

import httpx
import redis as redis_lib
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bookline.app import create_app
from bot.dialogue import Dialogue
from engine.seed import seed_demo
from engine.tenants.models import Venue
from engine.tenants.service import update_venue
from fakeproviders import RunningServer, run_in_thread
from fakeproviders.credentials import (
    FAKE_TWILIO_AUTH_TOKEN,
    FAKE_WHATSAPP_APP_SECRET,
)
from fakeproviders.inbound import send_sms, send_whatsapp
from fakeproviders.state import FakeState, SentMessage
from infra.runtime import Runtime
from tests.settings import sandbox_env, sandbox_settings

HOTEL_SMS = "+15005550006"
RESTAURANT_SMS = "+15005550007"
HOTEL_WA = "100000000000001"
RESTAURANT_WA = "100000000000002"
#: Palm Cove Inn, the demo business's second hotel.
INN_SMS = "+15005550009"
INN_WA = "100000000000004"
#: Quiet hours that begin and end at the same minute: none.
NO_QUIET_HOURS = {"start": wall_time(0, 0), "end": wall_time(0, 0)}


def wait_for(predicate: Callable[[], Any], *, timeout: float = 15.0, step: float = 0.05) -> Any:
    """Poll until ``predicate()`` is truthy; fail the test with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout}s")


@dataclass
class Stack:
    """The app under test and handles to drive and inspect it."""

    url: str
    runtime: Runtime
    fake: FakeState
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    #: The second API process and its URL, when one was asked for.
    other_api: subprocess.Popen[bytes] | None = None
    other_url: str | None = None
    _sids: int = 0

    @property
    def real_workers(self) -> bool:
        """True when jobs go through Redis to worker processes."""
        return bool(self.workers)

    def sms(
        self,
        body: str,
        *,
        guest: str = "+919800000001",
        to: str = HOTEL_SMS,
        sid: str | None = None,
    ) -> httpx.Response:
        """A signed inbound SMS from ``guest`` to the venue number ``to``."""
        return send_sms(
            self.url,
            auth_token=FAKE_TWILIO_AUTH_TOKEN,
            from_=guest,
            to=to,
            body=body,
            message_sid=sid,
        )

    def whatsapp(
        self,
        text: str | None = None,
        *,
        guest: str = "919800000002",
        to: str = HOTEL_WA,
        message_id: str | None = None,
        name: str = "Asha",
        **kwargs: Any,
    ) -> httpx.Response:
        """A signed inbound WhatsApp message from ``guest`` to phone number id ``to``."""
        return send_whatsapp(
            self.url,
            app_secret=FAKE_WHATSAPP_APP_SECRET,
            phone_number_id=to,
            display_number="15550001111",
            from_=guest,
            text=text,
            message_id=message_id,
            name=name,
            **kwargs,
        )

    def sent_to(self, guest: str) -> list[SentMessage]:
        """Everything the fake providers received for ``guest`` so far."""
        return self.fake.messages(to=guest)

    def wait_sent(self, guest: str, count: int, *, timeout: float = 15.0) -> list[SentMessage]:
        """Wait until ``guest`` was sent at least ``count`` messages; return them all."""
        wait_for(lambda: len(self.sent_to(guest)) >= count, timeout=timeout)
        return self.sent_to(guest)

    def settle(self, quiet: float = 0.5) -> None:
        """Wait until no new outbound arrives for ``quiet`` seconds (proves "nothing more")."""
        last = -1
        while True:
            count = len(self.fake.messages())
            if count == last:
                return
            last = count
            time.sleep(quiet)


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return _bookline(env, "worker")


def _bookline(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bookline", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=None,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _api_process(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """``bookline serve`` on a free port, once it answers its readiness check."""
    port = free_port()
    process = _bookline(env, "serve", "--host", "127.0.0.1", "--port", str(port))
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(f"{url}/api/health/ready", timeout=1).status_code == 200
        except httpx.TransportError:
            return process.poll() is not None  # exited: stop waiting, fail below

    try:
        wait_for(ready, timeout=30)
        assert process.poll() is None, "the second API process exited"
    except AssertionError:
        process.terminate()
        raise
    return process, url


@contextmanager
def running_stack(
    database_url: str,
    *,
    workers: int = 1,
    dialogue: Dialogue | None = None,
    second_api: bool = False,
) -> Iterator[Stack]:
    """Serve the app (and start workers on real Redis) for the duration of the block.

    ``second_api`` (real Redis only) also starts another API process on the same database and
    Redis, as a load balancer would have behind it; its URL is ``Stack.other_url``.
    """
    redis_url = os.environ.get("REDIS_URL") or None
    if second_api and not redis_url:
        raise ValueError("a second API process needs REDIS_URL: processes share only Redis")
    if redis_url:
        redis_lib.Redis.from_url(redis_url).flushdb()
    settings = sandbox_settings(database_url, redis_url)
    runtime = Runtime(settings) if dialogue is None else Runtime(settings, dialogue=dialogue)
    app = create_app(settings, runtime)
    server: RunningServer = run_in_thread(app)
    settings.public_base_url = server.url
    fake_app = app.state.fake_providers
    fake_app.state.fake_config.app_url = server.url
    fake_app.state.fake_config.public_base_url = server.url
    stack = Stack(server.url, runtime, fake_app.state.fake_state)
    if redis_url:
        env = sandbox_env(
            DATABASE_URL=database_url, REDIS_URL=redis_url, PUBLIC_BASE_URL=server.url
        )
        stack.workers = [_worker(env) for _ in range(workers)]
        if second_api:
            stack.other_api, stack.other_url = _api_process(env)
    try:
        yield stack
    finally:
        # The fake's delivery threads post into this app: none may outlive it (or the tests).
        stack.fake.wait_until(lambda fake: fake.deliveries_in_flight() == 0, timeout=10)
        processes = [*stack.workers, *([stack.other_api] if stack.other_api else [])]
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        server.stop()
        runtime.close()


@dataclass
class LiveFeed:
    """A dashboard's open live feed: events in order, each due within the read timeout."""

    lines: Iterator[str]

    def next_event(self) -> tuple[str, dict[str, Any]]:
        """The next event as (type, data); ``httpx.ReadTimeout`` when none arrives in time."""
        kind: str | None = None
        data: dict[str, Any] = {}
        for line in self.lines:
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data = json.loads(line.removeprefix("data: "))
            elif not line and kind is not None:
                return kind, data
        raise AssertionError("the live feed ended")

    def wait_end(self) -> None:
        """Return once the server ends the feed; ``httpx.ReadTimeout`` if it stays open."""
        for _line in self.lines:
            pass


@contextmanager
def live_feed(url: str, token: str, *, within: float = 2.0) -> Iterator[LiveFeed]:
    """Connect to ``url``'s live feed as the holder of ``token``; yields once it is ready."""
    timeout = httpx.Timeout(10.0, read=within)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.stream("GET", f"{url}/api/v1/live", headers=headers, timeout=timeout) as response:
        assert response.status_code == 200, response.read()
        feed = LiveFeed(response.iter_lines())
        assert feed.next_event() == ("ready", {})
        yield feed


def without_quiet_hours(sessions: sessionmaker[Session]) -> None:
    """The demo venues keep no quiet hours. For tests that run a sweep at a clock of their
    choosing: what it writes is sent at the real clock, and a venue's night (22:00-08:00 by
    default) falling on the real clock would hold a reminder or a question back till morning."""
    with sessions.begin() as session:
        for venue in session.scalars(select(Venue)):
            update_venue(session, venue=venue, fields={"quiet_hours": NO_QUIET_HOURS})


def with_fresh_demo(stack: Stack, sessions: sessionmaker[Session]) -> Stack:
    """``stack`` with the demo seeded afresh, the fake providers reset and no conversation
    state left in Redis (each end-to-end test starts from the same place)."""
    with sessions.begin() as session:
        seed_demo(session)
    stack.fake.reset()
    for key in stack.runtime.redis.scan_iter("bookline:*"):
        stack.runtime.redis.delete(key)
    return stack
