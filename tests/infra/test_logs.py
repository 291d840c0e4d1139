"""uvicorn's access log leaves out webhooks answered successfully; SDK chatter stays quiet."""

from __future__ import annotations

import logging

import pytest

from infra.logs import QUIET_WEBHOOKS, configure_logging


def _access(path: str, status: int) -> logging.LogRecord:
    """A record as uvicorn's access logger writes it."""
    args = ("203.0.113.9:5123", "POST", path, "1.1", status)
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', args, None
    )


@pytest.mark.parametrize(
    ("path", "status", "kept"),
    [
        ("/webhooks/twilio/sms", 200, False),
        ("/webhooks/whatsapp", 200, False),
        ("/webhooks/twilio/sms", 403, True),
        ("/webhooks/razorpay", 413, True),
        ("/api/v1/bookings", 200, True),
        ("/dashboard", 200, True),
    ],
)
def test_only_successful_webhooks_leave_the_access_log(path: str, status: int, kept: bool) -> None:
    assert QUIET_WEBHOOKS.filter(_access(path, status)) is kept


def test_records_of_another_shape_pass() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, "plain", None, None)
    assert QUIET_WEBHOOKS.filter(record)


@pytest.mark.parametrize(("level", "shown"), [("info", False), ("debug", True)])
def test_the_twilio_sdk_chatter_shows_only_at_debug(level: str, shown: bool) -> None:
    configure_logging(level)  # undone after the test (``logging_as_found``)
    assert logging.getLogger("twilio.http_client").isEnabledFor(logging.INFO) is shown
    assert logging.getLogger("twilio.http_client").isEnabledFor(logging.WARNING)
