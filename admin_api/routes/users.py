"""The business's logins (owners only) and the platform admin's list of businesses."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from admin_api.deps import AdminUser, OwnerUser, Tx, tenant
from admin_api.schemas.common import ORM, PathId
from admin_api.schemas.users import UserCreate, UserOut, UserUpdate
from engine.accounts.service import add_user, list_users, update_user
from engine.tenants.service import list_businesses

router = APIRouter(tags=["users"])


@router.get("/users")
def users(principal: OwnerUser, session: Tx) -> list[UserOut]:
    """Everyone who can log into this business."""
    rows = list_users(session, business_id=tenant(principal))
    return [UserOut.model_validate(row) for row in rows]


@router.post("/users", status_code=201)
def create_user(body: UserCreate, principal: OwnerUser, session: Tx) -> UserOut:
    """Add a staff member (or another owner)."""
    user = add_user(
        session,
        business_id=tenant(principal),
        email=body.email,
        password=body.password,
        role=body.role,
    )
    return UserOut.model_validate(user)


@router.patch("/users/{user_id}")
def change_user(user_id: PathId, body: UserUpdate, principal: OwnerUser, session: Tx) -> UserOut:
    """Change a colleague's role, or deactivate / reactivate their login."""
    user = update_user(
        session,
        business_id=tenant(principal),
        user_id=user_id,
        acting_user_id=principal.user_id,
        role=body.role,
        active=body.active,
    )
    return UserOut.model_validate(user)


class BusinessOut(ORM):
    id: int
    name: str
    slug: str
    created_at: datetime


class BusinessList(BaseModel):
    businesses: list[BusinessOut]


@router.get("/admin/businesses")
def businesses(_principal: AdminUser, session: Tx) -> BusinessList:
    """Every tenant on the platform (platform admins only)."""
    rows = list_businesses(session)
    return BusinessList(businesses=[BusinessOut.model_validate(row) for row in rows])
