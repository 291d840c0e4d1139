"""Login throttling that slows guessing down without ever locking the owner out.

Failed logins are counted in Redis per account *at one address* and per address (across
accounts). After a few free failures each further one makes that pair or address wait before
its next attempt, the wait doubling each time up to a cap; an attempt during the wait is
answered 429 with ``Retry-After`` before the password is looked at (no argon2 work for an
attacker). Once the wait is over, the right password gets in and clears its pair.

Nothing is counted per account alone: failures at other addresses never slow the owner down at
theirs, so nobody can lock an owner out by guessing at their account. The address is the real
client's (``request.client``, which believes X-Forwarded-For only from FORWARDED_ALLOW_IPS), so
one client guessing cannot slow down everyone behind the same proxy either.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass

from redis import Redis

PREFIX = "bookline:auth:fail"
#: Failures are forgotten an hour after the last one.
WINDOW_SECONDS = 60 * 60
#: How long one attempt may hold its account-at-address turn (argon2 plus a lookup take well
#: under a second; the turn lapses by itself if the request dies midway).
IN_FLIGHT_MS = 10_000


@dataclass(frozen=True)
class Backoff:
    """``free`` failures without a wait, then ``first_seconds``, doubling up to a cap."""

    free: int
    first_seconds: int
    cap_seconds: int

    def wait_ms(self, failures: int) -> int:
        """How long to wait after the ``failures``-th failure (0: no wait)."""
        if failures < self.free:
            return 0
        doublings = min(failures - self.free, 20)
        return min(self.first_seconds << doublings, self.cap_seconds) * 1000


#: One account from one address: five tries, then waits of 2 s, 4 s, 8 s … up to 5 min.
PER_ACCOUNT_AT_ADDRESS = Backoff(free=5, first_seconds=2, cap_seconds=5 * 60)
#: One address across accounts (spraying many): 20 tries, then 5 s, 10 s … up to 1 min. Kept
#: short because the right password cannot pass it: the owner behind a shared address (a
#: hotel's Wi-Fi, an office) waits a minute at most, however many guesses were made there.
PER_ADDRESS = Backoff(free=20, first_seconds=5, cap_seconds=60)


class TooManyAttemptsError(Exception):
    """Too many failed logins; ``retry_after`` seconds until the next attempt is heard."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many failed logins; try again later.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class LoginThrottle:
    """Failure counters and waits for one login attempt's account and address."""

    redis: Redis
    account: str
    address: str

    @property
    def _keys(self) -> list[tuple[str, Backoff]]:
        account = hashlib.sha256(self.account.strip().lower().encode()).hexdigest()[:32]
        address = client_key(self.address)
        return [
            (f"{PREFIX}:pair:{account}:{address}", PER_ACCOUNT_AT_ADDRESS),
            (f"{PREFIX}:address:{address}", PER_ADDRESS),
        ]

    def check(self) -> None:
        """Raise TooManyAttemptsError while the pair or the address has to wait, or while
        another attempt of the pair is being checked: parallel guesses would all pass a wait
        that only the first failure starts."""
        pipeline = self.redis.pipeline()
        for key, _ in self._keys:
            pipeline.pttl(f"{key}:wait")
        wait_ms = max(int(ms) for ms in pipeline.execute())
        if wait_ms > 0:
            raise TooManyAttemptsError(math.ceil(wait_ms / 1000))
        if not self.redis.set(self._in_flight, 1, nx=True, px=IN_FLIGHT_MS):
            raise TooManyAttemptsError(1)

    @property
    def _in_flight(self) -> str:
        return f"{self._keys[0][0]}:in-flight"

    def failed(self) -> None:
        """Count one failure against the pair and the address; start their waits if due."""
        keys = self._keys
        pipeline = self.redis.pipeline()
        for key, _ in keys:
            pipeline.incr(key)
            pipeline.expire(key, WINDOW_SECONDS)
        counts = pipeline.execute()[::2]
        for (key, backoff), count in zip(keys, counts, strict=True):
            wait_ms = backoff.wait_ms(int(count))
            if wait_ms:
                pipeline.set(f"{key}:wait", 1, px=wait_ms)
        pipeline.delete(self._in_flight)  # after the wait is set: no gap for a second guess
        pipeline.execute()

    def succeeded(self) -> None:
        """The right password clears the pair (not the address: its guesses still count)."""
        pair = self._keys[0][0]
        self.redis.delete(pair, f"{pair}:wait", self._in_flight)


def client_key(address: str) -> str:
    """The address as counted: an IPv6 client by its /64, since one subscriber is handed a
    whole /64 and could otherwise guess from a fresh address each time."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
