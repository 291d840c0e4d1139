"""The send job's use case: deliver one outbox row exactly once, whoever wrote it.

Replies to a guest's message and payment news rarely come here: the unit of work that wrote
them sends them right after its commit. Rows come here when nobody was waiting on them (a
staff reply, a waitlist offer, a sweep's news) or when that inline send failed or was
interrupted: through the job's retries or the maintenance sweep. Rows asking for a provider
call instead of a message (a payment link, a refund) go to ``application.payments``; a
reminder's row goes to ``application.reminders``, which writes its message.
"""

from __future__ import annotations

import logging

from application.conversations import conversation_id_bound, head_conversation
from application.payments import run_action
from application.reminders import send_reminder
from application.sending import claim_row, is_action, send
from application.sessions import autocommit
from application.unit_of_work import unit_of_work
from bot.choices import conversation_key
from engine.db import utcnow
from engine.guests.models import Guest
from engine.messaging.service import lock_outbox, outbox_head
from engine.reminders.service import REMINDER
from engine.tenants.models import Venue
from infra.jobs import enqueue_send
from infra.runtime import Runtime

log = logging.getLogger(__name__)


def deliver(runtime: Runtime, outbox_id: int) -> None:
    """Send the row unless it was sent, suppressed or is being sent right now.

    The row's kind of work and its guest's conversation come in one read, before the lock.
    """
    with autocommit(runtime) as session:
        head = outbox_head(session, outbox_id=outbox_id)
    if head is None or not is_action(head.payload):
        _deliver_message(runtime, outbox_id)
    elif head.payload["action"] == REMINDER:
        send_reminder(runtime, outbox_id)
    else:
        run_action(runtime, outbox_id, conversation=head_conversation(head))


def deliver_each(runtime: Runtime, outbox_ids: list[int]) -> None:
    """``deliver`` each row in turn; a row that fails goes to a send job of its own, with that
    job's retries, so one guest's trouble holds up nobody else's message."""
    for outbox_id in outbox_ids:
        try:
            deliver(runtime, outbox_id)
        except Exception:
            log.warning("outbox %s failed in a batch; queued alone", outbox_id, exc_info=True)
            enqueue_send(runtime, outbox_id)


def _deliver_message(runtime: Runtime, outbox_id: int) -> None:
    """Claim the message row under its lock (committed), then call the provider."""
    with unit_of_work(runtime) as uow:
        message = lock_outbox(uow.session, outbox_id=outbox_id)
        if message is None:
            return
        venue = uow.session.get(Venue, message.venue_id)
        assert venue is not None
        guest = uow.session.get(Guest, message.guest_id) if message.guest_id else None
        claim = claim_row(runtime, uow.session, message, venue, guest, utcnow())
        key = conversation_key(message.venue_id, message.channel, message.to_address)
    if claim is not None:
        with conversation_id_bound(key):
            send(runtime, claim)
