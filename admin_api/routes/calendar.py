"""The public iCalendar feed: the secret token in the URL is the only credential."""

from __future__ import annotations

from fastapi import APIRouter, Response

from admin_api.deps import Tx
from admin_api.schemas.common import QueryId, errors
from engine.calendar.service import venue_feed, venue_for_token
from infra.deps import RuntimeDep

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get(
    "/{token}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, **errors(404, 422)},
)
def feed(
    token: str, session: Tx, runtime: RuntimeDep, room_type_id: QueryId | None = None
) -> Response:
    """The venue's confirmed bookings as an iCalendar feed (optionally one room type)."""
    venue = venue_for_token(session, token=token, secret=runtime.settings.signing_key())
    body = venue_feed(session, venue=venue, room_type_id=room_type_id)
    return Response(body, media_type="text/calendar; charset=utf-8")
