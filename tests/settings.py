"""What every test app runs with: the sandbox on and a strong SECRET_KEY made fresh per run.

A real stack runs the built-in fake providers only when asked (BOOKLINE_SANDBOX), so tests on
PostgreSQL + Redis ask for them here, as an operator trying Bookline would. The key is random
for each run: no key written in the repository ever signs a token.
"""

from __future__ import annotations

import os
from typing import Any

from infra.settings import Settings, new_secret_key

SECRET_KEY = new_secret_key()


def sandbox_settings(database_url: str, redis_url: str | None, **overrides: Any) -> Settings:
    """Settings for a test app on ``database_url``/``redis_url``, ignoring any ``.env``."""
    values: dict[str, Any] = {"secret_key": SECRET_KEY, "bookline_sandbox": True, **overrides}
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        _env_file=None,  # type: ignore[call-arg]
        **values,
    )


def sandbox_env(**values: str) -> dict[str, str]:
    """The environment of a ``bookline`` subprocess of the tests: sandbox on, this run's key."""
    return {**os.environ, "BOOKLINE_SANDBOX": "1", "SECRET_KEY": SECRET_KEY, **values}


#: A complete configuration of every provider, none of it the sandbox's public credentials.
REAL_PROVIDER_KEYS = {
    "twilio_account_sid": "AC" + "7e11" * 8,
    "twilio_auth_token": "a-real-twilio-token-only-the-venue-has",
    "whatsapp_token": "EAA-a-real-cloud-api-token",
    "whatsapp_app_secret": "a-real-meta-app-secret",
    "whatsapp_verify_token": "a-real-verify-token",
    "razorpay_key_id": "rzp_live_RealVenue01",
    "razorpay_key_secret": "a-real-razorpay-key-secret",
    "razorpay_webhook_secret": "a-real-razorpay-webhook-secret",
}


def production_settings(database_url: str, redis_url: str | None, **overrides: Any) -> Settings:
    """A deployment with the sandbox off, a strong key and real provider keys (``overrides``
    replace any of them: ``twilio_auth_token=""`` is a blank variable, as compose leaves it)."""
    values = {**REAL_PROVIDER_KEYS, "bookline_sandbox": False, **overrides}
    return sandbox_settings(database_url, redis_url, **values)
