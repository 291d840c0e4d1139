"""A dependency that cannot be reached is a 503 with Retry-After, never a 500: the owner's
browser and the providers' webhook retries both try again later, and nothing is lost."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
from fastapi.testclient import TestClient

from bookline.app import create_app
from fakeproviders.signing import twilio_signature
from infra.runtime import Runtime
from tests.settings import sandbox_settings

#: Nothing listens on port 1: connecting is refused at once.
DEAD_DATABASE = "postgresql+psycopg://bookline:hunter2@127.0.0.1:1/bookline"
DEAD_REDIS = "redis://127.0.0.1:1/0"
TWILIO_TOKEN = "twilio-token-for-unavailable-tests"
BASE = "http://testserver"


def _client(database_url: str, redis_url: str | None) -> TestClient:
    settings = sandbox_settings(
        database_url,
        redis_url,
        public_base_url=BASE,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=TWILIO_TOKEN,
    )
    return TestClient(create_app(settings, Runtime(settings)), raise_server_exceptions=False)


def _assert_unavailable(response: httpx.Response, dependency: str) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["unavailable"] == dependency
    assert "unavailable" in response.json()["detail"]


def _login(client: TestClient) -> httpx.Response:
    return client.post(
        "/api/v1/auth/token", data={"username": "owner@demo.test", "password": "any-password"}
    )


def test_login_with_the_database_down_is_503() -> None:
    _assert_unavailable(_login(_client(DEAD_DATABASE, None)), "database")


def test_login_with_redis_down_is_503(database_url: str) -> None:
    _assert_unavailable(_login(_client(database_url, DEAD_REDIS)), "redis")


def test_signed_sms_with_the_database_down_is_503_so_twilio_tries_again() -> None:
    params = {"MessageSid": "SM" + "8" * 32, "From": "+919800000008", "To": "+15005550006"}
    params["Body"] = "hello"
    signature = twilio_signature(TWILIO_TOKEN, f"{BASE}/webhooks/twilio/sms", params)
    response = _client(DEAD_DATABASE, None).post(
        "/webhooks/twilio/sms",
        content=urlencode(params),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    _assert_unavailable(response, "database")


def test_owner_api_with_the_database_down_is_503_and_never_shows_the_password() -> None:
    response = _client(DEAD_DATABASE, None).get("/api/v1/calendar/1-" + "0" * 40 + ".ics")
    _assert_unavailable(response, "database")
    assert "hunter2" not in response.text
