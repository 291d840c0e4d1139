"""Simulated guests with stable preferences, and how they answered the alternatives offered.

The demo history's bookings are drawn at random, so they carry no habit a ranking could learn.
These guests have one: couples who always come at 20:00 and would rather eat later than
earlier, weekend families who eat early and take another weekend day before a late table,
early and late diners. Whenever their table was taken, the restaurant offered what today's
rule offers (the nearest free times that day, then the next days), and each guest took the
offer they liked best, or none when nothing came close (a random utility model with noise).
The recommendations are written as the bot records them, so ``bookline recommend eval`` and
the ranker learn from them as from real ones; the README says these figures are simulated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from random import Random

from sqlalchemy.orm import Session

from engine.availability.restaurant import NEXT_DAYS, SAME_DAY_ALTERNATIVES, seating_starts
from engine.guests.service import get_or_create_guest
from engine.recommendations.enums import Outcome, RecommendationKind
from engine.recommendations.features import Candidate, Situation, feature_rows
from engine.recommendations.models import Recommendation
from engine.recommendations.profile import WEEKEND, Visit, usual_of
from engine.recommendations.service import shown
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue

SEED = "bookline-demo-preferences"
GUESTS = 80
#: Times a preferred table was taken, per day (low, high), across the simulated guests.
EPISODES_PER_DAY = (3, 6)
#: Chance that a free start of the grid is free that evening (the rest are taken).
FREE_CHANCE = 0.35
OFFERS = 5
#: How much a guest minds each hour away from their time, and the utility of walking away.
HOUR_COST = 1.2
WALK_AWAY = -2.2
NOISE = 0.5


@dataclass(frozen=True)
class Habit:
    """A kind of guest: when and with how many they come, and what they trade off."""

    name: str
    parties: tuple[int, ...]
    at: tuple[time, ...]
    weekend: bool
    #: Utility of a later time (negative: they would rather come earlier).
    later: float
    #: Utility lost per day away from the day they asked for.
    day_cost: float
    share: int


HABITS = (
    Habit("couple at eight", (2,), (time(20, 0),), False, 0.9, 2.0, 4),
    Habit("weekend family", (4, 5), (time(13, 0), time(19, 0)), True, -1.0, 0.3, 3),
    Habit("early diners", (2, 3), (time(19, 0),), False, -0.8, 1.2, 2),
    Habit("late diners", (2, 4), (time(21, 30),), False, 0.8, 1.0, 2),
)


@dataclass
class SimulatedGuest:
    """One guest: their habit, their own party and time, and the visits they made."""

    phone: str
    habit: Habit
    party: int
    at: time
    visits: list[Visit] = field(default_factory=list)


def simulate_preferences(session: Session, *, business: Business, days: int, now: datetime) -> int:
    """Write ``days`` days of simulated recommendations at the business's restaurants; their
    number."""
    written = 0
    for venue in sorted(business.venues, key=lambda v: v.id):
        if venue.kind == VenueKind.RESTAURANT:
            written += _simulate_venue(session, venue, days, now)
    return written


class Grid:
    """The venue's seating starts per (day, party), read once each (venue clock)."""

    def __init__(self, session: Session, venue: Venue) -> None:
        self.session, self.venue = session, venue
        self._starts: dict[tuple[date, int], list[datetime]] = {}

    def starts(self, day: date, party: int) -> list[datetime]:
        """Every start of ``day`` a party of ``party`` can be seated at."""
        key = (day, party)
        if key not in self._starts:
            found = seating_starts(self.session, self.venue, day, party)
            self._starts[key] = [s.astimezone(self.venue.tz) for s in found]
        return self._starts[key]


def _simulate_venue(session: Session, venue: Venue, days: int, now: datetime) -> int:
    rng = Random(f"{SEED}:{venue.slug}")
    grid = Grid(session, venue)
    guests = _guests(rng, venue, now, days)
    today = now.astimezone(venue.tz).date()
    written = 0
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        for _ in range(rng.randint(*EPISODES_PER_DAY)):
            guest = rng.choice(guests)
            if guest.habit.weekend and day.weekday() not in WEEKEND:
                continue
            if _episode(rng, grid, guest, day):
                written += 1
    return written


