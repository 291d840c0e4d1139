"""A cap on every request body: 413 before the application reads an oversized one.

Without it the owner API parses whatever arrives (a 50 MB JSON body on an unauthenticated
route is 50 MB of memory and parsing per request). A declared ``Content-Length`` over the
cap is refused at once; a chunked body (no length) is read up to the cap and refused as soon
as it passes it, else handed on whole. Webhooks read their bodies with a far smaller cap of
their own (``webhooks.body``).
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The owner API's largest bodies (a venue's settings, a booking) are a few kilobytes.
MAX_BODY_BYTES = 1024 * 1024


class LimitBody:
    """Plain ASGI middleware refusing request bodies over ``limit`` bytes with 413."""

    def __init__(self, app: ASGIApp, *, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"").strip()
        if length.isdigit():  # the server delivers no more than it declares
            if int(length) > self.limit:
                await _too_large(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            await self.app(scope, receive, send)  # no body
            return
        body = await self._read(receive)
        if body is None:
            await _too_large(scope, receive, send)
        else:
            await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it passes the limit (or the client went away)."""
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` giving ``body`` first, then the client's own (a disconnect, say)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse({"detail": "Request body too large."}, status_code=413)
    await response(scope, receive, send)
