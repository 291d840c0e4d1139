"""Booking services: hold, confirm, cancel, expire, no-show, complete and modify.

Every function works inside the caller's transaction (the caller commits) and checks its
invariants before writing anything. Claims carry the no-double-booking guarantee; these
functions only decide which claims to take or give back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypedDict, Unpack, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from engine.availability.hotel import room_type_for
from engine.availability.offers import Offer, RoomOffer, RoomsOffer, TableOffer
from engine.availability.requests import StayRequest, validate_stay
from engine.availability.units import lapsed_hold
from engine.bookings.attendance import deposit_no_shows, released_details
from engine.bookings.claims import expire_booking, release_claims, take_claims
from engine.bookings.enums import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    BookingStatus,
    CancelledBy,
    Channel,
)
from engine.bookings.models import Booking
from engine.bookings.plans import (
    Plan,
    prefer,
    require_candidates,
    stay_plan,
    stay_unavailable,
    table_checks_pass,
    table_plan,
    table_unavailable,
)
from engine.bookings.policies import CancellationQuote, booking_start, quote_cancellation
from engine.bookings.references import new_reference, normalize_reference
from engine.bookings.rooms import add_rooms, retake_rooms, rooms_plan, take_rooms
from engine.bookings.stay_hold import HoldOutcome, HoldsLimit, hold_stay
from engine.bookings.table_hold import hold_table
from engine.bookings.transitions import (
    add_creation_entry,
    apply_transition,
    attach_stored_creation_entry,
    placed_here,
    record_event,
)
from engine.db import as_stored, insert_or_skip_returning_id, on_postgresql, utcnow
from engine.exceptions import (
    HoldExpiredError,
    NotAvailableError,
    NotFoundError,
    ValidationError,
)
from engine.guests.models import Guest
from engine.risk.exceptions import HoldRateLimitedError
from engine.tenants.models import Venue

#: The audit reason of a change of dates, time, party or place (``modify``).
MODIFIED = "modified"
#: The window a hold rate (``place_hold``'s ``holds_per_hour``) counts a guest's bookings in.
HOLD_RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Cancellation:
    """Outcome of a cancellation: the booking and the refund it is owed."""

    booking: Booking
    quote: CancellationQuote


def _venue(session: Session, venue_id: int) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise NotFoundError("That venue does not exist.")
    return venue


def _plan_for_offer(
    session: Session, venue: Venue, offer: RoomOffer | TableOffer, guest: Guest, now: datetime
) -> Plan:
    if isinstance(offer, RoomOffer):
        request = StayRequest(offer.check_in, offer.check_out, offer.guests, offer.room_type_id)
        return stay_plan(session, venue, request, now=now)
    return table_plan(
        session,
        venue,
        starts_at=offer.starts_at,
        party_size=offer.party_size,
        now=now,
        no_shows=deposit_no_shows(session, venue=venue, guest_id=guest.id, before=now),
    )


def _plan_values(plan: Plan, resources: list[str]) -> dict[str, object]:
    """The booking columns a plan decides (one list, for the insert and for a modify)."""
    return {
        "resources": resources,
        "party_size": plan.party_size,
        "amount": plan.amount,
        "room_type_id": plan.room_type_id,
        "check_in": plan.check_in,
        "check_out": plan.check_out,
        "starts_at": plan.starts_at,
        "ends_at": plan.ends_at,
    }


def _apply_plan(booking: Booking, plan: Plan, resources: list[str]) -> None:
    for key, value in _plan_values(plan, resources).items():
        setattr(booking, key, value)


def _new_hold_values(
    venue: Venue, guest: Guest, *, channel: Channel, notes: str, now: datetime
) -> dict[str, object]:
    """The columns of a new hold that do not depend on what it holds."""
    return {
        "venue_id": venue.id,
        "guest_id": guest.id,
        "status": BookingStatus.HELD,
        "channel": channel,
        "amount_paid": 0,
        "currency": venue.currency,
        "hold_expires_at": now + timedelta(minutes=venue.hold_minutes),
        "notes": notes,
        "arrived_at": None,
        "not_arrived_at": None,
        "guest_confirmed_at": None,
        "approval": None,
        "created_at": now,
        "updated_at": now,
    }


def _hold_values(
    venue: Venue, guest: Guest, plan: Plan, *, channel: Channel, notes: str, now: datetime
) -> dict[str, object]:
    """Every column of a new hold, with the first candidate's resources (the usual winner).

    Complete before the INSERT, so a hold is one INSERT and no UPDATE once its claims are in,
    and so the Booking built from these values has nothing left to load (see ``_attach``).
    """
    return {
        **_new_hold_values(venue, guest, channel=channel, notes=notes, now=now),
        **_plan_values(plan, plan.candidates[0].resources),
    }


@dataclass(frozen=True)
class _ServerHold:
    """Who holds what, for a hold a function on the server places (a stay's or a table's)."""

    venue: Venue
    guest: Guest
    channel: Channel
    actor: str
    notes: str
    now: datetime
    holds_limit: HoldsLimit | None

    def values(self) -> dict[str, object]:
        """The new booking's columns that do not depend on the offer."""
        return _new_hold_values(
            self.venue, self.guest, channel=self.channel, notes=self.notes, now=self.now
        )


