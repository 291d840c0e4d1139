"""A business's logins, managed by its owners."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from admin_api.schemas.auth import EMAIL
from admin_api.schemas.common import ORM
from engine.accounts.enums import Role


class UserOut(ORM):
    """A login of the business (never its password hash)."""

    id: int
    email: str
    role: Role
    active: bool
    created_at: datetime


class UserCreate(BaseModel):
    """A colleague to add."""

    email: str = Field(pattern=EMAIL, max_length=254)
    password: str = Field(min_length=8, max_length=256)
    role: Literal[Role.OWNER, Role.STAFF] = Role.STAFF


class UserUpdate(BaseModel):
    """Change a colleague's role or access."""

    role: Literal[Role.OWNER, Role.STAFF] | None = None
    active: bool | None = None
