"""Offering freed inventory to waitlisted guests: hold it for them, then message them.

The holds and messages commit together; each guest's conversation is then set to expect
their answer under its lock, after the commit and before the messages go out, as every writer
of a conversation does it outside the transaction.
"""

from __future__ import annotations

from application.messenger import Recipient, tell_once
from application.notices import expect_answers, words_turn
from application.unit_of_work import unit_of_work
from bot.flows.waitlist import WaitlistNews, offer_news
from engine.db import utcnow
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.tenants.service import get_venue
from engine.waitlist.service import offer_freed_inventory, venues_with_waiting
from infra.runtime import Runtime


def offer_waitlist(runtime: Runtime) -> int:
    """Give what freed up to the longest-waiting guests; returns how many were offered."""
    now = utcnow()
    offered: list[WaitlistNews] = []
    with unit_of_work(runtime) as uow:
        session = uow.session
        for venue_id in venues_with_waiting(session):
            venue = get_venue(session, venue_id=venue_id)
            for found in offer_freed_inventory(session, venue_id=venue_id, now=now):
                guest = session.get(Guest, found.entry.guest_id)
                assert guest is not None
                channel = MessageChannel(found.entry.channel)
                turn = words_turn(session, runtime.redis, venue, guest, channel, now)
                news = offer_news(turn, found)
                to = Recipient(venue, guest, channel)
                tell_once(session, to, news.reply, key=f"waitlist:{found.entry.id}", now=now)
                offered.append(news)
        uow.after_commit(lambda: expect_answers(runtime, offered))
    return len(offered)
