"""Claiming outbox rows and calling the message providers: exactly once, in order.

A row is marked SENDING, and that mark committed, before its provider is called. If the
process dies after the provider accepted the message but before the row says SENT, the next
attempt finds SENDING and first asks the provider whether it already has the message
(Twilio: list by number and body; WhatsApp: the status callback carries the outbox key), so
recovery never sends a duplicate.

The unit of work uses this after its commit (``claim_written`` before, ``dispatch`` after);
the send job (``application.delivery``) uses the same claim and call for rows it is handed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from application.sessions import autocommit, bookkeeping
from bot.render import plain_text
from engine.bookings.models import Booking
from engine.db import utcnow
from engine.feedback.service import is_ask
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel, OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.messaging.service import (
    begin_send,
    defer,
    is_final,
    is_opted_out,
    last_inbound_at,
    lock_outbox,
    mark_send_error,
    mark_sent,
    record_sent,
    suppress,
)
from engine.reminders.service import is_reminder, key_booking, why_not
from engine.tenants.models import Venue
from infra.jobs import enqueue_send
from infra.runtime import Runtime
from infra.senders.base import PermanentSendError, Sender, SendTask, TransientSendError

log = logging.getLogger(__name__)

IN_FLIGHT_GRACE = timedelta(seconds=60)
STATUS_CALLBACK_GRACE = timedelta(minutes=5)
WHATSAPP_WINDOW = timedelta(hours=24)
DEFAULT_TEMPLATE = "bookline_update"
#: Meta has no template language for romanised Hindi: its guests get the English template (whose
#: fixed words, the buttons, are in Latin letters too) carrying their Hinglish text.
TEMPLATE_LANGUAGES = {"hi-Latn": "en"}


@dataclass(frozen=True)
class Claimed:
    """A row marked SENDING: what to send and which sender sends it."""

    outbox_id: int
    task: SendTask
    sender: Sender


@dataclass(frozen=True)
class Outgoing:
    """What a unit of work put in the outbox: rows it claimed to send itself, rows for the
    send job (on the "followup" queue, ahead of new guest messages, or on "outbound")."""

    claimed: list[Claimed]
    queued: list[int]
    followup: bool = field(default=True)


def is_action(payload: object) -> bool:
    """True for rows that ask for a provider call (a payment link, a refund), not a message."""
    return isinstance(payload, dict) and "action" in payload


def in_flight(row: OutboxMessage, now: datetime) -> bool:
    """Another worker is probably mid-call on the row: it was claimed within the grace."""
    started = row.sending_started_at or now
    return row.status == OutboxStatus.SENDING and now - started < IN_FLIGHT_GRACE


def transport(message: OutboxMessage) -> str:
    """Which sender delivers the row."""
    if message.channel == MessageChannel.SMS:
        return "sms"
    return "twilio-whatsapp" if message.payload.get("transport") == "twilio" else "whatsapp"


def claim_written(runtime: Runtime, session: Session, rows: list[OutboxMessage]) -> Outgoing:
    """Before the commit that writes ``rows``: mark the messages to the guest of the first
    message SENDING in it; the rest (actions, rows for anyone else) go to the send job.

    The SENDING mark then commits with the rows themselves, still before any provider call,
    so the guarantees are those of a claim by the send job (a crash before or during the
    call is reconciled by the sweep), while the turn saves a transaction and the row reads.
    Nobody else can see rows this transaction inserted, so no lock is taken. The venue and
    guest were loaded by the use case that wrote the rows, so ``session.get`` reads nothing.
    """
    first = next((row for row in rows if not is_action(row.payload) and row.guest_id), None)
    if first is None:
        return Outgoing([], [row.id for row in rows])
    venue, guest = session.get(Venue, first.venue_id), session.get(Guest, first.guest_id)
    assert venue is not None and guest is not None
    now = utcnow()
    claimed, queued = [], []
    for row in rows:
        ours = row.venue_id == venue.id and row.guest_id == guest.id
        if is_action(row.payload) or not ours:
            queued.append(row.id)
        elif (claim := claim_row(runtime, session, row, venue, guest, now)) is not None:
            claimed.append(claim)
    return Outgoing(claimed, queued)


def dispatch(runtime: Runtime, outgoing: Outgoing) -> None:
    """After that commit: send the claimed rows in order, and queue the rest for the job.

    Saves each reply a second job and its trip through the queue. When a send fails, it and
    every later row go back to the send job (retries with backoff), so replies keep their
    order.
    """
    queued = list(outgoing.queued)
    for n, claim in enumerate(outgoing.claimed):
        try:
            send(runtime, claim)
        except Exception:
            log.warning("inline send of outbox %s failed; queued", claim.task.key, exc_info=True)
            held_back = outgoing.claimed[n + 1 :]
            for later in held_back:
                _finish_error(runtime, later.outbox_id, "held back", permanent=False)
            queued += [c.outbox_id for c in [claim, *held_back]]
            break
    for outbox_id in queued:
        enqueue_send(runtime, outbox_id, followup=outgoing.followup)


def send(runtime: Runtime, claim: Claimed) -> None:
    """Call the provider and mark the row; raises TransientSendError for a retry."""
    try:
        provider_id = claim.sender.send(claim.task)
    except TransientSendError as exc:
        _finish_error(runtime, claim.outbox_id, str(exc), permanent=False)
        raise
    except PermanentSendError as exc:
        log.error("outbox %s failed for good: %s", claim.task.key, exc)
        _finish_error(runtime, claim.outbox_id, str(exc), permanent=True)
        return
    with autocommit(runtime) as session:  # one UPDATE: durable when it returns
        record_sent(session, outbox_id=claim.outbox_id, provider_message_id=provider_id)
    log.info("outbox %s sent as %s", claim.task.key, provider_id)


def claim_row(
    runtime: Runtime,
    session: Session,
    message: OutboxMessage,
    venue: Venue,
    guest: Guest | None,
    now: datetime,
) -> Claimed | None:
    """Decide whether to send the row (locked, or new in ``session``); mark SENDING if so."""
    if is_final(message):
        return None
    reason = _unwanted(session, message, guest, now)
    if reason is not None:
        suppress(message, reason=reason)
        return None
    sender = runtime.senders[transport(message)]
    task = _task(session, message, venue, guest, now)
    if message.status == OutboxStatus.SENDING and not _resend_due(message, sender, task, now):
        return None
    if (until := _quiet_until(message, venue, now)) is not None:
        defer(message, until=until)
        return None
    begin_send(message, now=now)
    return Claimed(message.id, task, sender)


def _unwanted(
    session: Session, message: OutboxMessage, guest: Guest | None, now: datetime
) -> str | None:
    """Why the message must not go at all: the guest opted out, or it is a reminder whose
    booking was cancelled or moved since it was written (the new time has its own)."""
    if guest and not message.bypass_opt_out and is_opted_out(guest, channel=message.channel):
        return "guest opted out"
    if is_reminder(message.key):
        booking = session.get(Booking, key_booking(message.key))
        return "the booking is gone" if booking is None else why_not(booking, message.key, now=now)
    return None


def _quiet_until(message: OutboxMessage, venue: Venue, now: datetime) -> datetime | None:
    """The end of the venue's quiet hours when ``now`` falls in them and the message is one
    the venue sends unasked (a reminder, the question after a visit): those are written only
    outside quiet hours, but a retry or a sweep after an outage can carry one into the night.
    None otherwise: a reply to a guest who just wrote goes at any hour."""
    if not (is_reminder(message.key) or is_ask(message.key)):
        return None
    return venue.quiet_hours.ends(now.astimezone(venue.tz))


def _resend_due(message: OutboxMessage, sender: Sender, task: SendTask, now: datetime) -> bool:
    """For an interrupted send: reconcile with the provider; True only if it never got it."""
    if in_flight(message, now):
        return False  # the sweeper looks again later
    started = message.sending_started_at or now
    found = sender.find_sent(replace(task, started_at=started))
    if found is not None:
        mark_sent(message, provider_message_id=found, now=now)
        return False
    if message.provider_message_id is not None:
        return False  # a status callback already told us the provider has it
    if transport(message) == "whatsapp" and now - started < STATUS_CALLBACK_GRACE:
        return False  # the Cloud API cannot be asked; wait for its status callback first
    return True


def _task(
    session: Session, message: OutboxMessage, venue: Venue, guest: Guest | None, now: datetime
) -> SendTask:
    """The send snapshot, switching to a template outside WhatsApp's 24-hour window."""
    payload = dict(message.payload)
    if transport(message) == "whatsapp":
        sender_address = venue.whatsapp_phone_number_id or ""
        last = last_inbound_at(
            session, venue_id=venue.id, channel=message.channel, guest_phone=message.to_address
        )
        if last is None or now - last > WHATSAPP_WINDOW:
            payload = _template(venue, guest, message)
    else:
        sender_address = venue.sms_number or ""
    return SendTask(message.id, message.key, message.to_address, sender_address, payload, now)


