"""``bookline chat``: talk to the bot in a terminal as a guest.

Every line goes the way a real guest's message goes: a signed webhook over HTTP, the inbound
queue, the dialogue, the outbox, the provider SDK, the (fake) provider. The replies printed are
the ones the fake provider received, rendered as the guest's phone would show them: SMS as
text, WhatsApp buttons and lists as numbered choices you can answer with the number.
``/pay`` opens the last payment link the guest was sent: the fake Razorpay takes the payment
and posts its signed webhooks, so a paid booking completes locally.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from bookline.fakeproviders import RunningServer, run_in_thread
from bookline.fakeproviders.inbound import send_sms, send_whatsapp
from bookline.settings import FAKE_PROVIDER_PATH, Settings

QUIET_SECONDS = 0.6
REPLY_TIMEOUT_SECONDS = 20.0


@contextmanager
def local_app(settings: Settings) -> Iterator[str]:
    """Serve the app in this process (embedded default) and yield its URL."""
    from bookline.app import create_app
    from bookline.migrate import upgrade

    upgrade(settings.database_url)
    app = create_app(settings)
    server: RunningServer = run_in_thread(app)
    settings.public_base_url = server.url
    fake = app.state.fake_providers.state.fake_config
    fake.app_url = fake.public_base_url = server.url
    try:
        yield server.url
    finally:
        server.stop()


class GuestPhone:
    """One guest's phone: sends messages, shows what arrives."""

    def __init__(
        self,
        url: str,
        settings: Settings,
        *,
        channel: str,
        phone: str,
        sms_number: str,
        whatsapp_id: str,
    ) -> None:
        self.url, self.settings, self.channel = url, settings, channel
        self.phone, self.sms_number, self.whatsapp_id = phone, sms_number, whatsapp_id
        self.seen = len(self._inbox())
        self.options: list[tuple[str, str]] = []

    @property
    def address(self) -> str:
        """How the provider writes this guest's number."""
        return self.phone if self.channel == "sms" else self.phone.lstrip("+")

    def send(self, line: str) -> None:
        """Send a line; on WhatsApp a number picks one of the buttons shown last."""
        if self.channel == "sms":
            send_sms(
                self.url,
                auth_token=self.settings.twilio().secret,
                from_=self.phone,
                to=self.sms_number,
                body=line,
            )
            return
        keys = self.settings.whatsapp()
        choice = self._choice(line)
        send_whatsapp(
            self.url,
            app_secret=keys.app_secret,
            phone_number_id=self.whatsapp_id,
            display_number=self.whatsapp_id,
            from_=self.address,
            name="Guest",
            text=None if choice else line,
            button_reply=choice,
        )

    def pay(self) -> str | None:
        """Open the newest payment link sent to this guest: the fake Razorpay marks it paid."""
        response = httpx.post(
            f"{self.url}{FAKE_PROVIDER_PATH}/_fake/razorpay/pay",
            params={"contact": self.phone},
            timeout=REPLY_TIMEOUT_SECONDS,
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        paid = response.json()["payment"]
        return f"(paid {paid['amount']} {paid['currency']} minor units, payment {paid['id']})"

    def _choice(self, line: str) -> tuple[str, str] | None:
        if line.strip().isdigit() and 1 <= int(line) <= len(self.options):
            return self.options[int(line) - 1]
        return None

    def _inbox(self) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{self.url}{FAKE_PROVIDER_PATH}/_fake/messages",
            params={"to": self.address},
            timeout=10,
        )
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def receive(self) -> list[str]:
        """Wait for the replies to the last message and render them."""
        deadline = time.monotonic() + REPLY_TIMEOUT_SECONDS
        last_count, quiet_since = self.seen, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self._inbox())
            if count != last_count:
                last_count, quiet_since = count, time.monotonic()
            elif count > self.seen and time.monotonic() - quiet_since > QUIET_SECONDS:
                break
            time.sleep(0.1)
        new = self._inbox()[self.seen :]
        self.seen += len(new)
        return [self._render(message) for message in new]

    def _render(self, message: dict[str, Any]) -> str:
        payload = message.get("payload", {})
        interactive = payload.get("interactive") if isinstance(payload, dict) else None
        if not interactive:
            return str(message.get("body") or "")
        action = interactive.get("action", {})
        rows = [(b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]
        rows += [(r["id"], r["title"]) for s in action.get("sections", []) for r in s["rows"]]
        self.options = rows
        buttons = "\n".join(f"  [{n}] {title}" for n, (_, title) in enumerate(rows, start=1))
        return f"{interactive['body']['text']}\n{buttons}"


def chat(settings: Settings, *, url: str | None, venue_slug: str, channel: str, phone: str) -> None:
    """Run the interactive loop until EOF or /quit."""
    from sqlalchemy import select

    from bookline.runtime import Runtime
    from engine.tenants.models import Venue

    runtime = Runtime(settings)
    with runtime.sessions() as session:
        venue = session.scalar(select(Venue).where(Venue.slug == venue_slug))
    runtime.close()
    if venue is None:
        raise SystemExit(f"No venue '{venue_slug}'. Run `bookline seed --demo` first.")
    with _existing(url) if url else local_app(settings) as base:
        guest = GuestPhone(
            base,
            settings,
            channel=channel,
            phone=phone,
            sms_number=venue.sms_number or "",
            whatsapp_id=venue.whatsapp_phone_number_id or "",
        )
        print(
            f"Chatting with {venue.name} on {channel} as {phone}. "
            "/pay opens the last payment link sent to you; /quit to leave."
        )
        _loop(guest)


@contextmanager
def _existing(url: str) -> Iterator[str]:
    yield url.rstrip("/")


def _loop(guest: GuestPhone) -> None:
    while True:
        try:
            line = input("you> ").strip()
        except EOFError:
            return
        if line in ("/quit", "/exit"):
            return
        if not line:
            continue
        if line == "/pay":
            paid = guest.pay()
            print(paid or "(no open payment link for this number)")
            if paid is None:
                continue
        else:
            guest.send(line)
        for reply in guest.receive():
            print("bot> " + reply.replace("\n", "\n     "))
