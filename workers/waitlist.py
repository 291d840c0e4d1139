"""Offering freed inventory to waitlisted guests: hold it for them, then message them."""

from __future__ import annotations

from sqlalchemy import select

from bookline.jobs import enqueue_send
from bookline.runtime import Runtime
from bot.flows.waitlist import offer_message
from bot.inbound import render
from engine.db import utcnow
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript, enqueue_outbox
from engine.tenants.models import Venue
from engine.waitlist.enums import WaitlistStatus
from engine.waitlist.models import WaitlistEntry
from engine.waitlist.service import offer_freed_inventory


def offer_waitlist(runtime: Runtime) -> int:
    """Give what freed up to the longest-waiting guests; returns how many were offered."""
    now = utcnow()
    outbox_ids: list[int] = []
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
                reply = offer_message(session, runtime.redis, found, venue=venue, now=now)
                payload = render(
                    reply, channel, "twilio" if channel == MessageChannel.SMS else "whatsapp"
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
                    text=reply.text,
                    now=now,
                )
                session.flush()
                outbox_ids.append(row.id)
        session.commit()
    for outbox_id in outbox_ids:
        enqueue_send(runtime, outbox_id)
    return len(outbox_ids)