def _hold_stay_in_one_statement(
    session: Session, hold: _ServerHold, offer: RoomOffer
) -> Booking | None:
    """The PostgreSQL path of a stay's hold (see ``stay_hold``); None: take the Python path.

    The same checks come first, then the one statement, which checks the hold rate and writes
    the audit entry too.
    """
    venue = hold.venue
    request = StayRequest(offer.check_in, offer.check_out, offer.guests, offer.room_type_id)
    validate_stay(venue, request, now=hold.now)
    values = hold.values()
    held = hold_stay(
        session,
        venue_id=venue.id,
        guest_id=hold.guest.id,
        room_type_id=offer.room_type_id,
        request=request,
        channel=hold.channel,
        currency=venue.currency,
        notes=hold.notes,
        actor=hold.actor,
        now=hold.now,
        expires=cast(datetime, values["hold_expires_at"]),
        holds_limit=hold.holds_limit,
    )
    if held.outcome == HoldOutcome.RATE_LIMITED:
        raise _rate_limited()
    if held.outcome == HoldOutcome.INVALID:
        room_type_for(session, venue, request)  # raises the ValidationError that says why
    if held.outcome == HoldOutcome.NONE_FREE:
        raise NotAvailableError(stay_unavailable(str(held.room_type_name)))
    if held.outcome != HoldOutcome.HELD:  # LAPSED: the Python path releases the lapsed hold
        return None
    row = {
        "id": held.booking_id,
        "reference": held.reference,
        "resources": [held.resource],
        "amount": held.amount,
        "party_size": request.guests,
        "room_type_id": offer.room_type_id,
        "check_in": request.check_in,
        "check_out": request.check_out,
        "starts_at": None,
        "ends_at": None,
        **values,
    }
    return _attach_server_hold(session, row, event_id=held.event_id, actor=hold.actor)


def _hold_table_in_one_statement(
    session: Session, hold: _ServerHold, offer: TableOffer
) -> Booking | None:
    """The PostgreSQL path of a table's hold (see ``table_hold``); None: take the Python
    path, which says why the function found the start or the party invalid (or releases the
    lapsed hold it met)."""
    venue = hold.venue
    values = hold.values()
    ends_at = offer.starts_at + timedelta(minutes=venue.turn_minutes_for(offer.party_size))
    held = hold_table(
        session,
        venue=venue,
        guest_id=hold.guest.id,
        offer=offer,
        channel=hold.channel,
        notes=hold.notes,
        actor=hold.actor,
        now=hold.now,
        expires=cast(datetime, values["hold_expires_at"]),
        ends_at=ends_at,
        holds_limit=hold.holds_limit,
    )
    if held.outcome == HoldOutcome.RATE_LIMITED:
        raise _rate_limited()
    if held.outcome == HoldOutcome.NONE_FREE:
        raise NotAvailableError(table_unavailable(venue, offer.starts_at, offer.party_size))
    if held.outcome != HoldOutcome.HELD:
        return None
    row = {
        "id": held.booking_id,
        "reference": held.reference,
        "resources": held.resources,
        "amount": held.amount,
        "party_size": offer.party_size,
        "room_type_id": None,
        "check_in": None,
        "check_out": None,
        "starts_at": offer.starts_at,
        "ends_at": ends_at,
        **values,
    }
    return _attach_server_hold(session, row, event_id=held.event_id, actor=hold.actor)


