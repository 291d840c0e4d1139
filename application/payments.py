"""Payment use cases: provider calls from the outbox, provider events, link upkeep.

- ``run_action``: the payment link, link cancellation or refund an outbox row asks for, made
  exactly once. The row is marked SENDING (committed) before the provider is called; an
  interrupted call is reconciled on the next attempt (a link by its unique reference, a
  refund by its receipt), never repeated blindly. The send job hands such rows here.
- ``handle_payment_event``: apply one verified Razorpay webhook, tell the guest.
- ``retire_links``: from the maintenance sweep, cancel links whose hold is gone.
- ``return_stranded_money``: from the sweep too, refund flagged money whose booking is gone
  (it confirmed nothing, so nothing may keep it).

Every unit of work that may tell the guest something runs under the guest's conversation
lock (``application.conversations``); the provider call itself runs outside it. The messages
they write for a guest (the payment link, payment news) are sent by this process right after
the commit (``Delivery.NOW``): the link is the reply to the guest's last turn, and a second
job would only add a queue hop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from application.conversations import conversation_locked
from application.notices import booking_conversation
from application.payment_actions import (
    ACTIONS,
    Action,
    Attempt,
    Context,
    notify,
    tell_outcome,
)
from application.sending import in_flight
from application.sessions import autocommit
from application.unit_of_work import Delivery, UnitOfWork, unit_of_work
from bot.flows.payment_notices import hold_expired
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.db import utcnow
from engine.exceptions import BooklineError
from engine.messaging.enums import InboundStatus, OutboxStatus
from engine.messaging.models import InboundEvent
from engine.messaging.service import (
    begin_send,
    finish_inbound,
    is_final,
    lock_outbox,
    mark_send_error,
    mark_sent,
    record_inbound_failure,
    suppress,
)
from engine.payments.notices import PaymentNotice
from engine.payments.service import lapsed_links, retire_link
from engine.payments.settlement import (
    OutcomeKind,
    apply_notice,
    notice_booking_id,
    return_stranded,
    stranded_payments,
)
from infra.runtime import Runtime
from infra.senders.base import PermanentSendError, TransientSendError

log = logging.getLogger(__name__)

MAX_EVENT_ATTEMPTS = 5


def _telling(runtime: Runtime) -> UnitOfWork:
    """A unit of work whose messages to the guest go out as soon as it commits."""
    return unit_of_work(runtime, delivery=Delivery.NOW)


def _context(runtime: Runtime, uow: UnitOfWork) -> Context:
    return Context(uow.session, runtime.redis, utcnow(), uow.keep)


def _event_conversation(runtime: Runtime, event_id: int) -> str | None:
    """The conversation of the guest whose booking a pending payment event is about."""
    with autocommit(runtime) as session:
        event = session.get(InboundEvent, event_id)
        if event is None or event.status != InboundStatus.PENDING:
            return None
        notice = PaymentNotice.from_json(event.payload["notice"])
        booking_id = notice_booking_id(session, notice)
        booking = session.get(Booking, booking_id) if booking_id is not None else None
        return booking_conversation(booking) if booking is not None else None


def run_action(runtime: Runtime, outbox_id: int, *, conversation: str | None) -> None:
    """Make the provider call of one outbox row, unless it was made or is being made.

    ``conversation`` is that of the guest the row concerns (``head_conversation``), read by
    the send job with the row's kind, before any lock.
    """
    with conversation_locked(runtime.redis, conversation):
        claimed = _claim(runtime, outbox_id)
    if claimed is None:
        return
    attempt, action, request = claimed
    try:
        result = action.call(runtime.gateway, attempt, request)
    except TransientSendError as exc:
        with conversation_locked(runtime.redis, conversation):
            _settle(runtime, attempt, action, error=str(exc), permanent=False)
        raise
    except PermanentSendError as exc:
        log.error("payment action %s failed for good: %s", attempt.key, exc)
        with conversation_locked(runtime.redis, conversation):
            _settle(runtime, attempt, action, error=str(exc), permanent=True)
        return
    with conversation_locked(runtime.redis, conversation), _telling(runtime) as uow:
        row = lock_outbox(uow.session, outbox_id=outbox_id)
        assert row is not None
        mark_sent(row, provider_message_id=action.done(_context(runtime, uow), attempt, result))


def _claim(runtime: Runtime, outbox_id: int) -> tuple[Attempt, Action, object] | None:
    """Under the row lock: decide whether the call is due and what it is; mark SENDING."""
    with _telling(runtime) as uow:
        row = lock_outbox(uow.session, outbox_id=outbox_id)
        ctx = _context(runtime, uow)
        if row is None or is_final(row) or in_flight(row, ctx.now):
            return None  # made, or another worker is probably mid-call (the sweep looks again)
        attempt = Attempt(row.id, row.key, dict(row.payload), row.status == OutboxStatus.SENDING)
        action = ACTIONS[row.payload["action"]]
        try:
            request = action.prepare(ctx, attempt)
        except BooklineError as exc:
            suppress(row, reason=exc.message)
            action.skipped(ctx, attempt, exc)
            return None
        begin_send(row, now=ctx.now)
    return attempt, action, request


def _settle(
    runtime: Runtime, attempt: Attempt, action: Action, *, error: str, permanent: bool
) -> None:
    """Record a failed call: back to PENDING for a retry, or FAILED; tell whom it concerns."""
    with _telling(runtime) as uow:
        row = lock_outbox(uow.session, outbox_id=attempt.outbox_id)
        assert row is not None
        mark_send_error(row, error=error, permanent=permanent)
        ctx = _context(runtime, uow)
        if permanent:
            action.failed(ctx, attempt, error)
        else:
            action.delayed(ctx, attempt)


def handle_payment_event(runtime: Runtime, event_id: int) -> None:
    """Apply one stored Razorpay webhook; repeats and reordered events change nothing more."""
    try:
        with conversation_locked(runtime.redis, _event_conversation(runtime, event_id)):
            _apply_event(runtime, event_id)
    except Exception as exc:
        _record_failure(runtime, event_id, exc)
        raise


def _apply_event(runtime: Runtime, event_id: int) -> None:
    with _telling(runtime) as uow:
        event = uow.session.get(InboundEvent, event_id, with_for_update=True)
        if event is None or event.status != InboundStatus.PENDING:
            return
        ctx = _context(runtime, uow)
        notice = PaymentNotice.from_json(event.payload["notice"])
        outcome = apply_notice(uow.session, notice=notice, now=ctx.now)
        if outcome.kind == OutcomeKind.UNKNOWN:
            log.warning("razorpay event %s ignored: %s", event.provider_id, outcome.detail)
            finish_inbound(event, status=InboundStatus.IGNORED, error=outcome.detail)
            return
        tell_outcome(ctx, outcome)
        finish_inbound(event, status=InboundStatus.PROCESSED)
        log.info("razorpay event %s applied: %s", event.provider_id, outcome.kind.value)


def _record_failure(runtime: Runtime, event_id: int, exc: Exception) -> None:
    """Count a failed attempt; after MAX_EVENT_ATTEMPTS the event is failed, loudly."""
    log.exception("razorpay event %s failed", event_id)
    with unit_of_work(runtime) as uow:
        failed = record_inbound_failure(
            uow.session, event_id=event_id, error=exc, max_attempts=MAX_EVENT_ATTEMPTS
        )
    if failed is not None:
        log.error("razorpay event %s given up after %s attempts", event_id, failed.attempts)


def retire_links(runtime: Runtime) -> int:
    """Cancel links whose hold is gone, and tell guests whose hold expired unpaid.

    The sweep sends nothing itself: it may tell many guests at once, and provider calls would
    hold it up; the send jobs deliver.
    """
    with autocommit(runtime) as session:
        lapsed = [(link.id, booking_conversation(link.booking)) for link in lapsed_links(session)]
    return _each_under_lock(runtime, lapsed, _retire_one)


def _retire_one(ctx: Context, link_id: int) -> bool:
    link = retire_link(ctx.session, link_id=link_id, now=ctx.now)
    if link is None:
        return False
    booking = link.booking
    if booking.status == BookingStatus.EXPIRED:
        notify(ctx, booking, f"expired:{booking.id}", partial(hold_expired, booking=booking))
    return True


def return_stranded_money(runtime: Runtime) -> int:
    """Refund flagged payments whose booking is gone, and tell each guest (see
    ``engine.payments.settlement.return_stranded``); returns how many went back.

    Run by the sweep after holds are expired, so money on a hold that lapsed goes back within
    one sweep.
    """
    with autocommit(runtime) as session:
        found = [(p.id, booking_conversation(p.booking)) for p in stranded_payments(session)]
    return _each_under_lock(runtime, found, _return_one)


def _return_one(ctx: Context, payment_id: int) -> bool:
    outcome = return_stranded(ctx.session, payment_id=payment_id, now=ctx.now)
    if outcome is not None:
        tell_outcome(ctx, outcome)
    return outcome is not None


def _each_under_lock(
    runtime: Runtime, found: list[tuple[int, str]], act: Callable[[Context, int], bool]
) -> int:
    """Run ``act`` on each (id, conversation) found by a sweep, one transaction each, under the
    guest's conversation lock (the news moves the conversation on); how many it acted on."""
    done = 0
    for item_id, conversation in found:
        with (
            conversation_locked(runtime.redis, conversation),
            unit_of_work(runtime, delivery=Delivery.FOLLOWUP) as uow,
        ):
            done += act(_context(runtime, uow), item_id)
    return done
