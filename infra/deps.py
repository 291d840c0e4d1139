"""FastAPI dependencies shared by every HTTP adapter (owner API and webhooks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from infra.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    """The process's Runtime, attached to the app by the app factory."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """A session per request; route handlers call services, services never commit."""
    with runtime.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
