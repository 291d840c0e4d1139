"""The message pipeline around the dialogue: guest, opt-out, choices, replies into the outbox.

Called by the inbound worker once per stored inbound event, inside one transaction, so the
replies (outbox rows keyed ``reply:{event id}:{n}``) and the event's "processed" mark commit
together: a retried job finds its replies already written and writes nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from redis import Redis
from sqlalchemy.orm import Session

from bot.catalog import t
from bot.choices import conversation_key, forget_options, remember_options, resolve_choice
from bot.conversation import ConversationStore
from bot.dialogue import Dialogue
from bot.messages import InboundMessage, Reply
from bot.optout import OptKeyword, opt_keyword
from bot.render import plain_text, render_sms, render_whatsapp
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.messaging.service import add_transcript, enqueue_outbox, is_opted_out, set_opt_out
from engine.tenants.models import Venue

TEXT_KINDS = ("text", "choice")


def to_message(event: InboundEvent, venue: Venue) -> InboundMessage:
    """The channel-neutral view of a stored inbound event."""
    assert event.channel is not None and event.guest_phone is not None
    return InboundMessage(
        event_id=event.id,
        business_id=venue.business_id,
        venue_id=venue.id,
        channel=event.channel,
        guest_phone=event.guest_phone,
        text=event.text,
        choice_id=event.choice_id,
        kind=event.kind,
        provider_id=event.provider_id,
        received_at=event.received_at,
        profile_name=event.profile_name,
    )


@dataclass(frozen=True)
class Handled:
    """Whom a handled message was from: its venue and guest, as loaded for the turn.

    The caller sends the replies right after commit and needs both; the session holds loaded
    objects only weakly, so without these references it would read them again.
    """

    venue: Venue
    guest: Guest


def handle_event(
    session: Session, event: InboundEvent, *, redis: Redis, dialogue: Dialogue, now: datetime
) -> Handled:
    """Handle one inbound message; its replies are in the outbox as ``reply:{event id}:{n}``."""
    venue = session.get(Venue, event.venue_id)
    assert venue is not None
    message = to_message(event, venue)
    guest = get_or_create_guest(
        session, business_id=venue.business_id, phone=message.guest_phone, name=message.profile_name
    )
    add_transcript(
        session,
        venue_id=venue.id,
        channel=message.channel,
        guest_phone=guest.phone,
        direction="in",
        text=message.text,
        now=now,
    )
    replies, bypass = _replies(
        session, message, venue=venue, guest=guest, redis=redis, dialogue=dialogue
    )
    enqueue_replies(
        session,
        replies,
        key=f"reply:{message.event_id}",
        venue=venue,
        guest=guest,
        channel=message.channel,
        redis=redis,
        bypass_opt_out=bypass,
        provider=event.provider,
        now=now,
    )
    return Handled(venue, guest)


def _replies(
    session: Session,
    message: InboundMessage,
    *,
    venue: Venue,
    guest: Guest,
    redis: Redis,
    dialogue: Dialogue,
) -> tuple[list[Reply], bool]:
    """What to answer, and whether the answer may reach an opted-out guest."""
    keyword = opt_keyword(message.text, message.channel) if message.kind == "text" else None
    opted_out = is_opted_out(guest, channel=message.channel)
    conversation = conversation_key(venue.id, message.channel, guest.phone)
    if keyword == OptKeyword.STOP:
        set_opt_out(guest, channel=message.channel, opted_out=True)
        _end_flow(redis, conversation)
        return (
            [] if opted_out else [Reply(t("opted_out", guest.language, venue=venue.name))],
            True,
        )
    if keyword == OptKeyword.START and opted_out:
        set_opt_out(guest, channel=message.channel, opted_out=False)
        _end_flow(redis, conversation)
        return [Reply(t("opted_in", guest.language, venue=venue.name))], False
    if opted_out:
        return [], False
    if message.kind not in TEXT_KINDS:
        return [Reply(t("text_only", guest.language))], False
    if message.choice_id is None:
        choice = resolve_choice(redis, conversation, message.text)
        if choice is not None:
            message = replace(message, choice_id=choice, kind="choice")
    return dialogue.respond(session, message, venue=venue, guest=guest, redis=redis), False


def _end_flow(redis: Redis, conversation: str) -> None:
    """STOP ends whatever was being booked (and START begins afresh): after START the guest
    must not land in a half-finished flow, nor be told the bot lost track of them.
    """
    store = ConversationStore(redis)
    state = store.load(conversation)
    state.reset()
    store.save(conversation, state)
    forget_options(redis, conversation)


def render(reply: Reply, channel: MessageChannel, provider: str) -> dict[str, Any]:
    """The outbox payload of a reply on ``channel`` as delivered through ``provider``.

    WhatsApp reached through Twilio (``whatsapp:`` addresses) takes plain text like SMS and is
    marked so the sender uses Twilio for it.
    """
    if channel == MessageChannel.SMS:
        return render_sms(reply)
    if provider == "twilio":
        return {**render_sms(reply), "transport": "twilio"}
    return render_whatsapp(reply)


def enqueue_replies(
    session: Session,
    replies: list[Reply],
    *,
    key: str,
    venue: Venue,
    guest: Guest,
    channel: MessageChannel,
    redis: Redis,
    provider: str,
    now: datetime,
    bypass_opt_out: bool = False,
) -> list[OutboxMessage]:
    """Queue replies to the guest as outbox rows ``{key}:{n}`` and log them in the transcript.

    Answers to a message use ``reply:{inbound id}``; messages the bot sends on its own (a
    payment link, a refund notice) use a key naming their cause, so each goes out once.
    """
    conversation = conversation_key(venue.id, channel, guest.phone)
    rows = []
    for n, reply in enumerate(replies):
        payload = render(reply, channel, provider)
        rows.append(
            enqueue_outbox(
                session,
                key=f"{key}:{n}",
                venue_id=venue.id,
                guest_id=guest.id,
                channel=channel,
                to_address=guest.phone,
                payload=payload,
                bypass_opt_out=bypass_opt_out,
            )
        )
        add_transcript(
            session,
            venue_id=venue.id,
            channel=channel,
            guest_phone=guest.phone,
            direction="out",
            text=plain_text(payload),
            now=now,
        )
    if replies and replies[-1].options:
        remember_options(redis, conversation, replies[-1].options)
    elif replies:
        forget_options(redis, conversation)
    return rows
