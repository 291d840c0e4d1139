"""Live events: every booking change and payment outcome, whoever made it, reaches the dashboards.

Rather than asking each use case (chat, payments, owner actions, sweeps) to remember what to
publish, the session factory notes what each flush writes, and the unit of work publishes it
on Redis pub/sub once the transaction has committed (``publish_committed``):

- a new audit entry (``BookingEvent``) → ``booking.created`` / ``booking.changed``, or, for
  attendance news, ``booking.arrived`` / ``booking.not_arrived``;
- a new failed ``Payment`` → ``payment.failed``;
- a ``Refund`` the provider settled as processed → ``payment.refunded``;
- a new ``PaymentFlag`` (wrong amount, duplicate payment, failed refund…) → ``payment.flagged``;
- a guest's score or comment of a visit (``Feedback``) → ``booking.feedback``;
- a login ended, or an account's role, business or access changed → ``login.changed`` (not
  relayed to dashboards: it tells open streams of that user to check their login again).

Audit entries that a statement stored (no flush saw them) are noted by the engine under
``STORED_ENTRIES`` and told the same way, in the order they were stored among the flushes.

Payloads are built at flush time, while the rows' relationships can still be loaded. Rows
flushed inside a savepoint that was rolled back are no longer persistent (new rows) or were
expired (changed rows) by commit time, and are dropped: only what committed is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import fakeredis
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from sqlalchemy import event, inspect
from sqlalchemy.orm import InstanceState, Session, UOWTransaction, sessionmaker

from bot.events import LOGIN_CHANGED, publish
from bot.format import format_money
from engine.accounts.models import LoginSession, User
from engine.bookings.attendance import ARRIVAL_UNDONE, ARRIVED, NOT_ARRIVED
from engine.bookings.models import Booking, BookingEvent
from engine.bookings.transitions import STORED_ENTRIES
from engine.feedback.models import Feedback
from engine.payments.enums import PaymentStatus, RefundStatus
from engine.payments.models import Payment, PaymentFlag, Refund

PENDING_KEY = "infra.live.pending"
#: Audit entries of attendance that change no status: their event type and how they read.
ATTENDANCE_NEWS = {
    ARRIVED: ("booking.arrived", "{reference}: the guest has arrived"),
    ARRIVAL_UNDONE: ("booking.changed", "{reference}: arrival undone"),
    NOT_ARRIVED: ("booking.not_arrived", "{reference}: the guest has not arrived"),
}


@dataclass(frozen=True)
class Pending:
    """An event waiting for its transaction to commit; ``status`` must still hold by then."""

    row: Any
    kind: str
    payload: dict[str, Any]
    status: str | None = None

    def still_true(self) -> bool:
        """The row committed as it was when the event was built."""
        state = inspect(self.row)
        if not state.persistent:
            return False
        return self.status is None or (
            "status" not in state.unloaded and self.row.status == self.status
        )


def _words(status: str) -> str:
    return status.replace("_", " ")


def _booking_event(entry: BookingEvent) -> Pending:
    booking = entry.booking
    created = entry.from_status is None
    kind = "booking.created" if created else "booking.changed"
    if created:
        summary = f"New booking {booking.reference} ({_words(entry.to_status)})"
    elif entry.from_status == entry.to_status and entry.reason:
        summary = f"{booking.reference}: {entry.reason}"  # "BK-…: guest confirmed"
    else:
        summary = f"{booking.reference} is now {_words(entry.to_status)}"
    if entry.reason in ATTENDANCE_NEWS:
        kind, wording = ATTENDANCE_NEWS[entry.reason]
        summary = wording.format(reference=booking.reference)
    payload = {
        "booking_id": booking.id,
        "reference": booking.reference,
        "venue_id": booking.venue_id,
        "status": entry.to_status,
        "from_status": entry.from_status,
        "actor": entry.actor,
        "summary": summary,
    }
    return Pending(entry, kind, payload)


def _money_event(session: Session, row: Payment | Refund, what: str) -> dict[str, Any]:
    """Common fields; the booking is fetched by id (a row just flushed has no loaded relations)."""
    booking = session.get_one(Booking, row.booking_id)
    money = format_money(row.amount, row.currency)
    return {
        "booking_id": booking.id,
        "reference": booking.reference,
        "venue_id": row.venue_id,
        "amount": row.amount,
        "currency": row.currency,
        "summary": f"{what} of {money} for {booking.reference}",
    }


def _failed_payment(session: Session, payment: Payment) -> Pending:
    payload = _money_event(session, payment, "Payment")
    payload["summary"] += " failed"
    return Pending(payment, "payment.failed", {**payload, "payment_id": payment.id})


def _processed_refund(session: Session, refund: Refund) -> Pending:
    payload = _money_event(session, refund, "Refund")
    payload["summary"] += " processed"
    extra = {"refund_id": refund.id, "payment_id": refund.payment_id}
    return Pending(refund, "payment.refunded", {**payload, **extra}, RefundStatus.PROCESSED)


def _flag(session: Session, flag: PaymentFlag) -> Pending:
    booking = session.get(Booking, flag.booking_id) if flag.booking_id else None
    reference = booking.reference if booking else None
    about = f" on {reference}" if reference else ""
    payload = {
        "flag_id": flag.id,
        "kind": flag.kind.value,
        "booking_id": flag.booking_id,
        "reference": reference,
        "venue_id": flag.venue_id,
        "summary": f"Payment needs a look{about}: {_words(flag.kind.value)}",
    }
    return Pending(flag, "payment.flagged", payload)


def _feedback(session: Session, feedback: Feedback) -> Pending | None:
    """The guest's score of a visit, or their comment, as it came in."""
    state: InstanceState[Feedback] = inspect(feedback)
    rated, commented = state.attrs.score.history.added, state.attrs.comment.history.added
    if not (rated or commented):
        return None
    booking = session.get_one(Booking, feedback.booking_id)
    reference = booking.reference
    said = f"rated {reference} {feedback.score}/5" if rated else f"commented on {reference}"
    if commented:
        said += f": {feedback.comment[:80]}"
    payload = {
        "booking_id": booking.id,
        "reference": booking.reference,
        "venue_id": feedback.venue_id,
        "score": feedback.score,
        "comment": feedback.comment,
        "summary": f"{booking.guest.name or booking.guest.phone} {said}",
    }
    return Pending(feedback, "booking.feedback", payload)


