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

from bookline.app import create_app
from bookline.runtime import Runtime, set_current
from fakeproviders.credentials import FAKE_TWILIO_AUTH_TOKEN
from fakeproviders.inbound import send_sms
from tests.settings import production_settings, sandbox_env
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
