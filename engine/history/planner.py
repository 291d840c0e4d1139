"""Planning a history: requests, their lives, and the inventory each one gets.

Requests are served in the order they were made. Each takes the first candidate (the engine's
order: lowest room number, tightest seating) whose every claim is free at that moment, i.e.
not held by a booking that still kept it then; one that finds nothing is turned away, as
``place_hold`` would. Booking N can therefore reuse a unit booking M gave back by cancelling
before N was made, and no two bookings that keep their claims ever share a unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.units import Pair
from engine.bookings.models import Booking, Claim
from engine.bookings.references import ALPHABET, LENGTH, PREFIX
from engine.history.chats import booking_chat, browsing_chats
from engine.history.demand import requests_for
from engine.history.lives import CHAT, SETTLED, decide_life
from engine.history.plan import (
    Candidate,
    Guest,
    HistoryPlan,
    Life,
    PlannedBooking,
    PlannedConversation,
)
from engine.tenants.models import Business, Venue

SEED = "bookline-demo-history"
#: Bookings are planned for arrivals up to this many days after today, too.
UPCOMING_DAYS = 14
GUEST_POOL = 400
NAMES = ("Asha", "Ravi", "Meera", "Arjun", "Priya", "Kabir", "Isha", "Vikram", "Nisha", "Dev")
FOREVER = datetime.max.replace(tzinfo=UTC)
NEVER = datetime.min.replace(tzinfo=UTC)


class Occupancy:
    """Until when each (resource, unit) is held, to find what is free at a given moment."""

    def __init__(self, taken: Iterable[Pair]) -> None:
        self._until = dict.fromkeys(taken, FOREVER)

    def take(self, candidates: Iterable[Candidate], life: Life) -> Candidate | None:
        """The first candidate free when ``life`` began, now held until it gives it back."""
        for candidate in candidates:
            if all(self._until.get(pair, NEVER) <= life.created_at for pair in candidate.pairs):
                until = life.released_at or FOREVER
                self._until.update(dict.fromkeys(candidate.pairs, until))
                return candidate
        return None


def plan_history(session: Session, *, business: Business, days: int, now: datetime) -> HistoryPlan:
    """The history of the business's venues for ``days`` days before ``now`` (and just after)."""
    guests = guest_pool()
    used = set(session.scalars(select(Booking.reference)))
    bookings: list[PlannedBooking] = []
    chats: list[PlannedConversation] = []
    for venue in sorted(business.venues, key=lambda v: v.id):
        rng = Random(f"{SEED}:{venue.slug}")  # one stream per venue: each plans the same alone
        window = local_days(venue, days, now)
        made = _venue_bookings(session, venue, window, rng, guests, used, now)
        chats += [booking_chat(venue, b) for b in made if b.life.channel in CHAT]
        chats += browsing_chats(rng, venue, window, guests, latest=now - SETTLED)
        bookings += made
    return HistoryPlan(now, days, guests, tuple(bookings), tuple(chats))


def guest_pool() -> tuple[Guest, ...]:
    """The guests of the history (a fixed pool, so regulars book again)."""
    return tuple(
        Guest(f"+91970000{n:04d}", NAMES[n % len(NAMES)]) for n in range(1, GUEST_POOL + 1)
    )


def local_days(venue: Venue, days: int, now: datetime) -> list[date]:
    """The venue's local dates from ``days`` days ago to UPCOMING_DAYS ahead."""
    today = now.astimezone(venue.tz).date()
    return [today + timedelta(days=n) for n in range(-days, UPCOMING_DAYS + 1)]


def _venue_bookings(
    session: Session,
    venue: Venue,
    window: list[date],
    rng: Random,
    guests: tuple[Guest, ...],
    used: set[str],
    now: datetime,
) -> list[PlannedBooking]:
    """The venue's bookings, served in the order they were made."""
    drafts = []
    for request in requests_for(session, venue, window, rng):
        guest = rng.choice(guests)
        life = decide_life(rng, venue, request, guest.phone, now=now)
        if life is not None:
            drafts.append((life, request, guest))
    drafts.sort(key=lambda draft: draft[0].created_at)
    claimed = select(Claim.resource, Claim.unit).where(Claim.venue_id == venue.id)
    occupancy = Occupancy((resource, unit) for resource, unit in session.execute(claimed))
    bookings = []
    for life, request, guest in drafts:
        taken = occupancy.take(request.candidates, life)
        if taken is not None:
            reference = _reference(rng, used)
            bookings.append(PlannedBooking(reference, guest.phone, request, taken, life))
    return bookings


def _reference(rng: Random, used: set[str]) -> str:
    """A booking reference in the engine's format, drawn from the plan's RNG, never reused."""
    while True:
        reference = PREFIX + "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
        if reference not in used:
            used.add(reference)
            return reference