def _guests(rng: Random, venue: Venue, now: datetime, days: int) -> list[SimulatedGuest]:
    """The pool, each guest with a few visits before the history starts (their habit)."""
    weights = [habit.share for habit in HABITS]
    first = now.astimezone(venue.tz).date() - timedelta(days=days + 30)
    guests = []
    for n in range(1, GUESTS + 1):
        habit = rng.choices(HABITS, weights=weights)[0]
        guest = SimulatedGuest(
            f"+91960{venue.id:02d}{n:05d}", habit, rng.choice(habit.parties), rng.choice(habit.at)
        )
        for visit in range(3):
            day = first + timedelta(days=7 * visit + (5 if habit.weekend else 2))
            guest.visits.append(Visit(day, guest.at, guest.party))
        guests.append(guest)
    return guests


def _episode(rng: Random, grid: Grid, guest: SimulatedGuest, day: date) -> bool:
    """The guest's table was taken: offer what the rule offers, record what they took."""
    session, venue = grid.session, grid.venue
    wanted = datetime.combine(day, guest.at, tzinfo=venue.tz)
    candidates = _rule_offers(rng, grid, wanted, guest.party)
    if not candidates:
        return False
    usual = usual_of(guest.visits[-20:])
    rows = feature_rows(Situation(wanted, guest.party, usual), candidates)
    chosen = _choice(rng, guest, wanted, candidates)
    offered_at = (wanted - timedelta(hours=rng.uniform(2, 48))).astimezone(UTC)
    row = get_or_create_guest(session, business_id=venue.business_id, phone=guest.phone)
    taken = candidates[chosen] if chosen is not None else None
    session.add(
        Recommendation(
            business_id=venue.business_id,
            venue_id=venue.id,
            guest_id=row.id,
            kind=RecommendationKind.ALTERNATIVES,
            method="rule",
            offered_at=offered_at,
            candidates=shown([(c.label, r) for c, r in zip(candidates, rows, strict=True)]),
            contributions={},
            outcome=Outcome.ACCEPTED if taken else Outcome.DECLINED,
            chosen=chosen,
            decided_at=offered_at + timedelta(minutes=2),
            revenue=taken.price if taken else 0,
            currency=venue.currency,
        )
    )
    if taken is not None:
        guest.visits.append(Visit(taken.start.date(), taken.start.time(), guest.party))
    return True


def _rule_offers(rng: Random, grid: Grid, wanted: datetime, party: int) -> list[Candidate]:
    """What ``search_tables`` offers when ``wanted`` is taken and other starts are free at
    random: the nearest free starts that day, the nearest on each next day, then the rest."""
    deposit = grid.venue.deposit_for(party)
    days = [wanted.date() + timedelta(days=n) for n in range(NEXT_DAYS + 1)]
    free = {
        day: [s for s in grid.starts(day, party) if s != wanted and rng.random() < FREE_CHANCE]
        for day in days
    }
    same_day = sorted(free[days[0]], key=lambda s: (abs(s - wanted), s))
    chosen = same_day[:SAME_DAY_ALTERNATIVES]
    for offset, day in enumerate(days[1:], start=1):
        target = wanted + timedelta(days=offset)
        if free[day]:
            chosen.append(min(free[day], key=lambda s: (abs(s - target), s)))
    chosen.extend(s for s in same_day[SAME_DAY_ALTERNATIVES:] if s not in chosen)
    return [Candidate(f"{s:%Y-%m-%d %H:%M}", s, deposit) for s in chosen[:OFFERS]]


def _choice(
    rng: Random, guest: SimulatedGuest, wanted: datetime, candidates: list[Candidate]
) -> int | None:
    """The offer the guest likes best (Gumbel noise on each utility), or None to walk away."""
    habit = guest.habit
    preferred = guest.at.hour + guest.at.minute / 60

    def utility(candidate: Candidate) -> float:
        start = candidate.start
        hour = start.hour + start.minute / 60
        later = (hour > wanted.hour + wanted.minute / 60) - (
            hour < wanted.hour + wanted.minute / 60
        )
        days_away = abs((start.date() - wanted.date()).days)
        weekend = 1.0 if habit.weekend and start.weekday() in WEEKEND else 0.0
        return (
            -HOUR_COST * abs(hour - preferred)
            + habit.later * later
            - habit.day_cost * days_away
            + weekend
        )

    def noise() -> float:
        return -NOISE * math.log(-math.log(rng.random() or 1e-12))

    scores = [utility(c) + noise() for c in candidates]
    best = max(range(len(candidates)), key=lambda n: scores[n])
    return best if scores[best] > WALK_AWAY + noise() else None
