"""Sign-up, OAuth2 password login, refresh-token rotation, logout and "who am I"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from admin_api.auth.ratelimit import LoginThrottle, TooManyAttemptsError
from admin_api.auth.tokens import Identity, ReplayedTokenError, TokenError, TokenService
from admin_api.deps import BEARER, CurrentUser, Tokens, Tx, unauthorized
from admin_api.schemas.auth import Me, RefreshRequest, Registration
from admin_api.schemas.auth import Tokens as TokenPair
from admin_api.schemas.common import errors
from engine.accounts.logins import end_login, login_user, open_login
from engine.accounts.models import User
from engine.accounts.service import active_user, authenticate, register_business
from engine.exceptions import NotFoundError
from infra.deps import RuntimeDep

router = APIRouter(prefix="/auth", tags=["auth"])
#: Public sign-up, mounted only with ALLOW_SIGNUP (``bookline create-owner`` otherwise).
signup_router = APIRouter(prefix="/auth", tags=["auth"])
REFRESH_REFUSED = "Invalid or expired refresh token."


def _pair(tokens: TokenService, identity: Identity) -> TokenPair:
    issued = tokens.issue(identity)
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


def _log_in(session: Session, tokens: TokenService, user: User) -> TokenPair:
    """A new login session for ``user`` and its first token pair."""
    login = open_login(session, user=user)
    return _pair(tokens, Identity(user.id, login.id))


@signup_router.post("/register", status_code=201, responses=errors(422))
def register(body: Registration, session: Tx, tokens: Tokens) -> TokenPair:
    """Create a business and its owner account, and log the owner in (with ALLOW_SIGNUP only)."""
    user = register_business(
        session, business_name=body.business_name, email=body.email, password=body.password
    )
    return _log_in(session, tokens, user)


@router.post("/token", responses=errors(401, 422, 429))
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: Tx,
    tokens: Tokens,
    runtime: RuntimeDep,
) -> TokenPair:
    """OAuth2 password login (``username`` is the email); failures are rate-limited."""
    address = request.client.host if request.client else "unknown"
    throttle = LoginThrottle(runtime.redis, form.username, address)
    try:
        throttle.check()
    except TooManyAttemptsError as exc:
        headers = {"Retry-After": str(exc.retry_after)}
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(exc), headers) from exc
    user = authenticate(session, email=form.username, password=form.password)
    if user is None:
        throttle.failed()
        raise unauthorized("Incorrect email or password.")
    throttle.succeeded()
    return _log_in(session, tokens, user)


@router.post("/refresh", response_model=TokenPair, responses=errors(401, 422))
def refresh(body: RefreshRequest, session: Tx, tokens: Tokens) -> TokenPair | JSONResponse:
    """Swap a refresh token for a new pair; each refresh token works once, while its login lasts.

    A spent token presented again ends its whole login. The 401 is returned, not raised, so the
    request's transaction commits that ending.
    """
    try:
        identity = tokens.redeem(body.refresh_token)
        login_user(session, user_id=identity.user_id, login_id=identity.login_id)
    except ReplayedTokenError as exc:
        end_login(session, login_id=exc.login_id)
        return JSONResponse({"detail": REFRESH_REFUSED}, status.HTTP_401_UNAUTHORIZED, BEARER)
    except (TokenError, NotFoundError) as exc:
        raise unauthorized(REFRESH_REFUSED) from exc
    return _pair(tokens, identity)


@router.post("/logout", status_code=204, responses=errors(401))
def logout(principal: CurrentUser, session: Tx, tokens: Tokens) -> Response:
    """End this login: its access and refresh tokens stop working, for good."""
    end_login(session, login_id=principal.login_id)
    tokens.forget(principal.login_id)
    return Response(status_code=204)


@router.get("/me", responses=errors(401))
def me(principal: CurrentUser, session: Tx) -> Me:
    """The logged-in account."""
    user = active_user(session, user_id=principal.user_id)
    return Me(user_id=user.id, email=user.email, role=user.role, business_id=user.business_id)
