"""The timeline calendar in the browser: a booking is one block over its time, lunch and dinner
are sections of their own with a line at now, a block dragged to another table and time is
moved by the engine (and a drag it refuses shows the engine's reason), and an empty cell starts
a desk booking there."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.bookings.models import Booking
from engine.inventory.models import Room, Table
from engine.tenants.models import Venue
from tests.admin_api.conftest import book_table
from tests.dashboard.bookings import confirmed_stay, demo_hotel
from tests.dashboard.owner import log_in, open_view, wait_loaded
from tests.stack import Stack

# Dinner is served every day (lunch is not, on Mondays); 19:00 is its first slot.
DINNER_OPENS = 19 * 60
SLOT_MINUTES = 15
TURN_SLOTS = 90 // SLOT_MINUTES
# A block is grabbed by its first slot, so the cell under the pointer is where it starts.
GRAB_X = 8


def restaurant(session: Session) -> Venue:
    return session.scalars(select(Venue).where(Venue.slug == "spice-garden")).one()


def table_id(session: Session, venue: Venue, label: str) -> int:
    return session.scalars(
        select(Table.id).where(Table.venue_id == venue.id, Table.label == label)
    ).one()


def booking(sessions: sessionmaker[Session], reference: str) -> Booking:
    with sessions() as session:
        return session.scalars(select(Booking).where(Booking.reference == reference)).one()


def tomorrow(venue: Venue) -> date:
    return datetime.now(UTC).astimezone(venue.tz).date() + timedelta(days=1)


def open_restaurant_day(page: Page, url: str, day: date) -> None:
    log_in(page, url)
    page.locator("#venue-select").select_option(label="Spice Garden")
    open_view(page, "calendar")
    picker = page.locator("#calendar-from")
    picker.fill(day.isoformat())
    picker.dispatch_event("change")
    wait_loaded(page)


# Both boxes read at once: a live update may redraw the grid at any moment (into the same place).
BOXES = """([block, target]) => {
  const cell = document.querySelector(target);
  cell.closest(".timeline-wrap").scrollIntoView();
  const box = (node) => { const r = node.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height }; };
  return [box(document.querySelector(block)), box(cell)];
}"""


def drag(page: Page, block: str, target: str) -> None:
    """Press on the block's first slot, move in steps and release over the target cell's
    middle, as a hand on a mouse would (the cell may lie under another booking's block)."""
    expect(page.locator(block)).to_be_visible()
    start, end = page.evaluate(BOXES, [block, target])
    page.mouse.move(start["x"] + GRAB_X, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()


def cell_at(table: int, minute: int) -> str:
    return f".tl-cell[data-resource='table:{table}'][data-at='{minute}']"


def cell(page: Page, table: int, minute: int) -> Locator:
    return page.locator(cell_at(table, minute))


def test_a_seating_is_one_block_over_its_time_in_the_dinner_section(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        venue = restaurant(session)
        day = tomorrow(venue)
        seated = book_table(session, venue, day, time(19, 30), 4, "+919811111120")
        reference, (resource,) = seated.reference, seated.resources
    open_restaurant_day(page, demo.url, day)

    dinner = page.locator("section.service").filter(has=page.locator("h2", has_text="Dinner"))
    blocks = page.locator(f".tl-block[data-reference='{reference}']")
    expect(blocks).to_have_count(1)
    expect(dinner.locator(f".tl-block[data-reference='{reference}']")).to_have_attribute(
        "data-resource", resource
    )
    # One block spanning the 90-minute turn: six 15-minute slots from 19:30 (the third column).
    assert blocks.evaluate("b => b.style.gridColumn") == f"4 / span {TURN_SLOTS}"
    expect(blocks.locator(".tl-party")).to_have_text("4")
    expect(blocks).to_have_attribute("aria-label", f"{reference}: +919811111120, party of 4, "
                                     "19:30–21:00, confirmed")  # fmt: skip
    headings = page.locator("section.service h2").all_inner_texts()
    assert [text.split()[0] for text in headings][-1] == "Dinner"
    page.screenshot(path=artifacts / "calendar-restaurant.png", full_page=True)


def test_a_stay_is_one_block_over_its_nights_and_a_line_marks_now(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        today = datetime.now(UTC).astimezone(demo_hotel(session).tz).date()
        reference = confirmed_stay(session, today + timedelta(days=2)).reference
    log_in(page, demo.url)
    open_view(page, "calendar")

    block = page.locator(f".tl-block[data-reference='{reference}']")
    expect(block).to_have_count(1)
    assert block.evaluate("b => b.style.gridColumn") == "4 / span 2"  # two nights, from the 3rd
    expect(page.locator(".tl-now")).to_have_count(1)
    box = block.bounding_box()
    now = page.locator(".tl-now").bounding_box()
    assert box is not None and now is not None and now["x"] < box["x"]  # today is before it
    page.screenshot(path=artifacts / "calendar-hotel.png", full_page=True)


def test_dragging_a_block_moves_the_booking_and_a_refused_drag_says_why(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        venue = restaurant(session)
        day = tomorrow(venue)
        moving = book_table(session, venue, day, time(19), 2, "+919811111121")
        other = book_table(session, venue, day, time(21), 2, "+919811111122")
        (other_table,) = other.resources
        t5 = table_id(session, venue, "T5")
        zone = venue.tz
    open_restaurant_day(page, demo.url, day)

    dragged = f".tl-block[data-reference='{moving.reference}']"
    block = page.locator(dragged)
    drag(page, dragged, cell_at(t5, DINNER_OPENS + 60))
    expect(page.locator("#calendar-moved")).to_have_text(
        f"Moved {moving.reference} to T5 at 20:00."
    )
    moved = booking(sessions, moving.reference)
    assert moved.resources == [f"table:{t5}"]
    assert moved.starts_at is not None
    assert moved.starts_at.astimezone(zone).time() == time(20)
    expect(block).to_have_attribute("data-resource", f"table:{t5}")

    # Onto the other guest's table at their time: the engine says no, and nothing moves.
    drag(page, dragged, cell_at(int(other_table.split(":")[1]), DINNER_OPENS + 120))
    refused = page.locator("#calendar-refused")
    expect(refused).to_contain_text(f"{moving.reference} was not moved: ")
    assert len(refused.inner_text()) > len(f"{moving.reference} was not moved: ") + 10
    page.screenshot(path=artifacts / "calendar-move-refused.png", full_page=True)
    still = booking(sessions, moving.reference)
    assert (still.resources, still.starts_at) == (moved.resources, moved.starts_at)


def test_an_empty_cell_starts_a_desk_booking_at_its_date_and_time(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        venue = restaurant(session)
        day = tomorrow(venue)
        t3 = table_id(session, venue, "T3")
        zone = venue.tz
    open_restaurant_day(page, demo.url, day)

    page.get_by_role("button", name="New booking: T3 at 20:30").click()
    wait_loaded(page)
    expect(page.locator("#view h1")).to_have_text("New booking · Spice Garden")
    expect(page.get_by_label("Date", exact=True)).to_have_value(day.isoformat())
    expect(page.get_by_label("Time")).to_have_value("20:30")
    assert cell(page, t3, 0).count() == 0  # the form replaced the calendar
    page.get_by_label("Guest phone").fill("+919811111123")
    page.get_by_role("button", name="Book").click()
    expect(page.locator("#view h1")).to_contain_text("Booking BK-")
    reference = page.locator("#view h1").inner_text().removeprefix("Booking ")
    made = booking(sessions, reference)
    assert made.starts_at is not None
    assert made.starts_at.astimezone(zone) == datetime.combine(day, time(20, 30), tzinfo=zone)


def test_dragging_a_stay_to_another_room_and_a_later_night_moves_it(
    demo: Stack, sessions: sessionmaker[Session], page: Page
) -> None:
    with sessions.begin() as session:
        hotel = demo_hotel(session)
        today = datetime.now(UTC).astimezone(hotel.tz).date()
        stay = confirmed_stay(session, today + timedelta(days=2))
        reference, (resource,) = stay.reference, stay.resources
        other = next(
            room
            for room in session.scalars(select(Room).where(Room.room_type_id == stay.room_type_id))
            if room.resource != resource
        )
        other_resource, other_number = other.resource, other.number
    log_in(page, demo.url)
    open_view(page, "calendar")

    later = (today + timedelta(days=3)).isoformat()
    drag(
        page,
        f".tl-block[data-reference='{reference}']",
        f".tl-cell[data-resource='{other_resource}'][data-at='{later}']",
    )
    expect(page.locator("#calendar-moved")).to_contain_text(
        f"Moved {reference} to room {other_number}, arriving "
    )
    moved = booking(sessions, reference)
    assert moved.resources == [other_resource]
    assert (moved.check_in, moved.check_out) == (
        today + timedelta(days=3),
        today + timedelta(days=5),
    )
