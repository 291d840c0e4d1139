"""Webhook signatures exactly as the providers compute them.

Both the fake's own callbacks and the inbound helpers sign through here, so a product that
verifies these verifies the real thing: Twilio via the SDK's own ``RequestValidator``, Meta and
Razorpay via HMAC-SHA256 over the raw body bytes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from twilio.request_validator import RequestValidator

TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
META_SIGNATURE_HEADER = "X-Hub-Signature-256"
RAZORPAY_SIGNATURE_HEADER = "X-Razorpay-Signature"
RAZORPAY_EVENT_ID_HEADER = "x-razorpay-event-id"


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """``X-Twilio-Signature`` for a form POST to ``url`` (the exact public URL Twilio calls)."""
    return str(RequestValidator(auth_token).compute_signature(url, dict(params)))


def meta_signature(app_secret: str, body: bytes) -> str:
    """``X-Hub-Signature-256`` header value: ``sha256=`` + hex HMAC-SHA256 of the raw body."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def meta_signature_matches(app_secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time check of an ``X-Hub-Signature-256`` header (used by tests and receivers)."""
    return header is not None and hmac.compare_digest(meta_signature(app_secret, body), header)


def razorpay_signature(webhook_secret: str, body: bytes) -> str:
    """``X-Razorpay-Signature``: hex HMAC-SHA256 of the raw body with the webhook secret."""
    return hmac.new(webhook_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
