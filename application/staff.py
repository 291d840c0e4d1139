"""Staff in a guest's conversation: a reply from the dashboard, which takes the thread over.

A staff reply goes to the guest through the messenger like any bot reply, keyed by the
dashboard's request key, so a retried request sends once; it goes out, and the dashboards
hear of it, once the request's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime

from application.messenger import Recipient, tell_once
from application.unit_of_work import UnitOfWork
from bot.choices import Thread
from bot.events import publish
from bot.messages import Reply
from bot.staff import staff_event, take_over
from engine.guests.models import Guest
from engine.messaging.models import OutboxMessage
from engine.messaging.service import find_outbox, last_provider
from engine.tenants.models import Venue


def staff_reply(
    uow: UnitOfWork,
    *,
    venue: Venue,
    guest: Guest,
    thread: Thread,
    text: str,
    request_key: str,
    now: datetime,
) -> OutboxMessage:
    """Queue a staff message to the guest on the thread's channel and take the thread over.

    The takeover comes before anything is written: it waits for a bot turn in flight, which
    may itself be waiting for the rows (or, on SQLite, the write lock) this transaction takes.
    """
    key = f"staff:{request_key}"
    sent_before = find_outbox(uow.session, key=key)
    if sent_before is not None:
        return sent_before
    redis = uow.runtime.redis
    take_over(redis, thread, now=now)
    provider = last_provider(
        uow.session, venue_id=venue.id, channel=thread.channel, guest_phone=guest.phone
    )
    to = Recipient(venue, guest, thread.channel, provider)
    message = tell_once(uow.session, to, Reply(text), key=key, now=now)
    summary = f"Staff replied to {guest.name or guest.phone}"
    event = staff_event(thread, summary)
    uow.after_commit(lambda: publish(redis, "conversation.staff_reply", event))
    return message
