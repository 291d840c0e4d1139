"""The URL providers call is never silently wrong: ``serve --port`` on the embedded default
moves the default PUBLIC_BASE_URL with it, and a real stack logs the URLs to register."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from bookline.app import create_app
from fakeproviders.credentials import FAKE_TWILIO_AUTH_TOKEN
from fakeproviders.inbound import send_sms
from infra.runtime import Runtime, set_current
from tests.settings import production_settings, sandbox_env, sandbox_settings
from tests.stack import free_port, wait_for

HOTEL_SMS = "+15005550006"


def test_serve_on_another_port_accepts_a_webhook_signed_for_that_port(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = sandbox_env(DATABASE_URL=f"sqlite:///{tmp_path / 'bookline.db'}")
    for name in ("REDIS_URL", "PUBLIC_BASE_URL"):  # the embedded default, its URL not set
        env.pop(name, None)
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "bookline", "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,  # no .env of the checkout's
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: _answers(url), timeout=60)
            sent = send_sms(
                url,
                auth_token=FAKE_TWILIO_AUTH_TOKEN,
                from_="+919800000001",
                to=HOTEL_SMS,
                body="hello",
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert sent.status_code == 200, sent.text


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_a_real_stack_logs_each_providers_webhook_url_at_start(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = production_settings(
        "postgresql+psycopg://bookline@127.0.0.1:1/never",  # not reached: the start only logs
        "redis://127.0.0.1:1/0",
        public_base_url="https://book.harbour.test/",
    )
    previous = set_current(None)
    caplog.set_level("INFO", logger="bookline.webhook_urls")
    try:
        with TestClient(create_app(runtime=Runtime(settings))):
            pass
    finally:
        set_current(previous)
    logged = caplog.text
    for url in (
        "https://book.harbour.test/webhooks/twilio/sms",
        "https://book.harbour.test/webhooks/whatsapp",
        "https://book.harbour.test/webhooks/razorpay",
    ):
        assert url in logged, logged


def test_a_twilio_webhook_refused_only_for_its_url_is_explained_once(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = sandbox_settings(database_url, None, public_base_url="http://127.0.0.1:8000")
    params = {"MessageSid": "SM" + "7" * 32, "From": "+919800000001", "To": HOTEL_SMS}
    called = "http://testserver/webhooks/twilio/sms"  # where the request really went
    signature = RequestValidator(FAKE_TWILIO_AUTH_TOKEN).compute_signature(called, params)
    previous = set_current(None)
    try:
        with TestClient(create_app(settings)) as client:
            answers = [
                client.post(called, data=params, headers={"X-Twilio-Signature": signature})
                for _ in range(2)
            ]
    finally:
        set_current(previous)
    assert [answer.status_code for answer in answers] == [403, 403]
    explained = [r.getMessage() for r in caplog.records if r.name == "webhooks.twilio"]
    assert len(explained) == 1, explained
    assert called in explained[0] and "http://127.0.0.1:8000/webhooks/twilio/sms" in explained[0]
