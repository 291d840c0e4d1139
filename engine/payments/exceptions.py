"""Errors of the payments domain (all ``BooklineError``s, so adapters map them in one place)."""

from __future__ import annotations

from engine.exceptions import BooklineError


class PaymentError(BooklineError):
    """Base of the payments errors."""


class NotNeededError(PaymentError):
    """A provider call that is no longer wanted (the booking was paid, cancelled or done)."""


class RefundError(PaymentError):
    """A refund that cannot be made: nothing left to refund, or a bad amount."""
