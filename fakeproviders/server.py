"""Run an ASGI app (the fake, or Bookline itself) on a real socket inside this process.

Real SDKs talk real HTTP, so tests need real servers; a daemon thread keeps them in-process,
and binding port 0 ourselves gives each test a free port known before the server starts.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

import uvicorn
from starlette.types import ASGIApp

STARTUP_TIMEOUT_SECONDS = 10.0
#: How long a stopping server lets open responses (a dashboard's live feed) finish before
#: cancelling them; without it uvicorn waits for every streaming client to leave.
SHUTDOWN_GRACE_SECONDS = 2


@dataclass
class RunningServer:
    """A uvicorn server running in a daemon thread; use as a context manager or call stop()."""

    server: uvicorn.Server
    thread: threading.Thread
    sock: socket.socket
    host: str
    port: int

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self, timeout: float = 5.0) -> None:
        """Ask uvicorn to exit, wait for the thread, and release the socket."""
        self.server.should_exit = True
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(timeout)
        self.sock.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _bind(host: str, port: int) -> socket.socket:
    """A bound TCP socket (port 0 = any free port)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def run_in_thread(
    app: ASGIApp,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log_level: str = "warning",
    startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
    lifespan: Literal["auto", "on", "off"] = "auto",
) -> RunningServer:
    """Start ``app`` in a daemon thread and return once it accepts connections.

    ``lifespan="off"`` serves an app that tests also drive in-process without its startup
    (no background sweeps, and stopping the server leaves the app's runtime open).
    """
    sock = _bind(host, port)
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan=lifespan,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="uvicorn-in-thread", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"server on {host}:{port} did not start")
        time.sleep(0.01)
    return RunningServer(server, thread, sock, host, sock.getsockname()[1])


def serve_forever(app: ASGIApp, host: str = "127.0.0.1", port: int = 8900) -> None:
    """Run ``app`` in the foreground until interrupted (``bookline fake-providers``)."""
    uvicorn.run(app, host=host, port=port, log_level="info")
