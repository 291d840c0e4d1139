"""Access and refresh tokens.

Tokens only say *who* is calling: a user and the login session they were issued to. What the
caller may do (role, business, whether the account or the login is still live) is read from the
database on every request (``admin_api.deps``), so a token never outlives a demotion, a
deactivation or a logout, and a logout survives anything that happens to Redis.

Access tokens are short-lived HS256 JWTs. Refresh tokens are opaque random strings stored in
Redis by their SHA-256 only: each use deletes it (GETDEL, atomic) and issues a new one for the
same login; presenting a spent token again means it was stolen or replayed, so the login's
refresh tokens are all deleted. Losing Redis only costs a new login, never revives an ended one.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import jwt
from redis import Redis
from redis.client import Pipeline

ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=14)
ALGORITHM = "HS256"
PREFIX = "bookline:auth"


class TokenError(Exception):
    """A token that is malformed, expired, spent or of the wrong kind."""


class ReplayedTokenError(TokenError):
    """A refresh token presented again after it was spent: stolen or replayed, so the login it
    belongs to (``login_id``) must end, access tokens included."""

    def __init__(self, login_id: str) -> None:
        super().__init__("Invalid or expired refresh token.")
        self.login_id = login_id


@dataclass(frozen=True)
class Identity:
    """Who a token was issued to: a user, in one login session."""

    user_id: int
    login_id: str


@dataclass(frozen=True)
class IssuedTokens:
    """What a login or a refresh hands back."""

    access_token: str
    refresh_token: str
    expires_in: int


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenService:
    """Issues, verifies and rotates tokens for one signing key and Redis."""

    def __init__(self, redis: Redis, signing_key: str) -> None:
        self.redis = redis
        # A key of its own for JWTs (32 bytes, whatever SECRET_KEY's length), so a token can
        # never be replayed as another HMAC made from the same secret (calendar feed tokens).
        self.key = hashlib.sha256(b"bookline:jwt:" + signing_key.encode()).digest()

    def access_token(self, identity: Identity, *, ttl: timedelta = ACCESS_TTL) -> str:
        """A signed access JWT (``ttl`` may be negative: tests make expired tokens this way)."""
        now = int(time.time())
        claims = {
            "sub": str(identity.user_id),
            "sid": identity.login_id,
            "typ": "access",
            "iat": now,
            "exp": now + int(ttl.total_seconds()),
        }
        return jwt.encode(claims, self.key, algorithm=ALGORITHM)

    def verify(self, token: str) -> Identity:
        """Who a valid, unexpired access token names; TokenError otherwise."""
        try:
            claims = jwt.decode(
                token, self.key, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "sid"]}
            )
            identity = Identity(int(claims["sub"]), str(claims["sid"]))
        except (jwt.PyJWTError, ValueError) as exc:
            raise TokenError("Invalid or expired token.") from exc
        if claims.get("typ") != "access":
            raise TokenError("Invalid or expired token.")
        return identity

    def issue(self, identity: Identity) -> IssuedTokens:
        """A new access token and a refresh token for the same login."""
        refresh = secrets.token_urlsafe(32)
        ttl = int(REFRESH_TTL.total_seconds())
        family = f"{PREFIX}:family:{identity.login_id}"
        pipeline = self.redis.pipeline()
        pipeline.set(
            f"{PREFIX}:refresh:{_digest(refresh)}",
            json.dumps([identity.user_id, identity.login_id]),
            ex=ttl,
        )
        pipeline.sadd(family, _digest(refresh))
        pipeline.expire(family, ttl)
        pipeline.execute()
        access = self.access_token(identity)
        return IssuedTokens(access, refresh, int(ACCESS_TTL.total_seconds()))

    def redeem(self, refresh_token: str) -> Identity:
        """Spend a refresh token: whose login it was; a replayed one ends its refresh tokens."""
        digest = _digest(refresh_token)
        raw = self.redis.getdel(f"{PREFIX}:refresh:{digest}")
        if raw is None:
            login_id = self.redis.get(f"{PREFIX}:spent:{digest}")
            if login_id is not None:
                self.forget(_text(login_id))
                raise ReplayedTokenError(_text(login_id))
            raise TokenError("Invalid or expired refresh token.")
        user_id, login_id = json.loads(raw)
        ttl = int(REFRESH_TTL.total_seconds())
        self.redis.set(f"{PREFIX}:spent:{digest}", login_id, ex=ttl)
        return Identity(int(user_id), str(login_id))

    def forget(self, login_id: str, pipeline: Pipeline | None = None) -> None:
        """Delete every live refresh token of a login (the database is what ends the login)."""
        family = f"{PREFIX}:family:{login_id}"
        digests = [_text(d) for d in self.redis.smembers(family)]
        target = pipeline if pipeline is not None else self.redis
        target.delete(*(f"{PREFIX}:refresh:{d}" for d in digests), family)