def _template(venue: Venue, guest: Guest | None, message: OutboxMessage) -> dict[str, object]:
    """The venue's approved template carrying the message's text as its one body parameter.

    A reminder goes as the reminder template, its buttons as the template's quick replies
    (the guest's tap brings the button's id back). Meta refuses a parameter holding a line
    break, a tab or more than four spaces in a row: the text's whitespace is made single.
    """
    language = guest.language if guest and guest.language else "en"
    language = TEMPLATE_LANGUAGES.get(language, language)
    text = " ".join(plain_text(message.payload).split())[:1024]
    body = {"type": "body", "parameters": [{"type": "text", "text": text}]}
    if is_reminder(message.key):
        name, buttons = venue.reminder_template, _quick_replies(message.payload)
    else:
        name, buttons = venue.settings.get("whatsapp_template", DEFAULT_TEMPLATE), []
    return {
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": [body, *buttons]},
    }


def _quick_replies(payload: dict[str, Any]) -> list[dict[str, object]]:
    """A rendered message's reply buttons as template quick-reply components, in order."""
    buttons = payload.get("interactive", {}).get("action", {}).get("buttons", [])
    return [
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": str(index),
            "parameters": [{"type": "payload", "payload": button["reply"]["id"]}],
        }
        for index, button in enumerate(buttons)
    ]


def _finish_error(runtime: Runtime, outbox_id: int, error: str, *, permanent: bool) -> None:
    """Record a failed call under the row's lock (its own short transaction)."""
    with bookkeeping(runtime) as session:
        message = lock_outbox(session, outbox_id=outbox_id)
        assert message is not None
        mark_send_error(message, error=error, permanent=permanent)
