"""Offering freed inventory to waitlisted guests: hold it for them, then message them.

The holds and messages commit first; each guest's conversation is then set to expect their
answer under its lock, outside the transaction, as every writer of a conversation does.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from bot.conversation import ConversationBusyError, ConversationStore
from bot.flows.waitlist import WaitlistNews, offer_news
from bot.inbound import render
from engine.db import utcnow
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript, enqueue_outbox
from engine.tenants.models import Venue
from engine.waitlist.enums import WaitlistStatus
from engine.waitlist.models import WaitlistEntry
from engine.waitlist.service import offer_freed_inventory
from infra.jobs import enqueue_send
from infra.runtime import Runtime

log = logging.getLogger(__name__)


def offer_waitlist(runtime: Runtime) -> int:
    """Give what freed up to the longest-waiting guests; returns how many were offered."""
    now = utcnow()
    outbox_ids: list[int] = []
    offered: list[WaitlistNews] = []
    with runtime.sessions() as session:
        venue_ids = session.scalars(
            select(WaitlistEntry.venue_id)
            .distinct()
            .where(WaitlistEntry.status == WaitlistStatus.WAITING)
        ).all()
        for venue_id in venue_ids:
            venue = session.get(Venue, venue_id)
            assert venue is not None
            for found in offer_freed_inventory(session, venue_id=venue_id, now=now):
                guest = session.get(Guest, found.entry.guest_id)
                assert guest is not None
                channel = MessageChannel(found.entry.channel)
                news = offer_news(session, found, venue=venue)
                payload = render(
                    news.reply, channel, "twilio" if channel == MessageChannel.SMS else "whatsapp"
                )
                row = enqueue_outbox(
                    session,
                    key=f"waitlist:{found.entry.id}",
                    venue_id=venue.id,
                    guest_id=guest.id,
                    channel=channel,
                    to_address=guest.phone,
                    payload=payload,
                )
                add_transcript(
                    session,
                    venue_id=venue.id,
                    channel=channel,
                    guest_phone=guest.phone,
                    direction="out",
                    text=news.reply.text,
                    now=now,
                )
                session.flush()
                outbox_ids.append(row.id)
                offered.append(news)
        session.commit()
    try:
        _expect_answers(runtime, offered)
    finally:
        for outbox_id in outbox_ids:
            enqueue_send(runtime, outbox_id)
    return len(outbox_ids)


def _expect_answers(runtime: Runtime, offered: list[WaitlistNews]) -> None:
    """Set each offered guest's conversation to expect their yes or no.

    One guest whose conversation stays busy must not cost the others theirs: that guest's
    answer is then read without the context (and the hold lapses if they never give one).
    """
    store = ConversationStore(runtime.redis)
    for news in offered:
        try:
            store.update(news.conversation, news.expect_answer)
        except ConversationBusyError:
            log.warning("%s busy: its waitlist offer goes out all the same", news.conversation)
