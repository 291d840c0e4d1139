"""The outbound job: deliver one outbox row exactly once.

The row is marked SENDING (and committed) before the provider is called. If the worker dies
after the provider accepted the message but before the row says SENT, the next attempt finds
SENDING and first asks the provider whether it already has the message (Twilio: list by
number and body; WhatsApp: the status callback carries the outbox key), so recovery never
sends a duplicate.

A reply to a guest's message does not wait for this job: the inbound job marks it SENDING in
the transaction that writes it and sends it right after commit (``claim_written``,
``send_now``), with the same claim, provider call and marking; only a failed or interrupted
send comes here, through the job's retries or the maintenance sweep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.choices import conversation_key
from bot.render import plain_text
from engine.db import utcnow
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel, OutboxStatus
from engine.messaging.models import OutboxMessage
from engine.messaging.service import (
    begin_send,
    is_final,
    is_opted_out,
    last_inbound_at,
    lock_outbox,
    mark_send_error,
    mark_sent,
    record_sent,
    suppress,
)
from engine.tenants.models import Venue
from infra.jobs import enqueue_send
from infra.log_context import bound, conversation_id
from infra.runtime import Runtime, current
from infra.senders.base import PermanentSendError, Sender, SendTask, TransientSendError
from infra.senders.disabled import DisabledSender
from infra.senders.sms import TwilioSender
from infra.senders.whatsapp import WhatsAppSender

log = logging.getLogger(__name__)

IN_FLIGHT_GRACE = timedelta(seconds=60)
STATUS_CALLBACK_GRACE = timedelta(minutes=5)
WHATSAPP_WINDOW = timedelta(hours=24)
DEFAULT_TEMPLATE = "bookline_update"


@cache
def senders(runtime: Runtime) -> dict[str, Sender]:
    """One sender per transport, built once per runtime from its settings.

    A provider in DISABLED_PROVIDERS gets a sender that fails each row for good, saying why.
    """
    settings = runtime.settings
    callback = settings.public_base_url.rstrip("/") + "/webhooks/twilio/status"
    sms: Sender = DisabledSender("twilio")
    via_twilio: Sender = sms
    if settings.enabled("twilio"):
        keys = settings.twilio()
        sms = TwilioSender(keys, status_callback=callback)
        via_twilio = TwilioSender(keys, status_callback=callback, prefix="whatsapp:")
    cloud: Sender = DisabledSender("whatsapp")
    if settings.enabled("whatsapp"):
        cloud = WhatsAppSender(settings.whatsapp())
    return {"sms": sms, "twilio-whatsapp": via_twilio, "whatsapp": cloud}


def transport(message: OutboxMessage) -> str:
    """Which sender delivers the row."""
    if message.channel == MessageChannel.SMS:
        return "sms"
    return "twilio-whatsapp" if message.payload.get("transport") == "twilio" else "whatsapp"


def send_outbound(outbox_id: int) -> None:
    """Send the row unless it was sent, suppressed or is being sent right now.

    Rows that ask for a provider call instead of a message (``payload["action"]``: payment
    links, refunds) are made by ``workers.payments``; every path that kicks the outbox (jobs,
    the sweep) goes through here.
    """
    runtime = current()
    if _is_action(runtime, outbox_id):
        from workers.payments import run_action  # it sends through this module: import cycle

        run_action(outbox_id)
        return
    _deliver(runtime, outbox_id)


@dataclass(frozen=True)
class Claimed:
    """A row marked SENDING: what to send and which sender sends it."""

    outbox_id: int
    task: SendTask
    sender: Sender


@dataclass(frozen=True)
class Outgoing:
    """What a unit of work put in the outbox: rows claimed for sending, rows for the job."""

    claimed: list[Claimed]
    queued: list[int]


def claim_written(
    runtime: Runtime, session: Session, rows: list[OutboxMessage], *, venue: Venue, guest: Guest
) -> Outgoing:
    """Before the commit that writes ``rows``: mark ``guest``'s messages SENDING in it.

    The SENDING mark then commits with the rows themselves, still before any provider call,
    so the guarantees are those of a claim by the send job (a crash before or during the
    call is reconciled by the sweep), while the turn saves a transaction and the row, venue
    and guest reads. Nobody else can see rows this transaction inserted, so no lock is taken.
    Actions (payment links, refunds) and rows for anyone else keep the send job.
    """
    now = utcnow()
    claimed, queued = [], []
    for row in rows:
        ours = row.venue_id == venue.id and row.guest_id == guest.id
        if is_action(row.payload) or not ours:
            queued.append(row.id)
        elif (claim := _claim_row(runtime, session, row, venue, guest, now)) is not None:
            claimed.append(claim)
    return Outgoing(claimed, queued)


def send_now(runtime: Runtime, outgoing: Outgoing) -> None:
    """After that commit: send the claimed rows in order, and queue the rest for the job.

    Saves each reply a second job and its trip through the queue. When a send fails, it and
    every later row go back to the send job (retries with backoff), so replies keep their order.
    What is queued here (a payment link, a reply that failed) finishes the turn just handled,
    so it goes on the "followup" queue, ahead of other guests' new messages.
    """
    queued = list(outgoing.queued)
    for n, claim in enumerate(outgoing.claimed):
        try:
            _send(runtime, claim)
        except Exception:
            log.warning("inline send of outbox %s failed; queued", claim.task.key, exc_info=True)
            held_back = outgoing.claimed[n + 1 :]
            for later in held_back:
                _finish_error(runtime, later.outbox_id, "held back", permanent=False)
            queued += [c.outbox_id for c in [claim, *held_back]]
            break
    for outbox_id in queued:
        enqueue_send(runtime, outbox_id, followup=True)


def _deliver(runtime: Runtime, outbox_id: int) -> None:
    """Claim the message row under its lock, then send it (``_send``)."""
    with runtime.sessions.begin() as session:
        message = lock_outbox(session, outbox_id=outbox_id)
        if message is None:
            return
        venue = session.get(Venue, message.venue_id)
        assert venue is not None
        guest = session.get(Guest, message.guest_id) if message.guest_id else None
        claim = _claim_row(runtime, session, message, venue, guest, utcnow())
        key = conversation_key(message.venue_id, message.channel, message.to_address)
    if claim is not None:
        with bound(conversation_id=conversation_id(key)):
            _send(runtime, claim)


def _send(runtime: Runtime, claim: Claimed) -> None:
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
    with Session(runtime.autocommit) as session:
        record_sent(session, outbox_id=claim.outbox_id, provider_message_id=provider_id)
    log.info("outbox %s sent as %s", claim.task.key, provider_id)


def is_action(payload: object) -> bool:
    """True for rows that ask for a provider call (``workers.payments``), not a message."""
    return isinstance(payload, dict) and "action" in payload


def _is_action(runtime: Runtime, outbox_id: int) -> bool:
    with runtime.sessions() as session:
        payload = session.scalar(select(OutboxMessage.payload).where(OutboxMessage.id == outbox_id))
    return is_action(payload)


def _claim_row(
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
    if guest and not message.bypass_opt_out and is_opted_out(guest, channel=message.channel):
        suppress(message, reason="guest opted out")
        return None
    sender = senders(runtime)[transport(message)]
    task = _task(session, message, venue, guest, now)
    if message.status == OutboxStatus.SENDING and not _resend_due(message, sender, task, now):
        return None
    begin_send(message, now=now)
    return Claimed(message.id, task, sender)


def _resend_due(message: OutboxMessage, sender: Sender, task: SendTask, now: datetime) -> bool:
    """For an interrupted send: reconcile with the provider; True only if it never got it."""
    started = message.sending_started_at or now
    if now - started < IN_FLIGHT_GRACE:
        return False  # another worker is probably mid-call; the sweeper looks again later
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
            payload = _template(venue, guest, plain_text(payload))
    else:
        sender_address = venue.sms_number or ""
    return SendTask(message.id, message.key, message.to_address, sender_address, payload, now)


def _template(venue: Venue, guest: Guest | None, text: str) -> dict[str, object]:
    """The venue's approved template carrying ``text`` as its one body parameter."""
    template = venue.settings.get("whatsapp_template", DEFAULT_TEMPLATE)
    language = guest.language if guest and guest.language else "en"
    return {
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": text[:1024]}]}],
        },
    }


def _finish_error(runtime: Runtime, outbox_id: int, error: str, *, permanent: bool) -> None:
    with runtime.sessions.begin() as session:
        message = lock_outbox(session, outbox_id=outbox_id)
        assert message is not None
        mark_send_error(message, error=error, permanent=permanent)
