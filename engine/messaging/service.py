"""Messaging services: the only code that writes inbound events, the outbox and transcripts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    Integer,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from engine.db import (
    as_loaded,
    core_rows,
    insert_or_skip,
    insert_or_skip_returning_id,
    insert_rows_or_skip,
    utcnow,
)
from engine.guests.models import Guest
from engine.messaging.enums import (
    FINAL_OUTBOX_STATUSES,
    InboundStatus,
    MessageChannel,
    OutboxStatus,
)
from engine.messaging.models import InboundEvent, OutboxMessage, TranscriptEntry
from engine.tenants.models import Venue

#: ``Session.info`` key under which ``enqueue_outbox`` lists the rows it created: a service
#: deep in a use case (a refund, a payment link) queues its side effect without threading a
#: list through every caller; the unit of work (``application.unit_of_work``) is the one
#: reader, at commit.
CREATED_OUTBOX = "bookline.created_outbox"


def record_inbound(
    session: Session, *, provider: str, provider_id: str, **fields: Any
) -> int | None:
    """Store a provider delivery once: the new event's id, or None if it was stored before."""
    row = {"provider": provider, "provider_id": provider_id, **fields}
    return record_inbounds(session, [row])[0]


def record_inbounds(session: Session, rows: Sequence[dict[str, Any]]) -> list[int | None]:
    """Store deliveries once each: per row, the new event's id, or None if already stored.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` for them all (webhook requests are
    stored in batches, and on PostgreSQL a batch of any size is the same statement): a
    duplicate costs no savepoint and no exception. A provider id twice in ``rows`` is stored
    for the first and None for the others. Every row names the same columns.
    """
    keys = [(row["provider"], row["provider_id"]) for row in rows]
    first = {key: index for index, key in reversed(list(enumerate(keys)))}
    fresh = [rows[index] for index in sorted(first.values())]
    if not fresh:
        return []
    inserted = insert_rows_or_skip(
        session.connection(),
        _INBOUND_EVENTS,
        fresh,
        unique=("provider", "provider_id"),
        returning=("id", "provider", "provider_id"),
    )
    stored = {(row.provider, row.provider_id): row.id for row in inserted}
    return [stored.get(key) if first[key] == index else None for index, key in enumerate(keys)]


_INBOUND_EVENTS = cast(Table, InboundEvent.__table__)
_VENUES = cast(Table, Venue.__table__)
_GUESTS = cast(Table, Guest.__table__)


def pending_event_conversation(
    session: Session, *, event_id: int
) -> tuple[int, MessageChannel, str] | None:
    """The (venue, channel, guest phone) of a pending event; None once handled, or unknown.

    Three columns through Core rather than the event and its raw payload through the ORM: the
    inbound job needs only these to take the conversation lock, and loads the event, locked,
    in the transaction that handles it.
    """
    row = session.connection().execute(_pending_thread(), {"event_id": event_id}).one_or_none()
    if row is None:
        return None
    venue_id, channel, guest_phone = row
    assert venue_id is not None and channel is not None and guest_phone is not None
    return venue_id, channel, guest_phone


@dataclass(frozen=True)
class PendingMessage:
    """An unhandled inbound event with what answering it needs first: its venue (None once
    deleted), and the business's guest who wrote it (None on their first message)."""

    event: InboundEvent
    venue: Venue | None
    guest: Guest | None


def pending_conversation_events(
    session: Session, *, venue_id: int, channel: MessageChannel, guest_phone: str, limit: int
) -> list[PendingMessage]:
    """A conversation's first ``limit`` unhandled messages in arrival order (the order they
    must be handled), row-locked for the transaction that handles them.

    The venue and the guest come in the same statement (only the events are locked): every
    turn needs both, and each cost a round trip and an ORM query of its own. The rows are
    read through Core and made the session's objects by ``as_loaded``: ORM loading of the
    three cost a turn more CPU than the statement did.
    """
    params = {"venue_id": venue_id, "channel": channel, "guest_phone": guest_phone, "limit": limit}
    return [_pending_message(session, row) for row in core_rows(session, _pending_events(), params)]


