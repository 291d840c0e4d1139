"""Periodic sweeps: nothing stuck, nothing lost.

Correctness never waits for these (lapsed holds are reclaimed lazily, every send is keyed);
they pick up what a crash left behind: outbox rows never enqueued or interrupted mid-send,
inbound events whose job died, holds whose time is up, payment links whose hold is gone and
flagged money whose booking is gone (it goes back); and they offer what freed up to
waitlisted guests. On the embedded default the API process runs them itself.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import select

from engine.bookings.service import expire_holds
from engine.db import utcnow
from engine.messaging.enums import InboundStatus, OutboxStatus
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.payments.enums import PAYMENT_PROVIDER
from infra.jobs import enqueue_inbound, enqueue_payment_event, enqueue_send
from infra.runtime import Runtime
from workers.payments import retire_links, return_stranded_money
from workers.waitlist import offer_waitlist

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=30)
SWEEP_INTERVAL_SECONDS = 15
BATCH = 200


def sweep(runtime: Runtime) -> dict[str, int]:
    """Re-enqueue stale work and expire lapsed holds; returns counts for the log."""
    cutoff = utcnow() - STALE_AFTER
    with runtime.sessions() as session:
        outbox_ids = session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                OutboxMessage.created_at < cutoff,
            )
            .order_by(OutboxMessage.id)
            .limit(BATCH)
        ).all()
        events = session.execute(
            select(InboundEvent.id, InboundEvent.provider)
            .where(InboundEvent.status == InboundStatus.PENDING, InboundEvent.received_at < cutoff)
            .order_by(InboundEvent.id)
            .limit(BATCH)
        ).all()
        expired = expire_holds(session, now=utcnow())
        session.commit()
    for outbox_id in outbox_ids:
        enqueue_send(runtime, outbox_id)
    for event_id, provider in events:
        if provider == PAYMENT_PROVIDER:
            enqueue_payment_event(runtime, event_id)
        else:
            enqueue_inbound(runtime, event_id)
    offered = offer_waitlist(runtime)
    return {
        "outbox": len(outbox_ids),
        "inbound": len(events),
        "expired": len(expired),
        "links_retired": retire_links(runtime),
        "stranded_refunded": return_stranded_money(runtime),
        "waitlist_offers": offered,
    }


def run_periodically(
    runtime: Runtime, stop: threading.Event, interval: float = SWEEP_INTERVAL_SECONDS
) -> None:
    """Sweep every ``interval`` seconds; one worker process per interval does it (Redis lock)."""
    while not stop.wait(interval):
        try:
            if runtime.redis.set("bookline:maintenance", "1", nx=True, ex=int(interval)):
                counts = sweep(runtime)
                if any(counts.values()):
                    log.info("maintenance sweep: %s", counts)
        except Exception:
            log.exception("maintenance sweep failed; will retry")
