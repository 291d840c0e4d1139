"""The provider calls an outbox row can ask for: create a payment link, cancel one, refund.

Each action has the same steps, run by ``application.payments.run_action``: ``prepare`` (under the
row lock: is it still needed, and what exactly to ask), ``call`` (the provider, outside any
transaction), then ``done``, ``delayed`` (transient failure, will be retried) or ``failed``
(permanent). ``skipped`` runs when ``prepare`` finds the call is no longer wanted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from redis import Redis
from sqlalchemy.orm import Session, joinedload

from application.notices import guest_turn, tell
from bot.flows.payment import link_ready
from bot.flows.payment_notices import (
    NEWS,
    hold_expired,
    link_delayed,
    link_failed,
    payment_news,
)
from bot.messages import Reply
from bot.turn import Turn
from engine.bookings.models import Booking
from engine.exceptions import BooklineError, HoldExpiredError
from engine.payments.enums import FlagKind, LinkStatus, OutboxAction, RefundStatus
from engine.payments.exceptions import NotNeededError
from engine.payments.models import PaymentLink, Refund
from engine.payments.service import (
    STRANDED,
    CreatedLink,
    LinkRequest,
    flag,
    prepare_link,
    record_link,
    record_refund_created,
    settle_refund,
)
from engine.payments.settlement import Outcome, OutcomeKind
from infra.senders.razorpay import RazorpayGateway, RefundResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    """What an action step may touch: the unit of work, Redis (conversations) and the time.

    ``keep`` is the unit of work's (``UnitOfWork.keep``): the session holds loaded rows only
    weakly, and rows a step needs again later in the unit of work (the venue and guest of a
    message sent once it commits) would otherwise be read again.
    """

    session: Session
    redis: Redis
    now: datetime
    keep: Callable[..., None]


@dataclass(frozen=True)
class Attempt:
    """One try at an outbox row; ``recovering`` when an earlier try died mid-call."""

    outbox_id: int
    key: str
    payload: dict[str, Any]
    recovering: bool


def notify(
    ctx: Context, booking: Booking, key: str, compose: Callable[[Turn], list[Reply]]
) -> None:
    """Tell the booking's guest something, once per ``key``; the message goes out once the
    unit of work commits, to the venue and guest kept for it."""
    ctx.keep(booking.venue, booking.guest)
    with guest_turn(ctx.session, ctx.redis, booking, ctx.now) as turn:
        tell(turn, key, compose(turn))


def news_key(outcome: Outcome) -> str:
    """The outbox key of the guest's message about an outcome (one per payment or refund).

    A flagged payment has news twice: "being checked", then, once its booking is gone, "on its
    way back" (a key of its own, or the first message's key would swallow it).
    """
    refund = outcome.refund
    if refund is not None and outcome.kind in (
        OutcomeKind.REFUND_PROCESSED,
        OutcomeKind.REFUND_FAILED,
    ):
        return f"refund-news:{refund.id}"
    assert outcome.payment is not None
    if refund is not None and refund.cause == STRANDED:
        return f"payment-returned:{outcome.payment.id}"
    return f"payment-news:{outcome.payment.id}"


def tell_outcome(ctx: Context, outcome: Outcome) -> None:
    """Tell the guest what an applied payment event means for them."""
    if outcome.booking is not None and outcome.kind in NEWS:
        notify(ctx, outcome.booking, news_key(outcome), lambda turn: payment_news(turn, outcome))


class Action(Protocol):
    """The steps of one kind of provider call."""

    def prepare(self, ctx: Context, attempt: Attempt) -> Any:
        """What to ask the provider; a BooklineError when the call is no longer wanted."""
        ...

    def call(self, gateway: RazorpayGateway, attempt: Attempt, request: Any) -> Any:
        """The provider call (reconciling first when ``attempt.recovering``)."""
        ...

    def done(self, ctx: Context, attempt: Attempt, result: Any) -> str:
        """Record the result; returns the provider id for the outbox row."""
        ...

    def delayed(self, ctx: Context, attempt: Attempt) -> None:
        """A transient failure: the call will be retried."""
        ...

    def failed(self, ctx: Context, attempt: Attempt, error: str) -> None:
        """A permanent failure: retrying cannot help."""
        ...

    def skipped(self, ctx: Context, attempt: Attempt, error: BooklineError) -> None:
        """``prepare`` found the call no longer wanted."""
        ...


#: A payment link's booking is always read with its venue and guest: each step uses all three
#: (the link's description and customer, the message to the guest), and each of them loaded
#: lazily would be a statement of its own.
_WITH_PARTIES = (joinedload(Booking.venue), joinedload(Booking.guest))


class PaymentLinkAction:
    """``paylink:{booking}``: one link per booking, sent to the guest when it exists."""

    def _booking(self, ctx: Context, attempt: Attempt) -> Booking:
        booking = ctx.session.get(Booking, attempt.payload["booking_id"], options=_WITH_PARTIES)
        assert booking is not None
        return booking

    def prepare(self, ctx: Context, attempt: Attempt) -> LinkRequest:
        """The link to ask for; ``prepare_link`` finds the booking read here in the session,
        and after stretching the hold (which reads the booking again, locked) its venue and
        guest, kept."""
        booking_id = attempt.payload["booking_id"]
        booking = ctx.session.get(Booking, booking_id, options=_WITH_PARTIES)
        if booking is not None:
            ctx.keep(booking.venue, booking.guest)
        return prepare_link(ctx.session, booking_id=booking_id, now=ctx.now)

    def call(self, gateway: RazorpayGateway, attempt: Attempt, request: LinkRequest) -> CreatedLink:
        return gateway.create_link(request)

    def done(self, ctx: Context, attempt: Attempt, result: CreatedLink) -> str:
        booking = self._booking(ctx, attempt)
        link = record_link(ctx.session, booking_id=booking.id, created=result)
        notify(ctx, booking, f"paylink-msg:{booking.id}", lambda t: link_ready(t, booking, link))
        return result.link_id

    def delayed(self, ctx: Context, attempt: Attempt) -> None:
        booking = self._booking(ctx, attempt)
        notify(ctx, booking, f"paylink-wait:{booking.id}", lambda t: link_delayed(t, booking))

    def failed(self, ctx: Context, attempt: Attempt, error: str) -> None:
        booking = self._booking(ctx, attempt)
        flag(
            ctx.session,
            venue_id=booking.venue_id,
            kind=FlagKind.LINK_FAILED,
            booking_id=booking.id,
            details={"error": error},
        )
        notify(ctx, booking, f"paylink-failed:{booking.id}", lambda t: link_failed(t, booking))

    def skipped(self, ctx: Context, attempt: Attempt, error: BooklineError) -> None:
        if isinstance(error, HoldExpiredError):
            booking = self._booking(ctx, attempt)
            notify(ctx, booking, f"expired:{booking.id}", lambda t: hold_expired(t, booking))


class CancelLinkAction:
    """``paylink-cancel:{link}``: a link whose hold is gone must not take money any more."""

    def _link(self, ctx: Context, attempt: Attempt) -> PaymentLink:
        link = ctx.session.get(PaymentLink, attempt.payload["link_id"])
        assert link is not None
        return link

    def prepare(self, ctx: Context, attempt: Attempt) -> str:
        link = self._link(ctx, attempt)
        if link.status != LinkStatus.CREATED:
            raise NotNeededError(f"The link is already {link.status.value}.")
        return link.provider_link_id

    def call(self, gateway: RazorpayGateway, attempt: Attempt, request: str) -> str:
        gateway.cancel_link(request)
        return request

    def done(self, ctx: Context, attempt: Attempt, result: str) -> str:
        link = self._link(ctx, attempt)
        if link.status == LinkStatus.CREATED:
            link.status = LinkStatus.CANCELLED
        return result

    def delayed(self, ctx: Context, attempt: Attempt) -> None:
        """Nothing to tell: the retry follows."""

    def failed(self, ctx: Context, attempt: Attempt, error: str) -> None:
        log.warning("could not cancel payment link %s: %s", attempt.key, error)

    def skipped(self, ctx: Context, attempt: Attempt, error: BooklineError) -> None:
        """Paid, expired or cancelled meanwhile: nothing to cancel."""


@dataclass(frozen=True)
class RefundCall:
    """A refund to ask for, tagged with the outbox key as its receipt."""

    payment_id: str
    amount: int
    receipt: str
    notes: dict[str, str]


class RefundAction:
    """``refund:{payment}:{n}``: money back, exactly once, even if the job runs twice."""

    def _refund(self, ctx: Context, attempt: Attempt) -> Refund:
        refund = ctx.session.get(Refund, attempt.payload["refund_id"])
        assert refund is not None
        return refund

    def prepare(self, ctx: Context, attempt: Attempt) -> RefundCall:
        refund = self._refund(ctx, attempt)
        if refund.status != RefundStatus.PENDING or refund.provider_refund_id:
            raise NotNeededError("The refund was already made.")
        notes = {"booking_reference": refund.booking.reference, "cause": refund.cause}
        payment_id = refund.payment.provider_payment_id
        return RefundCall(payment_id, int(attempt.payload["amount"]), attempt.key, notes)

    def call(self, gateway: RazorpayGateway, attempt: Attempt, request: RefundCall) -> RefundResult:
        found = (
            gateway.find_refund(request.payment_id, request.receipt) if attempt.recovering else None
        )
        return found or gateway.refund(
            request.payment_id, amount=request.amount, receipt=request.receipt, notes=request.notes
        )

    def done(self, ctx: Context, attempt: Attempt, result: RefundResult) -> str:
        refund = self._refund(ctx, attempt)
        if record_refund_created(
            ctx.session, refund=refund, provider_refund_id=result.refund_id, status=result.status
        ):
            outcome = Outcome(
                OutcomeKind.REFUND_PROCESSED, refund.booking, refund.payment, refund=refund
            )
            tell_outcome(ctx, outcome)
        return result.refund_id

    def delayed(self, ctx: Context, attempt: Attempt) -> None:
        """Nothing to tell yet: the refund is retried."""

    def failed(self, ctx: Context, attempt: Attempt, error: str) -> None:
        refund = self._refund(ctx, attempt)
        if settle_refund(ctx.session, refund=refund, status=RefundStatus.FAILED, error=error):
            outcome = Outcome(
                OutcomeKind.REFUND_FAILED, refund.booking, refund.payment, refund=refund
            )
            tell_outcome(ctx, outcome)

    def skipped(self, ctx: Context, attempt: Attempt, error: BooklineError) -> None:
        """Already made: nothing more to do."""


ACTIONS: dict[str, Action] = {
    OutboxAction.PAYMENT_LINK.value: PaymentLinkAction(),
    OutboxAction.CANCEL_LINK.value: CancelLinkAction(),
    OutboxAction.REFUND.value: RefundAction(),
}