def _pending_message(session: Session, row: Sequence[Any]) -> PendingMessage:
    """One row of ``_pending_events``: the event's, the venue's and the guest's columns."""
    venue_at = len(_INBOUND_EVENTS.columns)
    guest_at = venue_at + len(_VENUES.columns)
    event = as_loaded(session, InboundEvent, row[:venue_at])
    venue = None if row[venue_at] is None else as_loaded(session, Venue, row[venue_at:guest_at])
    guest = None if row[guest_at] is None else as_loaded(session, Guest, row[guest_at:])
    return PendingMessage(event, venue, guest)


@cache
def _pending_thread() -> Select[int | None, MessageChannel | None, str | None]:
    """``pending_event_conversation``'s query, built once: every guest message runs it, and
    building it cost half as much CPU as running it (its cache key is memoised on the object)."""
    return select(InboundEvent.venue_id, InboundEvent.channel, InboundEvent.guest_phone).where(
        InboundEvent.id == bindparam("event_id"), InboundEvent.status == InboundStatus.PENDING
    )


@cache
def _pending_events() -> Select[Any]:
    """``pending_conversation_events``' query, built once for the same reason."""
    events, venues, guests = _INBOUND_EVENTS, _VENUES, _GUESTS
    return (
        select(events, venues, guests)
        .select_from(
            events.outerjoin(venues, venues.c.id == events.c.venue_id).outerjoin(
                guests,
                and_(
                    guests.c.business_id == venues.c.business_id,
                    guests.c.phone == events.c.guest_phone,
                ),
            )
        )
        .where(
            events.c.venue_id == bindparam("venue_id"),
            events.c.channel == bindparam("channel"),
            events.c.guest_phone == bindparam("guest_phone"),
            events.c.status == InboundStatus.PENDING,
        )
        .order_by(events.c.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(of=events)
    )


def finish_inbound(
    event: InboundEvent,
    *,
    status: InboundStatus,
    now: datetime | None = None,
    error: str | None = None,
) -> None:
    """Close an inbound event as processed, failed or ignored."""
    event.status = status
    event.processed_at = now or utcnow()
    if error is not None:
        event.last_error = error


def record_inbound_failure(
    session: Session, *, event_id: int, error: Exception, max_attempts: int
) -> InboundEvent | None:
    """Count one failed attempt at a stored event, under its row lock.

    The event stays PENDING for its job's retries and the maintenance sweep; at
    ``max_attempts`` it is marked FAILED and returned (the caller decides what the guest is
    told). None while it may still be retried, or when it is no longer pending (a failure
    after its commit, in sending the replies, is the send job's to retry).
    """
    event = session.get(InboundEvent, event_id, with_for_update=True)
    if event is None or event.status != InboundStatus.PENDING:
        return None
    event.attempts += 1
    event.last_error = repr(error)[:2000]
    if event.attempts < max_attempts:
        return None
    finish_inbound(event, status=InboundStatus.FAILED)
    return event


def last_inbound_at(
    session: Session, *, venue_id: int, channel: MessageChannel, guest_phone: str
) -> datetime | None:
    """When the guest last wrote on this channel (WhatsApp's 24-hour window starts there)."""
    return session.scalar(
        select(func.max(InboundEvent.received_at)).where(
            InboundEvent.venue_id == venue_id,
            InboundEvent.channel == channel,
            InboundEvent.guest_phone == guest_phone,
            InboundEvent.kind != "status",
        )
    )


def last_text_before(
    session: Session, *, venue_id: int, channel: MessageChannel, guest_phone: str, event_id: int
) -> datetime | None:
    """When the guest last wrote text (or picked a choice) on this channel before event
    ``event_id``: a conversation that has no state although this is recent lost its state.

    Through Core with a statement built once (a guest's first message of a conversation asks).
    """
    params = {
        "venue_id": venue_id,
        "channel": channel,
        "guest_phone": guest_phone,
        "event_id": event_id,
    }
    ((previous,),) = core_rows(session, _last_text_before(), params)
    return cast(datetime | None, previous)


@cache
def _last_text_before() -> Select[datetime | None]:
    events = _INBOUND_EVENTS.c
    return select(func.max(events.received_at)).where(
        events.venue_id == bindparam("venue_id"),
        events.channel == bindparam("channel"),
        events.guest_phone == bindparam("guest_phone"),
        events.kind.in_(("text", "choice")),
        events.id < bindparam("event_id"),
    )


def enqueue_outbox(
    session: Session,
    *,
    key: str,
    venue_id: int,
    channel: MessageChannel,
    to_address: str,
    payload: dict[str, Any],
    guest_id: int | None = None,
    bypass_opt_out: bool = False,
) -> OutboxMessage:
    """Add a message to the outbox; the same key returns the row written before, unchanged.

    One ``INSERT … ON CONFLICT (key) DO NOTHING RETURNING`` (every reply of every turn comes
    through here): a retried job finds the key taken and reads the earlier row instead. The
    INSERT needs nothing the session holds unflushed (its values are plain columns), so it runs
    on the session's connection without flushing it: a turn's transcript lines then go in
    together at the commit. The returned row is read through Core and made the session's object
    by ``as_loaded``: the ORM's INSERT … RETURNING of an entity cost more CPU than the statement.
    """
    values = {
        "key": key,
        "venue_id": venue_id,
        "guest_id": guest_id,
        "channel": channel,
        "to_address": to_address,
        "payload": payload,
        "bypass_opt_out": bypass_opt_out,
    }
    row = session.connection().execute(_outbox_insert(session), values).one_or_none()
    if row is None:
        found = find_outbox(session, key=key)
        assert found is not None
        return found
    message = as_loaded(session, OutboxMessage, row)
    session.info.setdefault(CREATED_OUTBOX, []).append(message)
    return message


#: The columns ``enqueue_outbox`` sets; the others take their defaults.
_OUTBOX_VALUES = (
    "key",
    "venue_id",
    "guest_id",
    "channel",
    "to_address",
    "payload",
    "bypass_opt_out",
)


_OUTBOX = cast(Table, OutboxMessage.__table__)
_OUTBOX_INSERTS: dict[str, ReturningInsert[Any]] = {}


def _outbox_insert(session: Session) -> ReturningInsert[Any]:
    """``enqueue_outbox``'s statement, built once per backend with a parameter per column,
    returning every column in the table's order (as ``as_loaded`` takes them): every reply
    runs it, and building and hashing a fresh one cost as much as running it."""
    dialect = session.get_bind().dialect.name
    statement = _OUTBOX_INSERTS.get(dialect)
    if statement is None:
        values = {name: bindparam(name, type_=_OUTBOX.c[name].type) for name in _OUTBOX_VALUES}
        insert = insert_or_skip(session, OutboxMessage, "key").values(values)
        statement = _OUTBOX_INSERTS[dialect] = insert.returning(*_OUTBOX.columns)
    return statement


def enqueue_outbox_rows(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Add many outbox rows at once, each unless its key was used before: the new rows' ids.

    For a sweep that writes thousands of actions in one pass: one multi-row ``INSERT … ON
    CONFLICT (key) DO NOTHING RETURNING id`` through Core, so a key another sweep wrote
    first is skipped without an error. The rows are not loaded and not listed for the unit
    of work (``created_outbox``): the caller hands the ids to the send job itself. Every row
    names the columns of ``enqueue_outbox``.
    """
    if not rows:
        return []
    statement = insert_or_skip_returning_id(session, OutboxMessage, "key")
    return [row_id for (row_id,) in session.connection().execute(statement, list(rows))]


def created_outbox(session: Session) -> list[OutboxMessage]:
    """Rows this session added to the outbox (and forgets them): the unit of work asks once,
    before it commits, to send them after, instead of leaving them to the sweep."""
    rows: list[OutboxMessage] = session.info.pop(CREATED_OUTBOX, [])
    return rows


def stale_outbox(session: Session, *, before: datetime, limit: int) -> list[int]:
    """Outbox rows written before ``before`` and still not sent (never handed to a sender,
    or interrupted mid-send): the sweep hands them to the send job again. A row told to
    wait (``defer``) is left alone until its time."""
    waited = or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= before)
    return list(
        session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                OutboxMessage.created_at < before,
                waited,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def stale_inbound(session: Session, *, before: datetime, limit: int) -> list[tuple[int, str]]:
    """(id, provider) of events received before ``before`` and still pending: their job died."""
    rows = session.execute(
        select(InboundEvent.id, InboundEvent.provider)
        .where(InboundEvent.status == InboundStatus.PENDING, InboundEvent.received_at < before)
        .order_by(InboundEvent.id)
        .limit(limit)
    )
    return [(event_id, provider) for event_id, provider in rows]


class OutboxHead(NamedTuple):
    """What kind of work an outbox row is and whom it concerns, without loading the row."""

    payload: dict[str, Any]
    venue_id: int
    guest_id: int | None
    channel: MessageChannel
    to_address: str


def outbox_head(session: Session, *, outbox_id: int) -> OutboxHead | None:
    """The row's payload and addressing in one statement (a send job's first read)."""
    row = session.execute(
        select(
            OutboxMessage.payload,
            OutboxMessage.venue_id,
            OutboxMessage.guest_id,
            OutboxMessage.channel,
            OutboxMessage.to_address,
        ).where(OutboxMessage.id == outbox_id)
    ).first()
    return OutboxHead(*row) if row is not None else None


def lock_outbox(session: Session, *, outbox_id: int) -> OutboxMessage | None:
    """The outbox row under a row lock, so two senders of one row serialise."""
    return session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == outbox_id).with_for_update()
    )


def is_final(message: OutboxMessage) -> bool:
    """True once the message was sent, delivered, suppressed or failed for good."""
    return message.status in FINAL_OUTBOX_STATUSES


def begin_send(message: OutboxMessage, *, now: datetime | None = None) -> None:
    """Mark "the provider may get this now" (committed before the provider call)."""
    message.status = OutboxStatus.SENDING
    message.sending_started_at = now or utcnow()
    message.attempts += 1


def mark_sent(
    message: OutboxMessage, *, provider_message_id: str, now: datetime | None = None
) -> None:
    """The provider accepted the message under ``provider_message_id``."""
    for name, value in _sent(provider_message_id, now).items():
        setattr(message, name, value)


def record_sent(
    session: Session, *, outbox_id: int, provider_message_id: str, now: datetime | None = None
) -> None:
    """``mark_sent`` for a row not loaded: one Core UPDATE, which takes the row lock itself.

    Every reply is marked once right after its provider call; loading and locking the row
    first would cost a SELECT and an ORM flush per reply for the same outcome.
    """
    sent = _sent(provider_message_id, now)
    params = {f"sent_{name}": value for name, value in sent.items()}
    session.connection().execute(_sent_update(), {"outbox_id": outbox_id, **params})


@cache
def _sent_update() -> Update:
    """``record_sent``'s statement, built once (it runs once per reply); its parameters are
    ``outbox_id`` and ``sent_{column}`` for each column ``_sent`` sets."""
    columns = OutboxMessage.__table__.c
    names = ("status", "provider_message_id", "sent_at", "last_error")
    values = {name: bindparam(f"sent_{name}", type_=columns[name].type) for name in names}
    return update(OutboxMessage).where(OutboxMessage.id == bindparam("outbox_id")).values(values)


def _sent(provider_message_id: str, now: datetime | None) -> dict[str, Any]:
    """The columns a provider's acceptance sets."""
    return {
        "status": OutboxStatus.SENT,
        "provider_message_id": provider_message_id,
        "sent_at": now or utcnow(),
        "last_error": None,
    }


def mark_handled(message: OutboxMessage, *, now: datetime) -> None:
    """An action row that needed no provider call is done (the messages it wrote are rows of
    their own, sent like any other): final, never handled again."""
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.last_error = None


def mark_send_error(message: OutboxMessage, *, error: str, permanent: bool) -> None:
    """A send failed: back to PENDING for a retry, or FAILED when retrying cannot help."""
    message.status = OutboxStatus.FAILED if permanent else OutboxStatus.PENDING
    message.last_error = error[:2000]


def defer(message: OutboxMessage, *, until: datetime) -> None:
    """Not now: the row waits, unsent, until ``until``, when the sweep hands it on again."""
    message.status = OutboxStatus.PENDING
    message.not_before = until


def suppress(message: OutboxMessage, *, reason: str) -> None:
    """Never send this message (the guest opted out)."""
    message.status = OutboxStatus.SUPPRESSED
    message.last_error = reason


_STATUS_RANK = {OutboxStatus.SENT: 1, OutboxStatus.DELIVERED: 2, OutboxStatus.READ: 3}


def apply_delivery_status(
    session: Session,
    *,
    provider_message_id: str | None,
    status: OutboxStatus,
    error: str | None = None,
    outbox_key: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Record a provider status callback; callbacks may arrive out of order, never regress.

    One prebuilt Core UPDATE, no row loaded: every reply draws two or three callbacks. The
    rank comparison runs in the statement, against the row as the UPDATE locked it. True
    when a row matched.
    """
    if outbox_key is None and provider_message_id is None:
        return False
    fills_id = outbox_key is not None and provider_message_id is not None
    statement = _status_update(status, by_key=outbox_key is not None, fills_id=fills_id)
    params = {"match": outbox_key or provider_message_id, "now": now or utcnow(), "error": error}
    if fills_id:
        params["provider_message_id"] = provider_message_id
    return bool(session.connection().execute(statement, params).rowcount)


@cache
def _status_update(status: OutboxStatus, *, by_key: bool, fills_id: bool) -> Update:
    """``apply_delivery_status``'s statement, built once per variant.

    Building it per call cost twice its execution (the CASE expressions' cache key).
    By key, a callback also fills in the provider's id (and the send time) if still unset.
    """
    column = OutboxMessage.key if by_key else OutboxMessage.provider_message_id
    now = bindparam("now", type_=OutboxMessage.status_updated_at.type)
    values: dict[str, Any] = {"status_updated_at": now, "status": _ranked_status(status)}
    if status == OutboxStatus.FAILED:
        values["last_error"] = bindparam("error")
    if fills_id:
        unset = OutboxMessage.provider_message_id.is_(None)
        values["provider_message_id"] = func.coalesce(
            OutboxMessage.provider_message_id, bindparam("provider_message_id")
        )
        values["sent_at"] = case(
            (unset, func.coalesce(OutboxMessage.sent_at, now)), else_=OutboxMessage.sent_at
        )
    return update(OutboxMessage).where(column == bindparam("match")).values(values)


def _ranked_status(status: OutboxStatus) -> Any:
    """The row's new status: FAILED always; otherwise ``status`` only if it ranks higher."""
    if status == OutboxStatus.FAILED:
        return status
    rank = _STATUS_RANK.get(status, 0)
    lower = [other for other in OutboxStatus if _STATUS_RANK.get(other, 0) < rank]
    return case((OutboxMessage.status.in_(lower), status), else_=OutboxMessage.status)


def set_opt_out(guest: Guest, *, channel: MessageChannel, opted_out: bool) -> None:
    """Record STOP / START for one channel."""
    if channel == MessageChannel.SMS:
        guest.opted_out_sms = opted_out
    else:
        guest.opted_out_whatsapp = opted_out


def is_opted_out(guest: Guest, *, channel: MessageChannel) -> bool:
    """True when nothing may be sent to the guest on ``channel``."""
    return guest.opted_out_sms if channel == MessageChannel.SMS else guest.opted_out_whatsapp


def add_transcript(
    session: Session,
    *,
    venue_id: int,
    channel: MessageChannel,
    guest_phone: str,
    direction: str,
    text: str,
    now: datetime | None = None,
) -> None:
    """Append one line to the conversation transcript ("in" from the guest, "out" to them)."""
    session.add(
        TranscriptEntry(
            venue_id=venue_id,
            channel=channel,
            guest_phone=guest_phone,
            direction=direction,
            text=text,
            at=now or utcnow(),
        )
    )


@dataclass(frozen=True)
class ConversationSummary:
    """One guest's thread at a venue on a channel, as the inbox lists it."""

    venue_id: int
    channel: MessageChannel
    guest_phone: str
    guest_name: str | None
    last_at: datetime
    last_text: str
    last_direction: str
    messages: int


def list_conversations(
    session: Session, *, business_id: int, venue_id: int | None = None, limit: int = 100
) -> list[ConversationSummary]:
    """The business's conversations, most recently active first."""
    group = (
        select(
            func.max(TranscriptEntry.id).label("last_id"),
            func.count(TranscriptEntry.id).label("messages"),
        )
        .join(Venue, TranscriptEntry.venue_id == Venue.id)
        .where(Venue.business_id == business_id)
        .group_by(TranscriptEntry.venue_id, TranscriptEntry.channel, TranscriptEntry.guest_phone)
    )
    if venue_id is not None:
        group = group.where(TranscriptEntry.venue_id == venue_id)
    threads = group.subquery()
    rows = session.execute(
        select(TranscriptEntry, threads.c.messages, Guest.name)
        .join(threads, TranscriptEntry.id == threads.c.last_id)
        .outerjoin(
            Guest,
            (Guest.business_id == business_id) & (Guest.phone == TranscriptEntry.guest_phone),
        )
        .order_by(TranscriptEntry.id.desc())
        .limit(limit)
    )
    return [
        ConversationSummary(
            entry.venue_id,
            entry.channel,
            entry.guest_phone,
            name,
            entry.at,
            entry.text,
            entry.direction,
            messages,
        )
        for entry, messages, name in rows
    ]


def conversation_transcript(
    session: Session,
    *,
    venue_id: int,
    channel: MessageChannel,
    guest_phone: str,
    limit: int = 500,
) -> list[TranscriptEntry]:
    """The last ``limit`` lines of one conversation, oldest first."""
    query = (
        select(TranscriptEntry)
        .where(
            TranscriptEntry.venue_id == venue_id,
            TranscriptEntry.channel == channel,
            TranscriptEntry.guest_phone == guest_phone,
        )
        .order_by(TranscriptEntry.id.desc())
        .limit(limit)
    )
    return list(reversed(session.scalars(query).all()))


def last_provider(
    session: Session, *, venue_id: int, channel: MessageChannel, guest_phone: str
) -> str | None:
    """Which provider the guest last wrote through (WhatsApp may come via Twilio)."""
    return session.scalar(
        select(InboundEvent.provider)
        .where(
            InboundEvent.venue_id == venue_id,
            InboundEvent.channel == channel,
            InboundEvent.guest_phone == guest_phone,
        )
        .order_by(InboundEvent.id.desc())
        .limit(1)
    )


def find_outbox(session: Session, *, key: str) -> OutboxMessage | None:
    """The outbox row written under ``key`` before, if any (a retried request finds it)."""
    return session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
