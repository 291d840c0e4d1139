"""The one way any code speaks to a guest: render, outbox row under its key, transcript.

Every message to a guest — a reply to their message, news the bot has for them (a payment
link, a refund), a waitlist offer, a staff member's words, an apology for a failed message —
comes through ``tell``: rendered in the guest's channel format (and for the provider that
carries the conversation), written to the outbox under a key naming its cause, so a retried
job sends nothing twice, and recorded in the transcript staff read. The unit of work sends
the rows once the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redis import Redis
from sqlalchemy.orm import Session

from bot.choices import conversation_key, forget_options, remember_options
from bot.messages import Reply
from bot.render import plain_text, render_sms, render_whatsapp
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage
from engine.messaging.service import add_transcript, enqueue_outbox
from engine.tenants.models import Venue


def default_provider(channel: MessageChannel) -> str:
    """The provider that carries ``channel`` when the guest has not written through another
    (WhatsApp can also reach us through Twilio)."""
    return "twilio" if channel == MessageChannel.SMS else "whatsapp"


def render(reply: Reply, channel: MessageChannel, provider: str | None = None) -> dict[str, Any]:
    """The outbox payload of a reply on ``channel`` as delivered through ``provider``.

    WhatsApp reached through Twilio (``whatsapp:`` addresses) takes plain text like SMS and is
    marked so the sender uses Twilio for it.
    """
    if channel == MessageChannel.SMS:
        return render_sms(reply)
    if (provider or default_provider(channel)) == "twilio":
        return {**render_sms(reply), "transport": "twilio"}
    return render_whatsapp(reply)


@dataclass(frozen=True)
class Recipient:
    """A guest at a venue on one channel, and the provider their conversation runs through."""

    venue: Venue
    guest: Guest
    channel: MessageChannel
    provider: str | None = None


def tell(
    session: Session,
    redis: Redis,
    to: Recipient,
    replies: list[Reply],
    *,
    key: str,
    now: datetime,
    bypass_opt_out: bool = False,
) -> list[OutboxMessage]:
    """Queue ``replies`` to the guest as outbox rows ``{key}:{n}`` and log them in the
    transcript; the options of the last reply become what a bare "2" picks next.

    A key that was used before returns the rows written then, unchanged (nothing twice).
    """
    rows = [
        _message(session, to, render(reply, to.channel, to.provider), f"{key}:{n}", bypass_opt_out)
        for n, reply in enumerate(replies)
    ]
    for row in rows:
        _transcribe(session, to, plain_text(row.payload), now)
    conversation = conversation_key(to.venue.id, to.channel, to.guest.phone)
    if replies and replies[-1].options:
        remember_options(redis, conversation, replies[-1].options)
    elif replies:
        forget_options(redis, conversation)
    return rows


def tell_once(
    session: Session, to: Recipient, reply: Reply, *, key: str, now: datetime
) -> OutboxMessage:
    """One message under exactly ``key`` that leaves the guest's pending choices alone (a
    staff member's words, an apology): the conversation's own next step is unchanged."""
    row = _message(session, to, render(reply, to.channel, to.provider), key, False)
    _transcribe(session, to, plain_text(row.payload), now)
    return row


def _message(
    session: Session, to: Recipient, payload: dict[str, Any], key: str, bypass_opt_out: bool
) -> OutboxMessage:
    return enqueue_outbox(
        session,
        key=key,
        venue_id=to.venue.id,
        guest_id=to.guest.id,
        channel=to.channel,
        to_address=to.guest.phone,
        payload=payload,
        bypass_opt_out=bypass_opt_out,
    )


def _transcribe(session: Session, to: Recipient, text: str, now: datetime) -> None:
    add_transcript(
        session,
        venue_id=to.venue.id,
        channel=to.channel,
        guest_phone=to.guest.phone,
        direction="out",
        text=text,
        now=now,
    )
