"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from infra.deps import RuntimeDep

router = APIRouter(prefix="/api/health", tags=["health"])
log = logging.getLogger(__name__)


@router.get("")
def health() -> dict[str, str]:
    """The process is up and serving requests."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "A dependency is unreachable"}})
def ready(runtime: RuntimeDep) -> JSONResponse:
    """Ready when both the database and Redis answer; 503 names the one that failed."""
    checks = {"database": runtime.check_database, "redis": runtime.check_redis}
    failed: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # any failure means not ready; say which and why
            log.warning("readiness check %s failed: %s", name, exc)
            failed[name] = type(exc).__name__
    if failed:
        return JSONResponse({"status": "unavailable", "failed": failed}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "redis": "ok"})
