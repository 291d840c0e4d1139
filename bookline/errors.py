"""Mapping errors to HTTP answers in one place: domain errors get a status and their message;
a malformed request gets a short 422 without echoing the input back; a dependency that cannot
be reached (the database, Redis) is a 503 with Retry-After; nothing leaks a traceback.

A 503 is what a provider's webhook retry and a load balancer's health logic expect of a
process that is fine but cannot reach its data right now: the same request will work later.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from bot.conversation import ConversationBusyError
from engine.exceptions import (
    BooklineError,
    HoldExpiredError,
    InvalidTransitionError,
    NotAvailableError,
    NotFoundError,
    ValidationError,
)

log = logging.getLogger(__name__)

STATUS_BY_ERROR: list[tuple[type[BooklineError], int]] = [
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (ValidationError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (NotAvailableError, status.HTTP_409_CONFLICT),
    (HoldExpiredError, status.HTTP_409_CONFLICT),
    (InvalidTransitionError, status.HTTP_409_CONFLICT),
]

#: Errors meaning a dependency could not be reached (or answer in time), and which one.
UNAVAILABLE: list[tuple[type[Exception], str]] = [
    (OperationalError, "database"),
    (InterfaceError, "database"),
    (PoolTimeoutError, "database"),
    (RedisConnectionError, "redis"),
    (RedisTimeoutError, "redis"),
]
SUBJECT = {"database": "The database", "redis": "Redis"}
RETRY_AFTER_SECONDS = 5


def status_for(error: BooklineError) -> int:
    """The HTTP status of a domain error (409 for anything not listed)."""
    for kind, code in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return code
    return status.HTTP_409_CONFLICT


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(BooklineError)
    async def domain_error(_request: Request, exc: BooklineError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=status_for(exc))

    @app.exception_handler(ConversationBusyError)
    async def conversation_busy(_request: Request, _exc: ConversationBusyError) -> JSONResponse:
        return JSONResponse(
            {"detail": "The bot is busy with this guest right now; try again in a moment."},
            status_code=status.HTTP_409_CONFLICT,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(DataError)
    async def unstorable(_request: Request, _exc: DataError) -> JSONResponse:
        # The database refused a value the request carried (a NUL byte, an out-of-range number).
        return JSONResponse({"detail": "A value in the request cannot be stored."}, 422)

    for kind, dependency in UNAVAILABLE:
        app.add_exception_handler(kind, _unavailable(dependency))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "Internal error; it has been logged."}, status_code=500)


def _unavailable(dependency: str) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """A handler answering 503 for an unreachable ``dependency`` (logged in one line)."""

    async def handler(request: Request, exc: Exception) -> JSONResponse:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        log.warning(
            "%s unavailable on %s %s: %s", dependency, request.method, request.url.path, reason
        )
        return JSONResponse(
            {
                "detail": f"{SUBJECT[dependency]} is unavailable; try again shortly.",
                "unavailable": dependency,
            },
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    return handler
