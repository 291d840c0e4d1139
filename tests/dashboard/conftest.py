"""Dashboard tests: the real app served over HTTP (real workers on the real stack), a freshly
seeded demo business per test, and Debian's chromium driven by Playwright.

No browser is ever downloaded: Playwright launches the system's Chromium (``BOOKLINE_CHROMIUM``
if set, else the first of ``chromium``, ``chromium-browser``, ``google-chrome`` on the PATH;
CI installs Debian's package). Without one the browser tests skip and say why, except where
``BOOKLINE_REQUIRE_BROWSER`` is set (``.ci/run`` sets it): there a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Response,
    ViewportSize,
    sync_playwright,
)
from sqlalchemy.orm import Session, sessionmaker

from engine.seed import seed_demo
from tests.stack import Stack, running_stack

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
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
    """The system's Chromium, headless, with a throwaway profile."""
    chromium = system_chromium()
    if chromium is None:
        missing = f"no Chromium found ({', '.join(BROWSER_NAMES)}, or set BOOKLINE_CHROMIUM)"
        if os.environ.get("BOOKLINE_REQUIRE_BROWSER"):
            pytest.fail(missing)
        pytest.skip(missing + ": install Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def system_chromium() -> Path | None:
    """The Chromium to drive: BOOKLINE_CHROMIUM, else the first one on the PATH."""
    named = os.environ.get("BOOKLINE_CHROMIUM")
    if named:
        return Path(named) if Path(named).exists() else None
    found = next((path for name in BROWSER_NAMES if (path := shutil.which(name))), None)
    return Path(found) if found else None


def _tab(browser: Browser, **options: Any) -> Iterator[Page]:
    """A tab in a fresh context (no tokens carried between tests) that fails the test on any
    uncaught script error (a broken module shows as a blank view, not as an exception), on
    anything the Content-Security-Policy blocked (the browser only logs it) and on a page
    resource that is not there (a 404 outside the API, whose 404s are answers)."""
    context = browser.new_context(**options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: _note_blocked(message, errors))
    tab.on("response", lambda response: _note_missing(response, errors))
    yield tab
    context.close()
    assert not errors, f"script errors in the page: {errors}"


def _note_blocked(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        errors.append(message.text)


def _note_missing(response: Response, errors: list[str]) -> None:
    if response.status == 404 and "/api/" not in response.url:
        errors.append(f"404 {response.url}")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized tab."""
    yield from _tab(browser, viewport=DESKTOP)


#: A browser far from the demo venues (Asia/Kolkata): every time shown must still be theirs.
BROWSER_ZONE = "America/Los_Angeles"


@pytest.fixture
def faraway_page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized tab whose clock runs in another zone than the venues'."""
    yield from _tab(browser, viewport=DESKTOP, timezone_id=BROWSER_ZONE)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized tab (390 × 844)."""
    yield from _tab(browser, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (kept by CI, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
