"""A guest's phone against a Bookline app whose providers are the built-in fakes.

``bookline chat`` (a terminal) and the dashboard's "try the bot" page (``/api/v1/sandbox``) both
talk to the bot through this: a correctly signed provider webhook posted to the app's public
URL, and the replies read back from what the fake provider received for the guest — so either
one drives exactly the path a real guest's message takes. It signs with the fakes' public
credentials, which a Bookline app accepts in sandbox mode only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import httpx

from fakeproviders.config import FAKE_PROVIDER_PATH
from fakeproviders.credentials import FAKE_TWILIO_AUTH_TOKEN, FAKE_WHATSAPP_APP_SECRET
from fakeproviders.inbound import send_sms, send_whatsapp
from fakeproviders.state import phone_key

Channel = Literal["sms", "whatsapp"]
#: Where the fake's recorded outbound messages are listed, below the app's fake providers.
MESSAGES_PATH = "/_fake/messages"
LINK = re.compile(r"https?://[^\s<>\"')\]]+")
READ_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Choice:
    """A WhatsApp button or list row the guest can tap (a row may say more under its title)."""

    id: str
    title: str
    kind: Literal["button", "list"]
    description: str = ""


@dataclass(frozen=True)
class Shown:
    """One message as the guest's phone shows it: text, what can be tapped, links to open."""

    text: str
    options: list[Choice]
    links: list[str]
    at: datetime


@dataclass(frozen=True)
class VenueAddresses:
    """The venue's provider addresses: its SMS number and WhatsApp phone number id."""

    sms_number: str
    whatsapp_id: str

    def sent(self, message: dict[str, Any]) -> bool:
        """True when the venue sent ``message`` (SMS number or WhatsApp id as the sender)."""
        sender = phone_key(str(message.get("from_") or ""))
        return sender in (phone_key(self.sms_number), phone_key(self.whatsapp_id))


def channel_of(message: dict[str, Any]) -> Channel:
    """Which channel a recorded message went out on (Twilio also carries ``whatsapp:``)."""
    if message.get("provider") == "whatsapp" or str(message.get("to")).startswith("whatsapp:"):
        return "whatsapp"
    return "sms"


def shown(message: dict[str, Any]) -> Shown:
    """What the phone shows for one recorded message (``SentMessage.to_json()`` form)."""
    payload = message.get("payload")
    interactive = payload.get("interactive") if isinstance(payload, dict) else None
    if interactive:
        text, options = str(interactive["body"]["text"]), _choices(interactive)
    else:
        text, options = str(message.get("body") or ""), []
    at = datetime.fromisoformat(str(message["created_at"]))
    return Shown(text, options, [link.rstrip(".,;:!?") for link in LINK.findall(text)], at)


def _choices(interactive: dict[str, Any]) -> list[Choice]:
    action = interactive.get("action", {})
    buttons = [
        Choice(b["reply"]["id"], b["reply"]["title"], "button") for b in action.get("buttons", [])
    ]
    rows = [
        Choice(r["id"], r["title"], "list", r.get("description", ""))
        for s in action.get("sections", [])
        for r in s["rows"]
    ]
    return buttons + rows


class GuestPhone:
    """One guest on one channel of one venue: sends messages, reads what it was sent."""

    def __init__(self, url: str, *, channel: Channel, phone: str, venue: VenueAddresses) -> None:
        self.url = url.rstrip("/")
        self.channel, self.phone, self.venue = channel, phone, venue

    @property
    def address(self) -> str:
        """How the provider writes this guest's number."""
        return self.phone if self.channel == "sms" else self.phone.lstrip("+")

    def send(self, text: str | None = None, choice: Choice | None = None) -> httpx.Response:
        """The guest types ``text`` or (WhatsApp) taps ``choice``; the app's answer is returned."""
        if self.channel == "sms":
            return send_sms(
                self.url,
                auth_token=FAKE_TWILIO_AUTH_TOKEN,
                from_=self.phone,
                to=self.venue.sms_number,
                body=text or "",
            )
        tapped = (choice.id, choice.title) if choice else None
        return send_whatsapp(
            self.url,
            app_secret=FAKE_WHATSAPP_APP_SECRET,
            phone_number_id=self.venue.whatsapp_id,
            display_number=self.venue.whatsapp_id,
            from_=self.address,
            text=None if choice else text,
            button_reply=tapped if choice and choice.kind == "button" else None,
            list_reply=tapped if choice and choice.kind == "list" else None,
        )

    def inbox(self) -> list[Shown]:
        """Everything the venue sent this guest on this channel, oldest first."""
        response = httpx.get(
            self.url + FAKE_PROVIDER_PATH + MESSAGES_PATH,
            params={"to": self.address},
            timeout=READ_TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        return [
            shown(message)
            for message in response.json()["messages"]
            if channel_of(message) == self.channel and self.venue.sent(message)
        ]

    def offered(self, choice_id: str) -> Choice | None:
        """The newest option with this id the guest was shown, if any."""
        for message in reversed(self.inbox()):
            for option in message.options:
                if option.id == choice_id:
                    return option
        return None
