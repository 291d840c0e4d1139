"""The ASGI application factory: wires settings, runtime and every router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from admin_api import health
from bookline.errors import install_error_handlers
from bookline.runtime import Runtime, set_current
from bookline.settings import Settings, get_settings
from webhooks import twilio, whatsapp


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app; tests pass their own Settings/Runtime, production reads the env."""
    runtime = runtime or Runtime(settings or get_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runtime.close()

    app = FastAPI(title="Bookline", version="0.1.0", lifespan=lifespan)
    app.state.runtime = runtime
    set_current(runtime)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(twilio.router)
    app.include_router(whatsapp.router)
    return app
