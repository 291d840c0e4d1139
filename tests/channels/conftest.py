"""Channel tests run against a live app (and live workers on the real stack)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.stack import Stack, running_stack, with_fresh_demo


@pytest.fixture(scope="module")
def stack(database_url: str) -> Iterator[Stack]:
    """One running app per test module."""
    with running_stack(database_url, workers=2) as running:
        yield running


@pytest.fixture
def live(stack: Stack, sessions: sessionmaker[Session]) -> Iterator[Stack]:
    """The stack with the demo data seeded, fake providers and conversation state reset."""
    yield with_fresh_demo(stack, sessions)
    stack.settle(0.2)