def _attach_server_hold(
    session: Session, row: dict[str, object], *, event_id: int | None, actor: str
) -> Booking:
    """The booking and audit entry a function stored, attached as if loaded; the entry is
    noted for the live feed (no flush sees it)."""
    booking = _attach(session, row, empty=("rooms",))  # its claims are stored: loaded if read
    attach_stored_creation_entry(session, booking, event_id=cast(int, event_id), actor=actor)
    return booking


def _insert_booking(session: Session, values: dict[str, object]) -> Booking:
    """Insert under a fresh reference, drawing again on the (rare) reference collision.

    ON CONFLICT DO NOTHING skips a taken reference instead of raising, so no savepoint is
    needed. Rare is not never: there are 31^6 references, and each booking stored makes the
    next draw likelier to collide.
    """
    statement = insert_or_skip_returning_id(session, Booking, "reference")
    for _ in range(5):
        row = {"reference": new_reference(), **values}
        booking_id = session.scalar(statement, row)
        if booking_id is not None:
            return _attach(session, {"id": booking_id, **row})
    raise RuntimeError("could not allocate a unique booking reference")


def _attach(
    session: Session,
    row: dict[str, object],
    *,
    empty: tuple[str, ...] = ("events", "claims", "rooms"),
) -> Booking:
    """The booking of the row just inserted (``row``: every column), as if it had been loaded.

    Half the CPU of an ORM ``INSERT ... RETURNING Booking`` for the same single statement.
    The collections in ``empty`` hold nothing yet, and saying so spares the SELECT that the
    first read of one would otherwise issue.
    """
    booking = as_stored(session, Booking, row)
    for collection in empty:
        set_committed_value(booking, collection, [])
    return booking


def _discard(session: Session, booking: Booking) -> None:
    """Delete a hold that got no inventory, so NotAvailableError leaves nothing written."""
    session.delete(booking)
    session.flush()


def lock_booking(session: Session, booking: Booking) -> None:
    """Re-read the booking under a row lock so concurrent actions on it serialise.

    Flushed first: ``refresh`` does not autoflush, so it would otherwise throw away changes
    made earlier in the same unit of work (a confirm followed by a cancel would see HELD).
    A hold placed in this transaction is not read back: its row is already locked by the
    INSERT, no one else can see it, and the session holds what was written (a table confirmed
    in the turn that placed it).
    """
    session.flush()
    if not placed_here(session, booking):
        session.refresh(booking, with_for_update=True)


def place_hold(
    session: Session,
    *,
    offer: Offer,
    guest: Guest,
    channel: Channel,
    actor: str,
    now: datetime | None = None,
    notes: str = "",
    holds_per_hour: int | None = None,
) -> Booking:
    """Hold the offer's inventory for the venue's hold time; NotAvailableError if it went.

    With ``holds_per_hour``, a guest who started that many bookings in the last hour is
    refused first (HoldRateLimitedError): in the hold's own statement on PostgreSQL, so the
    check costs no round trip of its own, else by a count before anything is written.
    """
    now = now or utcnow()
    venue = _venue(session, offer.venue_id)
    if guest.business_id != venue.business_id:
        raise ValidationError("That guest belongs to another business.")
    limit = None if holds_per_hour is None else HoldsLimit(now - HOLD_RATE_WINDOW, holds_per_hour)
    one_statement = _in_one_statement(session, venue, offer, now)
    if limit is not None and not one_statement:
        _check_hold_rate(session, guest, limit)
    if isinstance(offer, RoomsOffer):
        booking = _hold_rooms(session, venue, guest, offer, channel=channel, notes=notes, now=now)
        add_creation_entry(session, booking, actor=actor, now=now)
        return booking
    if one_statement:
        hold = _ServerHold(venue, guest, channel, actor, notes, now, limit)
        held = (
            _hold_stay_in_one_statement(session, hold, offer)
            if isinstance(offer, RoomOffer)
            else _hold_table_in_one_statement(session, hold, offer)
        )
        if held is not None:
            return held
    plan = _plan_for_offer(session, venue, offer, guest, now)
    require_candidates(plan)
    booking = _insert_booking(
        session, _hold_values(venue, guest, plan, channel=channel, notes=notes, now=now)
    )
    for candidate in plan.candidates:
        if take_claims(session, booking=booking, pairs=candidate.pairs, now=now):
            if candidate.resources != booking.resources:
                booking.resources = candidate.resources  # a later candidate won: one UPDATE
            add_creation_entry(session, booking, actor=actor, now=now)
            return booking
    _discard(session, booking)
    raise NotAvailableError(plan.unavailable)


