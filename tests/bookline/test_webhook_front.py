"""The providers' webhook POSTs are answered ahead of the middleware stack
(``bookline.webhook_front``), and their answers are still the app's: the security headers,
the JSON errors (403, 400, 413, a logged 500, never a traceback) and the metrics."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from bookline.app import BooklineApp, create_app
from bookline.security_headers import ALWAYS, APP_POLICY
from fakeproviders.credentials import FAKE_TWILIO_AUTH_TOKEN, FAKE_WHATSAPP_VERIFY_TOKEN
from fakeproviders.signing import twilio_signature
from infra.runtime import Runtime
from tests.settings import sandbox_settings
from webhooks.body import MAX_BODY_BYTES

BASE = "http://testserver"
SMS = "/webhooks/twilio/sms"
METRICS_TOKEN = "metrics-token-for-webhook-front-tests"
NOBODYS_NUMBER = "+15005550099"  # no venue has it: a signed SMS to it is acked and dropped


class Witness:
    """Middleware recording the path of every request that reaches the app's stack."""

    def __init__(self, app: ASGIApp, *, seen: list[str]) -> None:
        self.app, self.seen = app, seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen.append(str(scope["path"]))
        await self.app(scope, receive, send)


def _app(database_url: str, public_base_url: str = BASE) -> tuple[FastAPI, list[str]]:
    settings = sandbox_settings(
        database_url, None, public_base_url=public_base_url, metrics_token=METRICS_TOKEN
    )
    app = create_app(settings, Runtime(settings))
    seen: list[str] = []
    app.add_middleware(Witness, seen=seen)
    return app, seen


@pytest.fixture
def app(database_url: str) -> tuple[FastAPI, list[str]]:
    return _app(database_url)


@pytest.fixture
def client(app: tuple[FastAPI, list[str]]) -> Iterator[TestClient]:
    yield TestClient(app[0], raise_server_exceptions=False)


def _form(**fields: str) -> dict[str, str]:
    return {"MessageSid": "SM" + "5" * 32, "From": "+919800000005", "To": NOBODYS_NUMBER} | fields


def _post(client: TestClient, params: dict[str, str], *, signed: bool = True) -> httpx.Response:
    signature = twilio_signature(FAKE_TWILIO_AUTH_TOKEN, BASE + SMS, params) if signed else "x"
    headers = {
        "X-Twilio-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return client.post(SMS, content=urlencode(params), headers=headers)


def _assert_protected(response: httpx.Response) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, name
    assert response.headers["content-security-policy"] == APP_POLICY


def test_a_webhook_post_is_answered_without_the_stack_and_other_requests_go_through_it(
    app: tuple[FastAPI, list[str]], client: TestClient
) -> None:
    _, seen = app
    acked = _post(client, _form(Body="hello"))
    assert acked.status_code == 200 and acked.text.endswith("<Response/>")
    assert acked.headers["content-type"].startswith("text/xml")
    _assert_protected(acked)
    assert seen == []
    assert client.get("/api/health").status_code == 200
    assert client.get(SMS).status_code == 405  # another method: the stack's answer
    assert seen == ["/api/health", SMS]


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", SMS), ("PUT", "/webhooks/twilio/status"), ("GET", "/webhooks/razorpay")],
)
def test_another_method_on_a_webhook_is_a_405_naming_post_as_on_any_route(
    client: TestClient, method: str, path: str
) -> None:
    elsewhere = client.delete("/api/health")  # how FastAPI answers a method a route lacks
    assert (elsewhere.status_code, elsewhere.headers["allow"]) == (405, "GET")
    response = client.request(method, path)
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.json() == elsewhere.json() == {"detail": "Method Not Allowed"}
    _assert_protected(response)


def test_whatsapps_subscription_check_is_still_a_get_on_its_webhook(client: TestClient) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": FAKE_WHATSAPP_VERIFY_TOKEN}
    answer = client.get("/webhooks/whatsapp", params=query | {"hub.challenge": "1158201444"})
    assert (answer.status_code, answer.text) == (200, "1158201444")
    assert client.delete("/webhooks/whatsapp").status_code == 405


def test_refused_webhooks_get_the_apps_json_errors_with_the_headers(
    app: tuple[FastAPI, list[str]], client: TestClient
) -> None:
    _, seen = app
    big = urlencode(_form(Body="x" * MAX_BODY_BYTES)).encode()
    chunks = iter([big[: len(big) // 2], big[len(big) // 2 :]])
    answers = {
        403: _post(client, _form(Body="hello"), signed=False),
        400: _post(client, {"MessageSid": "SM" + "4" * 32, "To": NOBODYS_NUMBER}),
        413: client.post(SMS, content=big, headers={"X-Twilio-Signature": "x"}),
    }
    chunked = client.post(SMS, content=chunks, headers={"X-Twilio-Signature": "x"})
    assert "content-length" not in chunked.request.headers
    assert chunked.status_code == 413
    assert answers[403].json() == {"detail": "Invalid Twilio signature."}
    assert answers[400].json() == {"detail": "Missing fields: From"}
    assert answers[413].json() == {"detail": "Request body too large."}
    for status, response in [*answers.items(), (413, chunked)]:
        assert response.status_code == status
        assert response.headers["content-type"] == "application/json"
        _assert_protected(response)
    assert seen == []


def test_a_bug_in_a_webhook_is_a_logged_500_without_a_traceback(
    app: tuple[FastAPI, list[str]], client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(_request: Request) -> Response:
        raise RuntimeError("a bug with a secret in its message")

    bookline = app[0]
    assert isinstance(bookline, BooklineApp)
    bookline.webhook_endpoints[SMS] = broken
    with caplog.at_level(logging.ERROR):
        response = _post(client, _form(Body="hello"))
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal error; it has been logged."}
    assert "secret" not in response.text and "Traceback" not in response.text
    _assert_protected(response)
    assert any("unhandled error on POST /webhooks/twilio/sms" in r.message for r in caplog.records)


def test_webhook_answers_are_counted_and_timed(client: TestClient) -> None:
    assert _post(client, _form(Body="hello")).status_code == 200
    assert _post(client, _form(Body="hello"), signed=False).status_code == 403
    assert _post(client, _form(Body="hello"), signed=False).status_code == 403
    text = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text
    assert 'bookline_webhook_requests_total{provider="twilio",status="200"} 1.0' in text
    assert 'bookline_webhook_requests_total{provider="twilio",status="403"} 2.0' in text
    timed = f'bookline_http_request_duration_seconds_count{{method="POST",route="{SMS}"'
    assert f'{timed},status="403"}} 2.0' in text


def test_webhook_answers_carry_hsts_when_the_public_url_is_https(database_url: str) -> None:
    client = TestClient(_app(database_url, "https://book.example.com")[0])
    response = _post(client, _form(Body="hello"), signed=False)
    assert response.status_code == 403
    assert response.headers["strict-transport-security"].startswith("max-age=")
