"""After-the-visit tests talk to a live app (and live workers on the real stack), like the
dialogue tests: the visit is booked through the engine, the sweep is called with the time it
would run at, and the guest answers over signed webhooks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.dialogue.conftest import guest_factory, stack  # noqa: F401 - shared fixtures
from tests.dialogue.harness import ChatGuest
from tests.stack import without_quiet_hours


@pytest.fixture(autouse=True)
def _real_clock_sends(
    guest_factory: Callable[..., ChatGuest],  # noqa: F811 - the demo it seeds
    sessions: sessionmaker[Session],
) -> None:
    """The sweep's clock is the test's; the question it writes is sent at the real one."""
    without_quiet_hours(sessions)
