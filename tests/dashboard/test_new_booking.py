"""Staff take a phone or walk-in booking in the browser; the engine's refusals show inline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.enums import BookingStatus, Channel
from engine.bookings.models import Booking
from engine.inventory.models import RoomType
from tests.dashboard.bookings import demo_hotel
from tests.dashboard.owner import log_in, open_view, wait_loaded
from tests.stack import Stack


def _fill_stay(page: Page, phone: str, check_in: date, suite_id: int) -> None:
    page.get_by_label("Guest phone").fill(phone)
    page.get_by_label("Guest name").fill("Kiran")
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Check-out").fill((check_in + timedelta(days=2)).isoformat())
    page.get_by_label("Room type").select_option(str(suite_id))
    page.get_by_role("button", name="Book").click()


def test_a_phone_booking_is_confirmed_and_a_sold_out_room_is_refused_inline(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions() as session:
        hotel = demo_hotel(session)
        suite = session.scalars(
            select(RoomType).where(RoomType.venue_id == hotel.id, RoomType.name == "Suite")
        ).one()
        suite_id, check_in = suite.id, datetime.now(hotel.tz).date() + timedelta(days=7)
    log_in(page, demo.url)
    open_view(page, "new")
    _fill_stay(page, "+919822222222", check_in, suite_id)
    expect(page.locator("#view h1")).to_contain_text("Booking BK-")
    wait_loaded(page)
    expect(page.locator(".badge").first).to_have_text("confirmed")
    with sessions() as session:
        (made,) = session.scalars(select(Booking).where(Booking.room_type_id == suite_id))
        assert (made.channel, made.status, made.amount) == (
            Channel.PHONE,
            BookingStatus.CONFIRMED,
            1_800_000,  # two nights at ₹9,000
        )

    open_view(page, "new")  # the only suite is taken now
    _fill_stay(page, "+919833333333", check_in, suite_id)
    expect(page.locator("#new-booking-problem [role='alert']")).not_to_be_empty()
    expect(page.locator("#view h1")).to_contain_text("New booking")


def test_a_walk_in_table_is_booked_at_the_time_on_the_restaurants_clock(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    log_in(page, demo.url)
    page.locator("#venue-select").select_option(label="Spice Garden")
    open_view(page, "new")
    day = datetime.now(UTC).date() + timedelta(days=8)
    page.get_by_label("Booked by").select_option("walk_in")
    page.get_by_label("Guest phone").fill("+919844444444")
    page.get_by_label("Guests", exact=True).fill("4")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Time", exact=True).fill("20:00")
    page.get_by_role("button", name="Book").click()
    expect(page.locator("#view h1")).to_contain_text("Booking BK-")
    with sessions() as session:
        (made,) = session.scalars(select(Booking).where(Booking.channel == Channel.WALK_IN))
        # 20:00 in Kolkata (UTC+5:30) is 14:30 UTC.
        assert made.starts_at == datetime.combine(day, clock(14, 30), tzinfo=UTC)
        assert made.party_size == 4
