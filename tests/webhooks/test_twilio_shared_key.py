"""Webhooks Twilio signs with a SharedKey (HMAC-SHA256, named in
X-Twilio-Webhooks-Signature-Settings) are checked with the SharedKey secret; the rest with the
auth token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from bookline.app import create_app
from tests.settings import REAL_PROVIDER_KEYS, production_settings

SHARED_SECRET = "the-sharedkey-secret-twilio-showed-once"
BASE = "https://book.example.com"
FORM = {"MessageSid": "SM" + "5" * 32, "MessageStatus": "delivered"}
SHARED_KEY = {"X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sk_1,algorithm=HMAC_SHA256"}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    settings = production_settings(
        database_url, None, public_base_url=BASE, twilio_webhook_secret=SHARED_SECRET
    )
    with TestClient(create_app(settings)) as running:
        yield running


def _post(client: TestClient, signature: str, headers: dict[str, str]) -> int:
    sent = {"X-Twilio-Signature": signature, **headers}
    return client.post("/webhooks/twilio/status", data=FORM, headers=sent).status_code


def test_a_shared_key_signature_is_checked_with_the_shared_key_secret(client: TestClient) -> None:
    url = BASE + "/webhooks/twilio/status"
    signed = RequestValidator(SHARED_SECRET).compute_signature(url, FORM, "HMAC_SHA256")
    assert _post(client, signed, SHARED_KEY) == 200


def test_a_shared_key_signature_under_any_other_secret_is_refused(client: TestClient) -> None:
    url = BASE + "/webhooks/twilio/status"
    token = REAL_PROVIDER_KEYS["twilio_auth_token"]
    signed = RequestValidator(token).compute_signature(url, FORM, "HMAC_SHA256")
    assert _post(client, signed, SHARED_KEY) == 403


def test_without_the_settings_header_the_auth_token_signs_with_sha1(client: TestClient) -> None:
    url = BASE + "/webhooks/twilio/status"
    token = REAL_PROVIDER_KEYS["twilio_auth_token"]
    assert _post(client, RequestValidator(token).compute_signature(url, FORM), {}) == 200
    shared = RequestValidator(SHARED_SECRET).compute_signature(url, FORM)
    assert _post(client, shared, {}) == 403
