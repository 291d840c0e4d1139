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

from bot.format import format_money
from fakeproviders import RunningServer, run_in_thread
from fakeproviders.config import FAKE_PROVIDER_PATH
from fakeproviders.phone import Channel, Choice, GuestPhone, Shown, VenueAddresses
from infra.settings import Settings

QUIET_SECONDS = 0.6
REPLY_TIMEOUT_SECONDS = 20.0
NO_REPLY = (
    f"(no reply within {REPLY_TIMEOUT_SECONDS:.0f} s: on a real stack, is `bookline worker` "
    "running? Its log, or the server's, says what failed.)"
)


@contextmanager
def local_app(settings: Settings) -> Iterator[str]:
    """Serve the app in this process (embedded default) and yield its URL."""
    from bookline.app import create_app
    from bookline.migrate import upgrade

    if not settings.sandbox:
        raise SystemExit(
            "bookline chat talks to the built-in fake providers: it needs the sandbox "
            "(on by default on the embedded default; BOOKLINE_SANDBOX=1 elsewhere)."
        )

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


def _detail(answer: httpx.Response) -> str:
    """The reason an error answer gives (its ``detail``), or its status's phrase."""
    try:
        detail = answer.json().get("detail")
    except ValueError:
        detail = None
    return str(detail) if detail else answer.reason_phrase


def paid_line(payment: dict[str, Any]) -> str:
    """The fake Razorpay's payment as the terminal says it: money as money, and its id."""
    return f"(paid {format_money(payment['amount'], payment['currency'])}, payment {payment['id']})"


class Terminal:
    """The guest's phone as the terminal shows it: numbered choices, replies awaited, /pay."""

    def __init__(self, phone: GuestPhone) -> None:
        self.phone = phone
        self.seen = len(phone.inbox())
        self.options: list[Choice] = []

    def send(self, line: str) -> str | None:
        """Send a line (on WhatsApp a number picks one of the buttons shown last); what went
        wrong, when Bookline did not take it, so the terminal says why no reply will come."""
        choice = self._choice(line) if self.phone.channel == "whatsapp" else None
        try:
            answer = self.phone.send(None if choice else line, choice)
        except httpx.TransportError as exc:
            return f"(cannot reach Bookline at {self.phone.url}: {exc})"
        if answer.is_success:
            return None
        reason = _detail(answer)
        if answer.status_code == 403:
            reason += (
                f"; the webhook was signed for {self.phone.url}: is that Bookline's "
                "PUBLIC_BASE_URL?"
            )
        return f"(Bookline refused the message: {answer.status_code} {reason})"

    def pay(self) -> str | None:
        """Open the newest payment link sent to this guest: the fake Razorpay marks it paid."""
        response = httpx.post(
            f"{self.phone.url}{FAKE_PROVIDER_PATH}/_fake/razorpay/pay",
            params={"contact": self.phone.phone},
            timeout=REPLY_TIMEOUT_SECONDS,
        )
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return paid_line(response.json()["payment"])

    def _choice(self, line: str) -> Choice | None:
        if line.strip().isdigit() and 1 <= int(line) <= len(self.options):
            return self.options[int(line) - 1]
        return None

    def receive(self) -> list[str]:
        """Wait for the replies to the last message and render them."""
        deadline = time.monotonic() + REPLY_TIMEOUT_SECONDS
        last_count, quiet_since = self.seen, time.monotonic()
        while time.monotonic() < deadline:
            count = len(self.phone.inbox())
            if count != last_count:
                last_count, quiet_since = count, time.monotonic()
            elif count > self.seen and time.monotonic() - quiet_since > QUIET_SECONDS:
                break
            time.sleep(0.1)
        new = self.phone.inbox()[self.seen :]
        self.seen += len(new)
        return [self._render(message) for message in new]

    def _render(self, message: Shown) -> str:
        if message.options:
            self.options = message.options
        return rendered(message)


def rendered(message: Shown) -> str:
    """A message as the terminal shows it: its text, then what can be tapped, numbered, with
    a list row's description after its title (as the phone shows it under the title)."""
    if not message.options:
        return message.text
    choices = "\n".join(
        f"  [{n}] {option.title}" + (f" · {option.description}" if option.description else "")
        for n, option in enumerate(message.options, start=1)
    )
    return f"{message.text}\n{choices}"


def chat(settings: Settings, *, url: str | None, venue_slug: str, channel: str, phone: str) -> None:
    """Run the interactive loop until EOF or /quit."""
    from application.sessions import autocommit
    from engine.exceptions import NotFoundError
    from engine.tenants.service import venue_by_slug
    from infra.runtime import Runtime

    runtime = Runtime(settings)
    try:
        with autocommit(runtime) as session:
            venue = venue_by_slug(session, slug=venue_slug)
    except NotFoundError:
        raise SystemExit(f"No venue '{venue_slug}'. Run `bookline seed --demo` first.") from None
    finally:
        runtime.close()
    with _existing(url) if url else local_app(settings) as base:
        addresses = VenueAddresses(venue.sms_number or "", venue.whatsapp_phone_number_id or "")
        kind: Channel = "sms" if channel == "sms" else "whatsapp"
        try:
            guest = Terminal(GuestPhone(base, channel=kind, phone=phone, venue=addresses))
        except httpx.HTTPError as exc:
            raise SystemExit(f"bookline chat: cannot talk to Bookline at {base}: {exc}") from exc
        print(
            f"Chatting with {venue.name} on {channel} as {phone}. "
            "/pay opens the last payment link sent to you; /quit to leave."
        )
        _loop(guest)


@contextmanager
def _existing(url: str) -> Iterator[str]:
    yield url.rstrip("/")


def _loop(guest: Terminal) -> None:
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
        elif problem := guest.send(line):
            print(problem)
            continue
        replies = guest.receive()
        if not replies:
            print(NO_REPLY)
        for reply in replies:
            print("bot> " + reply.replace("\n", "\n     "))