def _in_one_statement(session: Session, venue: Venue, offer: Offer, now: datetime) -> bool:
    """Whether the offer is held by a function on the server: a stay's, or a table's whose
    checks that read nothing pass (else the Python path raises in its own order)."""
    if not on_postgresql(session) or isinstance(offer, RoomsOffer):
        return False
    if isinstance(offer, TableOffer):
        return table_checks_pass(
            venue, starts_at=offer.starts_at, party_size=offer.party_size, now=now
        )
    return True


def _check_hold_rate(session: Session, guest: Guest, limit: HoldsLimit) -> None:
    """Refuse a guest who started ``limit.most`` bookings since ``limit.since`` (the count
    ``bookline_hold_stay`` and ``bookline_hold_table`` make on PostgreSQL)."""
    recent = session.scalar(
        select(func.count(Booking.id)).where(
            Booking.guest_id == guest.id, Booking.created_at > limit.since
        )
    )
    if (recent or 0) >= limit.most:
        raise _rate_limited()


def _rate_limited() -> HoldRateLimitedError:
    return HoldRateLimitedError("Too many bookings were started from this number just now.")


def _hold_rooms(
    session: Session,
    venue: Venue,
    guest: Guest,
    offer: RoomsOffer,
    *,
    channel: Channel,
    notes: str,
    now: datetime,
) -> Booking:
    """Hold every room of the offer under one booking, or none (NotAvailableError)."""
    plans = rooms_plan(session, venue, offer, now=now)
    values = {
        **_new_hold_values(venue, guest, channel=channel, notes=notes, now=now),
        "resources": [],
        "party_size": offer.guests,
        "amount": sum(plan.amount for plan in plans),
        "room_type_id": None,
        "check_in": offer.check_in,
        "check_out": offer.check_out,
        "starts_at": None,
        "ends_at": None,
    }
    booking = _insert_booking(session, values)
    resources = take_rooms(
        session, booking=booking, plans=[(plan, plan.free) for plan in plans], now=now
    )
    if resources is None:
        _discard(session, booking)
        raise NotAvailableError("Those rooms are no longer free for all of those nights.")
    booking.resources = resources
    add_rooms(booking, plans, resources)
    return booking


def mark_pending_payment(
    session: Session, *, booking: Booking, actor: str, now: datetime | None = None
) -> Booking:
    """A payment link went out: the hold now waits for the guest's payment."""
    now = now or utcnow()
    lock_booking(session, booking)
    if booking.hold_lapsed(now):
        raise HoldExpiredError("The hold ran out before payment was requested.")
    apply_transition(booking, BookingStatus.PENDING_PAYMENT, actor=actor, now=now)
    return booking


def extend_hold(
    session: Session, *, booking: Booking, until: datetime, actor: str, now: datetime | None = None
) -> Booking:
    """Keep a hold until ``until`` (never shorter), e.g. as long as its payment link lives."""
    now = now or utcnow()
    lock_booking(session, booking)
    if booking.status not in HOLDING_STATUSES:
        raise ValidationError("Only a booking on hold can have its hold extended.")
    if booking.hold_expires_at is not None and booking.hold_expires_at >= until:
        return booking
    record_event(
        booking, actor=actor, reason="hold extended", now=now, details={"until": until.isoformat()}
    )
    booking.hold_expires_at = until
    return booking


def confirm(
    session: Session,
    *,
    booking: Booking,
    actor: str,
    now: datetime | None = None,
    amount_paid: int | None = None,
) -> Booking:
    """Confirm a hold, re-claiming its inventory if the hold had already expired."""
    now = now or utcnow()
    lock_booking(session, booking)
    if booking.status == BookingStatus.EXPIRED:
        _reclaim(session, booking, now)
    apply_transition(booking, BookingStatus.CONFIRMED, actor=actor, now=now)
    booking.hold_expires_at = None
    if amount_paid is not None:
        booking.amount_paid = amount_paid
    return booking


