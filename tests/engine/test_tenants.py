"""Venue lookups: by id within a business, by slug, by the number a message was sent to."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from engine.exceptions import NotFoundError
from engine.tenants.service import get_venue, venue_by_channel_address, venue_by_slug
from tests.engine.conftest import Demo


def test_venue_is_visible_to_its_own_business_only(session: Session, demo: Demo) -> None:
    business_id = demo.hotel.business_id
    assert get_venue(session, venue_id=demo.hotel.id, business_id=business_id) is demo.hotel
    assert get_venue(session, venue_id=demo.hotel.id) is demo.hotel
    with pytest.raises(NotFoundError):
        get_venue(session, venue_id=demo.hotel.id, business_id=business_id + 1)
    with pytest.raises(NotFoundError):
        get_venue(session, venue_id=999_999)


def test_venue_by_slug(session: Session, demo: Demo) -> None:
    assert venue_by_slug(session, slug="spice-garden") is demo.restaurant
    with pytest.raises(NotFoundError, match="nowhere"):
        venue_by_slug(session, slug="nowhere")


def test_venue_by_channel_address(session: Session, demo: Demo) -> None:
    assert venue_by_channel_address(session, sms_number="+15005550006") is demo.hotel
    assert venue_by_channel_address(session, whatsapp_id="100000000000002") is demo.restaurant
    assert venue_by_channel_address(session, sms_number="+15005550000") is None
    assert venue_by_channel_address(session) is None
