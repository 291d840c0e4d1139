"""The ASGI application factory: wires settings, runtime and every router."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from admin_api import health
from admin_api.api import PREFIX, api_router
from admin_api.dashboard import routes as dashboard
from admin_api.metrics import RequestMetrics, install_metrics
from admin_api.schemas.common import AUTHENTICATED
from application.answer_indexes import warm_up
from bookline.body_limit import LimitBody
from bookline.errors import install_error_handlers
from bookline.security_headers import SecurityHeaders
from bookline.webhook_front import WebhookFront
from bookline.webhook_urls import log_webhook_urls
from infra.runtime import Runtime, set_current
from infra.settings import PROVIDERS, Provider, Settings, get_settings
from webhooks import Endpoint, razorpay, twilio, whatsapp
from workers.maintenance import run_periodically

WEBHOOKS: dict[Provider, dict[str, Endpoint]] = {
    "twilio": twilio.ENDPOINTS,
    "whatsapp": whatsapp.ENDPOINTS,
    "razorpay": razorpay.ENDPOINTS,
}


class BooklineApp(FastAPI):
    """FastAPI with the security headers outside everything else, and the webhooks' own door
    outside that (``bookline.webhook_front``).

    Starlette answers an unhandled error from a layer outside every ``add_middleware`` one,
    so headers added there would be missing from exactly the answers that went wrong.
    """

    #: The enabled providers' webhook POSTs by path (``create_app`` fills it).
    webhook_endpoints: dict[str, Endpoint]
    #: The request metrics, which the webhooks' door records too.
    request_metrics: RequestMetrics

    def build_middleware_stack(self) -> ASGIApp:
        """The usual stack in ``SecurityHeaders``, behind the webhooks' door, behind the
        proxy headers' handling (``_trust_proxies``)."""
        settings: Settings = self.state.runtime.settings
        docs = frozenset(
            p for p in (self.docs_url, self.redoc_url, self.swagger_ui_oauth2_redirect_url) if p
        )
        secured = SecurityHeaders(
            super().build_middleware_stack(),
            docs_paths=docs,
            https=lambda: settings.public_base_url.startswith("https://"),
        )
        front = WebhookFront(
            secured,
            endpoints=self.webhook_endpoints,
            handlers=self.exception_handlers,
            headers=secured,
            metrics=self.request_metrics,
        )
        return _trust_proxies(front, settings)


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app; tests pass their own Settings/Runtime, production reads the env.

    Settings that cannot run raise ConfigError here, whichever ASGI server calls the factory.
    """
    runtime = runtime or Runtime(settings or get_settings())
    runtime.settings.check()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        if runtime.inline_jobs:  # no worker process: jobs and sweeps run in this one
            await run_in_threadpool(warm_up, runtime)
            threading.Thread(
                target=run_periodically, args=(runtime, stop), daemon=True, name="maintenance"
            ).start()
        if not runtime.settings.embedded:  # the embedded default's URL follows `serve --port`
            log_webhook_urls(runtime.settings)
        yield
        stop.set()
        runtime.close()

    app = BooklineApp(title="Bookline", version="0.1.0", lifespan=lifespan)
    app.state.runtime = runtime
    set_current(runtime)
    install_error_handlers(app)
    app.add_middleware(LimitBody)  # inside the metrics' timing: a 413 is counted too
    app.request_metrics = install_metrics(app, runtime)
    # A disabled provider has no webhooks: they answer 404.
    app.webhook_endpoints = {
        path: endpoint
        for provider in PROVIDERS
        if runtime.settings.enabled(provider)
        for path, endpoint in WEBHOOKS[provider].items()
    }
    # The door answers these POSTs; the router knows them too, so that another method on a
    # webhook's path is the 405 naming POST that any route gives, not a 404.
    for path, endpoint in app.webhook_endpoints.items():
        app.add_route(path, endpoint, methods=["POST"], include_in_schema=False)
    if runtime.settings.enabled("whatsapp"):
        app.include_router(whatsapp.router)  # its subscription check
    app.include_router(health.router)
    app.include_router(api_router(allow_signup=runtime.settings.allow_signup))
    app.include_router(dashboard.router)  # /dashboard, and / redirecting to it
    if runtime.settings.sandbox:
        _mount_sandbox(app, runtime.settings)
    return app


def _trust_proxies(app: ASGIApp, settings: Settings) -> ASGIApp:
    """Take the client's address (and scheme) from X-Forwarded-* only when the connecting peer
    is a proxy FORWARDED_ALLOW_IPS names; anyone else's headers are ignored. Outermost, so
    every layer sees the client.

    The app does this itself, with uvicorn's own middleware, rather than leaving it to the
    server's defaults (uvicorn would believe any peer on 127.0.0.1): ``bookline serve`` turns
    the server's handling off, so the login throttle and logs see the same address whatever
    runs the app.
    """
    # uvicorn types the ASGI callables more narrowly than Starlette: the same protocol.
    proxied = ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=settings.trusted_proxies())
    return cast(ASGIApp, proxied)


def _mount_sandbox(app: FastAPI, settings: Settings) -> None:
    """Serve the built-in fake providers and the dashboard's "try the bot" routes.

    Sandbox mode only: the fakes' credentials are public, so outside it neither they nor the
    routes that drive them exist (404). Providers without keys of their own point their SDKs at
    ``PUBLIC_BASE_URL`` + FAKE_PROVIDER_PATH, so the README's run command gives a bot that
    answers, with no accounts and no internet.
    """
    from admin_api.routes import sandbox
    from fakeproviders import FakeConfig, create_fake_app
    from fakeproviders.config import FAKE_PROVIDER_PATH

    base = settings.public_base_url.rstrip("/")
    fake = create_fake_app(FakeConfig(app_url=base, public_base_url=base))
    app.state.fake_providers = fake
    app.mount(FAKE_PROVIDER_PATH, fake)
    app.include_router(sandbox.router, prefix=PREFIX, responses=AUTHENTICATED)
