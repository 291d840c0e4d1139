"""Sandbox off, as a deployment runs: the fake providers' public secrets unlock nothing.

Each app here is served over HTTP and attacked as a stranger would: webhooks signed with the
credentials published in ``fakeproviders.credentials``, the fakes' own control routes, the
dashboard's sandbox phone, public sign-up.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bookline.app import create_app
from engine.messaging.models import InboundEvent
from fakeproviders import razorpay_payloads as rp
from fakeproviders import run_in_thread
from fakeproviders.config import FAKE_PROVIDER_PATH
from fakeproviders.credentials import (
    FAKE_RAZORPAY_WEBHOOK_SECRET,
    FAKE_TWILIO_AUTH_TOKEN,
    FAKE_WHATSAPP_APP_SECRET,
    FAKE_WHATSAPP_VERIFY_TOKEN,
)
from fakeproviders.inbound import post_razorpay_event, send_sms, send_whatsapp, whatsapp_verify
from infra.runtime import Runtime, set_current
from infra.settings import PROVIDER_VARIABLES, Provider, Settings
from tests.settings import production_settings, sandbox_settings
from tests.stack import HOTEL_SMS, HOTEL_WA

GUEST = "+919800000071"


@contextmanager
def served(settings: Settings) -> Iterator[str]:
    """``create_app(settings)`` on a real port, PUBLIC_BASE_URL pointing there."""
    runtime = Runtime(settings)
    previous = set_current(runtime)
    app = create_app(settings, runtime)
    server = run_in_thread(app, lifespan="off")
    settings.public_base_url = server.url
    try:
        yield server.url
    finally:
        server.stop()
        runtime.close()
        set_current(previous)  # create_app made ``runtime`` the process's current one


def deployment(database_url: str, **overrides: Any) -> Settings:
    """Settings of a deployment on the test database (and the test Redis, when there is one)."""
    return production_settings(database_url, os.environ.get("REDIS_URL") or None, **overrides)


def without(*providers: Provider) -> dict[str, Any]:
    """``providers`` disabled and, as at a venue that never signed up for them, unconfigured."""
    unset = {name.lower(): None for p in providers for name in PROVIDER_VARIABLES[p]}
    return {"disabled_providers": ",".join(providers), **unset}


def forged(url: str, provider: str) -> httpx.Response:
    """A webhook for ``provider`` signed with the sandbox's published secret."""
    if provider == "twilio":
        return send_sms(
            url, auth_token=FAKE_TWILIO_AUTH_TOKEN, from_=GUEST, to=HOTEL_SMS, body="hi"
        )
    if provider == "whatsapp":
        return send_whatsapp(
            url,
            app_secret=FAKE_WHATSAPP_APP_SECRET,
            phone_number_id=HOTEL_WA,
            display_number="15550001111",
            from_=GUEST.lstrip("+"),
            text="hi",
        )
    event = rp.event("payment.captured", payment={"id": "pay_forged", "amount": 1})
    return post_razorpay_event(url, webhook_secret=FAKE_RAZORPAY_WEBHOOK_SECRET, event=event)


def stored_events(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(InboundEvent)) or 0


@pytest.mark.parametrize("provider", ["twilio", "whatsapp", "razorpay"])
def test_a_webhook_signed_with_the_sandbox_secret_is_refused_with_the_sandbox_off(
    database_url: str, sessions: sessionmaker[Session], provider: str
) -> None:
    with served(deployment(database_url)) as url:
        answer = forged(url, provider)
    assert answer.status_code == 403
    assert stored_events(sessions) == 0


@pytest.mark.parametrize("provider", ["whatsapp", "razorpay"])
def test_a_disabled_providers_webhook_is_not_found_whatever_signs_it(
    database_url: str, sessions: sessionmaker[Session], provider: str
) -> None:
    settings = deployment(database_url, **without("whatsapp", "razorpay"))
    with served(settings) as url:
        answer = forged(url, provider)
        sms = forged(url, "twilio")
    assert answer.status_code == 404
    assert sms.status_code == 403  # Twilio still runs, on its own secret only
    assert stored_events(sessions) == 0


def test_whatsapp_subscription_with_the_sandbox_verify_token_is_refused(
    database_url: str,
) -> None:
    with served(deployment(database_url)) as url:
        answer = whatsapp_verify(url, verify_token=FAKE_WHATSAPP_VERIFY_TOKEN, challenge="42")
    assert answer.status_code == 403


def test_the_fake_providers_and_sandbox_routes_do_not_exist_with_the_sandbox_off(
    database_url: str,
) -> None:
    """A venue without Razorpay once got the fakes mounted: anyone could pay or read messages."""
    settings = deployment(database_url, **without("razorpay"))
    with served(settings) as url:
        fakes = url + FAKE_PROVIDER_PATH + "/_fake"
        answers = [
            httpx.get(f"{fakes}/messages"),
            httpx.post(f"{fakes}/razorpay/pay", params={"contact": GUEST}),
            httpx.get(f"{url}/api/v1/sandbox/messages"),
            httpx.post(f"{url}/api/v1/sandbox/messages", json={}),
        ]
    assert [answer.status_code for answer in answers] == [404] * 4
    assert all(answer.json() == {"detail": "Not Found"} for answer in answers)


def test_the_sandbox_is_served_on_a_real_stack_only_when_asked_for(database_url: str) -> None:
    settings = sandbox_settings(database_url, "redis://127.0.0.1:1/0")  # never reached
    with served(settings) as url:
        listed = httpx.get(url + FAKE_PROVIDER_PATH + "/_fake/messages")
    assert listed.status_code == 200


def test_public_sign_up_is_not_found_unless_allowed(database_url: str) -> None:
    body = {
        "business_name": "Walk-in Stranger",
        "email": "x@stranger.test",
        "password": "pw12345678",
    }
    with served(sandbox_settings(database_url, None)) as url:
        closed = httpx.post(f"{url}/api/v1/auth/register", json=body)
        documented = httpx.get(f"{url}/openapi.json").json()["paths"]
    assert closed.status_code == 404
    assert "/api/v1/auth/register" not in documented
