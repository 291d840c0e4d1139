"""Payment tests run against a live app with the fake Razorpay mounted (and live workers on the
real stack), like the dialogue tests: the guest chats, the fake takes the money.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.dialogue.conftest import guest_factory, stack  # noqa: F401 - shared fixtures
from tests.engine.conftest import demo  # noqa: F401 - shared fixture
from tests.payments.checkout import Checkout
from tests.stack import Stack


@pytest.fixture
def checkout(
    stack: Stack,  # noqa: F811 - the imported fixture
    sessions: sessionmaker[Session],
    guest_factory: object,  # noqa: F811 - seeds the demo and resets the fake first
) -> Iterator[Checkout]:
    """The fake Razorpay's checkout, and waits for what a payment sets in motion."""
    yield Checkout(stack, sessions)
    stack.fake.update_knobs(fail_next=0, delay_seconds=0, hang_after_accept_seconds=0)
