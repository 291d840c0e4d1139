"""Guests: one per phone number per business, whatever way the number was written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
