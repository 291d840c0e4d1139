"""An upgrade when it helps both: the room type asked for is nearly full and a better one is
free, so the guest is offered the better room at the price difference (and the hotel keeps its
last rooms of the cheaper type for guests who need them)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.availability.offers import Offer, RoomOffer

#: The asked room type counts as nearly full with this many rooms (or fewer) left.
NEARLY_FULL = 1


def upgrade_for(offers: Sequence[Offer], asked: int) -> int | None:
    """The index of the cheapest pricier room type free for the same stay, when the asked one
    (``offers[asked]``) is nearly full; None otherwise."""
    wanted = offers[asked]
    if not isinstance(wanted, RoomOffer) or wanted.rooms_left > NEARLY_FULL:
        return None
    better = [
        (offer.total_amount, n)
        for n, offer in enumerate(offers)
        if isinstance(offer, RoomOffer)
        and offer.total_amount > wanted.total_amount
        and (offer.check_in, offer.check_out) == (wanted.check_in, wanted.check_out)
    ]
    return min(better)[1] if better else None


def upgrade_candidates(asked: RoomOffer, better: RoomOffer) -> list[dict[str, object]]:
    """The two rooms as recorded: what was asked, and the upgrade (with their totals)."""
    return [
        {"label": asked.room_type_name, "features": {"total": asked.total_amount}},
        {"label": better.room_type_name, "features": {"total": better.total_amount}},
    ]
