"""FastAPI dependencies shared by every HTTP adapter (owner API and webhooks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from infra.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    """The process's Runtime, attached to the app by the app factory."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
