"""Login sessions: opened by a login, named by every token it is given, ended for good.

Who a caller is and what they may do is read from here and the user row on every request (one
indexed lookup), never from the token: a demotion or a deactivation counts at once, and a login
that was ended stays ended whatever happens to the cache its tokens are kept in.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from engine.accounts.models import LoginSession, User
from engine.db import utcnow
from engine.exceptions import NotFoundError


def open_login(session: Session, *, user: User) -> LoginSession:
    """A new login of ``user``, under a random id its tokens carry."""
    login = LoginSession(id=secrets.token_hex(16), user_id=user.id)
    session.add(login)
    session.flush()
    return login


def login_user(session: Session, *, user_id: int, login_id: str) -> User:
    """The active user of a login that has not ended; NotFoundError otherwise."""
    query = (
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.id == login_id, User.id == user_id)
        .where(LoginSession.ended_at.is_(None), User.active)
    )
    user = session.scalar(query)
    if user is None:
        raise NotFoundError("That login has ended, or its account was deactivated.")
    return user


def end_login(session: Session, *, login_id: str) -> None:
    """Log out: every token of this login stops working (ending it twice changes nothing)."""
    login = session.get(LoginSession, login_id)
    if login is not None and login.ended_at is None:
        login.ended_at = utcnow()


def end_logins_of(session: Session, *, user_id: int) -> None:
    """Log a user out everywhere (a deactivated account comes back with no live login)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def prune_ended_logins(session: Session, *, ended_before: datetime) -> int:
    """Forget logins that ended before ``ended_before``; returns how many.

    An ended login only answers "ended" to a token that names it, and an unknown id answers the
    same, so its row can go once the history is no longer worth keeping.
    """
    statement = delete(LoginSession).where(
        LoginSession.ended_at.is_not(None), LoginSession.ended_at < ended_before
    )
    return session.connection().execute(statement).rowcount
