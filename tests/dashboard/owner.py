"""The owner's side of the browser tests: logging in and waiting for views to finish loading."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from engine.seed import OWNER_EMAIL, OWNER_PASSWORD

LOAD_TIMEOUT_MS = 15_000


def log_in(page: Page, url: str) -> None:
    """Open the dashboard and log in through the form, as the owner would."""
    page.goto(f"{url}/dashboard")
    page.get_by_label("Email").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#view h1")).to_contain_text("Today at", timeout=LOAD_TIMEOUT_MS)


def open_view(page: Page, view: str) -> None:
    """Go to a view by its hash route and wait until nothing in it is loading any more."""
    page.evaluate("view => { location.hash = '#/' + view; }", view)
    wait_loaded(page)


def wait_loaded(page: Page) -> None:
    """Wait until the view has content and no part of it is busy."""
    expect(page.locator("#view h1")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(page.locator("#view [aria-busy='true']")).to_have_count(0, timeout=LOAD_TIMEOUT_MS)
