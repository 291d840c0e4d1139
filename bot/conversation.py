"""Conversation state: a small JSON document in Redis per (venue, channel, guest), with a TTL.

Nothing here is the record of truth: holds and bookings live in the engine. If the state is
lost (TTL, Redis flushed) the next message starts afresh and the guest's bookings are still
found through the engine by their phone number.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import LockError
from redis.lock import Lock

from engine.availability.offers import Offer, RoomOffer, RoomShare, RoomsOffer, TableOffer

log = logging.getLogger(__name__)

IDLE_TTL_SECONDS = 30 * 60
#: A turn holding the lock longer than this has died; the lock lapses so the guest is not stuck.
LOCK_TTL_SECONDS = 60
#: How long a writer waits for a turn in flight before giving up (its job is retried).
LOCK_WAIT_SECONDS = 30
#: How often a writer waiting for the lock tries again (one SET a try). redis-py's default,
#: 100 ms, is several turns long, and most waits are a few milliseconds: the payment link a
#: hold promised, or a guest's quick next message, while the turn before marks its reply sent.
LOCK_POLL_SECONDS = 0.01


class ConversationBusyError(Exception):
    """The conversation stayed locked for too long; the caller retries later."""


def conversation_lock(redis: Redis, key: str, *, wait: float = LOCK_WAIT_SECONDS) -> Lock:
    """The lock every writer of a conversation holds: turns, notices, staff.

    Take it before opening a database transaction, never inside one: a turn holding it may be
    waiting for that transaction's rows (or, on SQLite, for its write lock). ``wait`` is how
    long to wait for it (jobs wait long and are retried; a person in the dashboard less).
    """
    return Lock(
        redis,
        f"{key}:lock",
        timeout=LOCK_TTL_SECONDS,
        sleep=LOCK_POLL_SECONDS,
        blocking_timeout=wait,
    )


_held = threading.local()


@contextmanager
def holding(lock: Lock) -> Iterator[None]:
    """Hold ``lock`` for the block; ConversationBusyError if it cannot be had in time.

    Re-entrant per thread: a job run inline by one that holds the lock (the embedded
    default runs jobs where they are enqueued) is part of the same critical section.
    """
    names: set[str] = _held.__dict__.setdefault("names", set())
    if lock.name in names:
        yield
        return
    if not lock.acquire():
        raise ConversationBusyError(f"{lock.name} is busy")
    names.add(lock.name)
    try:
        yield
    finally:
        names.discard(lock.name)
        try:
            lock.release()
        except LockError:
            log.warning("%s expired while held", lock.name)


class State(StrEnum):
    """Where the conversation is; the machine's table is keyed by these."""

    IDLE = "idle"
    COLLECTING = "collecting"
    CHOOSING_OFFER = "choosing_offer"
    CONFIRMING = "confirming"
    ASKING_NAME = "asking_name"
    AWAITING_PAYMENT = "awaiting_payment"
    CHOOSING_BOOKING = "choosing_booking"
    CONFIRMING_CANCEL = "confirming_cancel"
    CHANGING = "changing"
    CONFIRMING_CHANGE = "confirming_change"
    WAITLIST_OFFERED = "waitlist_offered"
    HANDOFF = "handoff"
    #: A reminder of a booking went out; the guest's confirm, change or cancel is awaited.
    REMINDED = "reminded"
    #: Asked after the visit how it went: a score 1-5 is awaited.
    RATING = "rating"
    #: Rated: a comment is awaited (or "no, thanks").
    COMMENTING = "commenting"
    #: A confirmed stay's guest was offered a table next door on the arrival evening.
    CROSS_SELL_OFFERED = "cross_sell_offered"


#: States of a booking being built: its details survive a handoff so the guest can go on after.
BOOKING_STATES = (State.COLLECTING, State.CHOOSING_OFFER, State.CONFIRMING, State.ASKING_NAME)

