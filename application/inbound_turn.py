"""An inbound turn: a guest's messages answered one at a time, in arrival order.

The job for a stored message takes the conversation's Redis lock and drains its pending
events oldest first, so two messages 10 ms apart handled by two workers cannot race: whichever
job gets the lock handles both, in order, and the other finds nothing left to do. Each event is
handled in one unit of work: the guest, the transcript, the dialogue's answer, the replies
(outbox rows ``reply:{event id}:{n}``) and the event's "processed" mark commit together, so a
retried job finds its replies written and writes nothing new; the unit of work then sends them
at once, still under the lock, so they go out in order without a second job per reply.

A message that keeps failing is marked failed after ``MAX_ATTEMPTS`` (the guest gets one
"something went wrong" reply) and the conversation moves on; its job ends in rq's failed
registry with the error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from redis import Redis
from sqlalchemy.orm import Session

from application.conversations import conversation_locked
from application.messenger import Recipient, tell, tell_once
from application.sessions import autocommit
from application.unit_of_work import Delivery, unit_of_work
from bot.catalog import t
from bot.choices import Thread, conversation_key, forget_options, resolve_choice
from bot.conversation import ConversationStore
from bot.dialogue import Dialogue
from bot.messages import InboundMessage, Reply
from bot.optout import OptKeyword, opt_keyword
from engine.db import utcnow
from engine.exceptions import NotFoundError
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest, named
from engine.messaging.enums import InboundStatus, MessageChannel
from engine.messaging.models import InboundEvent
from engine.messaging.service import (
    PendingMessage,
    add_transcript,
    finish_inbound,
    is_opted_out,
    pending_conversation_events,
    pending_event_conversation,
    record_inbound_failure,
    set_opt_out,
)
from engine.tenants.models import Venue
from infra.jobs import QueuedEvent
from infra.runtime import Runtime

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
TEXT_KINDS = ("text", "choice")


class PoisonMessageError(Exception):
    """A message failed on every attempt; it was marked failed and the guest told."""


def handle_inbound(runtime: Runtime, event_id: int, thread: Thread | None = None) -> None:
    """Handle the conversation of ``event_id`` up to its newest pending message.

    ``thread`` is the event's conversation when the job carries it; otherwise the event is
    read first, and one handled meanwhile ends the job there.
    """
    if thread is None:
        with autocommit(runtime) as session:
            found = pending_event_conversation(session, event_id=event_id)
        if found is None:
            return
        thread = Thread(*found)
    with conversation_locked(runtime.redis, thread.key):  # busy for too long: retried
        log.info("handling guest message %s", event_id)
        failure = _drain(runtime, thread, own_event_id=event_id)
    if failure is not None:
        raise failure


def handle_inbound_batch(runtime: Runtime, events: list[QueuedEvent | int]) -> None:
    """Handle each event as ``handle_inbound`` does, in order; a failure does not hold up the
    events after it, and the first is raised at the end (the job's retry finds the handled
    ones done). An event given by its id alone (a job queued before the conversation rode
    along) is read first."""
    failure: Exception | None = None
    for queued in events:
        try:
            if isinstance(queued, int):
                handle_inbound(runtime, queued)
            else:
                event_id, venue_id, channel, guest_phone = queued
                thread = Thread(venue_id, MessageChannel(channel), guest_phone)
                handle_inbound(runtime, event_id, thread)
        except Exception as exc:
            failure = failure or exc
    if failure is not None:
        raise failure


@dataclass(frozen=True)
class Step:
    """One handled event: its id, the error it failed with, and whether more are pending."""

    event_id: int
    error: Exception | None
    more: bool


def _drain(runtime: Runtime, thread: Thread, *, own_event_id: int) -> Exception | None:
    """Handle pending events oldest first; returns the error this job must end with, if any."""
    outcome: Exception | None = None
    more = True
    while more and (step := _handle_next(runtime, thread)) is not None:
        more = step.more
        if step.error is None:
            continue
        gave_up = _record_failure(runtime, step.event_id, step.error)
        if gave_up and step.event_id == own_event_id:
            outcome = PoisonMessageError(f"inbound event {step.event_id}: {step.error!r}")
        elif not gave_up:
            return step.error if step.event_id == own_event_id else outcome
    return outcome


def _handle_next(runtime: Runtime, thread: Thread) -> Step | None:
    """Handle the oldest pending event, found and locked in the unit of work that handles it.

    That transaction also learns whether another event is pending, so the drain needs no
    transaction of its own to find out there is none (one arriving later has its own job).
    """
    event_id: int | None = None
    more = False
    try:
        with unit_of_work(runtime, delivery=Delivery.NOW) as uow:
            pending = pending_conversation_events(
                uow.session,
                venue_id=thread.venue_id,
                channel=thread.channel,
                guest_phone=thread.guest_phone,
                limit=2,
            )
            if not pending:
                return None
            first, more = pending[0], len(pending) > 1
            event_id = first.event.id
            to = answer(uow.session, first, runtime=runtime, now=utcnow())
            uow.keep(to.venue, to.guest)
            finish_inbound(first.event, status=InboundStatus.PROCESSED)
    except Exception as exc:
        if event_id is None:
            raise
        log.exception("inbound event %s failed", event_id)
        return Step(event_id, exc, more)
    return Step(event_id, None, more)


def answer(
    session: Session, pending: PendingMessage, *, runtime: Runtime, now: datetime
) -> Recipient:
    """Answer one inbound message; its replies are in the outbox as ``reply:{event id}:{n}``.

    Returns whom the replies go to (the unit of work sends them once it commits).
    """
    event, venue = pending.event, pending.venue
    if venue is None:
        raise NotFoundError("That venue does not exist.")
    message = to_message(event, venue)
    guest = (
        named(pending.guest, message.profile_name)
        if pending.guest is not None
        else get_or_create_guest(
            session,
            business_id=venue.business_id,
            phone=message.guest_phone,
            name=message.profile_name,
        )
    )
    replies, bypass = _replies(
        session, message, venue=venue, guest=guest, redis=runtime.redis, dialogue=runtime.dialogue
    )
    # After the dialogue, whose queries would flush it alone: the guest's line and the replies'
    # go in as one INSERT when the turn commits, still in that order.
    add_transcript(
        session,
        venue_id=venue.id,
        channel=message.channel,
        guest_phone=guest.phone,
        direction="in",
        text=message.text,
        now=now,
    )
    to = Recipient(venue, guest, message.channel, event.provider)
    key = f"reply:{message.event_id}"
    tell(session, runtime.redis, to, replies, key=key, now=now, bypass_opt_out=bypass)
    return to


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


def _record_failure(runtime: Runtime, event_id: int, error: Exception) -> bool:
    """Count a failed attempt; True when the event is given up (and the guest told, once)."""
    max_attempts = 1 if runtime.inline_jobs else MAX_ATTEMPTS
    with unit_of_work(runtime) as uow:
        failed = record_inbound_failure(
            uow.session, event_id=event_id, error=error, max_attempts=max_attempts
        )
        if failed is not None:
            _apologise(uow.session, failed)
    return failed is not None


def _apologise(session: Session, event: InboundEvent) -> None:
    """Queue the one "something went wrong" reply for a failed event."""
    venue = session.get(Venue, event.venue_id)
    if venue is None or event.channel is None or event.guest_phone is None:
        return
    guest = get_or_create_guest(session, business_id=venue.business_id, phone=event.guest_phone)
    to = Recipient(venue, guest, event.channel, event.provider)
    reply = Reply(t("error_generic", guest.language))
    tell_once(session, to, reply, key=f"error:{event.id}", now=utcnow())
