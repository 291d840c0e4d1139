"""The caller's own venue or inventory row, for the routes that name one in their path.

A route looks up what its URL names only inside the caller's business, so another tenant's
venue or row answers 404 like a missing one and its existence does not leak; these helpers are
the one place the routes say so.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from admin_api.deps import Principal, tenant
from engine.db import Base
from engine.inventory import service as inventory
from engine.tenants.models import Venue
from engine.tenants.service import get_venue

Row = TypeVar("Row", bound=Base)


def own_venue(session: Session, principal: Principal, venue_id: int) -> Venue:
    """The caller's venue ``venue_id``; NotFoundError (404) for anyone else's."""
    return get_venue(session, venue_id=venue_id, business_id=tenant(principal))


def own_item(session: Session, principal: Principal, kind: type[Row], item_id: int) -> Row:
    """The caller's inventory row of ``kind`` by id; NotFoundError (404) for anyone else's."""
    return inventory.get_item(session, kind=kind, item_id=item_id, business_id=tenant(principal))
