"""Access and refresh tokens.

Access tokens are short-lived HS256 JWTs carrying the user, business and role, so most requests
need no lookup but one Redis EXISTS (logout puts the token's id on a deny list until it would
have expired anyway). Refresh tokens are opaque random strings stored in Redis by their SHA-256
only: each use deletes it (GETDEL, atomic) and issues a new one in the same family; presenting a
spent token again means it was stolen or replayed, so the whole family is revoked.
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

from engine.accounts.enums import Role

ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=14)
ALGORITHM = "HS256"
PREFIX = "bookline:auth"


class TokenError(Exception):
    """A token that is malformed, expired, revoked or of the wrong kind."""


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the access token says."""

    user_id: int
    business_id: int | None
    role: Role
    token_id: str
    expires_at: int


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
    """Issues, verifies, rotates and revokes tokens for one signing key and Redis."""

    def __init__(self, redis: Redis, signing_key: str) -> None:
        self.redis = redis
        # A key of its own for JWTs (32 bytes, whatever SECRET_KEY's length), so a token can
        # never be replayed as another HMAC made from the same secret (calendar feed tokens).
        self.key = hashlib.sha256(b"bookline:jwt:" + signing_key.encode()).digest()

    def access_token(
        self, *, user_id: int, business_id: int | None, role: Role, ttl: timedelta = ACCESS_TTL
    ) -> str:
        """A signed access JWT (``ttl`` may be negative: tests make expired tokens this way)."""
        now = int(time.time())
        claims = {
            "sub": str(user_id),
            "bid": business_id,
            "role": role.value,
            "typ": "access",
            "jti": secrets.token_hex(12),
            "iat": now,
            "exp": now + int(ttl.total_seconds()),
        }
        return jwt.encode(claims, self.key, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        """The principal of a valid, unrevoked access token; TokenError otherwise."""
        try:
            claims = jwt.decode(
                token, self.key, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "jti"]}
            )
            principal = Principal(
                int(claims["sub"]),
                claims["bid"],
                Role(claims["role"]),
                claims["jti"],
                claims["exp"],
            )
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            raise TokenError("Invalid or expired token.") from exc
        if claims.get("typ") != "access" or self.redis.exists(
            f"{PREFIX}:deny:{principal.token_id}"
        ):
            raise TokenError("Invalid or expired token.")
        return principal

    def issue(
        self, *, user_id: int, business_id: int | None, role: Role, family: str | None = None
    ) -> IssuedTokens:
        """A new access token and a refresh token (in a new family unless rotating)."""
        family = family or secrets.token_hex(12)
        refresh = secrets.token_urlsafe(32)
        ttl = int(REFRESH_TTL.total_seconds())
        pipeline = self.redis.pipeline()
        pipeline.set(f"{PREFIX}:refresh:{_digest(refresh)}", json.dumps([user_id, family]), ex=ttl)
        pipeline.sadd(f"{PREFIX}:family:{family}", _digest(refresh))
        pipeline.expire(f"{PREFIX}:family:{family}", ttl)
        pipeline.execute()
        access = self.access_token(user_id=user_id, business_id=business_id, role=role)
        return IssuedTokens(access, refresh, int(ACCESS_TTL.total_seconds()))

    def redeem(self, refresh_token: str) -> tuple[int, str]:
        """Spend a refresh token: its (user id, family); a replayed one revokes its family."""
        digest = _digest(refresh_token)
        raw = self.redis.getdel(f"{PREFIX}:refresh:{digest}")
        if raw is None:
            family = self.redis.get(f"{PREFIX}:spent:{digest}")
            if family is not None:
                self.revoke_family(_text(family))
            raise TokenError("Invalid or expired refresh token.")
        user_id, family = json.loads(raw)
        ttl = int(REFRESH_TTL.total_seconds())
        self.redis.set(f"{PREFIX}:spent:{digest}", family, ex=ttl)
        return int(user_id), str(family)

    def revoke_family(self, family: str, pipeline: Pipeline | None = None) -> None:
        """Delete every live refresh token of a login session."""
        digests = [_text(d) for d in self.redis.smembers(f"{PREFIX}:family:{family}")]
        target = pipeline if pipeline is not None else self.redis
        target.delete(*(f"{PREFIX}:refresh:{d}" for d in digests), f"{PREFIX}:family:{family}")

    def owner_of(self, refresh_token: str) -> tuple[int, str] | None:
        """(user id, family) of a live refresh token, None when it is not live."""
        raw = self.redis.get(f"{PREFIX}:refresh:{_digest(refresh_token)}")
        if raw is None:
            return None
        user_id, family = json.loads(raw)
        return int(user_id), str(family)

    def deny(self, principal: Principal, pipeline: Pipeline | None = None) -> None:
        """Refuse this access token from now until it expires."""
        ttl = max(principal.expires_at - int(time.time()), 1)
        target = pipeline if pipeline is not None else self.redis
        target.set(f"{PREFIX}:deny:{principal.token_id}", 1, ex=ttl)