#: Where a booking request leads: a question for what is missing, offers, or the one offer.
_SEARCHED = frozenset({State.COLLECTING, State.CHOOSING_OFFER, State.CONFIRMING})
#: Where "cancel" or "change" leads: which booking, then the cancellation or the change.
_MANAGED = frozenset({State.CHOOSING_BOOKING, State.CONFIRMING_CANCEL, State.CHANGING})
#: Where each state may lead (``Conversation.move_to``). Two ways out are open from every
#: state and not listed: a fresh start (``reset``, to IDLE) and a person (``hand_off``, to
#: HANDOFF). A hold awaiting payment, a waitlist offer, a reminder and the question after a
#: visit forget whatever was being built, so they are entered afresh, from IDLE.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.IDLE: (
        _SEARCHED
        | _MANAGED
        | {
            State.AWAITING_PAYMENT,
            State.WAITLIST_OFFERED,
            State.REMINDED,
            State.RATING,
            State.CROSS_SELL_OFFERED,
        }
    ),
    State.COLLECTING: _SEARCHED,
    State.CHOOSING_OFFER: _SEARCHED | {State.ASKING_NAME},
    State.CONFIRMING: _SEARCHED | {State.ASKING_NAME},
    State.ASKING_NAME: _SEARCHED,
    State.AWAITING_PAYMENT: _SEARCHED | _MANAGED,
    State.CHOOSING_BOOKING: _MANAGED,
    State.CONFIRMING_CANCEL: frozenset({State.CONFIRMING_CANCEL}),
    State.CHANGING: frozenset({State.CHANGING, State.CONFIRMING_CHANGE}),
    State.CONFIRMING_CHANGE: frozenset({State.CHANGING, State.CONFIRMING_CHANGE}),
    State.WAITLIST_OFFERED: frozenset(),
    State.HANDOFF: frozenset(),
    State.REMINDED: _SEARCHED | _MANAGED,
    State.RATING: frozenset({State.COMMENTING}),
    State.COMMENTING: frozenset(),
    State.CROSS_SELL_OFFERED: frozenset({State.AWAITING_PAYMENT}),
}
#: States that wait longer than a pause in a chat, so their state lives a day: the answer to
#: the question after a visit comes whenever the guest reads it, and a person may take hours
#: to pick up a handed-off guest (the bot stays quiet until ``handoff_until`` all the same).
LASTING_STATES = frozenset({State.RATING, State.COMMENTING, State.HANDOFF})
LASTING_TTL_SECONDS = 24 * 3600


#: Conversation fields of recommendations (``bot.flows.recommend``), stored only when set.
RECOMMENDATION_FIELDS = ("usual", "usual_why", "usual_declined", "recommendation_id")


class UndeclaredTransitionError(Exception):
    """A flow moved a conversation where ``TRANSITIONS`` does not lead: a bug in the flows."""


@dataclass
class BookingRequest:
    """What the guest has said of the booking being built (or of the change asked for).

    None is "not said yet": the flows ask for what is missing, and a change keeps what the
    booking already has. Dates and the time are the venue's wall clock.
    """

    day: dt.date | None = None  # restaurant
    time: dt.time | None = None  # restaurant, to the minute
    party: int | None = None  # guests at a hotel, the party at a restaurant
    check_in: dt.date | None = None  # hotel
    check_out: dt.date | None = None  # hotel, exclusive; or ``nights`` says how long
    nights: int | None = None
    room_type: str | None = None  # a room type's name, as the venue spells it
    #: Two rooms or more: one wish each, a room type's name, a bed word or "room".
    rooms: list[str] | None = None

    def is_empty(self) -> bool:
        """True when the guest has said nothing of a booking yet."""
        return self == BookingRequest()

    def to_json(self) -> dict[str, Any]:
        """The stored form: ISO dates and "HH:MM", and only the details said (no nulls, so a
        document written here reads the same to code that looks for missing keys)."""
        data: dict[str, Any] = {}
        for name, value in vars(self).items():
            if isinstance(value, dt.time):
                data[name] = value.isoformat(timespec="minutes")
            elif isinstance(value, dt.date):
                data[name] = value.isoformat()
            elif value is not None:
                data[name] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BookingRequest:
        """The request stored by ``to_json``; an unknown key or a bad value raises."""
        values = dict(data)
        for name in ("day", "check_in", "check_out"):
            if name in values:
                values[name] = dt.date.fromisoformat(values[name])
        if "time" in values:
            values["time"] = dt.time.fromisoformat(values["time"])
        for name in ("party", "nights"):
            if name in values:
                values[name] = int(values[name])
        return cls(**values)


