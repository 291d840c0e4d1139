"""Schemas of the risk review queue."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RiskReview(BaseModel):
    """A hold waiting for staff approval and why it scored as it did."""

    reference: str
    venue_id: int
    score: float
    method: str
    features: dict[str, float]
    contributions: dict[str, float]
    created_at: datetime


class Approved(BaseModel):
    """The approved hold's payment link is queued to go out to the guest."""

    reference: str
    outbox_id: int
