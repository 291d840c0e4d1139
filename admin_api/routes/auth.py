"""Sign-up, OAuth2 password login, refresh-token rotation, logout and "who am I"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from admin_api.auth.ratelimit import LoginThrottle, TooManyAttemptsError
from admin_api.auth.tokens import TokenError, TokenService
from admin_api.deps import CurrentUser, Tokens, Tx, unauthorized
from admin_api.schemas.auth import LogoutRequest, Me, RefreshRequest, Registration
from admin_api.schemas.auth import Tokens as TokenPair
from admin_api.schemas.common import errors
from bookline.deps import RuntimeDep
from engine.accounts.models import User
from engine.accounts.service import active_user, authenticate, register_business
from engine.exceptions import NotFoundError

router = APIRouter(prefix="/auth", tags=["auth"])
#: Public sign-up, mounted only with ALLOW_SIGNUP (``bookline create-owner`` otherwise).
signup_router = APIRouter(prefix="/auth", tags=["auth"])


def _pair(tokens: TokenService, user: User, family: str | None = None) -> TokenPair:
    issued = tokens.issue(
        user_id=user.id, business_id=user.business_id, role=user.role, family=family
    )
    return TokenPair(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


@signup_router.post("/register", status_code=201, responses=errors(422))
def register(body: Registration, session: Tx, tokens: Tokens) -> TokenPair:
    """Create a business and its owner account, and log the owner in (with ALLOW_SIGNUP only)."""
    user = register_business(
        session, business_name=body.business_name, email=body.email, password=body.password
    )
    return _pair(tokens, user)


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
    return _pair(tokens, user)


@router.post("/refresh", responses=errors(401, 422))
def refresh(body: RefreshRequest, session: Tx, tokens: Tokens) -> TokenPair:
    """Swap a refresh token for a new pair; each refresh token works once."""
    try:
        user_id, family = tokens.redeem(body.refresh_token)
        user = active_user(session, user_id=user_id)
    except (TokenError, NotFoundError) as exc:
        raise unauthorized("Invalid or expired refresh token.") from exc
    return _pair(tokens, user, family)


@router.post("/logout", status_code=204, responses=errors(401, 422))
def logout(body: LogoutRequest, principal: CurrentUser, tokens: Tokens) -> Response:
    """End the session: this access token and its refresh tokens stop working."""
    tokens.deny(principal)
    owner = tokens.owner_of(body.refresh_token) if body.refresh_token else None
    if owner is not None and owner[0] == principal.user_id:
        tokens.revoke_family(owner[1])
    return Response(status_code=204)


@router.get("/me", responses=errors(401))
def me(principal: CurrentUser, session: Tx) -> Me:
    """The logged-in account."""
    user = active_user(session, user_id=principal.user_id)
    return Me(user_id=user.id, email=user.email, role=user.role, business_id=user.business_id)
