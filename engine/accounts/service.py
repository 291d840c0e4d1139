"""Account creation and password checks (argon2id, never plain hashes)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.enums import Role
from engine.accounts.models import User
from engine.exceptions import ValidationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Hash a password with argon2id and a random salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def create_user(
    session: Session, *, email: str, password: str, role: Role, business_id: int | None
) -> User:
    """Create a login; rejects short passwords and duplicate emails with a clear message."""
    email = email.strip().lower()
    if len(password) < 8:
        raise ValidationError("Passwords need at least 8 characters.")
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise ValidationError(f"An account for {email} already exists.")
    user = User(
        email=email, password_hash=hash_password(password), role=role, business_id=business_id
    )
    session.add(user)
    session.flush()
    return user
