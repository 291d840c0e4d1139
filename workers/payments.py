"""Payment jobs: provider calls from the outbox, provider events from webhooks, link upkeep.

- ``run_action(outbox_id)``: the payment link, link cancellation or refund an outbox row asks
  for, made exactly once. The row is marked SENDING (committed) before the provider is called;
  an interrupted call is reconciled on the next attempt (a link by its unique reference, a
  refund by its receipt), never repeated blindly. ``send_outbound`` hands such rows here.
- ``handle_payment_event(event_id)``: apply one verified Razorpay webhook, tell the guest.
- ``retire_links(runtime)``: from the maintenance sweep, cancel links whose hold is gone.
- ``return_stranded_money(runtime)``: from the sweep too, refund flagged money whose booking
  is gone (it confirmed nothing, so nothing may keep it).

Every transaction that may tell the guest something runs under the guest's conversation lock,
taken before it begins (``bot.conversation``): the news moves the conversation on, and a guest
turn in flight would otherwise overwrite that. The provider call itself runs outside the lock.

The messages these jobs write for a guest (the payment link, payment news) are sent by the job
itself right after it commits, as the inbound job sends replies (``workers.outbound.send_now``):
the link is the reply to the guest's last turn, and a second job would only add a queue hop.
The link action itself is queued on "followup", which workers serve before new messages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache, partial

from sqlalchemy.orm import Session

from bot.choices import conversation_key
from bot.conversation import conversation_lock, holding
from bot.flows.payment_notices import hold_expired
from bot.notify import booking_conversation
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking
from engine.db import utcnow
from engine.exceptions import BooklineError
from engine.guests.models import Guest
from engine.messaging.enums import InboundStatus, OutboxStatus
from engine.messaging.models import InboundEvent, OutboxMessage
from engine.messaging.service import (
    begin_send,
    created_outbox,
    finish_inbound,
    is_final,
    lock_outbox,
    mark_send_error,
    mark_sent,
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
from engine.tenants.models import Venue
from infra.log_context import bound, conversation_id
from infra.runtime import Runtime, current
from infra.senders.base import PermanentSendError, TransientSendError
from infra.senders.razorpay import RazorpayGateway
from workers.outbound import Outgoing, claim_written, is_action, send_now
from workers.payment_actions import ACTIONS, Action, Attempt, Context, notify, tell_outcome

log = logging.getLogger(__name__)

IN_FLIGHT_GRACE = timedelta(seconds=60)
MAX_EVENT_ATTEMPTS = 5


@cache
def gateway(runtime: Runtime) -> RazorpayGateway:
    """One Razorpay client per runtime, built from its settings.

    With Razorpay in DISABLED_PROVIDERS the call fails for good (PermanentSendError), so the
    row is marked failed and whom it concerns is told, as for any refused call.
    """
    if not runtime.settings.enabled("razorpay"):
        raise PermanentSendError("razorpay is disabled by DISABLED_PROVIDERS: not called.")
    return RazorpayGateway(runtime.settings.razorpay())


@contextmanager
def unit_of_work(runtime: Runtime, *, send_inline: bool = True) -> Iterator[Session]:
    """One transaction; the outbox rows it created go out once it commits.

    With ``send_inline`` the guest's messages are marked SENDING in the transaction and sent
    by this job after the commit (``send_now``: a failed send goes back to the send job, a
    crash mid-send is reconciled by the sweep); actions it queued (a refund, a link
    cancellation), and everything without ``send_inline``, go to the send job.
    """
    with runtime.sessions() as session:
        yield session
        if send_inline:
            outgoing = _claim_messages(runtime, session)
        else:
            outgoing = Outgoing([], [row.id for row in created_outbox(session)])
        session.commit()
    send_now(runtime, outgoing)


def _claim_messages(runtime: Runtime, session: Session) -> Outgoing:
    """Claim the messages to the guest of the first one (a payment job tells one guest).

    Venue and guest are already in the session (``notify`` loaded them), so this reads nothing.
    """
    rows = created_outbox(session)
    first = next((row for row in rows if not is_action(row.payload) and row.guest_id), None)
    if first is None:
        return Outgoing([], [row.id for row in rows])
    venue, guest = session.get(Venue, first.venue_id), session.get(Guest, first.guest_id)
    assert venue is not None and guest is not None
    return claim_written(runtime, session, rows, venue=venue, guest=guest)


def _context(runtime: Runtime, session: Session) -> Context:
    return Context(session, runtime.redis, utcnow())


@contextmanager
def conversation_locked(runtime: Runtime, key: str | None) -> Iterator[None]:
    """Hold the lock of the guest conversation ``key`` (nothing to hold when None)."""
    if key is None:
        yield
        return
    lock = conversation_lock(runtime.redis, key)
    with bound(conversation_id=conversation_id(key)), holding(lock):
        yield


def _row_conversation(runtime: Runtime, outbox_id: int) -> str | None:
    """The conversation of the guest an outbox row concerns (action rows name the guest)."""
    with Session(runtime.autocommit) as session:
        row = session.get(OutboxMessage, outbox_id)
        if row is None or row.guest_id is None:
            return None
        return conversation_key(row.venue_id, row.channel, row.to_address)


def _event_conversation(runtime: Runtime, event_id: int) -> str | None:
    """The conversation of the guest whose booking a pending payment event is about."""
    with Session(runtime.autocommit) as session:
        event = session.get(InboundEvent, event_id)
        if event is None or event.status != InboundStatus.PENDING:
            return None
        notice = PaymentNotice.from_json(event.payload["notice"])
        booking_id = notice_booking_id(session, notice)
        booking = session.get(Booking, booking_id) if booking_id is not None else None
        return booking_conversation(booking) if booking is not None else None


def run_action(outbox_id: int) -> None:
    """Make the provider call of one outbox row, unless it was made or is being made."""
    runtime = current()
    conversation = _row_conversation(runtime, outbox_id)
    with conversation_locked(runtime, conversation):
        claimed = _claim(runtime, outbox_id)
    if claimed is None:
        return
    attempt, action, request = claimed
    try:
        result = action.call(gateway(runtime), attempt, request)
    except TransientSendError as exc:
        with conversation_locked(runtime, conversation):
            _settle(runtime, attempt, action, error=str(exc), permanent=False)
        raise
    except PermanentSendError as exc:
        log.error("payment action %s failed for good: %s", attempt.key, exc)
        with conversation_locked(runtime, conversation):
            _settle(runtime, attempt, action, error=str(exc), permanent=True)
        return
    with conversation_locked(runtime, conversation), unit_of_work(runtime) as session:
        row = lock_outbox(session, outbox_id=outbox_id)
        assert row is not None
        mark_sent(row, provider_message_id=action.done(_context(runtime, session), attempt, result))


def _claim(runtime: Runtime, outbox_id: int) -> tuple[Attempt, Action, object] | None:
    """Under the row lock: decide whether the call is due and what it is; mark SENDING."""
    with unit_of_work(runtime) as session:
        row = lock_outbox(session, outbox_id=outbox_id)
        ctx = _context(runtime, session)
        if row is None or is_final(row):
            return None
        started = row.sending_started_at or ctx.now
        if row.status == OutboxStatus.SENDING and ctx.now - started < IN_FLIGHT_GRACE:
            return None  # another worker is probably mid-call; the sweep looks again later
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
    with unit_of_work(runtime) as session:
        row = lock_outbox(session, outbox_id=attempt.outbox_id)
        assert row is not None
        mark_send_error(row, error=error, permanent=permanent)
        ctx = _context(runtime, session)
        if permanent:
            action.failed(ctx, attempt, error)
        else:
            action.delayed(ctx, attempt)


def handle_payment_event(event_id: int) -> None:
    """Apply one stored Razorpay webhook; repeats and reordered events change nothing more."""
    runtime = current()
    try:
        with conversation_locked(runtime, _event_conversation(runtime, event_id)):
            _apply_event(runtime, event_id)
    except Exception as exc:
        _record_failure(runtime, event_id, exc)
        raise


def _apply_event(runtime: Runtime, event_id: int) -> None:
    with unit_of_work(runtime) as session:
        event = session.get(InboundEvent, event_id, with_for_update=True)
        if event is None or event.status != InboundStatus.PENDING:
            return
        ctx = _context(runtime, session)
        notice = PaymentNotice.from_json(event.payload["notice"])
        outcome = apply_notice(session, notice=notice, now=ctx.now)
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
    with runtime.sessions.begin() as session:
        event = session.get(InboundEvent, event_id, with_for_update=True)
        if event is None:
            return
        event.attempts += 1
        event.last_error = repr(exc)[:2000]
        if event.attempts >= MAX_EVENT_ATTEMPTS:
            log.error("razorpay event %s given up after %s attempts", event_id, event.attempts)
            finish_inbound(event, status=InboundStatus.FAILED)


def retire_links(runtime: Runtime) -> int:
    """Cancel links whose hold is gone, and tell guests whose hold expired unpaid.

    The sweep sends nothing itself: it may tell many guests at once, and provider calls would
    hold it up; the send jobs deliver.
    """
    with Session(runtime.autocommit) as session:
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
    with Session(runtime.autocommit) as session:
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
            conversation_locked(runtime, conversation),
            unit_of_work(runtime, send_inline=False) as session,
        ):
            done += act(_context(runtime, session), item_id)
    return done
