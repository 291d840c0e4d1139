"""Security headers on every response: what a browser may load, frame and send along.

The dashboard is one page of same-origin modules and a stylesheet, with no inline script or
style and no third-party resource, so its policy allows the app's own origin only; JSON
answers get the same one. The OpenAPI pages are the exception: FastAPI builds them from a CDN
with an inline bootstrap script. HSTS is sent only when the public URL is https (a browser
that saw it over plain http would ignore it, and a local run must stay reachable over http).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

APP_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN} https://fonts.googleapis.com",
        "font-src https://fonts.gstatic.com",
        "img-src 'self' data: https:",
        "worker-src blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Calendar feed URLs carry their secret in the path: never hand a URL to another site.
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=31536000"


class SecurityHeaders:
    """Plain ASGI middleware adding the headers to each HTTP response (a header the response
    set itself is left as it is)."""

    def __init__(
        self, app: ASGIApp, *, docs_paths: frozenset[str], https: Callable[[], bool]
    ) -> None:
        self.app, self.docs_paths, self.https = app, docs_paths, https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.add_to(MutableHeaders(scope=message), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def add_to(self, headers: MutableHeaders, path: str) -> None:
        """Add the headers a response to ``path`` gets to ``headers`` (those already set stay)."""
        for name, value in self.headers_for(path).items():
            headers.setdefault(name, value)

    def headers_for(self, path: str) -> dict[str, str]:
        """The headers a response to ``path`` gets."""
        policy = DOCS_POLICY if path in self.docs_paths else APP_POLICY
        headers = {"Content-Security-Policy": policy, **ALWAYS}
        if self.https():
            headers["Strict-Transport-Security"] = HSTS
        return headers
