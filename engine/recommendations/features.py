"""What the ranker sees of an offer: how far it is from what the guest asked and usually takes.

Every feature is relative to the request and the guest's own habit at the venue, so one model
serves every guest of a business: "an hour later than asked, on their usual weekday" means the
same whoever asks. ``rule_rank`` is where today's rule (nearest first) put the offer, so the
model can lean on the rule where nothing else tells offers apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from engine.availability.offers import Offer, RoomOffer, RoomsOffer
from engine.recommendations.profile import WEEKEND, Usual
from engine.tenants.models import Venue

FEATURE_NAMES = (
    "hours_away",
    "later",
    "days_away",
    "weekend",
    "usual_hours_away",
    "habit_weekend",
    "big_party_later",
    "price_ratio",
    "rule_rank",
)
#: From this party size a guest counts as a family or group (who tend to eat earlier).
BIG_PARTY = 4


@dataclass(frozen=True)
class Candidate:
    """An offer as the ranker sees it: when it starts (venue clock) and what it costs."""

    label: str
    start: datetime
    price: int


@dataclass(frozen=True)
class Situation:
    """What the guest asked for (venue clock), for how many, and their usual if they have one."""

    wanted: datetime
    party: int
    usual: Usual | None


def candidate_of(venue: Venue, offer: Offer) -> Candidate:
    """The ranker's view of a search offer."""
    if isinstance(offer, RoomOffer | RoomsOffer):
        start = datetime.combine(offer.check_in, venue.check_in_time, tzinfo=venue.tz)
        return Candidate(f"{_rooms_label(offer)} {offer.check_in}", start, offer.total_amount)
    return Candidate(f"{offer.local_start:%Y-%m-%d %H:%M}", offer.local_start, offer.deposit_amount)


def _rooms_label(offer: RoomOffer | RoomsOffer) -> str:
    """The room type, or the room types of a set of rooms joined with "+"."""
    if isinstance(offer, RoomsOffer):
        return "+".join(room.room_type_name for room in offer.rooms)
    return offer.room_type_name


def _hours(moment: datetime) -> float:
    return moment.hour + moment.minute / 60


def feature_rows(situation: Situation, candidates: Sequence[Candidate]) -> list[list[float]]:
    """One row of FEATURE_NAMES per candidate, candidates in today's rule order."""
    cheapest = min((c.price for c in candidates), default=0)
    return [_row(situation, c, rank, cheapest) for rank, c in enumerate(candidates)]


def _row(situation: Situation, candidate: Candidate, rank: int, cheapest: int) -> list[float]:
    wanted, usual, start = situation.wanted, situation.usual, candidate.start
    shift = _hours(start) - _hours(wanted)
    later = float((shift > 0) - (shift < 0))
    weekend = start.weekday() in WEEKEND
    habit = 0.0
    if usual is not None:
        habit = (1.0 if weekend else -1.0) * (2 * usual.weekend_share - 1)
    usual_gap = abs(_hours(start) - usual.hour) if usual is not None else abs(shift)
    return [
        abs(shift),
        later,
        float(abs((start.date() - wanted.date()).days)),
        float(weekend),
        usual_gap,
        habit,
        later if situation.party >= BIG_PARTY else 0.0,
        candidate.price / cheapest - 1 if cheapest > 0 else 0.0,
        float(rank),
    ]
