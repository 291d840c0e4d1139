"""Stopping ``bookline serve`` with dashboards connected: their live feeds end at once and the
process exits cleanly, well inside the graceful-shutdown timeout and without a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bookline.cli import SHUTDOWN_GRACE_SECONDS
from engine.seed import OWNER_EMAIL, OWNER_PASSWORD, seed_demo
from tests.settings import sandbox_env
from tests.stack import free_port, wait_for


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_ends_open_live_feeds_and_exits_cleanly(
    database_url: str, sessions: sessionmaker[Session], stop: signal.Signals
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = sandbox_env(DATABASE_URL=database_url, PUBLIC_BASE_URL=url)
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "bookline", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: _answers(url), timeout=30)
            form = {"username": OWNER_EMAIL, "password": OWNER_PASSWORD}
            login = httpx.post(f"{url}/api/v1/auth/token", data=form)
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            feed = _Feed(url, token)
            wait_for(lambda: feed.lines[:1] == ["event: ready"])
            started = time.monotonic()
            server.send_signal(stop)
            server.wait(timeout=SHUTDOWN_GRACE_SECONDS + 10)
            took = time.monotonic() - started
            feed.thread.join(timeout=5)
        finally:
            if server.poll() is None:
                server.kill()
        log.seek(0)
        output = log.read().decode()
    assert took < SHUTDOWN_GRACE_SECONDS / 2, f"the stop took {took:.1f} s"
    assert not feed.thread.is_alive(), "the live feed stayed open"
    assert server.returncode in (0, -stop)
    assert "Traceback" not in output and "Finished server process" in output


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


class _Feed:
    """A dashboard's live feed, read on a thread until the server ends it."""

    def __init__(self, url: str, token: str) -> None:
        self.lines: list[str] = []
        headers = {"Authorization": f"Bearer {token}"}
        self.thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self.thread.start()

    def _read(self, url: str, headers: dict[str, str]) -> None:
        timeout = httpx.Timeout(10.0, read=None)
        try:
            with httpx.stream("GET", f"{url}/api/v1/live", headers=headers, timeout=timeout) as r:
                for line in r.iter_lines():
                    if line:
                        self.lines.append(line)
        except httpx.HTTPError:
            pass  # the connection going away also ends it


def test_serve_on_a_real_stack_without_secret_key_refuses_to_start(database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DATABASE_URL"] = database_url
    env["REDIS_URL"] = "redis://127.0.0.1:1/0"  # a real stack (never reached): no own key here
    started = subprocess.run(
        [sys.executable, "-m", "bookline", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert started.returncode != 0
    assert "SECRET_KEY must be set" in started.stderr and "Traceback" not in started.stderr
