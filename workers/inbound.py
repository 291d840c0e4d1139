"""The inbound job: a conversation's messages are handled one at a time, in arrival order.

Each job takes the conversation's Redis lock and drains its pending events oldest first, so two
messages 10 ms apart handled by two workers cannot race: whichever job gets the lock handles
both, in order, and the other finds nothing left to do. A message that keeps failing is marked
failed after ``MAX_ATTEMPTS`` (the guest gets one "something went wrong" reply) and the
conversation moves on; its job ends in rq's failed registry with the error.

Replies are sent by this job right after they commit (``workers.outbound.send_now``), still
holding the conversation lock, so they go out in order without a second job per reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.catalog import t
from bot.choices import conversation_key
from bot.conversation import conversation_lock, holding
from bot.inbound import handle_event, render
from bot.messages import Reply
from engine.db import utcnow
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import InboundStatus, MessageChannel
from engine.messaging.models import InboundEvent
from engine.messaging.service import (
    created_outbox,
    enqueue_outbox,
    finish_inbound,
    pending_conversation_events,
    pending_event_conversation,
)
from engine.tenants.models import Venue
from infra.jobs import enqueue_send
from infra.log_context import bound, conversation_id
from infra.runtime import Runtime, current
from workers.outbound import claim_written, send_now

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class PoisonMessageError(Exception):
    """A message failed on every attempt; it was marked failed and the guest told."""


@dataclass(frozen=True)
class Conversation:
    """Which conversation an event belongs to."""

    venue_id: int
    channel: MessageChannel
    guest_phone: str


def handle_inbound(event_id: int) -> None:
    """Handle the conversation of ``event_id`` up to its newest pending message."""
    runtime = current()
    with Session(runtime.autocommit) as session:  # one read: no BEGIN, no ROLLBACK
        found = pending_event_conversation(session, event_id=event_id)
    if found is None:
        return
    conversation = Conversation(*found)
    key = conversation_key(conversation.venue_id, conversation.channel, conversation.guest_phone)
    with bound(conversation_id=conversation_id(key)):
        log.info("handling guest message %s", event_id)
        with holding(conversation_lock(runtime.redis, key)):  # busy for too long: retried
            failure = _drain(runtime, conversation, own_event_id=event_id)
    if failure is not None:
        raise failure


@dataclass(frozen=True)
class Step:
    """One handled event: its id, the error it failed with, and whether more are pending."""

    event_id: int
    error: Exception | None
    more: bool


def _drain(runtime: Runtime, conversation: Conversation, *, own_event_id: int) -> Exception | None:
    """Handle pending events oldest first; returns the error this job must end with, if any."""
    outcome: Exception | None = None
    more = True
    while more and (step := _handle_next(runtime, conversation)) is not None:
        more = step.more
        if step.error is None:
            continue
        gave_up = _record_failure(runtime, step.event_id, step.error)
        if gave_up and step.event_id == own_event_id:
            outcome = PoisonMessageError(f"inbound event {step.event_id}: {step.error!r}")
        elif not gave_up:
            return step.error if step.event_id == own_event_id else outcome
    return outcome


def _handle_next(runtime: Runtime, conversation: Conversation) -> Step | None:
    """Handle the oldest pending event, found and locked in the transaction that handles it.

    That transaction also learns whether another event is pending, so the drain needs no
    transaction of its own to find out there is none (one arriving later has its own job).
    Replies and the processed mark commit together, then go out.
    """
    with runtime.sessions() as session:
        pending = pending_conversation_events(
            session,
            venue_id=conversation.venue_id,
            channel=conversation.channel,
            guest_phone=conversation.guest_phone,
            limit=2,
        )
        if not pending:
            return None
        event, more = pending[0], len(pending) > 1
        try:
            handled = handle_event(
                session, event, redis=runtime.redis, dialogue=runtime.dialogue, now=utcnow()
            )
            finish_inbound(event, status=InboundStatus.PROCESSED)
            outgoing = claim_written(
                runtime,
                session,
                created_outbox(session),  # the replies, and any side effect the turn queued
                venue=handled.venue,
                guest=handled.guest,
            )
            session.commit()
        except Exception as exc:
            log.exception("inbound event %s failed", event.id)
            return Step(event.id, exc, more)
    send_now(runtime, outgoing)
    return Step(event.id, None, more)


def _record_failure(runtime: Runtime, event_id: int, exc: Exception) -> bool:
    """Count a failed attempt; True when the event is given up (and the guest told, once)."""
    max_attempts = 1 if runtime.inline_jobs else MAX_ATTEMPTS
    with runtime.sessions() as session:
        event = session.get(InboundEvent, event_id, with_for_update=True)
        assert event is not None
        event.attempts += 1
        event.last_error = repr(exc)[:2000]
        gave_up = event.attempts >= max_attempts
        outbox_id = None
        if gave_up:
            finish_inbound(event, status=InboundStatus.FAILED)
            outbox_id = _apology(session, event)
        session.commit()
    if outbox_id is not None:
        enqueue_send(runtime, outbox_id)
    return gave_up


def _apology(session: Session, event: InboundEvent) -> int | None:
    """Queue the one "something went wrong" reply for a failed event."""
    venue = session.get(Venue, event.venue_id)
    if venue is None or event.channel is None or event.guest_phone is None:
        return None
    guest = get_or_create_guest(session, business_id=venue.business_id, phone=event.guest_phone)
    payload = render(Reply(t("error_generic", guest.language)), event.channel, event.provider)
    row = enqueue_outbox(
        session,
        key=f"error:{event.id}",
        venue_id=venue.id,
        guest_id=guest.id,
        channel=event.channel,
        to_address=guest.phone,
        payload=payload,
    )
    return row.id
