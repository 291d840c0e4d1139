"""What became of each request: channel, when it was made, payment, and how it ended.

Every step follows the engine's rules: a chat booking with something due waits for its payment
link (and lapses if unpaid), a refund is what the cancellation policy gives at the moment of
cancelling, and nothing is completed or marked a no-show before the guest was due.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from random import Random

from engine.bookings.enums import BookingStatus, CancelledBy, Channel
from engine.bookings.models import Booking
from engine.bookings.policies import CancellationQuote, quote_cancellation
from engine.history.plan import Life, Request, Step
from engine.payments.service import LINK_MIN_LEAD
from engine.payments.settlement import PROVIDER_ACTOR
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

CHAT = (Channel.WHATSAPP, Channel.SMS)
CHANNELS: dict[VenueKind, dict[Channel, int]] = {
    VenueKind.HOTEL: {
        Channel.WHATSAPP: 45,
        Channel.SMS: 25,
        Channel.PHONE: 20,
        Channel.WALK_IN: 10,
    },
    VenueKind.RESTAURANT: {
        Channel.WHATSAPP: 40,
        Channel.SMS: 20,
        Channel.PHONE: 20,
        Channel.WALK_IN: 20,
    },
}
#: Average days between booking and arrival (walk-ins book on the spot).
MEAN_LEAD_DAYS = {VenueKind.HOTEL: 12.0, VenueKind.RESTAURANT: 1.5}
MAX_LEAD_DAYS = 120
UNPAID_SHARE = 0.12
CANCEL_SHARE = {VenueKind.HOTEL: 0.14, VenueKind.RESTAURANT: 0.10}
#: Of cancellations, the share the owner decides (refunding in full) rather than the guest.
OWNER_CANCEL_SHARE = 0.2
NO_SHOW_SHARE = 0.05
NO_SHOW_AFTER = timedelta(hours=1)
#: Every step lies at least this long before "now", so nothing is caught half-way.
SETTLED = timedelta(minutes=30)
DESK_ACTOR = "staff:demo-history"
EXPIRY_ACTOR = "system:expiry-job"


def guest_actor(phone: str, channel: Channel) -> str:
    """How the audit trail names a guest acting in a chat (as the bot does)."""
    return f"guest:{phone}:{channel.value}"


def decide_life(
    rng: Random, venue: Venue, request: Request, phone: str, *, now: datetime
) -> Life | None:
    """The life of ``request``; None when it would only be made after ``now``."""
    channel = _channel(rng, venue)
    created = _created_at(rng, venue, request, channel)
    if created > now - SETTLED:
        return None
    creator = guest_actor(phone, channel) if channel in CHAT else DESK_ACTOR
    link = channel in CHAT and request.amount > 0
    life = Life(channel, creator, created, _hold_expiry(venue, created, link), (), link=link)
    life = _pay_by_link(rng, life, request) if link else _confirm(life, request)
    if life.status == BookingStatus.EXPIRED:
        return life
    return _ending(rng, venue, request, life, now=now)


def _channel(rng: Random, venue: Venue) -> Channel:
    weights = CHANNELS[venue.kind]
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _created_at(rng: Random, venue: Venue, request: Request, channel: Channel) -> datetime:
    """When the hold was placed: on the spot for walk-ins, days ahead for the rest."""
    if channel == Channel.WALK_IN:
        hotel = venue.kind == VenueKind.HOTEL
        ahead = (
            timedelta(hours=rng.randint(1, 4)) if hotel else timedelta(minutes=rng.randint(2, 10))
        )
        return request.due_at - ahead
    days = min(int(rng.expovariate(1 / MEAN_LEAD_DAYS[venue.kind])), MAX_LEAD_DAYS)
    return request.due_at - timedelta(days=days, minutes=rng.randint(20, 12 * 60))


def _hold_expiry(venue: Venue, created: datetime, link: bool) -> datetime:
    """The venue's hold time, stretched to a payment link's minimum life when one goes out."""
    hold = timedelta(minutes=venue.hold_minutes)
    return created + (max(hold, LINK_MIN_LEAD) if link else hold)


def _pay_by_link(rng: Random, life: Life, request: Request) -> Life:
    """A payment link goes out; the guest pays within minutes, or the hold lapses."""
    asked = Step(
        BookingStatus.PENDING_PAYMENT, life.created_at + timedelta(minutes=1), life.creator
    )
    if rng.random() < UNPAID_SHARE:
        lapsed = Step(BookingStatus.EXPIRED, life.hold_expires_at, EXPIRY_ACTOR)
        return replace(life, steps=(asked, lapsed))
    paid_at = life.created_at + timedelta(minutes=rng.randint(2, 14))
    paid = Step(BookingStatus.CONFIRMED, paid_at, PROVIDER_ACTOR)
    return replace(life, steps=(asked, paid), amount_paid=request.amount)


def _confirm(life: Life, request: Request) -> Life:
    """Nothing to pay online: confirmed at once (the desk takes what is due on the spot)."""
    confirmed = Step(BookingStatus.CONFIRMED, life.created_at, life.creator)
    return replace(life, steps=(confirmed,), amount_paid=request.amount)


def _ending(rng: Random, venue: Venue, request: Request, life: Life, *, now: datetime) -> Life:
    """Cancelled before the guest was due, a no-show, completed, or still to come."""
    confirmed_at, settled = life.steps[-1].at, now - SETTLED
    latest_cancel = min(request.due_at, settled)
    walk_in = life.channel == Channel.WALK_IN
    if (
        not walk_in
        and rng.random() < CANCEL_SHARE[venue.kind]
        and latest_cancel - confirmed_at > timedelta(hours=1)
    ):
        at = confirmed_at + (latest_cancel - confirmed_at) * rng.random()
        return _cancel(rng, venue, request, life, at)
    if not walk_in and rng.random() < NO_SHOW_SHARE and request.due_at + NO_SHOW_AFTER <= settled:
        return _then(life, Step(BookingStatus.NO_SHOW, request.due_at + NO_SHOW_AFTER, DESK_ACTOR))
    if request.leaves_at <= settled:
        return _then(life, Step(BookingStatus.COMPLETED, request.leaves_at, DESK_ACTOR))
    return life


def _then(life: Life, step: Step) -> Life:
    return replace(life, steps=(*life.steps, step))


def _cancel(rng: Random, venue: Venue, request: Request, life: Life, at: datetime) -> Life:
    """Cancelled in the chat by the guest (policy refund) or at the desk (policy or in full)."""
    owner_decides = rng.random() < OWNER_CANCEL_SHARE
    stand_in = _stand_in(venue, request, life)
    policy = quote_cancellation(stand_in, by=CancelledBy.GUEST, now=at)
    if life.channel in CHAT and not owner_decides:
        return _cancelled(life, at, policy, CancelledBy.GUEST, life.creator)
    refund = None if owner_decides else policy.refund_amount
    quote = quote_cancellation(stand_in, by=CancelledBy.OWNER, now=at, amount=refund)
    return _cancelled(life, at, quote, CancelledBy.OWNER, DESK_ACTOR)


def _cancelled(
    life: Life, at: datetime, quote: CancellationQuote, by: CancelledBy, actor: str
) -> Life:
    return replace(
        _then(life, Step(BookingStatus.CANCELLED, at, actor)),
        refund=quote.refund_amount,
        refund_percent=quote.refund_percent,
        cancelled_by=by,
    )


def _stand_in(venue: Venue, request: Request, life: Life) -> Booking:
    """An unsaved booking, so the engine's own policy prices the cancellation."""
    return Booking(
        venue=venue,
        check_in=request.check_in,
        starts_at=request.starts_at,
        amount_paid=life.amount_paid,
        currency=venue.currency,
    )
