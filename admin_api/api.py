"""The owner API under ``/api/v1``: every router, with the errors each documents."""

from __future__ import annotations

from fastapi import APIRouter

from admin_api.routes import (
    analytics,
    answers,
    attendance,
    auth,
    bookings,
    calendar,
    conversations,
    guests,
    live,
    payments,
    recommendations,
    risk,
    rooms,
    tables,
    users,
    venues,
)
from admin_api.schemas.common import AUTHENTICATED

PREFIX = "/api/v1"
SCOPED = (
    users,
    venues,
    answers,
    rooms,
    tables,
    bookings,
    guests,
    conversations,
    analytics,
    risk,
    payments,
    live,
    attendance,
    recommendations,
)


def api_router(*, allow_signup: bool) -> APIRouter:
    """All owner-API routes; those behind a login document 401/403/404/409/422.

    Public sign-up only when ``allow_signup`` (ALLOW_SIGNUP); the sandbox's routes are not
    among them: the app factory adds them in sandbox mode only.
    """
    router = APIRouter(prefix=PREFIX)
    router.include_router(auth.router)
    if allow_signup:
        router.include_router(auth.signup_router)
    router.include_router(calendar.router)
    for module in SCOPED:
        router.include_router(module.router, responses=AUTHENTICATED)
    router.include_router(payments.booking_router, responses=AUTHENTICATED)
    return router
