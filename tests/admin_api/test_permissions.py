"""The permission matrix: every /api/v1 route × {owner, staff, another tenant's owner, platform
admin, anonymous, expired token} answers as its access level says.

Cases are generated from the app's route table; ``ACCESS`` says who may call each route and
gives a sample request. A route missing from ``ACCESS`` fails ``test_every_route_is_listed``,
so a new endpoint cannot ship without deciding who may call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import pytest
from fastapi.testclient import TestClient

from admin_api.api import PREFIX
from bookline.app import create_app
from tests.admin_api.conftest import World, second_owner
from tests.settings import sandbox_settings


class Level(Enum):
    """Who may call a route."""

    PUBLIC = "anyone; the bearer token is not looked at (their own tests check outcomes)"
    LOGGED_IN = "any valid token"
    STAFF = "owners and staff of the business"
    OWNER = "owners of the business"
    ADMIN = "platform admins"


@dataclass(frozen=True)
class Access:
    """A route's level and a sample request (``ids`` name world ids to use for path params,
    ``query_ids`` for query params; ``stream`` marks an endless response: only its status is
    read, then the client hangs up, as a dashboard closing the page)."""

    level: Level
    json: dict[str, Any] | None = None
    query: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    query_ids: dict[str, str] = field(default_factory=dict)
    stream: bool = False


SOON = (datetime.now(UTC) + timedelta(days=60)).date()
RANGE = {"start": SOON.isoformat(), "end": (SOON + timedelta(days=3)).isoformat()}
RESTAURANT = {"venue_id": "restaurant_id"}
SANDBOX_GUEST = {"channel": "sms", "phone": "+919800000077"}

ACCESS: dict[tuple[str, str], Access] = {
    ("POST", "/auth/register"): Access(
        Level.PUBLIC, {"business_name": "X", "email": "new@x.test", "password": "long-enough"}
    ),
    ("POST", "/auth/token"): Access(Level.PUBLIC),
    ("POST", "/auth/refresh"): Access(Level.PUBLIC, {"refresh_token": "nope"}),
    ("POST", "/auth/logout"): Access(Level.LOGGED_IN, {}),
    ("GET", "/auth/me"): Access(Level.LOGGED_IN),
    ("GET", "/calendar/{token}.ics"): Access(Level.PUBLIC),
    ("GET", "/users"): Access(Level.OWNER),
    ("POST", "/users"): Access(
        Level.OWNER, {"email": "new-staff@demo.test", "password": "long-enough"}
    ),
    ("PATCH", "/users/{user_id}"): Access(Level.OWNER, {"active": False}),
    ("GET", "/admin/businesses"): Access(Level.ADMIN),
    ("GET", "/venues"): Access(Level.STAFF),
    ("POST", "/venues"): Access(Level.OWNER, {"kind": "restaurant", "name": "New Place"}),
    ("GET", "/venues/{venue_id}"): Access(Level.STAFF),
    ("PATCH", "/venues/{venue_id}"): Access(Level.OWNER, {"hold_minutes": 20}),
    ("GET", "/venues/{venue_id}/calendar"): Access(Level.OWNER),
    ("POST", "/venues/{venue_id}/calendar/rotate"): Access(Level.OWNER),
    ("GET", "/venues/{venue_id}/answers"): Access(Level.STAFF),
    ("PUT", "/venues/{venue_id}/answers"): Access(
        Level.OWNER, {"facts": {"pets": {"text": "No pets."}}, "questions": []}
    ),
    ("GET", "/venues/{venue_id}/room-types"): Access(Level.STAFF),
    ("POST", "/venues/{venue_id}/room-types"): Access(
        Level.OWNER, {"name": "Loft", "capacity": 2, "nightly_rate": 100_000}
    ),
    ("PATCH", "/room-types/{room_type_id}"): Access(Level.OWNER, {"nightly_rate": 360_000}),
    ("DELETE", "/room-types/{room_type_id}"): Access(Level.OWNER),
    ("GET", "/venues/{venue_id}/rooms"): Access(Level.STAFF),
    ("POST", "/room-types/{room_type_id}/rooms"): Access(Level.OWNER, {"number": "109"}),
    ("PATCH", "/rooms/{room_id}"): Access(Level.OWNER, {"active": False}),
    ("DELETE", "/rooms/{room_id}"): Access(Level.OWNER),
    ("GET", "/room-types/{room_type_id}/rates"): Access(Level.STAFF, query=RANGE),
    ("PUT", "/room-types/{room_type_id}/rates"): Access(
        Level.OWNER, {**RANGE, "nightly_rate": 400_000}
    ),
    ("DELETE", "/room-types/{room_type_id}/rates"): Access(Level.OWNER, query=RANGE),
    ("GET", "/venues/{venue_id}/tables"): Access(Level.STAFF, ids=RESTAURANT),
    ("POST", "/venues/{venue_id}/tables"): Access(
        Level.OWNER, {"label": "T99", "seats": 2}, ids=RESTAURANT
    ),
    ("PATCH", "/tables/{table_id}"): Access(Level.OWNER, {"seats": 3}),
    ("DELETE", "/tables/{table_id}"): Access(Level.OWNER),
    ("GET", "/venues/{venue_id}/opening-hours"): Access(Level.STAFF, ids=RESTAURANT),
    ("POST", "/venues/{venue_id}/opening-hours"): Access(
        Level.OWNER, {"weekday": 0, "opens": "12:00", "closes": "15:00"}, ids=RESTAURANT
    ),
    ("PATCH", "/opening-hours/{hours_id}"): Access(Level.OWNER, {"closes": "23:30"}),
    ("DELETE", "/opening-hours/{hours_id}"): Access(Level.OWNER),
    ("GET", "/venues/{venue_id}/closures"): Access(Level.STAFF),
    ("POST", "/venues/{venue_id}/closures"): Access(Level.OWNER, {"day": RANGE["start"]}),
    ("DELETE", "/closures/{closure_id}"): Access(Level.OWNER),
    ("GET", "/bookings"): Access(Level.STAFF),
    ("POST", "/bookings"): Access(
        Level.STAFF,
        {
            "venue_id": 0,  # replaced by the world's hotel
            "guest_phone": "+919800000055",
            "party_size": 2,
            "check_in": RANGE["start"],
            "check_out": RANGE["end"],
            "room_type_id": 0,
        },
    ),
    ("GET", "/bookings/export.csv"): Access(Level.STAFF),
    ("GET", "/bookings/{reference}"): Access(Level.STAFF),
    ("GET", "/bookings/{reference}/refund-quote"): Access(Level.STAFF),
    ("GET", "/bookings/{reference}/payments"): Access(Level.STAFF),
    ("POST", "/bookings/{reference}/cancel"): Access(Level.STAFF, {"refund": "none"}),
    ("POST", "/bookings/{reference}/no-show"): Access(Level.STAFF),
    ("POST", "/bookings/{reference}/complete"): Access(Level.STAFF),
    ("POST", "/bookings/{reference}/move"): Access(Level.STAFF, {"party_size": 1}),
    ("POST", "/bookings/{reference}/approve"): Access(Level.STAFF),
    ("POST", "/bookings/{reference}/accept"): Access(Level.OWNER),
    ("POST", "/bookings/{reference}/decline"): Access(Level.OWNER),
    ("POST", "/bookings/{reference}/rooms/{room_id}/cancel"): Access(Level.STAFF),
    ("POST", "/bookings/{reference}/arrived"): Access(Level.STAFF),
    ("POST", "/bookings/{reference}/undo-arrival"): Access(Level.STAFF),
    ("POST", "/bookings/{reference}/undo-no-show"): Access(Level.STAFF),
    ("GET", "/venues/{venue_id}/not-arrived"): Access(Level.STAFF),
    ("GET", "/risk/reviews"): Access(Level.STAFF),
    ("GET", "/payments/flags"): Access(Level.STAFF),
    ("GET", "/payments/{payment_id}"): Access(Level.STAFF),
    # more than was paid: the owner gets a 409 and nothing goes out
    ("POST", "/payments/{payment_id}/refunds"): Access(Level.OWNER, {"amount": 10**12}),
    ("POST", "/payments/flags/{flag_id}/resolve"): Access(Level.OWNER, {"note": "checked"}),
    ("GET", "/guests"): Access(Level.STAFF),
    ("GET", "/guests/{guest_id}"): Access(Level.STAFF),
    ("GET", "/conversations"): Access(Level.STAFF),
    ("GET", "/conversations/inbox"): Access(Level.STAFF),
    ("GET", "/conversations/{venue_id}/{channel}/{guest_phone}"): Access(Level.STAFF),
    ("POST", "/conversations/{venue_id}/{channel}/{guest_phone}/reply"): Access(
        Level.STAFF, {"text": "Hello from the desk"}
    ),
    ("POST", "/conversations/{venue_id}/{channel}/{guest_phone}/hand-back"): Access(Level.STAFF),
    ("GET", "/venues/{venue_id}/analytics"): Access(Level.OWNER, query=RANGE),
    ("GET", "/venues/{venue_id}/recommendations"): Access(Level.OWNER),
    ("GET", "/live"): Access(Level.STAFF, stream=True),
    ("POST", "/sandbox/messages"): Access(
        Level.STAFF, {"venue_id": 0, **SANDBOX_GUEST, "text": "hi"}
    ),
    ("GET", "/sandbox/messages"): Access(
        Level.STAFF, query=SANDBOX_GUEST, query_ids={"venue_id": "venue_id"}
    ),
}
CALLERS = ("anonymous", "expired", "other", "admin", "staff", "owner")


def api_routes() -> list[tuple[str, str]]:
    """(METHOD, path below the prefix) of every /api/v1 route of a freshly built app.

    Read from the app's OpenAPI document, which lists every route (none is hidden from it).
    """
    app = create_app(sandbox_settings("sqlite://", None, allow_signup=True))
    return sorted(
        (method.upper(), path.removeprefix(PREFIX))
        for path, operations in app.openapi()["paths"].items()
        if path.startswith(PREFIX)
        for method in operations
    )


ROUTES = api_routes()


def test_every_route_is_listed() -> None:
    assert set(ROUTES) == set(ACCESS), "add new routes to ACCESS with their level"


def expected(access: Access, caller: str, scoped: bool) -> str:
    """ "401", "403", "404" or "ok" (anything but those and 5xx) for a caller."""
    level = access.level
    if caller in ("anonymous", "expired"):
        return "401"
    if level == Level.LOGGED_IN:
        return "ok"
    if caller == "admin":
        return "ok" if level == Level.ADMIN else "403"
    if level == Level.ADMIN or (level == Level.OWNER and caller == "staff"):
        return "403"
    return "404" if caller == "other" and scoped else "ok"


def _call(client: TestClient, world: World, method: str, path: str, access: Access, caller: str):
    params = {name: world.ids[source] for name, source in access.ids.items()}
    url = PREFIX + path.format(**{**world.ids, **params})
    query = {**access.query, **{name: world.ids[id_] for name, id_ in access.query_ids.items()}}
    body = access.json
    if body is not None and "venue_id" in body:
        body = {
            **body,
            "venue_id": world.ids["venue_id"],
            "room_type_id": world.ids["room_type_id"],
        }
    headers = world.headers.get(caller, {})
    if access.stream:
        with client.stream(method, url, params=query, headers=headers) as response:
            if response.status_code != 200:
                response.read()  # an error answer is short and complete
            return response
    return client.request(method, url, json=body, params=query, headers=headers)


@pytest.mark.usefixtures("served")  # the sandbox posts real webhooks to PUBLIC_BASE_URL
@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_route_answers_each_caller_as_its_level_says(
    client: TestClient, world: World, method: str, path: str
) -> None:
    access = ACCESS[(method, path)]
    answers = {c: _call(client, world, method, path, access, c) for c in CALLERS}
    assert all(r.status_code < 500 for r in answers.values()), answers
    if access.level == Level.PUBLIC:
        assert all(r.status_code != 403 for r in answers.values()), answers
        return
    # another tenant's ids
    scoped = "{" in path or "venue_id" in (access.json or {}) or bool(access.query_ids)
    for caller, response in answers.items():
        want = expected(access, caller, scoped)
        got = str(response.status_code)
        if want == "ok":
            assert got not in ("401", "403", "404"), (caller, got, response.text)
        else:
            assert got == want, (caller, got, response.text)


def test_a_demoted_owner_loses_owner_powers_at_once(client: TestClient, world: World) -> None:
    user_id, token = second_owner(client, world)
    headers = {"Authorization": f"Bearer {token}"}
    demote = client.patch(
        f"{PREFIX}/users/{user_id}", json={"role": "staff"}, headers=world.headers["owner"]
    )
    assert demote.status_code == 200
    backdoor = {"email": "backdoor@demo.test", "password": "long-enough", "role": "owner"}
    assert client.post(f"{PREFIX}/users", json=backdoor, headers=headers).status_code == 403
    assert client.get(f"{PREFIX}/users", headers=headers).status_code == 403
    assert client.get(f"{PREFIX}/venues", headers=headers).status_code == 200  # staff still
