"""The inbox in the browser: a page of threads at a time with their last times and unanswered
counts, a search by guest name, phone or booking reference, and questions the bot could not
answer listed right after the guests handed to a person, as they are asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session, sessionmaker

from bot.choices import Thread
from bot.staff import take_over
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import MessageChannel
from engine.messaging.service import add_transcript
from tests.dashboard.bookings import confirmed_stay, demo_hotel
from tests.dashboard.owner import log_in, open_view, wait_loaded
from tests.dialogue.harness import ChatGuest
from tests.stack import Stack

GUESTS = 25
PAGE = 20


def seed_threads(session: Session) -> None:
    """25 hotel guests who wrote once and were answered; Farida Khan wrote twice more since."""
    hotel = demo_hotel(session)
    start = datetime.now(UTC) - timedelta(days=2)
    for n in range(GUESTS):
        phone = f"+91981234{n:04d}"
        name = "Farida Khan" if n == 7 else f"Guest {n}"
        get_or_create_guest(session, business_id=hotel.business_id, phone=phone, name=name)
        lines = [("in", "a room please"), ("out", "Which dates?")]
        if n == 7:
            lines += [("in", "24 Dec"), ("in", "for 2 nights")]
        for m, (direction, text) in enumerate(lines):
            add_transcript(
                session,
                venue_id=hotel.id,
                channel=MessageChannel.WHATSAPP,
                guest_phone=phone,
                direction=direction,
                text=text,
                now=start + timedelta(minutes=n * 10 + m),
            )


def test_the_inbox_shows_a_page_at_a_time_and_finds_a_guest_by_name_phone_or_reference(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        seed_threads(session)
        stay = confirmed_stay(session, datetime.now(UTC).date() + timedelta(days=4))
        reference, stay_phone = stay.reference, stay.guest.phone
        add_transcript(
            session,
            venue_id=stay.venue_id,
            channel=MessageChannel.WHATSAPP,
            guest_phone=stay_phone,
            direction="in",
            text="is breakfast included?",
        )
    log_in(page, demo.url)
    open_view(page, "inbox")

    threads = page.locator(".threads > li")
    expect(threads).to_have_count(PAGE)
    expect(page.locator("#inbox-counts")).to_have_text(
        f"0 waiting for a person · {GUESTS + 1} conversations"
    )
    expect(page.locator(".pager")).to_contain_text(f"1–{PAGE} of {GUESTS + 1}")
    page.get_by_role("button", name="Older").click()
    wait_loaded(page)
    expect(threads).to_have_count(GUESTS + 1 - PAGE)
    page.screenshot(path=artifacts / "inbox-page-2.png", full_page=True)

    search = page.get_by_label("Search conversations")
    search.fill("farida")
    expect(threads).to_have_count(1)
    expect(threads.first).to_contain_text("Farida Khan")
    expect(threads.first.locator(".badge-unread")).to_have_text("2")
    expect(threads.first.locator("time")).not_to_be_empty()
    search.fill("4 0012")
    expect(threads).to_have_count(1)
    expect(threads.first).to_contain_text("Guest 12")
    search.fill(reference.lower())
    expect(threads).to_have_count(1)
    expect(threads.first).to_contain_text("is breakfast included?")
    threads.first.get_by_role("link").click()
    wait_loaded(page)
    expect(page.locator(".transcript")).to_contain_text("is breakfast included?")
    page.screenshot(path=artifacts / "inbox-search.png", full_page=True)


def test_a_question_the_bot_could_not_answer_shows_up_after_the_handed_off_as_it_is_asked(
    demo: Stack, sessions: sessionmaker[Session], page: Page, artifacts: Path
) -> None:
    with sessions.begin() as session:
        seed_threads(session)
        hotel_id = demo_hotel(session).id
    handed = Thread(hotel_id, MessageChannel.WHATSAPP, "+919812340003")
    take_over(demo.runtime.redis, handed, now=datetime.now(UTC))
    log_in(page, demo.url)
    expect(page.locator("body")).to_have_attribute("data-live-state", "connected", timeout=10_000)
    open_view(page, "inbox")
    expect(page.locator("#inbox-counts")).to_have_text(
        f"1 waiting for a person · {GUESTS} conversations"
    )

    guest = ChatGuest(demo, sessions, "hotel", "sms")
    guest.say("is there a casino nearby?")
    threads = page.locator(".threads > li")
    expect(page.locator("#inbox-counts")).to_have_text(
        f"2 waiting for a person · {GUESTS + 1} conversations"
    )
    expect(page.locator("#inbox-waiting")).to_have_text("2")  # the menu, without a reload
    expect(threads.nth(0)).to_contain_text("Guest 3")
    asked = threads.nth(1)
    expect(asked).to_contain_text(guest.phone)
    expect(asked.locator(".badge-question")).to_have_text("1 question")
    expect(asked.locator(".thread-question")).to_have_text("Asked: is there a casino nearby?")
    expect(threads.nth(2).locator(".badge-question")).to_have_count(0)
    page.screenshot(path=artifacts / "inbox-questions.png", full_page=True)

    asked.get_by_role("link").click()
    wait_loaded(page)
    questions = page.get_by_role("region", name="Questions the bot could not answer")
    expect(questions).to_contain_text("is there a casino nearby?")
    page.get_by_label("Reply to the guest").fill("No casino, but the beach is lovely.")
    page.get_by_role("button", name="Send reply").click()
    expect(questions).to_have_count(0)
    page.get_by_role("button", name="Hand back to the bot").click()
    expect(page.locator("#inbox-waiting")).to_have_text("1")
    expect(page.locator(".threads .badge-question")).to_have_count(0)