def _dump_offer(offer: Offer) -> dict[str, Any]:
    """The stored form of an offer: its fields with ISO dates, and which kind it is.

    The fields are read as they are (``vars``), the rooms of a stay each as theirs:
    ``dataclasses.asdict`` deep-copies every value, which cost a turn's save more than the
    JSON did, and the values here are immutable.
    """
    data = dict(vars(offer))
    for name, value in data.items():
        if isinstance(value, dt.date):
            data[name] = value.isoformat()
    if isinstance(offer, RoomsOffer):
        data["rooms"] = [dict(vars(room)) for room in offer.rooms]
    data["kind"] = _OFFER_KINDS[type(offer)]
    return data


_OFFER_KINDS = {RoomOffer: "room", TableOffer: "table", RoomsOffer: "rooms"}


def _load_offer(data: dict[str, Any]) -> Offer:
    """The offer stored by ``_dump_offer``."""
    values = {k: v for k, v in data.items() if k != "kind"}
    if data["kind"] == "rooms":
        values["check_in"] = dt.date.fromisoformat(values["check_in"])
        values["check_out"] = dt.date.fromisoformat(values["check_out"])
        values["rooms"] = tuple(RoomShare(**room) for room in values["rooms"])
        return RoomsOffer(**values)
    if data["kind"] == "room":
        values["check_in"] = dt.date.fromisoformat(values["check_in"])
        values["check_out"] = dt.date.fromisoformat(values["check_out"])
        return RoomOffer(**values)
    values["starts_at"] = dt.datetime.fromisoformat(values["starts_at"])
    values["local_start"] = dt.datetime.fromisoformat(values["local_start"])
    return TableOffer(**values)


#: Fields stored only when set (see ``Conversation.to_json``): a pending two-readings
#: question, whether the last list showed its offers whole, and the recommendations'.
_LEFT_OUT_UNSET = ("readings", "listed_whole", *RECOMMENDATION_FIELDS)


