"""Guests: one per phone number per business, whatever way the number was written."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.exceptions import ValidationError
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest, normalize_phone
from engine.tenants.models import Business
from tests.engine.conftest import Demo


@pytest.mark.parametrize(
    "raw",
    ["+91 98000 00001", "09800000001", "9800000001", "919800000001", "whatsapp:+919800000001"],
)
def test_phone_numbers_are_normalised_to_e164(raw: str) -> None:
    assert normalize_phone(raw) == "+919800000001"


def test_number_with_its_own_country_code_keeps_it() -> None:
    assert normalize_phone("+1 415 555 0100") == "+14155550100"


@pytest.mark.parametrize("raw", ["hello", "12", "+91 98"])
def test_text_that_is_not_a_phone_number_is_rejected(raw: str) -> None:
    with pytest.raises(ValidationError, match=raw.replace("+", r"\+")):
        normalize_phone(raw)


def test_same_guest_is_found_however_the_number_is_written(session: Session, demo: Demo) -> None:
    business_id = demo.guest.business_id
    again = get_or_create_guest(session, business_id=business_id, phone="98000 00001")
    assert again.id == demo.guest.id
    assert session.scalar(select(func.count(Guest.id))) == 1


def test_name_is_filled_in_once_and_never_overwritten(session: Session, demo: Demo) -> None:
    business_id = demo.guest.business_id
    guest = get_or_create_guest(session, business_id=business_id, phone="+919800000009")
    assert guest.name is None
    get_or_create_guest(session, business_id=business_id, phone="+919800000009", name="Ravi")
    get_or_create_guest(session, business_id=business_id, phone="+919800000009", name="R.")
    assert guest.name == "Ravi"


def test_same_number_is_a_different_guest_at_another_business(session: Session, demo: Demo) -> None:
    other = Business(name="Other", slug="other")
    session.add(other)
    session.flush()
    guest = get_or_create_guest(session, business_id=other.id, phone="+919800000001")
    assert guest.id != demo.guest.id


def test_on_postgresql_a_new_guest_is_one_statement(
    sessions: sessionmaker[Session], demo: Demo, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite finds, then inserts the guest")
    business_id = demo.hotel.business_id
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    with sessions() as fresh:
        engine = fresh.get_bind()
        event.listen(engine, "before_cursor_execute", record)
        try:
            guest = get_or_create_guest(fresh, business_id=business_id, phone="+919800000042")
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert (guest.business_id, guest.phone) == (business_id, "+919800000042")
    assert len(seen) == 1, seen


def test_first_messages_at_once_make_one_guest(
    sessions: sessionmaker[Session], session: Session, demo: Demo
) -> None:
    """Racing first contacts: one insert wins, the others read the guest it made."""
    business_id = demo.hotel.business_id
    session.commit()
    racers = 8
    barrier = threading.Barrier(racers)

    def first_message(_: int) -> int:
        with sessions() as own:
            barrier.wait()
            guest = get_or_create_guest(own, business_id=business_id, phone="+919800000077")
            own.commit()
            return guest.id

    with ThreadPoolExecutor(racers) as pool:
        ids = set(pool.map(first_message, range(racers)))
    with sessions() as check:
        stored = check.scalars(select(Guest.id).where(Guest.phone == "+919800000077")).all()
    assert len(ids) == 1 and list(ids) == list(stored)
