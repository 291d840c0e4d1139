"""The provider webhooks' own door: their POSTs are answered ahead of the middleware stack.

A provider posts every guest message and every delivery status, and the answer must wait for
the message to be stored: it is the API's hot path. The owner API's stack (the exception
layers, the body cap, the metrics' timing, the security headers' ``send`` wrapper, then the
router trying each route) cost about a third of the event loop's CPU per acknowledgement, and
a webhook needs none of it as such. So the POSTs of the enabled providers' webhooks are
dispatched here by path, inside the proxy headers' handling only (a refused webhook's log
line still names the real client), and the rest go on to the stack.

What the stack gives every answer, a webhook's gets from the same code:

* the security headers (``SecurityHeaders.add_to``);
* the error answers: an exception goes to the handler the app registered for it, looked up
  along its class hierarchy as Starlette does (``bookline.errors``: 403, 400 and 413 as
  ``{"detail": ...}``, a 503 for a dependency down, a logged 500 for a bug; never a traceback);
* the request metrics (``RequestMetrics.record``: the route is the path, it has no parameters).

The body cap is the webhooks' own, far below the app's (``webhooks.body``, 413 beyond it).
Another method on a webhook's path goes on to the stack like any request; the router knows the
paths as POST routes too (``bookline.app``), so it answers 405 with ``Allow: POST``.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from admin_api.metrics import RequestMetrics
from bookline.security_headers import SecurityHeaders
from webhooks import Endpoint


class WebhookFront:
    """Plain ASGI: ``endpoints``' POSTs answered here, everything else passed to ``app``."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        endpoints: Mapping[str, Endpoint],
        handlers: Mapping[Any, Any],
        headers: SecurityHeaders,
        metrics: RequestMetrics,
    ) -> None:
        self.app, self.endpoints, self.handlers = app, endpoints, handlers
        self.headers, self.metrics = headers, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = None
        if scope["type"] == "http" and scope["method"] == "POST":
            endpoint = self.endpoints.get(scope["path"])
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope, receive)
        try:
            response = await endpoint(request)
        except Exception as exc:
            response = await self._answer(request, exc)
        path = request.scope["path"]
        self.headers.add_to(response.headers, path)
        await response(scope, receive, send)
        seconds = time.perf_counter() - started
        self.metrics.record("POST", path, path, str(response.status_code), seconds)

    async def _answer(self, request: Request, exc: Exception) -> Response:
        """The answer the app's handler for ``exc`` gives (the app has one for Exception)."""
        for kind in type(exc).__mro__:
            handler = self.handlers.get(kind)
            if handler is not None:
                answer = handler(request, exc)
                response: Response = await answer if inspect.isawaitable(answer) else answer
                return response
        raise exc
