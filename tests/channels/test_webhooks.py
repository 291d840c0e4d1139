"""Webhooks end to end over HTTP: signatures, dedupe, bad input, routing, both channels."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.catalog import t
from engine.messaging.models import InboundEvent, OutboxMessage
from fakeproviders.credentials import (
    FAKE_WHATSAPP_APP_SECRET,
    FAKE_WHATSAPP_VERIFY_TOKEN,
)
from fakeproviders.inbound import post_twilio_form, whatsapp_verify
from tests.stack import HOTEL_SMS, HOTEL_WA, RESTAURANT_SMS, Stack


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_signed_sms_is_acknowledged_with_empty_twiml_and_answered_from_the_venue_number(
    live: Stack,
) -> None:
    response = live.sms("hello", guest="+919811111111")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response/>")
    (reply,) = live.wait_sent("+919811111111", 1)
    assert reply.provider == "twilio" and reply.from_ == HOTEL_SMS


def test_same_message_sid_delivered_three_times_gets_one_reply(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    for _ in range(3):
        assert live.sms("hi there", guest="+919822222222", sid="SM" + "1" * 32).status_code == 200
    live.wait_sent("+919822222222", 1)
    live.settle()
    assert len(live.sent_to("+919822222222")) == 1
    assert _count(sessions, InboundEvent) == 1


def test_same_whatsapp_message_id_delivered_three_times_gets_one_reply(live: Stack) -> None:
    for _ in range(3):
        assert (
            live.whatsapp("hola", guest="919833333333", message_id="wamid.DUP1").status_code == 200
        )
    live.wait_sent("919833333333", 1)
    live.settle()
    assert len(live.sent_to("919833333333")) == 1


def test_forged_twilio_signature_is_403_and_nothing_is_stored(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    params = {
        "MessageSid": "SM" + "2" * 32,
        "From": "+919844444444",
        "To": HOTEL_SMS,
        "Body": "book a room",
    }
    response = post_twilio_form(
        f"{live.url}/webhooks/twilio/sms", auth_token="wrong-token", params=params
    )
    assert response.status_code == 403
    unsigned = httpx.post(f"{live.url}/webhooks/twilio/sms", data=params)
    assert unsigned.status_code == 403
    live.settle(0.3)
    assert _count(sessions, InboundEvent) == 0
    assert live.sent_to("+919844444444") == []


def test_forged_whatsapp_signature_is_403_and_nothing_is_stored(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
    bad = "sha256=" + hmac.new(b"not-the-secret", body, hashlib.sha256).hexdigest()
    response = httpx.post(
        f"{live.url}/webhooks/whatsapp",
        content=body,
        headers={"X-Hub-Signature-256": bad, "Content-Type": "application/json"},
    )
    assert response.status_code == 403
    assert _count(sessions, InboundEvent) == 0


def _signed_whatsapp(live: Stack, body: bytes) -> httpx.Response:
    signature = (
        "sha256=" + hmac.new(FAKE_WHATSAPP_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    )
    return httpx.post(
        f"{live.url}/webhooks/whatsapp",
        content=body,
        headers={"X-Hub-Signature-256": signature, "Content-Type": "application/json"},
    )


def test_malformed_bodies_are_400_not_500(live: Stack) -> None:
    assert _signed_whatsapp(live, b"{not json").status_code == 400
    assert _signed_whatsapp(live, b'{"entry": "nope"}').status_code == 400
    assert _signed_whatsapp(live, b"[1, 2]").status_code == 400
    bad_message = {
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "metadata": {"phone_number_id": HOTEL_WA},
                            "messages": [{"type": "text"}],
                        }
                    }
                ]
            }
        ]
    }
    assert _signed_whatsapp(live, json.dumps(bad_message).encode()).status_code == 400
    missing = post_twilio_form(
        f"{live.url}/webhooks/twilio/sms", auth_token=_twilio_token(), params={"Body": "hi"}
    )
    assert missing.status_code == 400


def _twilio_token() -> str:
    from fakeproviders.credentials import FAKE_TWILIO_AUTH_TOKEN

    return FAKE_TWILIO_AUTH_TOKEN


def test_oversized_body_is_413(live: Stack) -> None:
    big = b"{" + b" " * (100 * 1024) + b"}"
    assert _signed_whatsapp(live, big).status_code == 413
    response = httpx.post(
        f"{live.url}/webhooks/twilio/sms",
        content=b"Body=" + b"x" * 102400,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_message_to_unknown_number_is_acknowledged_and_dropped(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    assert live.sms("hello?", guest="+919855555555", to="+15005559999").status_code == 200
    assert live.whatsapp("hello?", guest="919855555556", to="999999").status_code == 200
    live.settle(0.3)
    assert _count(sessions, InboundEvent) == 0
    assert live.sent_to("+919855555555") == [] and live.sent_to("919855555556") == []


def test_whatsapp_subscription_check_echoes_the_challenge_only_with_the_right_token(
    live: Stack,
) -> None:
    ok = whatsapp_verify(live.url, verify_token=FAKE_WHATSAPP_VERIFY_TOKEN, challenge="12345")
    assert ok.status_code == 200 and ok.text == "12345"
    bad = whatsapp_verify(live.url, verify_token="guess", challenge="12345")
    assert bad.status_code == 403


def test_each_venue_answers_from_its_own_number(live: Stack) -> None:
    live.sms("hello", guest="+919866666666", to=RESTAURANT_SMS)
    (reply,) = live.wait_sent("+919866666666", 1)
    assert reply.from_ == RESTAURANT_SMS


def test_media_message_gets_a_polite_text_only_reply(live: Stack) -> None:
    live.whatsapp(guest="919877777777", media_type="image")
    (reply,) = live.wait_sent("919877777777", 1)
    assert reply.body == t("text_only", "en")


def test_delivery_status_callbacks_update_the_outbox(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    live.sms("hello", guest="+919888888888")
    live.wait_sent("+919888888888", 1)

    def delivered() -> bool:
        with sessions() as session:
            row = session.scalar(select(OutboxMessage))
            return row is not None and row.status == "delivered"

    from tests.stack import wait_for

    wait_for(delivered)


def test_twilio_whatsapp_addressing_is_answered_through_twilio_on_whatsapp(live: Stack) -> None:
    params = {
        "MessageSid": "SM" + "7" * 32,
        "From": "whatsapp:+919899999999",
        "To": f"whatsapp:{HOTEL_SMS}",
        "Body": "hello",
        "NumMedia": "0",
    }
    response = post_twilio_form(
        f"{live.url}/webhooks/twilio/sms", auth_token=_twilio_token(), params=params
    )
    assert response.status_code == 200
    (reply,) = live.wait_sent("whatsapp:+919899999999", 1)
    assert reply.provider == "twilio" and reply.from_ == f"whatsapp:{HOTEL_SMS}"
