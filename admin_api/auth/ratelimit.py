"""Login throttling: failed attempts counted per account and per client address in Redis.

A fixed window per key (the first failure starts it). Checked before the password is looked
at, so a locked-out attacker costs no argon2 work; a success clears the account's count.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

PREFIX = "bookline:auth:fail"
WINDOW_SECONDS = 15 * 60
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


class TooManyAttemptsError(Exception):
    """Too many failed logins; ``retry_after`` seconds until the window ends."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many failed logins; try again later.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class LoginThrottle:
    """Failure counters for one login attempt's account and address."""

    redis: Redis
    account: str
    address: str

    @property
    def _keys(self) -> list[tuple[str, int]]:
        return [
            (f"{PREFIX}:account:{self.account.strip().lower()}", MAX_PER_ACCOUNT),
            (f"{PREFIX}:address:{self.address}", MAX_PER_ADDRESS),
        ]

    def check(self) -> None:
        """Raise TooManyAttemptsError when either counter is at its limit."""
        keys = self._keys
        counts = self.redis.mget([key for key, _ in keys])
        for (key, limit), count in zip(keys, counts, strict=True):
            if count is not None and int(count) >= limit:
                raise TooManyAttemptsError(max(int(self.redis.ttl(key)), 1))

    def failed(self) -> None:
        """Count one failure against the account and the address."""
        pipeline = self.redis.pipeline()
        for key, _ in self._keys:
            pipeline.incr(key)
            pipeline.expire(key, WINDOW_SECONDS, nx=True)
        pipeline.execute()

    def succeeded(self) -> None:
        """A correct password clears the account's failures (not the address's)."""
        self.redis.delete(self._keys[0][0])
