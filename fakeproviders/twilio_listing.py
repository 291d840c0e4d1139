"""Twilio's list semantics for Messages: To/From/DateSent filters, newest first, paged.

The SDK's ``messages.list()`` follows ``next_page_uri`` until it is null, so paging is real:
a product that reads more than one page gets every record exactly once.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from fakeproviders.exceptions import FakeProviderError
from fakeproviders.state import SentMessage
from fakeproviders.twilio_payloads import API_VERSION, message_resource, twilio_error

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
FILTER_NAMES = ("To", "From", "DateSent", "DateSent<", "DateSent>")
#: Twilio's DateSent filters are inclusive: ``DateSent>`` means on or after.
DATE_FILTERS: dict[str, Callable[[date, date], bool]] = {
    "DateSent": operator.eq,
    "DateSent>": operator.ge,
    "DateSent<": operator.le,
}


def _when(value: str) -> date | datetime:
    """Parse a DateSent filter: ``YYYY-MM-DD`` (whole day) or ISO 8601 (naive means UTC)."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FakeProviderError(
            400, twilio_error(20001, 400, f"Invalid DateSent: {value}")
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _compare_key(message: SentMessage, bound: date | datetime) -> date | datetime:
    """The message's send time at the bound's precision (date-only bounds compare days)."""
    moment = message.sent_at or message.created_at
    return moment if isinstance(bound, datetime) else moment.date()


def matches(message: SentMessage, filters: Mapping[str, str]) -> bool:
    """True when ``message`` passes every Twilio list filter present in ``filters``."""
    if "To" in filters and message.to != filters["To"]:
        return False
    if "From" in filters and message.payload.get("From") != filters["From"]:
        return False
    for name, compare in DATE_FILTERS.items():
        if name in filters:
            bound = _when(filters[name])
            if not compare(_compare_key(message, bound), bound):
                return False
    return True


def _int_param(params: Mapping[str, str], name: str, default: int) -> int:
    """A non-negative integer query parameter, answering Twilio's 400 when malformed."""
    try:
        value = int(params.get(name, default))
    except ValueError:
        value = -1
    if value < 0:
        raise FakeProviderError(400, twilio_error(20001, 400, f"Invalid {name}"))
    return value


def page_body(
    account_sid: str, messages: list[SentMessage], params: Mapping[str, str]
) -> dict[str, Any]:
    """One page of Twilio's list JSON over ``messages`` (already filtered, newest first)."""
    size = min(_int_param(params, "PageSize", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE) or 1
    page = _int_param(params, "Page", 0)
    start = page * size
    chunk = messages[start : start + size]
    filters = {k: params[k] for k in FILTER_NAMES if k in params}

    def uri(number: int) -> str:
        query = urlencode({**filters, "PageSize": size, "Page": number})
        return f"/{API_VERSION}/Accounts/{account_sid}/Messages.json?{query}"

    return {
        "messages": [message_resource(m, account_sid) for m in chunk],
        "page": page,
        "page_size": size,
        "start": start,
        "end": start + max(len(chunk) - 1, 0),
        "uri": uri(page),
        "first_page_uri": uri(0),
        "previous_page_uri": uri(page - 1) if page > 0 else None,
        "next_page_uri": uri(page + 1) if start + size < len(messages) else None,
    }
