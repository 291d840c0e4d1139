"""The periodic sweep: nothing stuck, nothing lost.

Correctness never waits for it (lapsed holds are reclaimed lazily, every send is keyed); it
picks up what a crash left behind: outbox rows never enqueued or interrupted mid-send, inbound
events whose job died, holds whose time is up, payment links whose hold is gone and flagged
money whose booking is gone (it goes back); it forgets logins that ended long ago; it notices
bookings not arrived after their grace (no-showing them where the venue opted in); it offers
what freed up to waitlisted guests; it writes the reminders that have come due; it asks guests
whose visit ended a while ago how it went; and it refits recommendation rankers whose
business's history has grown.
"""

from __future__ import annotations

from datetime import timedelta

from application.attendance import mark_no_shows
from application.feedback import ask_for_feedback
from application.payments import retire_links, return_stranded_money
from application.recommendations import refit_rankers
from application.reminders import send_due_reminders
from application.unit_of_work import unit_of_work
from application.waitlist import offer_waitlist
from engine.accounts.logins import prune_ended_logins
from engine.bookings.service import expire_holds
from engine.db import utcnow
from engine.messaging.service import stale_inbound, stale_outbox
from engine.payments.enums import PAYMENT_PROVIDER
from infra.jobs import enqueue_inbound, enqueue_payment_event, enqueue_send
from infra.runtime import Runtime

STALE_AFTER = timedelta(seconds=30)
#: How long an ended login is kept for the record before the sweep forgets it.
ENDED_LOGINS_KEPT = timedelta(days=30)
BATCH = 200


def sweep(runtime: Runtime) -> dict[str, int]:
    """Re-enqueue stale work, expire lapsed holds, then the money and waitlist upkeep and the
    questions after visits; returns counts for the log."""
    now = utcnow()
    with unit_of_work(runtime) as uow:
        outbox_ids = stale_outbox(uow.session, before=now - STALE_AFTER, limit=BATCH)
        events = stale_inbound(uow.session, before=now - STALE_AFTER, limit=BATCH)
        expired = expire_holds(uow.session, now=now)
        pruned = prune_ended_logins(uow.session, ended_before=now - ENDED_LOGINS_KEPT)
    for outbox_id in outbox_ids:
        enqueue_send(runtime, outbox_id)
    for event_id, provider in events:
        if provider == PAYMENT_PROVIDER:
            enqueue_payment_event(runtime, event_id)
        else:
            enqueue_inbound(runtime, event_id)
    not_arrived = mark_no_shows(runtime, now)
    offered = offer_waitlist(runtime)
    return {
        "outbox": len(outbox_ids),
        "inbound": len(events),
        "expired": len(expired),
        "logins_pruned": pruned,
        "links_retired": retire_links(runtime),
        "stranded_refunded": return_stranded_money(runtime),
        "not_arrived": not_arrived,
        "waitlist_offers": offered,
        "reminders": send_due_reminders(runtime, now),
        "feedback_asked": ask_for_feedback(runtime, now),
        "rankers_refitted": refit_rankers(runtime, now),
    }
