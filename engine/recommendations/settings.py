"""Which recommendations a venue makes: every kind is on until its owner turns it off."""

from __future__ import annotations

from engine.recommendations.enums import RecommendationKind
from engine.tenants.models import Venue

SETTINGS_KEY = "recommendations"


def enabled(venue: Venue, kind: RecommendationKind) -> bool:
    """Whether ``venue`` makes recommendations of ``kind``."""
    chosen = (venue.settings or {}).get(SETTINGS_KEY) or {}
    return bool(chosen.get(kind.value, True))


def all_enabled(venue: Venue) -> dict[str, bool]:
    """Every kind with whether it is on, as the owner API shows them."""
    return {kind.value: enabled(venue, kind) for kind in RecommendationKind}