def _settled_now(refund: Refund) -> bool:
    """The flush moved the refund to PROCESSED (a repeat of the webhook changes nothing)."""
    return RefundStatus.PROCESSED in inspect(refund).attrs.status.history.added


def _login_changed(row: User | LoginSession) -> Pending | None:
    """A logout, or a change to what an account may do (a new row changes no open stream)."""
    names = ("ended_at",) if isinstance(row, LoginSession) else ("role", "business_id", "active")
    state: InstanceState[User | LoginSession] = inspect(row)
    if not any(state.attrs[name].history.added for name in names):
        return None
    user_id = row.user_id if isinstance(row, LoginSession) else row.id
    return Pending(row, LOGIN_CHANGED, {"user_id": user_id})


def _events_of(session: Session, row: Any) -> Pending | None:
    """The live event a flushed row stands for, if any."""
    is_new = row in session.new
    if isinstance(row, BookingEvent) and is_new:
        return _booking_event(row)
    if isinstance(row, Payment) and is_new and row.status == PaymentStatus.FAILED:
        return _failed_payment(session, row)
    if isinstance(row, Refund) and _settled_now(row):
        return _processed_refund(session, row)
    if isinstance(row, PaymentFlag) and is_new:
        return _flag(session, row)
    if isinstance(row, Feedback):
        return _feedback(session, row)
    if isinstance(row, User | LoginSession) and not is_new:
        return _login_changed(row)
    return None


def _remember(session: Session, _context: UOWTransaction) -> None:
    """After a flush (``new``/``dirty`` and attribute history still show it), build the events.

    Entries a statement stored before this flush go first, so events keep the order of what
    happened (a hold stored by one statement, then its confirmation flushed).
    """
    pending: list[Pending] = session.info.setdefault(PENDING_KEY, [])
    pending.extend(_booking_event(entry) for entry in session.info.pop(STORED_ENTRIES, []))
    for row in [*session.new, *session.dirty]:
        found = _events_of(session, row)
        if found is not None:
            pending.append(found)


def watch(sessions: sessionmaker[Session]) -> None:
    """Note the live events of flushes made through ``sessions`` (``publish_committed``
    publishes them); a rolled-back transaction forgets its own."""

    def rolled_back(session: Session) -> None:
        if session.get_nested_transaction() is None:
            session.info.pop(PENDING_KEY, None)
            session.info.pop(STORED_ENTRIES, None)

    event.listen(sessions, "after_flush", _remember)
    event.listen(sessions, "after_rollback", rolled_back)


def publish_committed(session: Session, redis: Redis) -> None:
    """Publish what ``session``'s committed transaction changed (the unit of work calls this
    right after its commit, while the rows are still attached to the session)."""
    stored = [_booking_event(entry) for entry in session.info.pop(STORED_ENTRIES, [])]
    for item in [*session.info.pop(PENDING_KEY, []), *stored]:
        if item.still_true():
            publish(redis, item.kind, item.payload)


def async_twin(redis: Redis, redis_url: str | None) -> AsyncRedis:
    """An asyncio client on the same Redis as ``redis``, for streams that must not hold a thread.

    On the embedded default that is the same in-process stand-in server, so pub/sub between
    the two clients works as it does on a real Redis.
    """
    if redis_url:
        return AsyncRedis.from_url(redis_url, socket_connect_timeout=2)
    server = redis.connection_pool.connection_kwargs["server"]
    return fakeredis.FakeAsyncRedis(server=server)
