"""Analytics per venue and date range (owners only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from admin_api.deps import OwnerUser, Tx, tenant
from admin_api.schemas.common import PathId
from engine.analytics.service import Report, venue_report
from engine.tenants.service import get_venue

router = APIRouter(tags=["analytics"])


@router.get("/venues/{venue_id}/analytics")
def analytics(
    venue_id: PathId,
    start: Annotated[date, Query(description="First local date")],
    end: Annotated[date, Query(description="Last local date (inclusive)")],
    principal: OwnerUser,
    session: Tx,
    as_of: Annotated[
        AwareDatetime | None,
        Query(description="The no-show rate counts bookings due by then (default: now)"),
    ] = None,
) -> Report:
    """Occupancy or covers, revenue, channels, funnel, popular times, lead time and rates."""
    venue = get_venue(session, venue_id=venue_id, business_id=tenant(principal))
    return venue_report(session, venue=venue, start=start, end=end, as_of=as_of)
