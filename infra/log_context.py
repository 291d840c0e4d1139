"""Context bound to the work under way, added to every log line it writes.

A guest's message crosses processes: the webhook stores it, a worker answers it, the outbox
sends the reply, a payment completes the booking. Binding the same conversation id in each
(``bound``) gives one id to grep from the guest's first line to the captured payment. A
contextvar, so concurrent requests and jobs never see each other's.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

_bound: ContextVar[Mapping[str, str]] = ContextVar("log_context", default=MappingProxyType({}))


@contextmanager
def bound(**fields: str) -> Iterator[None]:
    """Add ``fields`` to every log record written inside the block (nested blocks add more)."""
    token = _bound.set(MappingProxyType({**_bound.get(), **fields}))
    try:
        yield
    finally:
        _bound.reset(token)


def conversation_id(key: str) -> str:
    """The log id of the conversation whose key (``bot.choices.conversation_key``) is ``key``.

    Derived, not stored: the webhook, the worker, the outbox and the payment each know the
    conversation's key (they lock it). A digest, so the logs do not carry the guest's number.
    """
    return "c-" + hashlib.sha256(key.encode()).hexdigest()[:12]


class ContextFilter(logging.Filter):
    """Copies the bound context onto each record (a field the record already has wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record; only adds to it."""
        for name, value in _bound.get().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True
