"""A stdlib HTTP/1.1 server on a free loopback port, run in a thread for one test, for tests
that need to see requests exactly as they arrived on the wire."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

Server = TypeVar("Server", bound="LocalServer")


class LocalServer(ThreadingHTTPServer):
    """Listens on 127.0.0.1, on a port the system picks."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class QuietHandler(BaseHTTPRequestHandler):
    """Keeps connections alive (HTTP/1.1) and logs nothing."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """Serve in a daemon thread until the block ends, then close the socket."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
