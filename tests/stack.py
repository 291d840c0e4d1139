"""A running Bookline for end-to-end tests: the real ASGI app served over HTTP with the fake
providers mounted, and — when REDIS_URL points at a real Redis — real rq worker processes.

On the embedded default (no REDIS_URL) jobs run inline in the app, the same code path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import redis as redis_lib

from bookline.app import create_app
from bookline.fakeproviders import RunningServer, run_in_thread
from bookline.fakeproviders.credentials import (
    FAKE_TWILIO_AUTH_TOKEN,
    FAKE_WHATSAPP_APP_SECRET,
)
from bookline.fakeproviders.inbound import send_sms, send_whatsapp
from bookline.fakeproviders.state import FakeState, SentMessage
from bookline.runtime import Runtime
from bookline.settings import Settings
from bot.dialogue import Dialogue

HOTEL_SMS = "+15005550006"
RESTAURANT_SMS = "+15005550007"
HOTEL_WA = "100000000000001"
RESTAURANT_WA = "100000000000002"


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
    return subprocess.Popen(
        [sys.executable, "-m", "bookline", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=None,
    )


@contextmanager
def running_stack(
    database_url: str, *, workers: int = 1, dialogue: Dialogue | None = None
) -> Iterator[Stack]:
    """Serve the app (and start workers on real Redis) for the duration of the block."""
    redis_url = os.environ.get("REDIS_URL") or None
    if redis_url:
        redis_lib.Redis.from_url(redis_url).flushdb()
    settings = Settings(
        database_url=database_url, redis_url=redis_url, secret_key="test-secret", _env_file=None
    )  # type: ignore[call-arg]
    runtime = Runtime(settings) if dialogue is None else Runtime(settings, dialogue=dialogue)
    app = create_app(settings, runtime)
    server: RunningServer = run_in_thread(app)
    settings.public_base_url = server.url
    fake_app = app.state.fake_providers
    fake_app.state.fake_config.app_url = server.url
    fake_app.state.fake_config.public_base_url = server.url
    stack = Stack(server.url, runtime, fake_app.state.fake_state)
    if redis_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PUBLIC_BASE_URL": server.url,
            "SECRET_KEY": "test-secret",
        }
        stack.workers = [_worker(env) for _ in range(workers)]
    try:
        yield stack
    finally:
        for worker in stack.workers:
            worker.terminate()
        for worker in stack.workers:
            worker.wait(timeout=10)
        server.stop()
        runtime.close()
