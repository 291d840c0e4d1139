"""Which recommendations a venue makes: every kind is on until its owner turns it off."""

from __future__ import annotations

from engine.recommendations.enums import RecommendationKind
from engine.tenants.models import Venue


def enabled(venue: Venue, kind: RecommendationKind) -> bool:
    """Whether ``venue`` makes recommendations of ``kind`` (``Venue.recommendations``)."""
    return venue.recommendations[kind]