@dataclass
class Conversation:
    """Everything the bot remembers between two messages of one guest."""

    state: State = State.IDLE
    language: str | None = None
    #: The booking being built, or the change asked for (``manage`` flow).
    request: BookingRequest = field(default_factory=BookingRequest)
    #: Offers on screen, in the order they were numbered.
    offers: list[Offer] = field(default_factory=list)
    chosen_offer: int | None = None
    #: The readings of a bare number the guest was asked to pick between ("4 people or
    #: 16:00?"), as option ids (``bot.flows.readings``).
    readings: list[str] = field(default_factory=list)
    #: The bot's last message listed the offers whole: every option, read with the sentence
    #: above it, showed its date, time, party (room and stay); a pick from them is the yes.
    listed_whole: bool = False
    #: The booking the guest is managing (cancel / change), or the hold being paid.
    booking_ref: str | None = None
    #: The action being confirmed (``manage`` flow): "cancel" or "change"; or, while a person
    #: has a guest who rated a visit low, "comment": their next words are kept (``feedback``).
    action: str | None = None
    #: The one room of a booking of several rooms whose cancellation is being confirmed.
    room_id: int | None = None
    misunderstandings: int = 0
    handoff_until: str | None = None
    new_conversation: bool = True
    #: The details of the request filled in from the guest's usual, not said by them.
    usual: list[str] = field(default_factory=list)
    #: What made it the usual (visits, weekend share): shown to the owner with the proposal.
    usual_why: dict[str, float] = field(default_factory=dict)
    #: The guest said no to their usual in this conversation: it is not put again.
    usual_declined: bool = False
    #: The recommendation on screen (``engine.recommendations``), to note it if taken.
    recommendation_id: int | None = None

    def move_to(self, state: State) -> None:
        """Go on to ``state``; the table must lead there from the state the conversation is in,
        so a flow that strays fails where it strays instead of leaving the guest stuck."""
        if state not in TRANSITIONS[self.state]:
            raise UndeclaredTransitionError(f"{self.state} cannot lead to {state}")
        self.state = state

    def reset(self) -> None:
        """Forget the flow in progress, keep who the guest is (language)."""
        fresh = Conversation(language=self.language, new_conversation=False)
        self.__dict__.update(fresh.__dict__)

    def hand_off(self, until: dt.datetime) -> None:
        """Quiet the bot until ``until`` while a person answers.

        The details of a booking being built are kept, also when staff take over a guest who
        asked for a person mid-booking (a person may only have been asked a question); offers
        are not, as they may be gone by the time the bot is back.
        """
        building = self.state in BOOKING_STATES or self.state == State.HANDOFF
        kept = self.request if building else BookingRequest()
        self.reset()
        self.request = kept
        self.state = State.HANDOFF
        self.handoff_until = until.isoformat()

    def to_json(self) -> str:
        """Serialised form stored in Redis; the fields added since the first stored format
        only when set, so a document without them is written back as it was read."""
        stored = {
            "request": self.request.to_json(),
            "offers": [_dump_offer(offer) for offer in self.offers],
        }
        document = vars(self) | stored
        for name in _LEFT_OUT_UNSET:
            if not document[name]:
                del document[name]
        return json.dumps(document, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> Conversation:
        """Parse the stored form; unknown or broken documents start a fresh conversation."""
        try:
            data = json.loads(raw)
            data["state"] = State(data["state"])
            data["request"] = BookingRequest.from_json(data["request"])
            data["offers"] = [_load_offer(offer) for offer in data["offers"]]
            return cls(**data)
        except (ValueError, KeyError, TypeError):
            return cls()


class ConversationStore:
    """Loads and saves conversations under ``{conversation key}:state``."""

    def __init__(self, redis: Redis, *, ttl_seconds: int = IDLE_TTL_SECONDS) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds

    def load(self, key: str) -> Conversation:
        """The stored conversation, or a new one (``new_conversation`` tells which)."""
        raw = self.redis.get(f"{key}:state")
        if raw is None:
            return Conversation()
        conversation = Conversation.from_json(raw)
        conversation.new_conversation = False
        return conversation

    def save(self, key: str, conversation: Conversation, pipeline: Pipeline | None = None) -> None:
        """Store with a fresh idle TTL (a day for ``LASTING_STATES``)."""
        target = pipeline if pipeline is not None else self.redis
        ttl = self.ttl_seconds
        if conversation.state in LASTING_STATES:
            ttl = max(ttl, LASTING_TTL_SECONDS)
        target.set(f"{key}:state", conversation.to_json(), ex=ttl)

    def update(
        self,
        key: str,
        change: Callable[[Conversation, Pipeline], None],
        *,
        wait: float = LOCK_WAIT_SECONDS,
    ) -> None:
        """Apply ``change`` to the stored conversation under its lock, outside any turn.

        For writers other than the guest's own turn (a waitlist offer, staff taking over): a
        turn loads the state, works, then saves it, so a write landing in between would be
        overwritten. ``change`` may add related writes (choices, events) to the pipeline,
        which goes out with the state. Not to be called inside a database transaction.
        """
        with holding(conversation_lock(self.redis, key, wait=wait)):
            conversation = self.load(key)
            pipeline = self.redis.pipeline()
            change(conversation, pipeline)
            self.save(key, conversation, pipeline=pipeline)
            pipeline.execute()
