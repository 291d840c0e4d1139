"""Scoring a hold: a logistic regression trained on the venue's own history, or rules.

The model needs enough resolved holds of both kinds (paid, and let lapse) to learn from; a
venue that has not got them yet is scored by a few transparent rules instead. Either way the
score comes with each feature's contribution, so the owner can see why a hold was stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from engine.risk.features import FEATURE_NAMES, HoldFeatures

MIN_SAMPLES = 30
MIN_PER_CLASS = 5
#: Rule weights: each hold in the last hour beyond the first two, a history of holds let
#: lapse unpaid, an unusually large party, and a number first seen less than a day ago.
BURST_FREE = 2
BURST_WEIGHT = 0.2
UNPAID_WEIGHT = 0.6
LARGE_PARTY_RATIO = 2.5
LARGE_PARTY_WEIGHT = 0.15
NEW_NUMBER_WEIGHT = 0.1


@dataclass(frozen=True)
class Score:
    """How likely the hold is to go unpaid (0–1), how it was computed, and why."""

    value: float
    method: str
    contributions: dict[str, float]


def rule_score(features: HoldFeatures) -> Score:
    """The fallback: a capped sum of explainable penalties."""
    contributions = {
        "holds_last_hour": BURST_WEIGHT * max(0.0, features.holds_last_hour - BURST_FREE),
        "unpaid_ratio": UNPAID_WEIGHT * features.unpaid_ratio,
        "party_ratio": LARGE_PARTY_WEIGHT if features.party_ratio >= LARGE_PARTY_RATIO else 0.0,
        "new_number": NEW_NUMBER_WEIGHT * features.new_number,
    }
    return Score(min(1.0, sum(contributions.values())), "rules", contributions)


class VenueModel:
    """Logistic regression on standardised features; contributions are per-feature log-odds."""

    def __init__(self, samples: Sequence[tuple[HoldFeatures, bool]]) -> None:
        rows = [features.vector() for features, _ in samples]
        labels = [int(unpaid) for _, unpaid in samples]
        self.scaler = StandardScaler().fit(rows)
        self.model = LogisticRegression(class_weight="balanced").fit(
            self.scaler.transform(rows), labels
        )

    def score(self, features: HoldFeatures) -> Score:
        """The probability that this hold goes unpaid, with each feature's share of the odds."""
        scaled = self.scaler.transform([features.vector()])
        probability = float(self.model.predict_proba(scaled)[0][1])
        weights = self.model.coef_[0]
        contributions = {
            name: round(float(weight * value), 4)
            for name, weight, value in zip(FEATURE_NAMES, weights, scaled[0], strict=True)
        }
        return Score(probability, "model", contributions)


def train(samples: Sequence[tuple[HoldFeatures, bool]]) -> VenueModel | None:
    """A model for the venue, or None when its history is too thin to learn from."""
    unpaid = sum(1 for _, label in samples if label)
    if len(samples) < MIN_SAMPLES or min(unpaid, len(samples) - unpaid) < MIN_PER_CLASS:
        return None
    return VenueModel(samples)
