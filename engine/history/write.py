"""Storing a history plan in the engine's tables, as the engine itself would have left them.

Every audit step passes the engine's transition table (an impossible move raises), claims are
kept only by bookings whose status keeps them, and money lands where the payment flow puts it:
a paid link, a captured payment, a processed refund. Nothing is queued in the outbox: history
is not news, and no guest may be messaged or refunded again for it.

Rows go in as bulk INSERTs (a few statements per table) rather than as ORM objects: thousands
of bookings would otherwise spend seconds in the unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine.bookings.attendance import released_details
from engine.bookings.enums import BookingStatus
from engine.bookings.models import Booking, BookingEvent, Claim
from engine.bookings.references import PREFIX
from engine.bookings.transitions import check_transition
from engine.db import Base
from engine.guests.service import get_or_create_guest
from engine.history.plan import HISTORY_NOTE, KEEPS_CLAIMS, HistoryPlan, PlannedBooking
from engine.messaging.models import TranscriptEntry
from engine.payments.enums import LinkStatus, PaymentOutcome, PaymentStatus, RefundStatus
from engine.payments.models import Payment, PaymentLink, Refund
from engine.payments.service import CANCELLATION
from engine.tenants.models import Business

Row = dict[str, Any]
PAYMENT_METHOD = "upi"
#: Audit reasons, as the engine's services write them.
CREATED = "hold placed"
REASONS = {BookingStatus.EXPIRED: "hold time ran out"}


def write_plan(session: Session, *, business: Business, plan: HistoryPlan) -> None:
    """Store every guest, booking, audit entry, claim, payment and transcript line of ``plan``."""
    guest_ids = _guests(session, business, plan)
    rows = [_booking(p, guest_ids[p.guest_phone]) for p in plan.bookings]
    stored = list(zip(plan.bookings, _insert_ids(session, Booking, rows), strict=True))
    _bulk(session, BookingEvent, [row for p, id_ in stored for row in _events(p, id_)])
    _bulk(session, Claim, [row for p, id_ in stored for row in _claims(p, id_)])
    _money(session, [(p, id_) for p, id_ in stored if p.life.link])
    _bulk(session, TranscriptEntry, _transcript(plan))


def _insert_ids(session: Session, model: type[Base], rows: list[Row]) -> list[int]:
    """Insert ``rows`` and return their new ids, in the order of ``rows``."""
    if not rows:
        return []
    statement = insert(model).returning(model.__table__.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def _bulk(session: Session, model: type[Base], rows: list[Row]) -> None:
    """Insert many rows of one table in a few statements."""
    if rows:
        session.execute(insert(Base.metadata.tables[model.__tablename__]), rows)


def _guests(session: Session, business: Business, plan: HistoryPlan) -> dict[str, int]:
    """Guest ids by phone for everyone in the plan, created as on their first message."""
    phones = {b.guest_phone for b in plan.bookings} | {c.guest_phone for c in plan.conversations}
    return {
        guest.phone: get_or_create_guest(
            session, business_id=business.id, phone=guest.phone, name=guest.name
        ).id
        for guest in plan.guests
        if guest.phone in phones
    }


def _booking(planned: PlannedBooking, guest_id: int) -> Row:
    """The booking as it ends: final status, what was paid, hold time only if it lapsed."""
    request, life = planned.request, planned.life
    return {
        "reference": planned.reference,
        "venue_id": request.venue_id,
        "guest_id": guest_id,
        "status": life.status,
        "channel": life.channel,
        "party_size": request.party_size,
        "room_type_id": request.room_type_id,
        "check_in": request.check_in,
        "check_out": request.check_out,
        "starts_at": request.starts_at,
        "ends_at": request.ends_at,
        "resources": list(planned.taken.resources),
        "amount": request.amount,
        "amount_paid": life.amount_paid,
        "currency": request.currency,
        "hold_expires_at": None if planned.ever_confirmed else life.hold_expires_at,
        "notes": HISTORY_NOTE,
        "created_at": life.created_at,
        "updated_at": life.steps[-1].at if life.steps else life.created_at,
    }


def _events(planned: PlannedBooking, booking_id: int) -> list[Row]:
    """The audit trail: the hold, then each step the transition table allows."""
    life = planned.life
    rows = [_event(booking_id, life.created_at, None, BookingStatus.HELD, life.creator, CREATED)]
    status = BookingStatus.HELD
    for step in life.steps:
        check_transition(status, step.status)
        reason = REASONS.get(step.status, "")
        rows.append(_event(booking_id, step.at, status, step.status, step.actor, reason))
        status = step.status
    if life.cancelled_by is not None:
        rows[-1]["details"] = {
            "by": life.cancelled_by.value,
            "refund_amount": life.refund,
            "refund_percent": life.refund_percent,
        }
    if planned.status == BookingStatus.NO_SHOW:
        rows[-1]["details"] = released_details(planned.taken.pairs)
    return rows


def _event(
    booking_id: int,
    at: datetime,
    before: BookingStatus | None,
    after: BookingStatus,
    actor: str,
    reason: str,
) -> Row:
    return {
        "booking_id": booking_id,
        "at": at,
        "from_status": before.value if before else None,
        "to_status": after.value,
        "actor": actor,
        "reason": reason,
        "details": {},
    }


def _claims(planned: PlannedBooking, booking_id: int) -> list[Row]:
    """The claims the booking still holds: all of them if its final status keeps them."""
    if planned.status not in KEEPS_CLAIMS:
        return []
    venue_id = planned.request.venue_id
    return [
        {"booking_id": booking_id, "venue_id": venue_id, "resource": resource, "unit": unit}
        for resource, unit in sorted(planned.taken.pairs)
    ]


def _transcript(plan: HistoryPlan) -> list[Row]:
    """Every line of every conversation, as the inbox stores them."""
    return [
        {
            "venue_id": chat.venue_id,
            "channel": chat.channel,
            "guest_phone": chat.guest_phone,
            "direction": line.direction,
            "text": line.text,
            "at": line.at,
        }
        for chat in plan.conversations
        for line in chat.lines
    ]


def _money(session: Session, linked: Sequence[tuple[PlannedBooking, int]]) -> None:
    """The payment link of each chat booking with something due, its payment, its refund."""
    link_ids = _insert_ids(session, PaymentLink, [_link(p, booking) for p, booking in linked])
    paid = [
        (p, booking, link)
        for (p, booking), link in zip(linked, link_ids, strict=True)
        if p.ever_confirmed
    ]
    payments = [_payment(p, booking, link) for p, booking, link in paid]
    payment_ids = _insert_ids(session, Payment, payments)
    refunds = [
        _refund(p, booking, payment_id, payment["provider_payment_id"])
        for (p, booking, _), payment, payment_id in zip(paid, payments, payment_ids, strict=True)
        if p.life.refund
    ]
    _bulk(session, Refund, refunds)


def _code(planned: PlannedBooking) -> str:
    """Provider ids of the history derive from the booking reference (unique, recognisable)."""
    return "hist" + planned.reference.removeprefix(PREFIX)


def _link(planned: PlannedBooking, booking_id: int) -> Row:
    """The booking's payment link: paid, or lapsed with the hold."""
    life, code = planned.life, _code(planned)
    return {
        "booking_id": booking_id,
        "venue_id": planned.request.venue_id,
        "provider_link_id": f"plink_{code}",
        "reference": planned.reference,
        "short_url": f"https://rzp.io/i/{code}",
        "amount": planned.request.amount,
        "currency": planned.request.currency,
        "status": LinkStatus.PAID if planned.ever_confirmed else LinkStatus.EXPIRED,
        "expire_by": life.hold_expires_at,
        "created_at": life.steps[0].at,
        "updated_at": life.steps[-1].at,
    }


