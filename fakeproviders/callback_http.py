"""The fake's outgoing POSTs (status callbacks, webhooks): keep-alive ``http.client`` connections
shared by the delivery threads.

A real provider posts its callbacks from its own machines; the fake posts them from the process
that also runs it, often a test's or a bench's beside the product on the same cores. A shared
``httpx.Client`` cost ~3.5 ms of CPU per callback there: its pool checks every pooled connection
(a readability syscall each) whenever it hands one out or gets one back, and each of the many
delivery threads holds one. A stdlib connection taken from an idle list costs a fraction, and
only the connection about to be reused is checked.
"""

from __future__ import annotations

import functools
import http.client
import select
import ssl
import threading
import time
from urllib.parse import urlsplit

#: An idle connection older than this is closed rather than reused: below the usual servers'
#: keep-alive timeout (uvicorn's is 5 s), so a reused one is never being closed just then.
IDLE_SECONDS = 2.0

_idle: dict[tuple[str, str], list[tuple[http.client.HTTPConnection, float]]] = {}
_lock = threading.Lock()


class PostFailed(Exception):
    """The POST got no HTTP answer (refused, reset, timed out): ``str`` says how."""


def post(url: str, content: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``content`` to ``url`` on a kept-alive connection; the answer's status code.

    The answer's body is read and dropped (a provider does not look at it).
    """
    parts = urlsplit(url)
    key = (parts.scheme, parts.netloc)
    connection = _take(key) or _connect(parts.scheme, parts.netloc, timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=content, headers=headers)
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        raise PostFailed(repr(exc)) from exc
    if response.will_close:
        connection.close()
    else:
        with _lock:
            _idle.setdefault(key, []).append((connection, time.monotonic()))
    return response.status


def _take(key: tuple[str, str]) -> http.client.HTTPConnection | None:
    """The most recently used idle connection to ``key`` that is still good, if any."""
    while True:
        with _lock:
            idle = _idle.get(key)
            if not idle:
                return None
            connection, since = idle.pop()
        if time.monotonic() - since < IDLE_SECONDS and not _closed_by_peer(connection):
            return connection
        connection.close()


def _closed_by_peer(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle connection has something to read: only the server's close (or junk)."""
    sock = connection.sock
    if sock is None:
        return True
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _connect(scheme: str, netloc: str, timeout: float) -> http.client.HTTPConnection:
    """A new connection (opened on first use) for ``scheme`` ``http`` or ``https``."""
    if scheme == "https":
        return http.client.HTTPSConnection(netloc, timeout=timeout, context=_tls_context())
    return http.client.HTTPConnection(netloc, timeout=timeout)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every HTTPS connection (building one costs ~10 ms)."""
    return ssl.create_default_context()
