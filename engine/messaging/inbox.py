"""The owner's inbox: finding a guest's thread by name, phone or booking reference, a page at a
time, and how many of the guest's messages are still unanswered in each.

Threads are found in two steps so the caller can order them by something the database does not
hold (who is waiting for a person lives in Redis): first every matching thread's key, most
recently active first; then the summaries of the page it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, Subquery, case, false, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from engine.bookings.models import Booking
from engine.bookings.references import normalize_reference
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import TranscriptEntry
from engine.messaging.service import ConversationSummary
from engine.tenants.models import Venue

#: Digits a phone search needs, so "9" does not match every guest.
MIN_PHONE_DIGITS = 3


@dataclass(frozen=True)
class ThreadKey:
    """One guest's thread at a venue on a channel."""

    venue_id: int
    channel: MessageChannel
    guest_phone: str


@dataclass(frozen=True)
class InboxThread(ConversationSummary):
    """A thread as the inbox lists it: the summary, and the guest's messages since the venue
    last wrote (bot or staff)."""

    unanswered: int

    @property
    def key(self) -> ThreadKey:
        return ThreadKey(self.venue_id, self.channel, self.guest_phone)


def thread_keys(
    session: Session, *, business_id: int, venue_id: int | None = None, query: str = ""
) -> list[ThreadKey]:
    """Every thread of the business matching ``query``, most recently active first."""
    last_at, last_id = func.max(TranscriptEntry.at), func.max(TranscriptEntry.id)
    select_keys = (
        select(TranscriptEntry.venue_id, TranscriptEntry.channel, TranscriptEntry.guest_phone)
        .join(Venue, TranscriptEntry.venue_id == Venue.id)
        .where(Venue.business_id == business_id)
        .group_by(TranscriptEntry.venue_id, TranscriptEntry.channel, TranscriptEntry.guest_phone)
        .order_by(last_at.desc(), last_id.desc())
    )
    if venue_id is not None:
        select_keys = select_keys.where(TranscriptEntry.venue_id == venue_id)
    if query.strip():
        select_keys = select_keys.where(_matching(business_id, query.strip()))
    return [ThreadKey(*row) for row in session.execute(select_keys)]


def _matching(business_id: int, text: str) -> ColumnElement[bool]:
    """Threads of guests whose phone holds the digits, whose name holds the words, or who
    made the booking with that reference."""
    digits = "".join(ch for ch in text if ch.isdigit())
    by_phone = (
        TranscriptEntry.guest_phone.contains(digits) if len(digits) >= MIN_PHONE_DIGITS else false()
    )
    named = select(Guest.phone).where(
        Guest.business_id == business_id, Guest.name.ilike(f"%{_escaped(text)}%", escape="\\")
    )
    booked = (
        select(Guest.phone)
        .join(Booking, Booking.guest_id == Guest.id)
        .where(Guest.business_id == business_id, Booking.reference == normalize_reference(text))
    )
    return or_(
        by_phone, TranscriptEntry.guest_phone.in_(named), TranscriptEntry.guest_phone.in_(booked)
    )


def _escaped(text: str) -> str:
    """``text`` for a LIKE pattern: its own % and _ are letters, not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def inbox_threads(
    session: Session, *, business_id: int, keys: Sequence[ThreadKey]
) -> list[InboxThread]:
    """The summaries of ``keys`` (threads found by ``thread_keys``), in the order given."""
    if not keys:
        return []
    thread = (TranscriptEntry.venue_id, TranscriptEntry.channel, TranscriptEntry.guest_phone)
    wanted = tuple_(*thread).in_([(k.venue_id, k.channel, k.guest_phone) for k in keys])
    per_thread = (
        select(
            *thread,
            func.max(TranscriptEntry.id).label("last_id"),
            func.count(TranscriptEntry.id).label("messages"),
            func.max(_out_id()).label("last_out_id"),
        )
        .where(wanted)
        .group_by(*thread)
        .subquery()
    )
    unanswered = _unanswered(per_thread)
    rows = session.execute(
        select(TranscriptEntry, per_thread.c.messages, unanswered, Guest.name)
        .join(per_thread, TranscriptEntry.id == per_thread.c.last_id)
        .outerjoin(
            Guest,
            (Guest.business_id == business_id) & (Guest.phone == TranscriptEntry.guest_phone),
        )
    )
    found = {
        ThreadKey(e.venue_id, e.channel, e.guest_phone): InboxThread(
            e.venue_id, e.channel, e.guest_phone, name, e.at, e.text, e.direction, count, waiting
        )
        for e, count, waiting, name in rows
    }
    return [found[key] for key in keys if key in found]


def _out_id() -> ColumnElement[int | None]:
    """The line's id if the venue wrote it (bot or staff), else null."""
    return case((TranscriptEntry.direction == "out", TranscriptEntry.id), else_=None)


def _unanswered(per_thread: Subquery) -> ScalarSelect[int]:
    """The guest's lines in a thread after the venue last wrote in it."""
    line = aliased(TranscriptEntry)
    return (
        select(func.count(line.id))
        .where(
            line.venue_id == per_thread.c.venue_id,
            line.channel == per_thread.c.channel,
            line.guest_phone == per_thread.c.guest_phone,
            line.direction == "in",
            line.id > func.coalesce(per_thread.c.last_out_id, 0),
        )
        .scalar_subquery()
    )
