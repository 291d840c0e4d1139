"""One id to follow a guest: with LOG_FORMAT=json, the webhook, the worker, the outbox and the
payment lines of one booking all carry the same conversation id."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from infra.logs import configure_logging
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout

Make = Callable[..., ChatGuest]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL")),
    reason="reads the logs of this process: on a real stack the workers are other processes",
)


@pytest.fixture
def json_log(tmp_path: Path) -> Path:
    """This process's logs, as ``LOG_FORMAT=json`` writes them, in a file (until the test ends:
    ``logging_as_found``)."""
    path = tmp_path / "bookline.log"
    configure_logging("INFO", "json", file=path)
    return path


def test_one_conversation_id_runs_from_the_guests_message_to_the_payment(
    json_log: Path, guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("restaurant", "sms", name="Dev")
    guest.say("table for 6 tomorrow 8pm")
    guest.say("Dev Anand")
    checkout.pay(checkout.link(guest.phone)["id"])
    guest.receive()
    records = [json.loads(line) for line in json_log.read_text().splitlines()]
    ids = {r["conversation_id"] for r in records if "conversation_id" in r}
    assert len(ids) == 1, ids
    marked = [r["message"] for r in records if "conversation_id" in r]
    for step in ("from a guest received", "handling guest message", "sent as", "razorpay event"):
        assert any(step in message for message in marked), (step, marked)
