"""Attendance in the sweep: bookings whose guest has not arrived by the end of the grace.

Each is noticed once, in its own transaction: staff hear of it live ("booking.not_arrived"),
or, where the venue opted in to automatic no-shows, the booking becomes a no-show (its audit
entry says "no-show after grace", and staff can undo it). Nothing is sent to the guest.
"""

from __future__ import annotations

from datetime import datetime

from application.sessions import autocommit
from application.unit_of_work import unit_of_work
from engine.bookings.arrivals import notice_not_arrived
from engine.bookings.attendance import not_arrived
from engine.bookings.models import Booking
from infra.runtime import Runtime

#: Bookings noticed per sweep at most (the next sweep takes the rest).
BATCH = 200


def mark_no_shows(runtime: Runtime, now: datetime) -> int:
    """Notice the bookings not arrived by the end of their grace at ``now``, no-showing those
    of venues that opted in; returns how many were noticed."""
    with autocommit(runtime) as session:
        found = [b.id for b in not_arrived(session, now=now, unnoticed=True)][:BATCH]
    noticed = 0
    for booking_id in found:
        with unit_of_work(runtime) as uow:
            booking = uow.session.get(Booking, booking_id)
            if booking is not None:
                noticed += notice_not_arrived(uow.session, booking=booking, now=now)
    return noticed
