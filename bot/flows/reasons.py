"""Why a request cannot be booked as asked, said with what is possible instead.

Closed then (with that day's opening hours, and the free times, never a waitlist: there is
no service to wait for), more guests than the venue can take (its largest party, and a
person for a group), check-out before check-in. The engine's domain errors are mapped to
replies here, in one place.
"""

from __future__ import annotations

from datetime import timedelta

from bot.conversation import State
from bot.flows.offers import listed, offer_options, options_dated, shared_day
from bot.format import format_time
from bot.messages import Option, Reply, above
from bot.turn import Turn
from engine.availability.hours import OpeningDay
from engine.availability.offers import Offer
from engine.exceptions import BooklineError, CheckOutBeforeCheckInError, PartyTooLargeError

#: The option that hands a group to staff (``bot.machine.MENU``).
AGENT = "menu:agent"


def refused(turn: Turn, error: BooklineError) -> list[Reply]:
    """The engine refused the request: say why, and ask for what would do."""
    turn.conversation.move_to(State.COLLECTING)
    if isinstance(error, PartyTooLargeError):
        return too_many(turn, error.largest)
    if isinstance(error, CheckOutBeforeCheckInError):
        return check_out_first(turn)
    return [turn.say("request_problem", detail=error.message)]


def too_many(turn: Turn, largest: int) -> list[Reply]:
    """More guests than one booking can take: the most it can, and a person for a group.

    The party is asked again, so a bare number that follows is the new party size.
    """
    request = turn.conversation.request
    party, request.party = request.party, None
    option = Option(AGENT, turn.text("menu_agent"))
    return [turn.say("party_too_large", [option], party=party, largest=largest)]


def check_out_first(turn: Turn) -> list[Reply]:
    """Check-out said before check-in: show both and ask for the dates again."""
    request = turn.conversation.request
    assert request.check_in is not None
    ends = request.check_out or request.check_in + timedelta(days=request.nights or 0)
    check_in, check_out = turn.day(request.check_in), turn.day(ends)
    request.check_in = request.check_out = None
    request.nights = None
    return [turn.say("check_out_first", check_in=check_in, check_out=check_out)]


def closed(turn: Turn, opening: OpeningDay, offers: list[Offer]) -> list[Reply]:
    """The restaurant is closed at the time asked: when it is open that day, and the free
    times for the party (or a question for another day or time when there are none)."""
    conversation = turn.conversation
    request = conversation.request
    day = turn.day(opening.day)
    if opening.closed_all_day or request.time is None:
        reason = turn.text("closed_day", day=day)
    else:
        hours = ", ".join(
            f"{format_time(opens)}-{format_time(ends)}" for opens, ends in opening.windows
        )
        reason = turn.text("closed_at", time=format_time(request.time), day=day, hours=hours)
    if not offers:
        conversation.move_to(State.COLLECTING)
        return above(reason, [turn.say("closed_ask_again")])
    conversation.move_to(State.CHOOSING_OFFER)
    party = turn.count("n_guests", request.party or 0)
    times = turn.say("closed_alternatives", offer_options(turn, offers), party=party)
    (shown,) = above(reason, [times])
    # The reason names the day: times of that day alone are whole with it.
    whole = options_dated(turn, offers) or shared_day(offers) == opening.day
    return [listed(turn, shown, whole=whole)]
