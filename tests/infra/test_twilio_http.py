"""The twilio SDK on Bookline's urllib3 client sends what it sends on its own requests client.

A stdlib server stands in for the API and records each request as it arrived on the wire:
the same SDK call through the SDK's ``TwilioHttpClient`` and through ``PooledTwilioClient``
must arrive alike (method, path, query, body, credentials, the SDK's headers), and the
sender must read the answers alike. The proxy case points the API base at a host that does
not resolve, so only a request that went through the proxy can be answered.
"""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import NamedTuple

import certifi
import pytest
import urllib3
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from infra.senders.base import PermanentSendError, SendTask, TransientSendError
from infra.senders.http import connection_pool, pin_environment
from infra.senders.sms import TwilioSender
from infra.senders.twilio_http import PooledTwilioClient
from infra.settings import ProviderKeys
from tests.local_http import LocalServer, QuietHandler, serving

ACCOUNT = "AC" + "0123abcd" * 4
TOKEN = "f00dfeed" * 4
SDK_HEADERS = ("authorization", "content-type", "accept", "accept-charset", "user-agent")
MESSAGE = {"sid": "SM" + "7" * 32, "status": "queued", "body": "hi", "to": "+919800000001"}
MOVED, LANDED = "/2010-04-01/moved.json", "/2010-04-01/landed.json"
PAGE = {"messages": [], "next_page_uri": None, "page": 0, "page_size": 50, "uri": "/x"}


class Arrived(NamedTuple):
    """One request as the server read it."""

    method: str
    target: str  # the request line's target: a path, or a whole URL when sent to a proxy
    headers: dict[str, str]  # by lower-case name: HTTP's names are not case-sensitive
    body: bytes


class FakeApi(LocalServer):
    """Records every request and answers each with ``status`` and ``answer`` after ``delay``;
    ``MOVED`` is redirected to ``LANDED``."""

    def __init__(self) -> None:
        super().__init__(Handler)
        self.arrived: list[Arrived] = []
        self.status = 201
        self.answer: dict[str, object] = MESSAGE
        self.delay = 0.0


class Handler(QuietHandler):
    server: FakeApi

    def _record_and_answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = _by_lower_name(self.headers)
        self.server.arrived.append(Arrived(self.command, self.path, headers, body))
        time.sleep(self.server.delay)
        payload = json.dumps(self.server.answer).encode()
        if self.path == MOVED:
            self.send_response(302)
            self.send_header("Location", LANDED)
        else:
            self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = _record_and_answer


def _by_lower_name(headers: Message) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@pytest.fixture
def api(clean_environment: None) -> Iterator[FakeApi]:
    with serving(FakeApi()) as server:
        yield server


def sdk_http(api_base: str) -> TwilioHttpClient:
    """The SDK's own requests client, as Bookline configured it before."""
    http_client = TwilioHttpClient(timeout=10)
    assert http_client.session is not None
    pin_environment(http_client.session, api_base)
    return http_client


def sdk_client(api_base: str) -> Client:
    http_client = sdk_http(api_base)
    return _pointed(Client(ACCOUNT, TOKEN, environment={}, http_client=http_client), api_base)


def pooled_client(api_base: str, *, timeout: float = 10) -> Client:
    client = PooledTwilioClient(api_base, timeout=timeout)
    return _pointed(Client(ACCOUNT, TOKEN, environment={}, http_client=client), api_base)


def _pointed(client: Client, api_base: str) -> Client:
    client.api.base_url = api_base
    return client


def sender(api_base: str) -> TwilioSender:
    keys = ProviderKeys(ACCOUNT, TOKEN, api_base, fake=False)
    return TwilioSender(keys, status_callback="https://bookline.example/webhooks/twilio/status")


def task() -> SendTask:
    payload = {"body": "Table for 4 on Fri 24 Dec at 20:00 — ₹1,500 deposit. Reply YES"}
    return SendTask(1, "reply:1", "+919800000001", "+15005550006", payload, datetime.now(UTC))