def _rebuild_plan(
    session: Session, booking: Booking, *, now: datetime, **changes: Unpack[Changes]
) -> Plan:
    """A plan for the booking with some fields changed, its current resources first.

    ``None`` means "unchanged"; any other value (even 0) is validated, never ignored.
    """
    venue = booking.venue
    starts_at, party_size = changes.get("starts_at"), changes.get("party_size")
    check_in, check_out = changes.get("check_in"), changes.get("check_out")
    room_type_id = changes.get("room_type_id")
    party = booking.party_size if party_size is None else party_size
    if booking.starts_at is not None:
        plan = table_plan(
            session,
            venue,
            starts_at=booking.starts_at if starts_at is None else starts_at,
            party_size=party,
            now=now,
            ignore_booking_id=booking.id,
            no_shows=deposit_no_shows(
                session, venue=venue, guest_id=booking.guest_id, before=booking.created_at
            ),
        )
    else:
        assert booking.check_in is not None and booking.check_out is not None
        request = StayRequest(
            booking.check_in if check_in is None else check_in,
            booking.check_out if check_out is None else check_out,
            party,
            booking.room_type_id if room_type_id is None else room_type_id,
        )
        plan = stay_plan(session, venue, request, now=now, ignore_booking_id=booking.id)
    plan.candidates = prefer(plan.candidates, booking.resources)
    return plan


def _reclaim(session: Session, booking: Booking, now: datetime) -> None:
    """Take the expired booking's inventory again, or raise HoldExpiredError."""
    if booking.several_rooms:
        if not retake_rooms(session, booking=booking, now=now):
            raise HoldExpiredError("The hold expired and a room has since been taken.")
        return
    try:
        plan = _rebuild_plan(session, booking, now=now)
    except ValidationError as exc:
        raise HoldExpiredError(f"The hold expired and cannot be restored: {exc.message}") from exc
    for candidate in plan.candidates:
        if take_claims(session, booking=booking, pairs=candidate.pairs, now=now):
            booking.resources = candidate.resources
            return
    raise HoldExpiredError("The hold expired and the place has since been taken.")


def quote_cancel(
    session: Session, *, booking: Booking, by: CancelledBy, now: datetime | None = None
) -> CancellationQuote:
    """What cancelling now would refund (shown to the guest before they confirm)."""
    return quote_cancellation(booking, by=by, now=now or utcnow())


def cancel(
    session: Session,
    *,
    booking: Booking,
    by: CancelledBy,
    actor: str,
    reason: str = "",
    now: datetime | None = None,
    refund_amount: int | None = None,
) -> Cancellation:
    """Cancel and free the inventory; the refund follows the venue policy for guests."""
    now = now or utcnow()
    lock_booking(session, booking)
    quote = quote_cancellation(booking, by=by, now=now, amount=refund_amount)
    apply_transition(booking, BookingStatus.CANCELLED, actor=actor, reason=reason, now=now)
    booking.events[-1].details = {
        "by": by.value,
        "refund_amount": quote.refund_amount,
        "refund_percent": quote.refund_percent,
    }
    release_claims(session, booking=booking)
    return Cancellation(booking, quote)


