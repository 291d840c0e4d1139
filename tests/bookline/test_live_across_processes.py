"""Live updates across API processes: a booking made through one process reaches, within 2 s,
a dashboard connected to another, because every process relays the Redis event bus."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from admin_api.auth.tokens import TokenService
from application.unit_of_work import unit_of_work
from engine.accounts.models import User
from engine.inventory.models import RoomType
from engine.seed import OWNER_EMAIL, seed_demo
from tests.admin_api.conftest import mint
from tests.settings import SECRET_KEY
from tests.stack import live_feed, running_stack

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="the embedded default serves one API process by design; set REDIS_URL for two",
)


def test_a_booking_made_on_one_api_process_is_seen_live_on_another(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    with running_stack(database_url, second_api=True) as stack:
        with unit_of_work(stack.runtime) as uow:
            session = uow.session
            hotel = next(v for v in seed_demo(session).venues if v.slug == "seaside-hotel")
            owner = session.scalars(select(User).where(User.email == OWNER_EMAIL)).one()
            room_type = session.scalars(
                select(RoomType).where(RoomType.venue_id == hotel.id)
            ).first()
            assert room_type is not None
            token = mint(session, TokenService(stack.runtime.redis, SECRET_KEY), owner)
            check_in = datetime.now(UTC).date() + timedelta(days=20)
            walk_in = {
                "venue_id": hotel.id,
                "guest_phone": "+919800000099",
                "party_size": 2,
                "check_in": check_in.isoformat(),
                "check_out": (check_in + timedelta(days=2)).isoformat(),
                "room_type_id": room_type.id,
            }
        assert stack.other_url is not None
        with live_feed(stack.other_url, token, within=2.0) as feed:
            made = httpx.post(
                f"{stack.url}/api/v1/bookings",
                json=walk_in,
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            assert made.status_code == 201, made.text
            created, confirmed = feed.next_event(), feed.next_event()
    reference = made.json()["reference"]
    assert created[0] == "booking.created" and created[1]["reference"] == reference
    assert confirmed[0] == "booking.changed" and confirmed[1]["status"] == "confirmed"