def as_the_sdk_sent(request: Arrived) -> tuple[str, str, bytes, dict[str, str]]:
    """What the SDK decides about a request (the transport adds its own housekeeping)."""
    headers = {name: request.headers[name] for name in SDK_HEADERS if name in request.headers}
    return request.method, request.target, request.body, headers


def test_a_message_arrives_as_the_sdks_own_client_sends_it(api: FakeApi) -> None:
    fields = {
        "to": "whatsapp:+919800000001",
        "from_": "whatsapp:+15005550006",
        "body": "Namaste! Room for 2, 24–27 Dec: ₹12,000 & breakfast. Reply YES / NO",
        "status_callback": "https://bookline.example/webhooks/twilio/status?venue=3",
        "media_url": ["https://bookline.example/m/1.jpg", "https://bookline.example/m/2.jpg"],
    }
    theirs = sdk_client(api.base_url).messages.create(**fields)
    ours = pooled_client(api.base_url).messages.create(**fields)

    sdk_request, our_request = api.arrived
    assert as_the_sdk_sent(our_request) == as_the_sdk_sent(sdk_request)
    assert our_request.body.count(b"MediaUrl=") == 2
    assert (
        our_request.headers["authorization"]
        == "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    )
    assert (ours.sid, ours.status) == (theirs.sid, theirs.status) == (MESSAGE["sid"], "queued")


def test_a_listing_asks_with_the_same_query(api: FakeApi) -> None:
    api.status, api.answer = 200, PAGE
    since = datetime(2026, 12, 5, 18, 30, tzinfo=UTC)
    for client in (sdk_client(api.base_url), pooled_client(api.base_url)):
        client.messages.list(to="+919800000001", date_sent_after=since, limit=50)

    sdk_request, our_request = api.arrived
    assert as_the_sdk_sent(our_request) == as_the_sdk_sent(sdk_request)
    assert "DateSent%3E=2026-12-05" in our_request.target


def test_the_sender_reads_a_message_id_and_the_apis_refusals(api: FakeApi) -> None:
    assert sender(api.base_url).send(task()) == MESSAGE["sid"]

    api.status, api.answer = 400, {"code": 21211, "message": "Invalid 'To' Phone Number"}
    with pytest.raises(PermanentSendError, match="twilio 400 21211"):
        sender(api.base_url).send(task())

    api.status, api.answer = 503, {"code": 20500, "message": "Internal Server Error"}
    with pytest.raises(TransientSendError, match="twilio 503"):
        sender(api.base_url).send(task())


def test_an_api_nobody_answers_on_is_a_transient_failure(clean_environment: None) -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    with pytest.raises(TransientSendError, match="twilio unreachable"):
        sender(f"http://127.0.0.1:{port}").send(task())


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("method", "path", "params", "data", "headers"),
    [
        ("GET", "/2010-04-01/x.json?Size=5", {"To": "+91", "Page": [1, 2], "A": None}, None, {}),
        ("POST", "/2010-04-01/x.json", None, {"Body": "₹", "N": 3, "B": True, "L": [1, 2]}, FORM),
        ("POST", "/2010-04-01/x.json", None, {}, FORM),
        ("POST", "/v1/x", None, {}, JSON),
        ("POST", "/v1/x", None, {"a": [1, "₹"], "b": None, "c": {"d": 1.5}}, JSON),
        ("DELETE", "/2010-04-01/x.json", None, None, {}),
    ],
)
def test_any_request_arrives_as_the_sdks_own_client_sends_it(
    api: FakeApi,
    method: str,
    path: str,
    params: dict[str, object] | None,
    data: dict[str, object] | None,
    headers: dict[str, str],
) -> None:
    url = api.base_url + path
    for client in (sdk_client(api.base_url), pooled_client(api.base_url)):
        answer = client.request(method, url, params, data, dict(headers))
        assert (answer.status_code, json.loads(answer.text)) == (201, MESSAGE)

    sdk_request, our_request = api.arrived
    if method == "DELETE":  # the SDK drops Accept; requests then says */*, as its absence does
        assert sdk_request.headers.pop("accept") == "*/*"
    assert as_the_sdk_sent(our_request) == as_the_sdk_sent(sdk_request)


