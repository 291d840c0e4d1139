"""The caller's own venue or inventory row, for the routes that name one in their path.

A route looks up what its URL names only inside the caller's business, so another tenant's
venue or row answers 404 like a missing one and its existence does not leak; these helpers are
the one place the routes say so. ``add_listing`` and ``add_removal`` declare the inventory
routes that differ only in what they list or remove (a venue's tables, hours, closures, room
types, rooms), named as hand-written routes would be, so the OpenAPI document is the same.
"""

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from admin_api.deps import OwnerUser, Principal, StaffUser, Tx, tenant
from admin_api.schemas.common import MAX_ID, PathId
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


def add_listing(
    router: APIRouter, path: str, out: type[BaseModel], read: Callable[..., Sequence[Any]]
) -> None:
    """``GET path`` (path names ``{venue_id}``): what ``read`` lists for the caller's venue, as
    ``out``; staff may read. Named and described after ``read`` (``list_tables`` → "tables")."""

    def listing(venue_id: PathId, principal: StaffUser, session: Tx) -> list[Any]:
        venue = own_venue(session, principal, venue_id)
        return [out.model_validate(row) for row in read(session, venue=venue)]

    name = read.__name__.removeprefix("list_")
    listed = list[out]  # type: ignore[valid-type]  # a schema chosen per route, at import
    router.add_api_route(
        path, listing, methods=["GET"], name=name, response_model=listed, description=read.__doc__
    )


def add_removal(router: APIRouter, path: str, kind: type[Row], remove: Callable[..., None]) -> None:
    """``DELETE path`` (path names the row's id last, e.g. ``{table_id}``): the caller's row of
    ``kind`` removed by ``remove``, which takes it by that name (``table=``); owners only, 204.
    Named and described after ``remove``. (This module evaluates its annotations when a route
    is added: the path parameter's name is the route's.)"""
    param = path.rsplit("{", 1)[1].rstrip("}")
    argument = param.removesuffix("_id")

    def removal(
        item_id: Annotated[int, Path(alias=param, ge=1, le=MAX_ID)],
        principal: OwnerUser,
        session: Tx,
    ) -> Response:
        remove(session, **{argument: own_item(session, principal, kind, item_id)})
        return Response(status_code=204)

    router.add_api_route(
        path,
        removal,
        methods=["DELETE"],
        name=remove.__name__,
        status_code=204,
        description=remove.__doc__,
    )
