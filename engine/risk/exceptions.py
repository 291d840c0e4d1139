"""Errors of the risk domain."""

from __future__ import annotations

from engine.exceptions import BooklineError


class RiskError(BooklineError):
    """Base of the risk errors."""


class HoldRateLimitedError(RiskError):
    """The guest placed too many holds recently; no new one until some time passes."""


class NotUnderReviewError(RiskError):
    """Staff approval was asked for a hold that is not waiting for it."""
