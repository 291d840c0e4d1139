"""Be the guest: post correctly signed provider webhooks to a running Bookline app.

Tests and the chat simulator call these directly; the fake app's ``/_fake/inbound/*`` routes
call them for terminal or dashboard simulators. Every helper returns the app's
``httpx.Response`` so callers can assert on it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx

from fakeproviders.credentials import (
    FAKE_TWILIO_ACCOUNT_SID,
    FAKE_WHATSAPP_BUSINESS_ACCOUNT_ID,
)
from fakeproviders.razorpay_payloads import signed_webhook
from fakeproviders.signing import (
    META_SIGNATURE_HEADER,
    TWILIO_SIGNATURE_HEADER,
    meta_signature,
    twilio_signature,
)
from fakeproviders.twilio_payloads import inbound_sms_form
from fakeproviders.whatsapp_payloads import envelope, inbound_message, raw_json

SMS_PATH = "/webhooks/twilio/sms"
WHATSAPP_PATH = "/webhooks/whatsapp"
DEFAULT_TIMEOUT = 30.0


def post_twilio_form(
    url: str,
    *,
    auth_token: str,
    params: dict[str, str],
    signed_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> httpx.Response:
    """POST a Twilio-style form to ``url``, signed over ``signed_url`` (the public URL).

    Behind a proxy the app sees ``url`` but Twilio signed the public one, hence two URLs.
    """
    signature = twilio_signature(auth_token, signed_url or url, params)
    headers = {
        TWILIO_SIGNATURE_HEADER: signature,
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "TwilioProxy/1.1",
    }
    return httpx.post(url, content=urlencode(params), headers=headers, timeout=timeout)


def send_sms(
    app_url: str,
    *,
    auth_token: str,
    from_: str,
    to: str,
    body: str,
    message_sid: str | None = None,
    public_base_url: str | None = None,
    account_sid: str = FAKE_TWILIO_ACCOUNT_SID,
    timeout: float = DEFAULT_TIMEOUT,
) -> httpx.Response:
    """A guest texts ``body`` from ``from_`` to the venue number ``to``."""
    form = inbound_sms_form(
        account_sid=account_sid, from_=from_, to=to, body=body, message_sid=message_sid
    )
    signed_url = (public_base_url or app_url).rstrip("/") + SMS_PATH
    return post_twilio_form(
        app_url.rstrip("/") + SMS_PATH,
        auth_token=auth_token,
        params=form,
        signed_url=signed_url,
        timeout=timeout,
    )


def post_whatsapp_payload(
    app_url: str, *, app_secret: str, payload: dict[str, Any], timeout: float = DEFAULT_TIMEOUT
) -> httpx.Response:
    """POST any Cloud API webhook envelope, signed over the exact bytes sent.

    Use it for what ``send_whatsapp`` does not build: several messages in one POST,
    duplicates, status webhooks, or a deliberately bad signature.
    """
    body = raw_json(payload)
    headers = {
        "Content-Type": "application/json",
        META_SIGNATURE_HEADER: meta_signature(app_secret, body),
    }
    url = app_url.rstrip("/") + WHATSAPP_PATH
    return httpx.post(url, content=body, headers=headers, timeout=timeout)


def send_whatsapp(
    app_url: str,
    *,
    app_secret: str,
    phone_number_id: str,
    display_number: str,
    from_: str,
    text: str | None = None,
    button_reply: tuple[str, str] | None = None,
    list_reply: tuple[str, str] | None = None,
    quick_reply: tuple[str, str] | None = None,
    media_type: str | None = None,
    name: str = "Guest",
    message_id: str | None = None,
    context_id: str | None = None,
    timestamp: int | None = None,
    waba_id: str = FAKE_WHATSAPP_BUSINESS_ACCOUNT_ID,
    timeout: float = DEFAULT_TIMEOUT,
) -> httpx.Response:
    """A guest sends one WhatsApp message: text, a button/list reply ``(id, title)``, a
    template's quick reply ``(payload, text)``, or media.

    ``media_type`` is a Cloud API message type (image, audio, video, document, sticker,
    location); ``context_id`` is the wamid of the business message a reply answers.
    """
    message = inbound_message(
        from_=from_,
        message_id=message_id,
        timestamp=timestamp,
        context_id=context_id,
        business_number=display_number,
        text=text,
        button_reply=button_reply,
        list_reply=list_reply,
        quick_reply=quick_reply,
        media_type=media_type,
    )
    contacts = [{"profile": {"name": name}, "wa_id": from_}]
    payload = envelope(
        waba_id=waba_id,
        phone_number_id=phone_number_id,
        display_number=display_number,
        value={"contacts": contacts, "messages": [message]},
    )
    return post_whatsapp_payload(app_url, app_secret=app_secret, payload=payload, timeout=timeout)


def whatsapp_verify(
    app_url: str, *, verify_token: str, challenge: str, timeout: float = DEFAULT_TIMEOUT
) -> httpx.Response:
    """Meta's subscription check: the app must echo ``challenge`` iff the token matches."""
    params = {"hub.mode": "subscribe", "hub.verify_token": verify_token, "hub.challenge": challenge}
    return httpx.get(app_url.rstrip("/") + WHATSAPP_PATH, params=params, timeout=timeout)


def post_razorpay_event(
    app_url: str,
    *,
    webhook_secret: str,
    event: dict[str, Any],
    event_id: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> httpx.Response:
    """POST any Razorpay webhook event, signed over the exact bytes sent.

    For what the checkout routes do not produce: tampered amounts, unknown links, a chosen
    event id delivered again, or a signature made with the wrong secret.
    """
    prepared = signed_webhook(app_url, webhook_secret, event, event_id)
    return httpx.post(
        prepared.url, content=prepared.content, headers=prepared.headers, timeout=timeout
    )
