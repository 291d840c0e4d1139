"""The booking lifecycle table: every (from, to) pair, allowed or not."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from sqlalchemy.orm import Session

from engine.bookings.enums import BookingStatus as S
from engine.bookings.transitions import TRANSITIONS, apply_transition, check_transition
from engine.exceptions import InvalidTransitionError
from tests.conftest import NOW
from tests.engine.conftest import Demo
from tests.engine.factories import hold_room

#: The lifecycle from the design, written out independently of the table under test.
ALLOWED = {
    (S.HELD, S.PENDING_PAYMENT),
    (S.HELD, S.CONFIRMED),
    (S.HELD, S.CANCELLED),
    (S.HELD, S.EXPIRED),
    (S.PENDING_PAYMENT, S.CONFIRMED),
    (S.PENDING_PAYMENT, S.CANCELLED),
    (S.PENDING_PAYMENT, S.EXPIRED),
    (S.EXPIRED, S.CONFIRMED),
    (S.CONFIRMED, S.COMPLETED),
    (S.CONFIRMED, S.CANCELLED),
    (S.CONFIRMED, S.NO_SHOW),
    (S.NO_SHOW, S.CONFIRMED),  # staff take back a mistaken no-show
}
ALL_PAIRS = list(product(S, S))


def test_table_has_a_row_for_every_status() -> None:
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transition_passes(current: S, target: S) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_disallowed_transition_raises(current: S, target: S) -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        check_transition(current, target)
    assert "cannot become" in caught.value.message


def test_error_message_names_both_statuses_in_words() -> None:
    with pytest.raises(InvalidTransitionError, match="no show cannot become pending payment"):
        check_transition(S.NO_SHOW, S.PENDING_PAYMENT)


def test_terminal_statuses_allow_nothing() -> None:
    for terminal in (S.COMPLETED, S.CANCELLED):
        assert TRANSITIONS[terminal] == frozenset()


def test_apply_transition_changes_status_and_records_who_and_why(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", date(2026, 12, 24), date(2026, 12, 26))
    apply_transition(booking, S.CANCELLED, actor="owner:1", reason="guest called", now=NOW)
    session.flush()
    assert booking.status == S.CANCELLED
    first, last = booking.events[0], booking.events[-1]
    assert (first.from_status, first.to_status, first.reason) == (None, "held", "hold placed")
    assert (last.from_status, last.to_status) == ("held", "cancelled")
    assert (last.actor, last.reason, last.at) == ("owner:1", "guest called", NOW)


def test_apply_transition_refused_leaves_status_and_audit_untouched(
    session: Session, demo: Demo
) -> None:
    booking = hold_room(session, demo, "Suite", date(2026, 12, 24), date(2026, 12, 26))
    events_before = len(booking.events)
    with pytest.raises(InvalidTransitionError):
        apply_transition(booking, S.COMPLETED, actor="owner:1", now=NOW)
    assert booking.status == S.HELD
    assert len(booking.events) == events_before
