"""Dialogue tests talk to a live app, like the channel tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from engine.seed import seed_demo
from tests.dialogue.harness import ChatGuest
from tests.stack import Stack, running_stack


@pytest.fixture(scope="package")
def stack(database_url: str) -> Iterator[Stack]:
    """One running app for every conversation here (two workers on the real stack).

    Started once per package, not per module: real workers load the intent model and
    dateparser on their first jobs, which takes seconds. Every test still gets a freshly
    seeded business and empty Redis state; the stack stops before other packages start theirs.
    """
    with running_stack(database_url, workers=2) as running:
        yield running


@pytest.fixture
def guest_factory(
    stack: Stack, sessions: sessionmaker[Session]
) -> Iterator[Callable[..., ChatGuest]]:
    """Make guests talking to a freshly seeded demo business."""
    with sessions.begin() as session:
        seed_demo(session)
    stack.fake.reset()
    # Delivery receipts are the channel tests' subject; here they would only add HTTP traffic.
    stack.fake.update_knobs(status_callbacks=False)
    for key in stack.runtime.redis.scan_iter("bookline:*"):
        stack.runtime.redis.delete(key)

    def make(venue: str = "hotel", channel: str = "sms", **kwargs: object) -> ChatGuest:
        return ChatGuest(stack, sessions, venue, channel, **kwargs)  # type: ignore[arg-type]

    yield make
    stack.settle(0.1)
