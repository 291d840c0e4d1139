"""What every channel webhook does after verification: store once, then enqueue (messages),
or apply to the outbox (delivery statuses).

The provider id goes in under a unique constraint before anything is enqueued, so a delivery
repeated by the provider (or raced by two API processes) is enqueued exactly once; the
request is answered only after its rows are committed and its jobs queued (the maintenance
sweep re-enqueues a committed event whose enqueue was lost). Concurrent requests share one
INSERT and one Redis round trip (``application.group_commit``): that is what lets one API process
acknowledge over a thousand deliveries a second.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary, ref

from sqlalchemy.exc import DataError, StatementError
from sqlalchemy.orm import Session

from application.group_commit import GroupCommit
from application.sessions import autocommit
from application.storable import storable, storable_fields
from application.unit_of_work import unit_of_work
from application.venues import VenueDirectory
from bot.choices import conversation_key
from engine.exceptions import ValidationError
from engine.guests.service import normalize_phone
from engine.messaging.enums import MessageChannel, OutboxStatus
from engine.messaging.service import apply_delivery_status, record_inbound, record_inbounds
from engine.payments.enums import PAYMENT_PROVIDER
from engine.payments.notices import PaymentNotice
from infra.jobs import QueuedEvent, enqueue_inbound_batch, enqueue_payment_event
from infra.log_context import conversation_id
from infra.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderMessage:
    """A guest message as a provider delivered it, before routing."""

    provider: str
    provider_id: str
    channel: MessageChannel
    to_address: str
    from_address: str
    kind: str
    text: str = ""
    choice_id: str | None = None
    profile_name: str | None = None
    raw: dict[str, str] = field(default_factory=dict)


#: One request's messages (a WhatsApp POST may carry several).
Delivery = list[ProviderMessage]


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery status a provider reported for one of our messages."""

    provider: str
    provider_message_id: str | None
    status: OutboxStatus
    error: str | None = None
    outbox_key: str | None = None

    @property
    def row(self) -> tuple[str, str]:
        """What names the outbox row: the order batches update rows in."""
        return (self.outbox_key or "", self.provider_message_id or "")


async def ingest(runtime: Runtime, messages: Delivery) -> int:
    """Store and enqueue each new message; returns how many were new."""
    return await _ingestor(runtime).commits.submit(messages)


async def record_statuses(runtime: Runtime, updates: list[StatusUpdate]) -> int:
    """Record one request's status callbacks; returns how many matched an outbox row."""
    return await _ingestor(runtime).statuses.submit(updates)