def expire_holds(
    session: Session, *, now: datetime | None = None, limit: int = 500
) -> list[Booking]:
    """Expire lapsed holds and free their inventory; returns them so guests can be told."""
    now = now or utcnow()
    lapsed = session.scalars(
        select(Booking)
        .where(lapsed_hold(now))
        .order_by(Booking.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for booking in lapsed:
        expire_booking(session, booking=booking, actor="system:expiry-job", now=now)
    return list(lapsed)


def _after_start(booking: Booking, now: datetime, action: str) -> None:
    if now < booking_start(booking, booking.venue):
        raise ValidationError(f"A booking cannot be {action} before it starts.")


def mark_no_show(
    session: Session,
    *,
    booking: Booking,
    actor: str,
    now: datetime | None = None,
    reason: str = "",
) -> Booking:
    """The guest did not come: close the booking and free what is left of its inventory.

    The audit entry keeps the claims given back, so a mistaken no-show can be undone exactly
    (``engine.bookings.arrivals.undo_no_show``).
    """
    now = now or utcnow()
    lock_booking(session, booking)
    _after_start(booking, now, "marked as a no-show")
    if booking.arrived_at is not None:
        raise ValidationError("The guest was marked arrived: undo the arrival first.")
    released = [(claim.resource, claim.unit) for claim in booking.claims]
    apply_transition(booking, BookingStatus.NO_SHOW, actor=actor, reason=reason, now=now)
    booking.events[-1].details = released_details(released)
    release_claims(session, booking=booking)
    return booking


def complete(
    session: Session, *, booking: Booking, actor: str, now: datetime | None = None
) -> Booking:
    """The guest came and went; claims stay as the record of what was used."""
    now = now or utcnow()
    lock_booking(session, booking)
    _after_start(booking, now, "completed")
    apply_transition(booking, BookingStatus.COMPLETED, actor=actor, now=now)
    return booking


class Changes(TypedDict, total=False):
    """What a change may set; a name left out (or None) stays as it is."""

    check_in: date | None
    check_out: date | None
    room_type_id: int | None
    starts_at: datetime | None
    party_size: int | None


def modify(
    session: Session,
    *,
    booking: Booking,
    actor: str,
    now: datetime | None = None,
    resources: list[str] | None = None,
    **changes: Unpack[Changes],
) -> Booking:
    """Change dates/time/party/place: new claims first, old ones released after; never lose both.

    ``resources`` asks for exactly those rooms/tables (staff moving a guest), else any will do.
    """
    now = now or utcnow()
    lock_booking(session, booking)
    if booking.status not in ACTIVE_STATUSES:
        raise ValidationError(
            f"A booking that is {booking.status.value.replace('_', ' ')} cannot be changed."
        )
    if booking.hold_lapsed(now):
        raise HoldExpiredError("The hold ran out before the change; please book again.")
    if booking.several_rooms:
        raise ValidationError(
            "A booking of several rooms is changed by the hotel's staff: please ask for a person."
        )
    plan = _rebuild_plan(session, booking, now=now, **changes)
    if resources is not None:
        plan.candidates = [c for c in plan.candidates if sorted(c.resources) == sorted(resources)]
    require_candidates(plan)
    held = {(claim.resource, claim.unit) for claim in booking.claims}
    for candidate in plan.candidates:
        wanted = set(candidate.pairs)
        if take_claims(session, booking=booking, pairs=wanted - held, now=now):
            release_claims(session, booking=booking, pairs=held - wanted)
            before = {"resources": booking.resources, "amount": booking.amount}
            start = (booking.starts_at, booking.check_in)
            _apply_plan(booking, plan, candidate.resources)
            booking.not_arrived_at = None  # a booking can only move ahead: a new grace
            if (booking.starts_at, booking.check_in) != start:
                booking.guest_confirmed_at = None  # the guest said they come at the old time
            record_event(booking, actor=actor, reason=MODIFIED, now=now, details={"before": before})
            return booking
    raise NotAvailableError(plan.unavailable)


def get_booking(session: Session, *, reference: str, business_id: int | None = None) -> Booking:
    """Find a booking by its reference (scoped to a business when given)."""
    query = select(Booking).where(Booking.reference == normalize_reference(reference))
    if business_id is not None:
        query = query.join(Venue).where(Venue.business_id == business_id)
    booking = session.scalar(query)
    if booking is None:
        raise NotFoundError(f"No booking {normalize_reference(reference)} was found.")
    return booking


def guest_bookings(session: Session, *, venue_id: int, guest_id: int) -> list[Booking]:
    """A guest's live bookings at a venue, soonest first (what "my bookings" shows)."""
    return list(
        session.scalars(
            select(Booking)
            .where(
                Booking.venue_id == venue_id,
                Booking.guest_id == guest_id,
                Booking.status.in_(ACTIVE_STATUSES),
            )
            .order_by(Booking.check_in, Booking.starts_at, Booking.id)
        )
    )


def count_by_status(session: Session) -> dict[str, int]:
    """How many bookings are in each status, across every venue (for operations metrics)."""
    rows = session.execute(select(Booking.status, func.count(Booking.id)).group_by(Booking.status))
    return {status.value: count for status, count in rows}
