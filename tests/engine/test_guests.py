"""Guests: one per phone number per business, whatever way the number was written."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.exceptions import NotFoundError, ValidationError
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest, normalize_phone, venue_and_guest
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


def test_a_turn_reads_the_venue_and_creates_the_guest_on_first_contact(
    session: Session, demo: Demo
) -> None:
    venue, guest = venue_and_guest(
        session, venue_id=demo.hotel.id, phone="98000 00042", name="Meera"
    )
    assert venue is demo.hotel
    assert (guest.business_id, guest.phone, guest.name) == (
        demo.hotel.business_id,
        "+919800000042",
        "Meera",
    )
    _, again = venue_and_guest(session, venue_id=demo.hotel.id, phone="+919800000042", name="M.")
    assert again is guest and again.name == "Meera"
    _, known = venue_and_guest(session, venue_id=demo.hotel.id, phone="+919800000001")
    assert known.id == demo.guest.id
    assert session.scalar(select(func.count(Guest.id))) == 2


def test_a_turn_at_no_such_venue_is_not_found(session: Session, demo: Demo) -> None:
    with pytest.raises(NotFoundError):
        venue_and_guest(session, venue_id=demo.hotel.id + 1000, phone="+919800000042")
    assert session.scalar(select(func.count(Guest.id))) == 1


def test_on_postgresql_the_venue_and_a_new_guest_are_one_statement(
    sessions: sessionmaker[Session], demo: Demo, is_postgres: bool
) -> None:
    if not is_postgres:
        pytest.skip("SQLite reads the venue, then finds or inserts the guest")
    venue_id = demo.hotel.id
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    with sessions() as fresh:
        engine = fresh.get_bind()
        event.listen(engine, "before_cursor_execute", record)
        try:
            venue, guest = venue_and_guest(fresh, venue_id=venue_id, phone="+919800000042")
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert (venue.id, guest.phone) == (venue_id, "+919800000042")
    assert len(seen) == 1, seen


def test_first_messages_at_once_make_one_guest(
    sessions: sessionmaker[Session], session: Session, demo: Demo
) -> None:
    """Racing first contacts: one insert wins, the others read the guest it made."""
    venue_id = demo.hotel.id
    session.commit()
    racers = 8
    barrier = threading.Barrier(racers)

    def first_message(_: int) -> int:
        with sessions() as own:
            barrier.wait()
            _, guest = venue_and_guest(own, venue_id=venue_id, phone="+919800000077")
            own.commit()
            return guest.id

    with ThreadPoolExecutor(racers) as pool:
        ids = set(pool.map(first_message, range(racers)))
    with sessions() as check:
        stored = check.scalars(select(Guest.id).where(Guest.phone == "+919800000077")).all()
    assert len(ids) == 1 and list(ids) == list(stored)
