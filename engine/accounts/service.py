"""Account creation and password checks (argon2id, never plain hashes)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.enums import Role
from engine.accounts.logins import end_logins_of
from engine.accounts.models import User
from engine.exceptions import NotFoundError, ValidationError
from engine.tenants.service import create_business

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


def register_business(session: Session, *, business_name: str, email: str, password: str) -> User:
    """Sign-up: a new tenant and its first owner, in the caller's one transaction."""
    business = create_business(session, name=business_name)
    return create_user(
        session, email=email, password=password, role=Role.OWNER, business_id=business.id
    )


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with these credentials, else None; unknown emails cost a hash too."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        verify_password(_dummy_hash(), password)  # same work whether or not the email exists
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    return user


def active_user(session: Session, *, user_id: int) -> User:
    """A user that may still act (tokens of deleted or deactivated users stop working)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFoundError("That account does not exist or was deactivated.")
    return user


def list_users(session: Session, *, business_id: int) -> list[User]:
    """The business's logins, oldest first."""
    query = select(User).where(User.business_id == business_id).order_by(User.id)
    return list(session.scalars(query))


def add_user(session: Session, *, business_id: int, email: str, password: str, role: Role) -> User:
    """An owner adds a colleague; platform admins are never created from inside a business."""
    if role == Role.ADMIN:
        raise ValidationError("A business cannot create platform administrators.")
    return create_user(session, email=email, password=password, role=role, business_id=business_id)


def update_user(
    session: Session,
    *,
    business_id: int,
    user_id: int,
    acting_user_id: int,
    role: Role | None = None,
    active: bool | None = None,
) -> User:
    """Change a colleague's role or access; nobody locks themselves out by mistake.

    Deactivating also ends every login of the account, so reactivating it later revives none
    of its old tokens.
    """
    user = session.get(User, user_id)
    if user is None or user.business_id != business_id:
        raise NotFoundError("That account does not exist.")
    if user.id == acting_user_id and (active is False or role not in (None, user.role)):
        raise ValidationError("You cannot deactivate or demote your own account.")
    if role == Role.ADMIN:
        raise ValidationError("A business cannot create platform administrators.")
    user.role = role or user.role
    if active is False:
        end_logins_of(session, user_id=user.id)
    user.active = user.active if active is None else active
    return user