def _payment(planned: PlannedBooking, booking_id: int, link_id: int) -> Row:
    """The captured payment that confirmed the booking (refunded as far as it was cancelled)."""
    life = planned.life
    paid_at = next(step.at for step in life.steps if step.status == BookingStatus.CONFIRMED)
    status = PaymentStatus.CAPTURED
    if life.refund:
        full = life.refund >= life.amount_paid
        status = PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED
    return {
        "booking_id": booking_id,
        "venue_id": planned.request.venue_id,
        "link_id": link_id,
        "provider_payment_id": f"pay_{_code(planned)}",
        "amount": life.amount_paid,
        "currency": planned.request.currency,
        "method": PAYMENT_METHOD,
        "status": status,
        "outcome": PaymentOutcome.CONFIRMED,
        "created_at": paid_at,
        "updated_at": life.steps[-1].at,
    }


def _refund(planned: PlannedBooking, booking_id: int, payment_id: int, provider_id: str) -> Row:
    """The cancellation refund, processed by the provider (its outbox row is not recreated)."""
    return {
        "payment_id": payment_id,
        "booking_id": booking_id,
        "venue_id": planned.request.venue_id,
        "seq": 1,
        "cause": CANCELLATION,
        "amount": planned.life.refund,
        "currency": planned.request.currency,
        "status": RefundStatus.PROCESSED,
        "provider_refund_id": f"rfnd_{_code(planned)}",
        "outbox_key": f"refund:{provider_id}:1",
        "created_at": planned.life.steps[-1].at,
        "updated_at": planned.life.steps[-1].at,
    }
