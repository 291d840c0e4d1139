"""``bookline serve`` and the app agree on who the client is: X-Forwarded-For is believed only
from a peer that FORWARDED_ALLOW_IPS names (set in ``.env`` here, which only the app reads), so
a forged header cannot dodge the per-address login limit, and one proxy's clients are not all
counted as one address."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import redis

from admin_api.auth.ratelimit import PER_ADDRESS
from tests.settings import sandbox_env
from tests.stack import free_port, wait_for

#: The proxy in front: another loopback address, so one machine plays client and proxy.
PROXY = "127.0.0.2"


def _guesses(client: httpx.Client, url: str, first: int) -> list[int]:
    """One more wrong login than the address limit lets through, each "forwarded for" a new
    address; the statuses."""
    return [
        client.post(
            f"{url}/api/v1/auth/token",
            data={"username": f"guess{n}@demo.test", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(first, first + PER_ADDRESS.free + 1)
    ]


def _forget_counters(env: dict[str, str]) -> None:
    """Empty the test Redis database, which holds this test's login counters (on the embedded
    default they live in the server process and go with it)."""
    if env.get("REDIS_URL"):
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_serve_believes_forwarded_for_only_from_the_configured_proxy(
    database_url: str, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(f"FORWARDED_ALLOW_IPS={PROXY}\n")
    env = sandbox_env(DATABASE_URL=database_url)
    env.pop("FORWARDED_ALLOW_IPS", None)
    _forget_counters(env)
    url = f"http://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "bookline", "serve", "--port", url.rsplit(":", 1)[1]]
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: _answers(url), timeout=60)
        with httpx.Client() as direct:
            forged = _guesses(direct, url, 0)
        with httpx.Client(transport=httpx.HTTPTransport(local_address=PROXY)) as proxy:
            relayed = _guesses(proxy, url, 100)
    finally:
        server.terminate()
        server.wait(timeout=15)
        _forget_counters(env)  # the waits it earned would slow the next test's logins
    assert forged[-1] == 429, "a forged X-Forwarded-For from 127.0.0.1 was believed"
    assert 429 not in relayed, "the proxy's clients were counted as one address"
