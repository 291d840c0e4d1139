"""Sign-up, login, refresh and the caller's own account."""

from __future__ import annotations

from pydantic import BaseModel, Field

from engine.accounts.enums import Role

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Registration(BaseModel):
    """A new business and its first owner."""

    business_name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=EMAIL, max_length=254)
    password: str = Field(min_length=8, max_length=256)


class Tokens(BaseModel):
    """An OAuth2 bearer token pair."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class RefreshRequest(BaseModel):
    """The refresh token to spend (it is replaced by the one returned)."""

    refresh_token: str = Field(min_length=1, max_length=200)


class Me(BaseModel):
    """The caller's account."""

    user_id: int
    email: str
    role: Role
    business_id: int | None
