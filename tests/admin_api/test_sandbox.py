"""Try the bot: the dashboard's phone sends signed webhooks to the app's public URL and reads
back what the fake provider received for the guest; with real providers it is switched off."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from admin_api.api import PREFIX
from admin_api.auth.tokens import TokenService
from bookline.app import create_app
from infra.runtime import Runtime, set_current
from tests.admin_api.conftest import SECRET, World, build_world
from tests.payments.checkout import Checkout
from tests.settings import sandbox_settings
from tests.stack import Stack, running_stack, wait_for

URL = f"{PREFIX}/sandbox/messages"
REAL_KEYS = {
    "twilio_account_sid": "AC0123",
    "twilio_auth_token": "real-token",
    "whatsapp_token": "real-token",
    "whatsapp_app_secret": "real-secret",
    "whatsapp_verify_token": "real-verify",
    "razorpay_key_id": "rzp_live_x",
    "razorpay_key_secret": "real-secret",
    "razorpay_webhook_secret": "real-secret",
}


@pytest.fixture(scope="module")
def stack(database_url: str) -> Iterator[Stack]:
    """The app over HTTP (and rq workers on a real Redis, so webhooks get answered)."""
    with running_stack(database_url) as running:
        yield running


@pytest.fixture
def world(stack: Stack, sessions: sessionmaker[Session]) -> World:
    """Both businesses, seeded in the stack's database; the fake provider forgets its records."""
    stack.fake.reset()
    with stack.runtime.sessions() as session:
        return build_world(session, TokenService(stack.runtime.redis, SECRET))


class Phone:
    """The dashboard's phone: one guest, sending and polling as the staff member."""

    def __init__(self, stack: Stack, world: World, guest: str) -> None:
        self.client = httpx.Client(base_url=stack.url, headers=world.headers["staff"], timeout=30)
        self.guest, self.venue_id = guest, world.ids["venue_id"]

    def send(self, channel: str, **what: str) -> httpx.Response:
        body = {"venue_id": self.venue_id, "channel": channel, "phone": self.guest, **what}
        return self.client.post(URL, json=body)

    def read(self, channel: str, after: int = 0) -> dict[str, Any]:
        query = {"venue_id": self.venue_id, "channel": channel, "phone": self.guest}
        answer = self.client.get(URL, params={**query, "after": after})
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def say(self, channel: str, after: int, **what: str) -> dict[str, Any]:
        """Send, then wait for the replies that follow message ``after``."""
        answer = self.send(channel, **what)
        assert answer.status_code == 202 and answer.json() == {"sent": True}, answer.text
        wait_for(lambda: self.read(channel, after)["messages"])
        return self.read(channel, after)


def test_a_guest_greets_then_asks_for_a_room_by_sms(stack: Stack, world: World) -> None:
    phone = Phone(stack, world, "+919800000081")
    greeting = phone.say("sms", 0, text="hi")
    offer = phone.say("sms", greeting["next"], text="double room 24-27 Dec for 2")
    first = greeting["messages"][0]
    assert "Welcome to Seaside Hotel" in first["text"] and (first["seq"], first["options"]) == (
        1,
        [],
    )
    assert offer["messages"][0]["seq"] == greeting["next"] + 1
    assert "Standard" in offer["messages"][0]["text"] and offer["next"] > greeting["next"]
    assert phone.read("sms", offer["next"]) == {"messages": [], "next": offer["next"]}


def test_whatsapp_buttons_are_tapped_by_their_id(stack: Stack, world: World) -> None:
    phone = Phone(stack, world, "+919800000082")
    menu = phone.say("whatsapp", 0, text="hi")
    assert {"id": "menu:book", "title": "Make a booking"} in menu["messages"][-1]["options"]
    asked = phone.say("whatsapp", menu["next"], choice_id="menu:book")
    assert asked["messages"][0]["text"] and phone.read("sms")["messages"] == []


def test_an_option_never_offered_or_a_tap_on_sms_is_refused(stack: Stack, world: World) -> None:
    phone = Phone(stack, world, "+919800000083")
    assert phone.send("whatsapp", choice_id="menu:book").status_code == 409
    assert phone.send("sms", choice_id="menu:book").status_code == 422
    assert phone.send("whatsapp", text="hi", choice_id="menu:book").status_code == 422


def test_sandbox_is_off_when_providers_are_real(
    database_url: str, stack: Stack, world: World
) -> None:
    settings = sandbox_settings(database_url, os.environ.get("REDIS_URL") or None, **REAL_KEYS)
    real = Runtime(settings)
    try:
        client = TestClient(create_app(settings, real))
        query = {"venue_id": world.ids["venue_id"], "channel": "sms", "phone": "+919800000084"}
        sent = client.post(URL, json={**query, "text": "hi"}, headers=world.headers["owner"])
        read = client.get(URL, params=query, headers=world.headers["owner"])
    finally:
        real.close()
        set_current(stack.runtime)  # create_app made ``real`` the runtime inline jobs use
    assert sent.status_code == read.status_code == 404
    assert sent.json() == read.json() == {"detail": "sandbox mode is off"}


def test_a_payment_link_opened_from_the_phone_confirms_the_stay(stack: Stack, world: World) -> None:
    phone = Phone(stack, world, "+919800000085")
    offer = phone.say("sms", 0, text="double room 24-27 Dec for 2")
    asked = phone.say("sms", offer["next"], text="1")
    held = phone.say("sms", asked["next"], text="Asha Rao")
    (link,) = [link for message in held["messages"] for link in message["links"]]
    assert httpx.get(link, timeout=30).status_code == 200  # the fake checkout: opening pays
    wait_for(lambda: "is confirmed" in str(phone.read("sms", held["next"])["messages"]))
    Checkout(stack, stack.runtime.sessions).settle()  # the payment's other webhook, handled too
