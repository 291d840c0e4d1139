"""Dashboard tests: the real app served over HTTP (real workers on the real stack), a freshly
seeded demo business per test, and Debian's chromium driven by Playwright.

No browser is ever downloaded: Playwright launches ``/usr/bin/chromium`` (CI installs the
Debian package); without it the browser tests skip and say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from engine.seed import seed_demo
from tests.stack import Stack, running_stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)


@pytest.fixture(scope="package")
def stack(database_url: str) -> Iterator[Stack]:
    """One running app for the package (one worker on the real stack: each test is one owner
    and one guest, taking turns)."""
    with running_stack(database_url, workers=1) as running:
        yield running


@pytest.fixture
def demo(stack: Stack, sessions: sessionmaker[Session]) -> Stack:
    """The demo business seeded afresh, with empty Redis state and fake providers."""
    with sessions.begin() as session:
        seed_demo(session)
    stack.fake.reset()
    stack.fake.update_knobs(status_callbacks=False)  # receipts are the channel tests' subject
    for key in stack.runtime.redis.scan_iter("bookline:*"):
        stack.runtime.redis.delete(key)
    return stack


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, with a throwaway profile."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _tab(browser: Browser, **options: Any) -> Iterator[Page]:
    """A tab in a fresh context (no tokens carried between tests) that fails the test on any
    uncaught script error (a broken module shows as a blank view, not as an exception) and on
    anything the Content-Security-Policy blocked (the browser only logs it)."""
    context = browser.new_context(**options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: _note_blocked(message, errors))
    yield tab
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def _note_blocked(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        errors.append(message.text)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized tab."""
    yield from _tab(browser, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized tab (390 × 844)."""
    yield from _tab(browser, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (kept by CI, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
