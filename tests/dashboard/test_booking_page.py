"""The booking page in the browser: the refund the API quotes before cancelling, moving a guest
to another room or other dates, and the room, payments and chat shown with the booking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Booking
from engine.inventory.models import Room
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript
from tests.admin_api.conftest import flagged_payment
from tests.dashboard.bookings import confirmed_stay, demo_hotel
from tests.dashboard.owner import log_in, open_view
from tests.stack import Stack


def _tomorrow_stay(sessions: sessionmaker[Session]) -> str:
    """A paid ₹11,000 stay arriving tomorrow at 14:00 Kolkata: 15 to 38 hours away."""
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        tomorrow = datetime.now(UTC).astimezone(hotel.tz).date() + timedelta(days=1)
        return confirmed_stay(session, tomorrow).reference


def test_the_cancel_form_shows_the_apis_policy_quote_and_why(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    reference = _tomorrow_stay(sessions)
    log_in(page, demo.url)
    with page.expect_response(lambda r: r.url.endswith(f"/{reference}/refund-quote")):
        open_view(page, f"bookings/{reference}")
        page.get_by_role("button", name="Cancel booking…").click()
    # Under 48 hours' notice the demo hotel refunds half of the ₹11,000 paid.
    expect(page.locator("#policy-refund")).to_have_text(
        "Policy refund: ₹5,500.00 (50% of ₹11,000.00 paid)"
    )
    reason = page.locator("#policy-reason")
    expect(reason).to_contain_text("h before the guest is due")
    expect(reason).to_contain_text("48 h or more: 100%; 0 h or more: 50%")
    page.get_by_role("button", name="Confirm cancellation").click()
    expect(page.locator("#refund-result")).to_contain_text("Refunded ₹5,500.00 (50%)")


def test_the_owner_moves_a_stay_to_the_suite_on_other_dates_after_a_refusal(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        arrival = datetime.now(UTC).astimezone(hotel.tz).date() + timedelta(days=10)
        reference = confirmed_stay(session, arrival).reference
        neighbour = confirmed_stay(session, arrival, phone="+919811111112")
        taken = int(neighbour.resources[0].split(":")[1])
        suite = session.scalars(select(Room).where(Room.number == "301")).one().id
    log_in(page, demo.url)
    open_view(page, f"bookings/{reference}")

    page.get_by_role("button", name="Move…").click()
    page.get_by_label("Room").select_option(str(taken))
    page.get_by_role("button", name="Move booking").click()
    expect(page.locator("#move-problem [role='alert']")).not_to_be_empty()

    later = arrival + timedelta(days=1)
    page.get_by_label("New check-in").fill(later.isoformat())
    page.get_by_label("New check-out").fill((later + timedelta(days=2)).isoformat())
    page.get_by_label("Room").select_option(str(suite))
    page.get_by_role("button", name="Move booking").click()
    expect(page.locator("#move-result")).to_have_text("Moved.")
    expect(page.locator(".trail")).to_contain_text("modified")
    with sessions() as session:
        moved = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        assert (moved.check_in, moved.resources) == (later, [f"room:{suite}"])


def test_the_page_shows_the_room_payments_and_chat_and_the_picker_follows_its_venue(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        stay = confirmed_stay(session, datetime.now(UTC).astimezone(hotel.tz).date())
        flagged_payment(session, stay, 5_500_00)
        (room_id,) = (int(resource.split(":")[1]) for resource in stay.resources)
        room = session.get(Room, room_id)
        assert room is not None
        number, reference, phone = room.number, stay.reference, stay.guest.phone
        for direction, text in [("in", "a deluxe room tonight"), ("out", "Shall I book it?")]:
            add_transcript(
                session,
                venue_id=hotel.id,
                channel=MessageChannel.WHATSAPP,
                guest_phone=phone,
                direction=direction,
                text=text,
                now=stay.created_at - timedelta(minutes=1),
            )
    log_in(page, demo.url)
    page.locator("#venue-select").select_option(label="Spice Garden")

    open_view(page, f"bookings/{reference}")
    expect(page.locator("#venue-select option:checked")).to_have_text("Seaside Hotel")
    expect(page.locator("#booking-place")).to_have_text(f"Room {number}")
    expect(page.locator(".facts")).to_contain_text("whatsapp")
    expect(page.locator("#payments")).to_contain_text("₹5,500.00 captured · flagged")
    expect(page.locator("#chat .transcript")).to_contain_text("a deluxe room tonight")
    page.screenshot(path=artifacts / "booking-page.png", full_page=True)
    page.get_by_role("link", name="Open the whole conversation").click()
    expect(page.locator(".inbox-thread .transcript")).to_contain_text("Shall I book it?")