class Ingestor:
    """One runtime's ingest path: the venue directory and the group-commit flushers (messages,
    and delivery statuses).

    It holds its runtime weakly: it lives in a map keyed by that runtime, which a strong
    reference would keep alive for ever (tests build and close many).
    """

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = ref(runtime)
        self.venues = VenueDirectory()
        self.commits: GroupCommit[Delivery, int] = GroupCommit(self.flush, name="webhook-ingest")
        self.statuses: GroupCommit[list[StatusUpdate], int] = GroupCommit(
            self.flush_statuses, name="webhook-status"
        )

    @property
    def runtime(self) -> Runtime:
        """The runtime this ingest path writes through (alive while requests use it)."""
        runtime = self._runtime()
        if runtime is None:
            raise RuntimeError("webhook ingest used after its runtime was released")
        return runtime

    def flush(self, deliveries: list[Delivery]) -> list[int | Exception]:
        """Store a batch in one transaction, then enqueue its new events in one round trip.

        If enqueueing fails, the rows are committed all the same and the maintenance sweep
        enqueues them (after 30 s), so the provider is answered 200: its retry would only be
        a duplicate. Nothing committed is lost.
        """
        stored = self._store_batch(deliveries)
        try:
            self._enqueue([e for new in stored if not isinstance(new, Exception) for e in new])
        except Exception:
            log.exception("enqueueing stored webhook events failed; the sweep will enqueue them")
        return [ids if isinstance(ids, Exception) else len(ids) for ids in stored]

    def _store_batch(self, deliveries: list[Delivery]) -> list[list[QueuedEvent] | Exception]:
        """Each delivery's new events, or the exception its request should see.

        If the batch cannot be stored, every remembered venue is forgotten (one deleted since
        is a likely cause) and each delivery is tried on its own, so one bad delivery fails
        its own request only.
        """
        try:
            return list(self._store(deliveries))
        except Exception:
            log.warning("storing %d webhook deliveries failed; each alone", len(deliveries))
            self.venues.forget()
            return [self._store_alone(delivery) for delivery in deliveries]

    def _store_alone(self, delivery: Delivery) -> list[QueuedEvent] | Exception:
        """One delivery's new events; a message that cannot be stored is dropped, not failed.

        A message the database refuses (a value too long for its column, say) would fail its
        request at every retry, and the good messages delivered with it every time: so the
        messages of a failing delivery are tried one by one, and one refused on its own is
        logged and dropped. Any other failure (the database down) fails the request, and the
        provider's retry delivers it again.
        """
        try:
            return self._store([delivery])[0]
        except Exception as exc:
            if not refused(exc):
                return exc
            if len(delivery) > 1:
                return _joined([self._store_alone([message]) for message in delivery])
            message = delivery[0]
            log.warning(
                "%s message %r cannot be stored and is dropped: %s",
                message.provider,
                message.provider_id,
                exc,
            )
            return []

    def flush_statuses(self, requests: list[list[StatusUpdate]]) -> list[int | Exception]:
        """Apply a batch of status callbacks in one transaction: per request, rows matched.

        Callbacks come two or three per reply, so a transaction (and a thread hop) each
        cost the API more than the guest's own webhook. Rows are updated in the order of
        what names them, each row's callbacks in arrival order, so concurrent batches of
        several API processes lock shared rows in one order and cannot deadlock. If the
        transaction fails, every request in it fails and its provider retries.
        """
        updates = sorted((u for request in requests for u in request), key=lambda u: u.row)
        with unit_of_work(self.runtime) as uow:
            matched = {id(u): self._apply(uow.session, u) for u in updates}
        return [sum(matched[id(u)] for u in request) for request in requests]

    @staticmethod
    def _apply(session: Session, update: StatusUpdate) -> bool:
        found = apply_delivery_status(
            session,
            provider_message_id=update.provider_message_id,
            status=update.status,
            error=update.error,
            outbox_key=update.outbox_key,
        )
        if not found:
            name = update.outbox_key or update.provider_message_id
            log.info("status for unknown %s message %s ignored", update.provider, name)
        return found

    def _store(self, deliveries: list[Delivery]) -> list[list[QueuedEvent]]:
        """The new events of each delivery, from one INSERT for the whole batch.

        The INSERT is the only write, and one statement is its own transaction: run in
        autocommit it is durable when it returns, without the two round trips of BEGIN and
        COMMIT (a third of a small batch's time).
        """
        with autocommit(self.runtime) as session:
            rows = [[self._row(session, m) for m in delivery] for delivery in deliveries]
            ids = iter(record_inbounds(session, [row for per in rows for row in per if row]))
        return [_new_events(per_delivery, ids) for per_delivery in rows]

    def _enqueue(self, events: list[QueuedEvent]) -> None:
        if events:
            enqueue_inbound_batch(self.runtime, events)

    def _row(self, session: Session, message: ProviderMessage) -> dict[str, Any] | None:
        """The event row for ``message``; None (logged) for unusable senders, unknown numbers."""
        try:
            guest_phone = normalize_phone(message.from_address)
        except ValidationError:
            log.warning(
                "ignoring %s message %s from unusable sender %r",
                message.provider,
                message.provider_id,
                message.from_address,
            )
            return None
        venue_id = self.venues.venue_id(
            session, whatsapp=message.provider == "whatsapp", address=message.to_address
        )
        if venue_id is None:
            log.warning(
                "%s message %s for unknown number %s acknowledged and dropped",
                message.provider,
                message.provider_id,
                message.to_address,
            )
            return None
        key = conversation_key(venue_id, message.channel, guest_phone)
        log.info(  # a flusher thread's batch: the id goes on the line, not in a bound context
            "%s message %s from a guest received",
            message.provider,
            message.provider_id,
            extra={"conversation_id": conversation_id(key)},
        )
        return {
            "provider": message.provider,
            "provider_id": message.provider_id,
            "venue_id": venue_id,
            "channel": message.channel,
            "guest_phone": guest_phone,
            "kind": message.kind,
            "text": storable(message.text[:5000]),
            "choice_id": message.choice_id,
            "profile_name": storable(message.profile_name[:120]) if message.profile_name else None,
            "payload": storable_fields(message.raw),
        }


def ingest_payment_event(
    runtime: Runtime, *, event_id: str, notice: PaymentNotice, document: Any
) -> None:
    """Store a verified payment webhook once (the event whole, for the record), then queue it;
    a repeat of a stored event is acknowledged and does nothing."""
    with autocommit(runtime) as session:  # one INSERT: durable when it returns
        new_id = record_inbound(
            session,
            provider=PAYMENT_PROVIDER,
            provider_id=event_id,
            kind="payment",
            text=notice.kind.value,
            payload={"notice": notice.to_json(), "event": document},
        )
    if new_id is None:
        log.info("duplicate razorpay event %s ignored", event_id)
        return
    enqueue_payment_event(runtime, new_id)


def _joined(
    outcomes: list[list[QueuedEvent] | Exception],
) -> list[QueuedEvent] | Exception:
    """The messages' events together, or the first failure among them."""
    events: list[QueuedEvent] = []
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            return outcome
        events.extend(outcome)
    return events


def refused(error: Exception) -> bool:
    """True when the database refused a value (not when it could not be reached)."""
    cause = error.orig if isinstance(error, StatementError) else error
    return isinstance(error, DataError) or isinstance(cause, UnicodeError)


def _new_events(rows: list[dict[str, Any] | None], ids: Iterator[int | None]) -> list[QueuedEvent]:
    """One delivery's new events (with their conversations), their ids taken in order from
    ``ids`` (skipped rows took none)."""
    new: list[QueuedEvent] = []
    for row in rows:
        if row is None:
            continue
        event_id = next(ids)
        if event_id is None:
            log.info("duplicate %s delivery %s ignored", row["provider"], row["provider_id"])
        else:
            new.append((event_id, row["venue_id"], row["channel"].value, row["guest_phone"]))
    return new


_ingestors: WeakKeyDictionary[Runtime, Ingestor] = WeakKeyDictionary()


def _ingestor(runtime: Runtime) -> Ingestor:
    """The runtime's Ingestor, created on its first webhook (tests build many runtimes)."""
    ingestor = _ingestors.get(runtime)
    if ingestor is None:
        ingestor = _ingestors.setdefault(runtime, Ingestor(runtime))
    return ingestor