@pytest.mark.parametrize("follow", [False, True])
def test_a_redirect_is_followed_only_when_the_sdk_asks(api: FakeApi, follow: bool) -> None:
    url = api.base_url + MOVED
    for client in (sdk_http(api.base_url), PooledTwilioClient(api.base_url, timeout=10)):
        answer = client.request("GET", url, auth=(ACCOUNT, TOKEN), allow_redirects=follow)
        assert answer.status_code == (201 if follow else 302)

    targets = [request.target for request in api.arrived]
    assert targets == ([MOVED, LANDED] * 2 if follow else [MOVED] * 2)


def test_an_answer_slower_than_the_timeout_gives_up_without_asking_again(api: FakeApi) -> None:
    api.status, api.answer, api.delay = 200, PAGE, 1.0
    began = time.monotonic()
    with pytest.raises(urllib3.exceptions.HTTPError, match="timed out"):
        pooled_client(api.base_url, timeout=0.2).messages.list(to="+919800000001", limit=5)
    assert time.monotonic() - began < 0.9
    assert len(api.arrived) == 1  # a GET too is sent once: the outbox, not the transport, retries


def test_an_api_busy_for_now_is_asked_once(api: FakeApi) -> None:
    api.status, api.answer = 503, {"code": 20503, "message": "Service Unavailable"}
    with pytest.raises(TransientSendError, match="HTTP 503"):
        sender(api.base_url).find_sent(task())
    assert len(api.arrived) == 1


@pytest.mark.parametrize(
    ("proxy", "credentials"),
    [
        ("http://bookline:s3cret@{address}", b"bookline:s3cret"),
        ("http://b%40okline:s3%3Acret@{address}", b"b@okline:s3:cret"),
        ("{address}", None),  # no scheme: requests takes it for http://
    ],
)
def test_requests_go_through_the_environments_proxy_with_its_credentials(
    api: FakeApi, monkeypatch: pytest.MonkeyPatch, proxy: str, credentials: bytes | None
) -> None:
    host, port = api.server_address[:2]
    monkeypatch.setenv("HTTP_PROXY", proxy.format(address=f"{host!s}:{port}"))
    unresolvable = "http://api.twilio.invalid"
    sid = sender(unresolvable).send(task())

    (request,) = api.arrived
    assert sid == MESSAGE["sid"]
    assert request.target.startswith(f"{unresolvable}/2010-04-01/Accounts/{ACCOUNT}/Messages")
    expected = None if credentials is None else "Basic " + base64.b64encode(credentials).decode()
    assert request.headers.get("proxy-authorization") == expected


def test_an_api_base_the_environment_exempts_is_reached_directly(
    api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert sender(api.base_url).send(task()) == MESSAGE["sid"]
    assert api.arrived[0].target.startswith("/2010-04-01/")


@pytest.mark.usefixtures("clean_environment")
def test_certificates_are_checked_against_the_environments_bundle_else_certifis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api_base = "https://api.twilio.com"
    assert _verification(connection_pool(api_base, maxsize=1)) == {
        "cert_reqs": "CERT_REQUIRED",
        "ca_certs": certifi.where(),
    }
    bundle = tmp_path / "bundle.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert _verification(connection_pool(api_base, maxsize=1))["ca_certs"] == str(bundle)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path))
    assert _verification(connection_pool(api_base, maxsize=1))["ca_cert_dir"] == str(tmp_path)


def _verification(pool: urllib3.PoolManager) -> dict[str, object]:
    keys = ("cert_reqs", "ca_certs", "ca_cert_dir")
    return {key: pool.connection_pool_kw[key] for key in keys if pool.connection_pool_kw[key]}
