"""Dashboard accounts: argon2 hashes, normalised unique emails, minimum password length."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from engine.accounts.enums import Role
from engine.accounts.service import create_user, hash_password, verify_password
from engine.exceptions import ValidationError


def test_password_hash_is_salted_argon2_and_verifies() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, "correct horse")
    assert not verify_password(first, "wrong horse")
    assert not verify_password("not-a-hash", "correct horse")


def test_create_user_stores_a_normalised_email(session: Session) -> None:
    user = create_user(
        session,
        email="  Staff@Demo.TEST ",
        password="longenough",
        role=Role.STAFF,
        business_id=None,
    )
    assert (user.email, user.role, user.active) == ("staff@demo.test", Role.STAFF, True)
    assert verify_password(user.password_hash, "longenough")


def test_duplicate_email_in_any_case_is_rejected(session: Session) -> None:
    create_user(session, email="a@b.test", password="longenough", role=Role.ADMIN, business_id=None)
    with pytest.raises(ValidationError, match="already exists"):
        create_user(
            session, email="A@B.test", password="longenough", role=Role.ADMIN, business_id=None
        )


def test_short_password_is_rejected(session: Session) -> None:
    with pytest.raises(ValidationError, match="at least 8 characters"):
        create_user(session, email="a@b.test", password="short", role=Role.ADMIN, business_id=None)
