"""Signed webhooks carrying what no provider sends: wrong types, characters a database cannot
hold, absurd nesting. Each is a 4xx or stored as far as it can be, never a 500; and a message
that cannot be stored never takes the good messages of its POST down with it."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.messaging.models import InboundEvent
from fakeproviders.credentials import (
    FAKE_RAZORPAY_WEBHOOK_SECRET,
    FAKE_TWILIO_AUTH_TOKEN,
    FAKE_WHATSAPP_APP_SECRET,
)
from fakeproviders.inbound import post_razorpay_event, post_twilio_form
from fakeproviders.razorpay_payloads import event
from fakeproviders.signing import meta_signature, razorpay_signature
from fakeproviders.whatsapp_payloads import envelope, inbound_message, raw_json
from tests.stack import HOTEL_SMS, HOTEL_WA, Stack

DEEP = b"[" * 30_000 + b"]" * 30_000


def _events(sessions: sessionmaker[Session]) -> dict[str, InboundEvent]:
    with sessions() as session:
        return {row.provider_id: row for row in session.scalars(select(InboundEvent))}


def _post_whatsapp(live: Stack, body: bytes) -> httpx.Response:
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": meta_signature(FAKE_WHATSAPP_APP_SECRET, body),
    }
    return httpx.post(f"{live.url}/webhooks/whatsapp", content=body, headers=headers)


def _whatsapp_batch(*messages: dict[str, Any]) -> bytes:
    value = {"contacts": [], "messages": list(messages)}
    return raw_json(
        envelope(waba_id="1", phone_number_id=HOTEL_WA, display_number="1", value=value)
    )


def _text(guest: str, message_id: str, text: str) -> dict[str, Any]:
    return inbound_message(from_=guest, message_id=message_id, text=text)


def test_twilio_media_count_that_is_not_a_number_is_400_and_nothing_is_stored(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    params = {
        "MessageSid": "SM" + "5" * 32,
        "From": "+919800000005",
        "To": HOTEL_SMS,
        "Body": "",
        "NumMedia": "abc",
    }
    response = post_twilio_form(
        f"{live.url}/webhooks/twilio/sms", auth_token=FAKE_TWILIO_AUTH_TOKEN, params=params
    )
    assert response.status_code == 400
    assert "NumMedia" in response.json()["detail"]
    assert _events(sessions) == {}


def test_sms_with_a_nul_character_is_stored_without_it_and_answered(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    assert live.sms("hel\x00lo", guest="+919800000006", sid="SM" + "6" * 32).status_code == 200
    live.wait_sent("+919800000006", 1)
    assert _events(sessions)["SM" + "6" * 32].text == "hello"


def test_json_nested_thirty_thousand_deep_is_400_for_whatsapp_and_razorpay(live: Stack) -> None:
    assert _post_whatsapp(live, DEEP).status_code == 400
    headers = {"X-Razorpay-Signature": razorpay_signature(FAKE_RAZORPAY_WEBHOOK_SECRET, DEEP)}
    response = httpx.post(f"{live.url}/webhooks/razorpay", content=DEEP, headers=headers)
    assert response.status_code == 400


def test_json_nested_deeper_than_any_provider_is_400(live: Stack) -> None:
    deep_notes: Any = "x"
    for _ in range(500):
        deep_notes = [deep_notes]
    body = json.dumps({"event": "payment.captured", "payload": {"notes": deep_notes}}).encode()
    headers = {"X-Razorpay-Signature": razorpay_signature(FAKE_RAZORPAY_WEBHOOK_SECRET, body)}
    response = httpx.post(f"{live.url}/webhooks/razorpay", content=body, headers=headers)
    assert response.status_code == 400 and "nested" in response.json()["detail"]


def test_whatsapp_text_with_a_lone_surrogate_is_stored_with_a_replacement_and_answered(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "919800000007"
    body = _whatsapp_batch(_text(guest, "wamid.SURROGATE", "hi \ud800 there"))
    assert b"\\ud800" in body  # the escape Meta's JSON would carry
    assert _post_whatsapp(live, body).status_code == 200
    live.wait_sent(guest, 1)
    assert _events(sessions)["wamid.SURROGATE"].text == "hi \ufffd there"


def test_whatsapp_post_with_an_unstorable_message_stores_and_answers_the_good_ones(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    good, nul, lost = "919800000011", "919800000012", "919800000013"
    body = _whatsapp_batch(
        _text(good, "wamid.GOOD", "hello"),
        _text(nul, "wamid.NUL", "hel\x00lo"),
        _text(lost, "wamid.\ud800", "hello"),  # an id is never rewritten: dropped
    )
    assert _post_whatsapp(live, body).status_code == 200
    live.wait_sent(good, 1)
    live.wait_sent(nul, 1)
    live.settle(0.3)
    stored = _events(sessions)
    assert set(stored) == {"wamid.GOOD", "wamid.NUL"}
    assert stored["wamid.NUL"].text == "hello"
    assert live.sent_to(lost) == []


def test_razorpay_event_with_unstorable_text_is_400_and_nothing_is_stored(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    for bad in ("pay_\x00", "pay_\ud800"):
        payment = {"id": bad, "status": "captured", "amount": 100, "currency": "INR"}
        response = post_razorpay_event(
            live.url,
            webhook_secret=FAKE_RAZORPAY_WEBHOOK_SECRET,
            event=event("payment.captured", payment=payment),
        )
        assert response.status_code == 400
    assert _events(sessions) == {}
