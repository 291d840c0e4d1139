"""The fake's callbacks reuse a kept-alive connection, and never one the server closed.

A stdlib HTTP/1.1 server counts the connections it accepts and can drop a connection after
answering without saying ``Connection: close``, as a server whose keep-alive timeout ran out
does: reusing that connection would lose the callback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from fakeproviders.callbacks import PreparedCallback, post_callback
from fakeproviders.state import FakeState, Provider
from tests.local_http import LocalServer, QuietHandler, serving


class Recorder(LocalServer):
    """Counts connections and bodies; ``drop_after_reply`` closes each connection silently."""

    def __init__(self) -> None:
        super().__init__(Handler)
        self.connections = 0
        self.bodies: list[bytes] = []
        self.drop_after_reply = False
        self.closed = threading.Event()

    def shutdown_request(self, request: object) -> None:
        """Close the connection, then say so (a handler's ``finish`` comes before the close)."""
        super().shutdown_request(request)  # type: ignore[arg-type]
        self.closed.set()

    @property
    def url(self) -> str:
        return f"{self.base_url}/status?venue=1"


class Handler(QuietHandler):
    """Answers 204 to every POST, recording its body and path."""

    server: Recorder

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        assert self.path == "/status?venue=1"
        self.server.bodies.append(body)
        self.send_response(204)
        self.end_headers()
        self.close_connection = self.server.drop_after_reply


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    with serving(Recorder()) as server:
        yield server


def post(url: str, body: bytes) -> int | None:
    """Post one status callback as the fake's delivery threads do; the status it got."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    callback = PreparedCallback(url, body, headers, {"body": body.decode()})
    return post_callback(FakeState(), Provider.TWILIO, callback).status_code


def test_callbacks_to_one_server_share_one_connection(recorder: Recorder) -> None:
    sent = [post(recorder.url, b"a=1"), post(recorder.url, b"a=2"), post(recorder.url, b"a=3")]
    assert sent == [204] * 3
    assert recorder.bodies == [b"a=1", b"a=2", b"a=3"]
    assert recorder.connections == 1


def test_a_connection_the_server_dropped_is_not_reused(recorder: Recorder) -> None:
    recorder.drop_after_reply = True
    assert post(recorder.url, b"a=1") == 204
    assert recorder.closed.wait(5.0)
    assert post(recorder.url, b"a=2") == 204
    assert recorder.bodies == [b"a=1", b"a=2"]
    assert recorder.connections == 2


def test_no_server_is_a_recorded_failure_not_an_exception() -> None:
    assert post("http://127.0.0.1:9/status", b"a=1") is None
