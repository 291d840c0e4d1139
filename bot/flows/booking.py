"""The booking flow: gather what is missing in as few questions as possible, search, offer,
take a name if needed, hold, then confirm (free tables) or ask for payment.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from bot.conversation import State
from bot.flows import readings, reasons, recommend
from bot.flows.offers import (
    chosen_index,
    listed,
    offer_line,
    offer_options,
    options_dated,
    shared_day,
)
from bot.flows.payment import request_payment
from bot.flows.rooms import implied_party, room_set_offer
from bot.messages import Option, Reply, above
from bot.nlu.corpus import known_phrases, vocabulary
from bot.nlu.intents import Intent
from bot.nlu.normalize import normalize
from bot.turn import Turn
from engine.availability.hours import OpeningDay, opening_day
from engine.availability.limits import largest_room
from engine.availability.offers import Offer, RoomOffer, RoomsOffer, TableOffer
from engine.availability.requests import StayRequest, TableRequest
from engine.availability.service import search_availability
from engine.bookings.approvals import needs_approval, request_approval
from engine.bookings.attendance import deposit_no_shows
from engine.bookings.models import Booking
from engine.bookings.service import confirm, place_hold
from engine.exceptions import BooklineError, NotAvailableError
from engine.risk.exceptions import HoldRateLimitedError
from engine.risk.service import MAX_HOLDS_PER_HOUR
from engine.tenants.enums import VenueKind

HOTEL_ALTERNATIVE_SHIFTS = (1, -1, 2, -2, 3, 7)
MAX_OPTIONS = 5
#: Option id of "join the waitlist" (handled by ``bot.flows.waitlist``).
JOIN_WAITLIST = "waitlist:join"
#: Option ids of "which day do you mean?" start with this, followed by the ISO date.
DAY_CHOICE = "day:"


#: The details a bare number can answer; a restaurant's time too ("8" is 20:00 there).
NUMERIC_DETAILS = ("nights", "guests", "party", "time")
#: When the classifier is this sure a message means something else, it is no name.
NAME_INTENT_CONFIDENCE = 0.9


def _number_answer(turn: Turn) -> list[Reply] | None:
    """A message that is just a number answers the numeric question we asked.

    After a question for one number it is that number (a time is left to the slot reader,
    which reads "8" at a restaurant as 20:00). After a question for two ("what time, and how
    many of you?") it is the reading the venue could take, and asked about when both fit.
    None when the message is no such answer.
    """
    text = turn.understood.text.strip()
    if turn.conversation.state != State.COLLECTING or not text.isdigit():
        return None
    if not 1 <= int(text) <= 60:
        return None
    asked = [name for name in missing_details(turn) if name in NUMERIC_DETAILS]
    if not asked or asked == ["time"]:
        return None
    found = readings.fitting(turn, int(text), asked) if len(asked) > 1 else []
    if len(found) > 1:
        return [readings.ask(turn, found)]
    return take_reading(turn, found[0] if found else readings.Reading(asked[-1], text))


def take_reading(turn: Turn, reading: readings.Reading) -> list[Reply]:
    """The number's reading is settled: put it in the request and carry on."""
    readings.apply(turn, reading)
    return next_step(turn)


def merge_details(turn: Turn) -> None:
    """Fold the message's details into the request being built."""
    slots, request = turn.understood.slots, turn.conversation.request
    turn.conversation.readings = []
    hotel = turn.venue.kind == VenueKind.HOTEL
    start = slots.check_in or (slots.day if hotel else None)
    if start is not None:
        request.check_in = start
        request.check_out = None
    if slots.check_out is not None:
        request.check_out = slots.check_out
    if slots.nights is not None:
        request.nights = slots.nights
        if slots.check_out is None:
            request.check_out = None
    if not hotel and slots.day is not None:
        request.day = slots.day
    if slots.time is not None:
        request.time = slots.time.replace(second=0, microsecond=0)
    if slots.party_size is not None:
        request.party = slots.party_size
    if slots.room_type is not None:
        request.room_type = slots.room_type
    if slots.rooms is not None:
        request.rooms = list(slots.rooms)
        if request.party is None:
            request.party = implied_party(request.rooms)
    if slots.name and not turn.guest.name:
        turn.guest.name = slots.name


def missing_details(turn: Turn) -> list[str]:
    """What the search still needs, in the order it is asked."""
    request = turn.conversation.request
    if turn.venue.kind == VenueKind.HOTEL:
        needed = []
        if request.check_in is None:
            needed.append("dates")
        elif request.check_out is None and request.nights is None:
            needed.append("nights")
        if request.party is None:
            needed.append("guests")
        return needed
    if request.day is None and request.time is not None:
        request.day = turn.now.astimezone(turn.venue.tz).date()
    said = {"day": request.day, "time": request.time, "party": request.party}
    return [name for name, value in said.items() if value is None]


def book(turn: Turn) -> list[Reply]:
    """Start or continue a booking with whatever the message said.

    A date that has passed is said so and asked again, and a weekday named on that very day
    is asked about (today or a week later): neither is guessed into an offer.
    """
    answer = _number_answer(turn)
    if answer is not None:
        return answer
    merge_details(turn)
    recommend.forget_said(turn)
    slots = turn.understood.slots
    if slots.past_day is not None:
        return date_passed(turn, slots.past_day)
    if slots.today_or_next_week:
        _forget_dates(turn)
        turn.conversation.move_to(State.COLLECTING)
        return [which_day(turn)]
    return next_step(turn)


def next_step(turn: Turn) -> list[Reply]:
    """Ask for what the search still needs (a returning guest's usual fills it in), or search."""
    needed = missing_details(turn)
    if needed and recommend.fill_usual(turn, needed):
        needed = missing_details(turn)
    if needed:
        turn.conversation.move_to(State.COLLECTING)
        return [turn.say("ask_" + "_".join(needed))]
    return search(turn)


def date_passed(turn: Turn, day: date) -> list[Reply]:
    """ "1 Dec has already passed": the request keeps everything but a date, which is asked."""
    _forget_dates(turn)
    turn.conversation.move_to(State.COLLECTING)
    return [turn.say("date_passed", day=turn.day(day))]


def _forget_dates(turn: Turn) -> None:
    """Drop the request's date (the guest is asked for it)."""
    request = turn.conversation.request
    request.day = request.check_in = request.check_out = None


def which_day(turn: Turn) -> Reply:
    """Today, or the same weekday a week later? Both as options, with their dates."""
    today = turn.today
    later = today + timedelta(days=7)
    options = [
        Option(f"{DAY_CHOICE}{today.isoformat()}", turn.text("option_today", day=turn.day(today))),
        Option(f"{DAY_CHOICE}{later.isoformat()}", turn.day(later)),
    ]
    return turn.say("which_day", options, today=turn.day(today), later=turn.day(later))


def chosen_day(turn: Turn) -> date | None:
    """The day a "which day?" option picked, if the message picked one."""
    choice = turn.understood.choice or ""
    if not choice.startswith(DAY_CHOICE):
        return None
    try:
        return date.fromisoformat(choice.removeprefix(DAY_CHOICE))
    except ValueError:
        return None


def take_day(turn: Turn, day: date) -> list[Reply]:
    """The guest said which day they meant: carry on with the booking."""
    request = turn.conversation.request
    if turn.venue.kind == VenueKind.HOTEL:
        request.check_in = day
        request.check_out = None
    else:
        request.day = day
    return next_step(turn)


def stay_request(turn: Turn) -> StayRequest:
    """The complete stay the guest asked for."""
    request = turn.conversation.request
    assert request.check_in is not None and request.party is not None
    if request.check_out is not None:
        check_out = request.check_out
    else:
        assert request.nights is not None
        check_out = request.check_in + timedelta(days=request.nights)
    return StayRequest(request.check_in, check_out, request.party)


def table_request(turn: Turn) -> TableRequest:
    """The complete seating the guest asked for."""
    request = turn.conversation.request
    assert request.day is not None and request.time is not None and request.party is not None
    return TableRequest(request.day, request.time, request.party)


def _hotel_offers(turn: Turn) -> tuple[list[Offer], bool]:
    """Offers for the stay asked for, or for nearby dates; True when they match the dates."""
    stay = stay_request(turn)
    offers: list[Offer] = list(
        search_availability(turn.session, venue=turn.venue, request=stay, now=turn.now)
    )
    if offers:
        return offers, True
    nights = stay.check_out - stay.check_in
    today = turn.now.astimezone(turn.venue.tz).date()
    for shift in HOTEL_ALTERNATIVE_SHIFTS:
        start = stay.check_in + timedelta(days=shift)
        if start < today:
            continue
        moved = StayRequest(start, start + nights, stay.guests)
        found = search_availability(turn.session, venue=turn.venue, request=moved, now=turn.now)
        offers.extend(found[:1])
        if len(offers) >= 3:
            break
    return offers, False


def search(turn: Turn) -> list[Reply]:
    """Search with the complete request and present the result."""
    conversation = turn.conversation
    conversation.recommendation_id = None
    party = conversation.request.party or 0
    if turn.venue.kind == VenueKind.HOTEL and conversation.request.rooms:
        return _search_room_set(turn)
    if turn.venue.kind == VenueKind.HOTEL and party > (
        largest := largest_room(turn.session, venue=turn.venue)
    ):
        # No date helps here; "nothing is free" would send the guest hunting for dates.
        conversation.move_to(State.COLLECTING)
        return [turn.say("too_many_guests", party=party, capacity=largest)]
    try:
        if turn.venue.kind == VenueKind.HOTEL:
            offers, exact = _hotel_offers(turn)
        else:
            table_offers = search_availability(
                turn.session, venue=turn.venue, request=table_request(turn), now=turn.now
            )
            offers = list(table_offers)
            first = offers[0] if offers else None
            exact = isinstance(first, TableOffer) and first.exact
    except BooklineError as exc:
        return reasons.refused(turn, exc)
    offers = offers[:MAX_OPTIONS] if exact else recommend.rank(turn, offers[:MAX_OPTIONS])
    sister = None
    if not exact and turn.venue.kind == VenueKind.HOTEL:
        sister = recommend.sister_hotel(turn, stay_request(turn))
    if not exact:
        conversation.usual = []  # the usual was not free: what is, is offered as alternatives
    conversation.offers = offers
    opening = None if exact else _closed_then(turn)
    if opening is not None:
        return reasons.closed(turn, opening, offers)
    if not offers:
        conversation.move_to(State.COLLECTING)
        waitlist = Option(JOIN_WAITLIST, turn.text("option_waitlist"))
        return recommend.with_sister(turn, sister, turn.say("nothing_available", [waitlist]))
    wanted = _preferred_room(turn, offers) if exact else None
    if wanted is not None and (upgrade := recommend.upgrade(turn, offers, wanted)):
        return upgrade
    if wanted is not None or (exact and isinstance(offers[0], TableOffer)):
        return propose(turn, wanted or 0)
    conversation.move_to(State.CHOOSING_OFFER)
    return recommend.with_sister(turn, sister, _offer_list(turn, offers, exact=exact))


def _closed_then(turn: Turn) -> OpeningDay | None:
    """The restaurant's hours on the day asked, when it is closed at the time asked."""
    request = turn.conversation.request
    if turn.venue.kind != VenueKind.RESTAURANT or request.day is None or request.time is None:
        return None
    opening = opening_day(turn.session, venue=turn.venue, day=request.day)
    return None if opening.is_open_at(request.time) else opening


def _offer_list(turn: Turn, offers: list[Offer], *, exact: bool) -> Reply:
    """The offers as options, under a sentence that says what every one of them shares (the
    stay and the guests, or the party), so each option read with it is the whole offer:
    tables over several days name their date and time; rooms for the stay asked share it
    (rooms over nearby stays do not, and are confirmed one by one)."""
    request = turn.conversation.request
    options = offer_options(turn, offers)
    if exact and isinstance(offers[0], RoomOffer):
        stay = {
            "check_in": turn.day(offers[0].check_in),
            "check_out": turn.day(offers[0].check_out),
            "guests": turn.count("n_guests", offers[0].guests),
        }
        if request.room_type is not None:
            taken = turn.say("room_type_taken", options, room=request.room_type, **stay)
            return listed(turn, taken, whole=True)
        return listed(turn, turn.say("choose_room", options, **stay), whole=True)
    waitlist = Option(JOIN_WAITLIST, turn.text("option_waitlist"))
    party = turn.count("n_guests", request.party or 0)
    day = shared_day(offers)
    if day is not None:  # times of one day: the sentence names it, so each time is whole
        on_day = turn.say(
            "alternatives_on_day", [*options, waitlist], party=party, day=turn.day(day)
        )
        return listed(turn, on_day, whole=True)
    reply = turn.say("alternatives", [*options, waitlist], party=party)
    return listed(turn, reply, whole=_tables_dated(turn, offers))


def _tables_dated(turn: Turn, offers: list[Offer]) -> bool:
    """Whether each option of these tables names its date and time (the list's sentence
    names the party)."""
    return isinstance(offers[0], TableOffer) and options_dated(turn, offers)


def _search_room_set(turn: Turn) -> list[Reply]:
    """Several rooms asked for: the one set that sleeps the party, put to the guest."""
    conversation = turn.conversation
    try:
        offer = room_set_offer(turn, stay_request(turn))
    except BooklineError as exc:
        conversation.move_to(State.COLLECTING)
        return [turn.say("request_problem", detail=exc.message)]
    if offer is None:
        conversation.move_to(State.COLLECTING)
        count = len(conversation.request.rooms or [])
        guests = turn.count("n_guests", conversation.request.party or 0)
        return [turn.say("rooms_unavailable", count=count, guests=guests)]
    conversation.offers = [offer]
    return propose(turn, 0)


def _ask_staff(turn: Turn, booking: Booking, offer: RoomsOffer) -> list[Reply]:
    """A group above the venue's chat limits: held for staff to accept or decline."""
    request_approval(turn.session, booking=booking, actor=turn.actor, now=turn.now)
    turn.conversation.reset()
    return [
        turn.say(
            "group_request_sent",
            rooms=len(offer.rooms),
            guests=turn.count("n_guests", offer.guests),
            reference=booking.reference,
        )
    ]


def _preferred_room(turn: Turn, offers: list[Offer]) -> int | None:
    wanted = turn.conversation.request.room_type
    for index, offer in enumerate(offers):
        if isinstance(offer, RoomOffer) and offer.room_type_name == wanted:
            return index
    return None


def propose(turn: Turn, index: int) -> list[Reply]:
    """Ask the guest to confirm one offer (and for their name, if unknown), saying first
    why a deposit is due when the guest's no-shows alone call for one."""
    conversation = turn.conversation
    conversation.chosen_offer = index
    conversation.move_to(State.CONFIRMING)
    offer = conversation.offers[index]
    line = offer_line(turn, offer)
    if conversation.usual and turn.guest.name:
        replies = [recommend.usual_proposal(turn, offer, line)]
    elif turn.guest.name:
        replies = [turn.say("confirm_offer", turn.yes_no(), offer=line)]
    else:
        replies = [turn.say("confirm_offer_name", offer=line)]
    deposit = _no_show_deposit(turn, offer)
    if deposit:
        return above(turn.text("no_show_deposit", amount=turn.money(deposit)), replies)
    return replies


def _no_show_deposit(turn: Turn, offer: Offer) -> int:
    """The deposit the hold of this table will ask for only because of the guest's no-shows
    under the venue's rule (0 when none, or when the party owes one anyway)."""
    if not isinstance(offer, TableOffer) or turn.venue.deposit_for(offer.party_size):
        return 0
    no_shows = deposit_no_shows(
        turn.session, venue=turn.venue, guest_id=turn.guest.id, before=turn.now
    )
    return turn.venue.deposit_for(offer.party_size, no_shows=no_shows)


def decline_usual(turn: Turn) -> list[Reply]:
    """No to the usual: forget what it filled in and ask for the guest's own details."""
    recommend.forget_usual(turn)
    turn.conversation.move_to(State.COLLECTING)
    ask = turn.say("ask_" + "_".join(missing_details(turn)))
    return above(turn.text("usual_declined", name=turn.guest.name or ""), [ask])


def repeat_proposal(turn: Turn) -> list[Reply]:
    """The offer being confirmed, put again."""
    return propose(turn, turn.conversation.chosen_offer or 0)


def ask_name_again(turn: Turn) -> list[Reply]:
    """The name asked for again, with the offer it books (the guest may have scrolled away)."""
    assert turn.conversation.chosen_offer is not None
    offer = turn.conversation.offers[turn.conversation.chosen_offer]
    return [turn.say("ask_name_for", offer=offer_line(turn, offer))]


def repeat_offers(turn: Turn) -> list[Reply]:
    """The offers on screen, put again."""
    return [turn.say("pick_again", offer_options(turn, turn.conversation.offers))]


def choose(turn: Turn) -> list[Reply]:
    """The guest picked one of the offers on screen.

    A pick from a list that showed every detail of the offer (the date and time with the
    party, or the room with the stay and guests) is the guest's yes: it goes on to the name
    or the hold without asking again. Anything the list did not show first (offers over
    different stays, a deposit due to past no-shows) is put to the guest to confirm.
    """
    conversation = turn.conversation
    index = chosen_index(turn.understood.choice)
    if index is None or index >= len(conversation.offers):
        return repeat_offers(turn)
    offer = conversation.offers[index]
    listed = conversation.state == State.CHOOSING_OFFER and turn.listed_whole
    if not listed or _no_show_deposit(turn, offer):
        return propose(turn, index)
    conversation.chosen_offer = index
    if turn.guest.name:
        return hold(turn)
    conversation.move_to(State.ASKING_NAME)
    return ask_name_again(turn)


def accept(turn: Turn) -> list[Reply]:
    """Yes to the proposed offer: hold it, or ask for the name first."""
    if not turn.guest.name:
        turn.conversation.move_to(State.ASKING_NAME)
        return [turn.say("ask_name")]
    return hold(turn)


def take_name(turn: Turn) -> list[Reply]:
    """The message is the guest's name (explicit "my name is…" or just a name)."""
    understood = turn.understood
    name = understood.slots.name or (_as_name(understood.text) if is_name(turn) else None)
    if name is None:
        return [turn.say("ask_name")]
    turn.guest.name = name
    return hold(turn)


def _as_name(text: str) -> str | None:
    words = text.strip().split()
    if not 1 <= len(words) <= 4 or not all(_is_word(w.replace(".", "")) for w in words):
        return None
    return " ".join(w.capitalize() for w in words)[:60]


def _is_word(token: str) -> bool:
    """Letters only, counting combining marks: Devanagari vowel signs are marks ("प्रिया")."""
    return bool(token) and all(unicodedata.category(ch)[0] in "LM" for ch in token)


def is_name(turn: Turn) -> bool:
    """Whether the message answers "what name?" rather than saying something else.

    An explicit "my name is…" always does. Otherwise it must be a few words of letters that
    carry no booking details and are not a phrase the bot knows ("no thanks", "stop this",
    "cancel that"). Words typed as a name is written ("Late Canceller") are a name unless
    every one is a word the bot knows. The classifier's guess alone does not rule a name out,
    since it never saw names ("Nora" looks like "no" to it), unless it is very sure.
    """
    understood = turn.understood
    if understood.has_booking_details or understood.choice is not None:
        return False
    if understood.slots.name:
        return True
    if _as_name(understood.text) is None:
        return False
    text = normalize(understood.text)
    if text in known_phrases():
        return False
    if understood.intent == Intent.UNKNOWN:
        return True
    if known_words(text):
        return False
    return understood.text.istitle() or understood.confidence < NAME_INTENT_CONFIDENCE


def known_words(text: str) -> bool:
    """Whether every word of ``text`` is one the bot was trained on."""
    return all(word in vocabulary() for word in normalize(text).split())


def hold(turn: Turn) -> list[Reply]:
    """Hold the chosen offer; confirm at once when nothing is due, else ask for payment."""
    conversation = turn.conversation
    assert conversation.chosen_offer is not None
    offer = conversation.offers[conversation.chosen_offer]
    try:
        booking = place_hold(
            turn.session,
            offer=offer,
            guest=turn.guest,
            channel=turn.booking_channel,
            actor=turn.actor,
            now=turn.now,
            holds_per_hour=MAX_HOLDS_PER_HOUR,
        )
    except NotAvailableError:
        replies = [turn.say("just_taken")]
        return replies + search(turn)
    except HoldRateLimitedError:
        conversation.reset()
        return [turn.say("rate_limited")]
    except BooklineError as exc:
        conversation.reset()
        return [turn.say("request_problem", detail=exc.message)]
    recommend.note_taken(turn, booking)
    recommend.sister_booked(turn, booking)
    if isinstance(offer, RoomsOffer) and needs_approval(
        turn.venue, rooms=len(offer.rooms), guests=offer.guests
    ):
        return _ask_staff(turn, booking, offer)
    if booking.amount > 0:
        return request_payment(turn, booking)
    confirm(turn.session, booking=booking, actor=turn.actor, now=turn.now)
    conversation.reset()
    return [turn.say("confirmed", offer=offer_line(turn, offer), reference=booking.reference)]
