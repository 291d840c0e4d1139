"""Recommendations a venue made, each with what was taken and the features that drove it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from admin_api.deps import OwnerUser, Tx, tenant
from admin_api.schemas.common import PathId
from engine.recommendations.analytics import Explained, recent
from engine.tenants.service import get_venue

router = APIRouter(tags=["analytics"])


@router.get("/venues/{venue_id}/recommendations")
def recommendations(
    venue_id: PathId,
    principal: OwnerUser,
    session: Tx,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[Explained]:
    """The latest recommendations, newest first: offers, outcome, revenue and why."""
    venue = get_venue(session, venue_id=venue_id, business_id=tenant(principal))
    return recent(session, venue=venue, limit=limit)
