"""Dependencies of the owner API as ``Annotated`` aliases: the unit of work and the caller.

``Work`` is one unit of work per request (``application.unit_of_work``), committed when the
handler returns and rolled back when it raises, before the response is sent
(``scope="function"``), so a 2xx means "it is stored"; what it queued for a guest (a refund, a
staff reply, a payment link) goes to the send job once it commits. ``Tx`` is its session.
Callers are identified by their access token, which names only the user and the login; their
role and business come from the user row, read with the login in one indexed lookup per request,
so a demotion, a deactivation or a logout counts from the next request. ``StaffUser`` /
``OwnerUser`` / ``AdminUser`` add the role check, and ``tenant`` is the business every query of a
request is scoped to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from admin_api.auth.tokens import Identity, TokenError, TokenService
from application.unit_of_work import UnitOfWork, unit_of_work
from engine.accounts.enums import Role
from engine.accounts.logins import login_user
from engine.exceptions import NotFoundError
from infra.deps import RuntimeDep

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
BEARER = {"WWW-Authenticate": "Bearer"}


def get_work(runtime: RuntimeDep) -> Iterator[UnitOfWork]:
    """One unit of work per request: commit on return, roll back on error."""
    with unit_of_work(runtime) as uow:
        yield uow


Work = Annotated[UnitOfWork, Depends(get_work, scope="function")]


def get_tx(uow: Work) -> Session:
    """The request's session (the same unit of work for every dependency of a request)."""
    return uow.session


Tx = Annotated[Session, Depends(get_tx)]


def get_tokens(runtime: RuntimeDep) -> TokenService:
    """Token issuing and checking with the process's signing key and Redis."""
    return TokenService(runtime.redis, runtime.settings.signing_key())


Tokens = Annotated[TokenService, Depends(get_tokens)]


def unauthorized(detail: str = "Not authenticated.") -> HTTPException:
    """A 401 that tells the client to log in with a bearer token."""
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers=BEARER)


@dataclass(frozen=True)
class Principal:
    """Who is calling and what they may do, as the database says right now."""

    user_id: int
    business_id: int | None
    role: Role
    login_id: str


def load_principal(session: Session, identity: Identity) -> Principal:
    """The principal of a live login of an active account; NotFoundError otherwise."""
    user = login_user(session, user_id=identity.user_id, login_id=identity.login_id)
    return Principal(user.id, user.business_id, user.role, identity.login_id)


def current_principal(
    tokens: Tokens, session: Tx, token: Annotated[str | None, Depends(oauth2)]
) -> Principal:
    """The caller of a valid access token whose login and account are still live."""
    if token is None:
        raise unauthorized()
    try:
        return load_principal(session, tokens.verify(token))
    except (TokenError, NotFoundError) as exc:
        raise unauthorized("Invalid or expired token.") from exc


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting only callers with one of ``roles``."""

    def check(principal: CurrentUser) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Your role does not allow this.")
        return principal

    return check


StaffUser = Annotated[Principal, Depends(require(Role.OWNER, Role.STAFF))]
OwnerUser = Annotated[Principal, Depends(require(Role.OWNER))]
AdminUser = Annotated[Principal, Depends(require(Role.ADMIN))]


def tenant(principal: Principal) -> int:
    """The business a staff or owner request is scoped to."""
    assert principal.business_id is not None, "owners and staff always belong to a business"
    return principal.business_id


def actor(principal: Principal) -> str:
    """How the audit trail names the caller."""
    return f"{principal.role.value}:{principal.user_id}"
