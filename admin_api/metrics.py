"""Prometheus metrics at ``/metrics``: request latency, webhook counts, queue depth and bookings
by status.

The page is for the operator's Prometheus only: it answers when ``METRICS_TOKEN`` is set and
the scrape presents it as a bearer token (``authorization: credentials`` in the scrape
config); without the setting it does not exist (404), so nothing is open by default.

Each app gets its own registry (tests build many apps in one process). Counters and the latency
histogram are per process, as Prometheus expects when it scrapes every API process; queue depth
and bookings by status are read from Redis and the database at scrape time, so any process
answers them for the whole deployment.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.sessions import autocommit
from engine.bookings.service import count_by_status
from infra.runtime import QUEUE_NAMES, Runtime

WEBHOOK_PREFIX = "/webhooks/"


class StateCollector(Collector):
    """Gauges computed on scrape: rq queue depth and bookings per status."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterator[GaugeMetricFamily]:
        queues = GaugeMetricFamily(
            "bookline_queue_depth", "Jobs waiting per rq queue", labels=["queue"]
        )
        for name in QUEUE_NAMES:
            queues.add_metric([name], self.runtime.queue(name).count)
        yield queues
        bookings = GaugeMetricFamily("bookline_bookings", "Bookings per status", labels=["status"])
        with autocommit(self.runtime) as session:
            for status, count in count_by_status(session).items():
                bookings.add_metric([status], count)
        yield bookings


def route_template(scope: Scope) -> str:
    """The request path with each path parameter put back as ``{name}``: bounded label values,
    and secrets in paths (calendar tokens) never become labels."""
    if "route" not in scope:
        return "unmatched"
    segments = str(scope["path"]).split("/")
    for name, value in scope.get("path_params", {}).items():
        for index, segment in enumerate(segments):
            if str(value) in segment:
                segments[index] = segment.replace(str(value), f"{{{name}}}", 1)
                break
    return "/".join(segments)


class RequestMetrics:
    """Each HTTP request's latency by route template, and webhook deliveries by provider and
    status: what both the middleware below and the webhooks' own door (which answers ahead
    of it) record.

    A labelled series is looked up once and kept: ``labels()`` takes a lock and checks its
    values on every call, a good part of recording a webhook. The series are as few as the
    routes, methods and statuses seen, as in the registry itself.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self._latency = Histogram(
            "bookline_http_request_duration_seconds",
            "HTTP request latency by route template",
            ["method", "route", "status"],
            registry=registry,
        )
        self._webhooks = Counter(
            "bookline_webhook_requests",
            "Webhook deliveries received",
            ["provider", "status"],
            registry=registry,
        )
        self._latency_series: dict[tuple[str, str, str], Histogram] = {}
        self._webhook_series: dict[tuple[str, str], Counter] = {}

    def record(self, method: str, route: str, path: str, status: str, seconds: float) -> None:
        """One answered request: ``route`` is its template (``route_template``)."""
        key = (method, route, status)
        latency = self._latency_series.get(key)
        if latency is None:
            latency = self._latency_series.setdefault(key, self._latency.labels(*key))
        latency.observe(seconds)
        if path.startswith(WEBHOOK_PREFIX):
            provider = (path.removeprefix(WEBHOOK_PREFIX).split("/")[0], status)
            counter = self._webhook_series.get(provider)
            if counter is None:
                counter = self._webhook_series.setdefault(
                    provider, self._webhooks.labels(*provider)
                )
            counter.inc()


class ObserveRequests:
    """Plain ASGI middleware timing each request (cheaper than ``BaseHTTPMiddleware``)."""

    def __init__(self, app: ASGIApp, *, metrics: RequestMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = "500"

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = str(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            seconds = time.perf_counter() - started
            route, path = route_template(scope), str(scope["path"])
            self.metrics.record(scope["method"], route, path, status, seconds)


def install_metrics(app: FastAPI, runtime: Runtime) -> RequestMetrics:
    """Time every request, count webhooks, and serve ``/metrics``; the metrics recorded, for
    whatever answers requests ahead of the middleware."""
    registry = CollectorRegistry()
    metrics = RequestMetrics(registry)
    registry.register(StateCollector(runtime))

    app.add_middleware(ObserveRequests, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    def metrics_page(authorization: Annotated[str | None, Header()] = None) -> Response:
        token = runtime.settings.metrics_token
        check_scraper(token.get_secret_value() if token else None, authorization)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return metrics


def check_scraper(token: str | None, authorization: str | None) -> None:
    """404 when no token is configured, 401 without a bearer token, 403 with a wrong one."""
    if not token:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")
    scheme, _, presented = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not presented:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Metrics need the bearer token set in METRICS_TOKEN.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(presented.strip().encode(), token.encode()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Wrong metrics token.")
