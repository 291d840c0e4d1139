"""Staff answer a group's request: accept (the guest gets the payment link) or decline (the
booking is cancelled); either way the guest is told, once, through the messenger.
"""

from __future__ import annotations

from datetime import datetime

from application.messenger import Recipient, tell_once
from application.unit_of_work import UnitOfWork
from bot.catalog import t
from bot.messages import Reply
from engine.bookings.approvals import accept, decline
from engine.bookings.models import Booking
from engine.bookings.service import confirm
from engine.messaging.service import last_provider
from engine.payments.service import guest_channel, request_link


def accept_request(uow: UnitOfWork, *, booking: Booking, actor: str, now: datetime) -> Booking:
    """Accept the group: the payment link follows (its own message), or it is confirmed when
    nothing is due."""
    accept(uow.session, booking=booking, actor=actor, now=now)
    if booking.amount > 0:
        request_link(uow.session, booking=booking, actor=actor, now=now)
        key = "request_accepted_pay"
    else:
        confirm(uow.session, booking=booking, actor=actor, now=now)
        key = "request_accepted"
    _tell(uow, booking, key, now)
    return booking


def decline_request(
    uow: UnitOfWork, *, booking: Booking, actor: str, now: datetime, reason: str = ""
) -> Booking:
    """Decline the group: its rooms are freed and the guest hears so."""
    decline(uow.session, booking=booking, actor=actor, now=now, reason=reason)
    _tell(uow, booking, "request_declined", now)
    return booking


def _tell(uow: UnitOfWork, booking: Booking, key: str, now: datetime) -> None:
    """The staff's answer to the guest, in their language, on the booking's chat channel."""
    channel = guest_channel(booking)
    guest = booking.guest
    provider = last_provider(
        uow.session, venue_id=booking.venue_id, channel=channel, guest_phone=guest.phone
    )
    text = t(key, guest.language, reference=booking.reference, venue=booking.venue.name)
    to = Recipient(booking.venue, guest, channel, provider)
    tell_once(uow.session, to, Reply(text), key=f"approval:{booking.id}", now=now)
    uow.keep(booking.venue, guest)
