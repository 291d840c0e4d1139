"""Scoring a hold: a logistic regression trained on the venue's own history, or rules.

The model needs enough resolved holds of both kinds (paid, and let lapse) to learn from; a
venue that has not got them yet is scored by a few transparent rules instead. Either way the
score comes with each feature's contribution, so the owner can see why a hold was stopped.

The model is scikit-learn's ``StandardScaler`` + ``LogisticRegression(class_weight="balanced")``,
fitted with numpy (``engine.risk.logistic``): workers refit venue models as history moves on, and
importing scikit-learn costs a process about 85 MB. A fitted model is plain numbers (the
scaler's mean and scale, the weights and the intercept) and scores with a dot product and a
sigmoid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.risk.features import FEATURE_NAMES, HoldFeatures
from engine.risk.logistic import balanced_weights, fit_logistic, standardise

MIN_SAMPLES = 30
MIN_PER_CLASS = 5
#: Rule weights: each hold in the last hour beyond the first two, a history of holds let
#: lapse unpaid, an unusually large party, a number first seen less than a day ago, and each
#: of the guest's no-shows (the first few).
BURST_FREE = 2
BURST_WEIGHT = 0.2
UNPAID_WEIGHT = 0.6
LARGE_PARTY_RATIO = 2.5
LARGE_PARTY_WEIGHT = 0.15
NEW_NUMBER_WEIGHT = 0.1
NO_SHOW_WEIGHT = 0.15
NO_SHOWS_COUNTED = 3


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
        "no_shows": NO_SHOW_WEIGHT * min(features.no_shows, NO_SHOWS_COUNTED),
    }
    return Score(min(1.0, sum(contributions.values())), "rules", contributions)


def sigmoid(logit: float) -> float:
    """1 / (1 + e^-logit), without overflow for a large negative logit."""
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    odds = math.exp(logit)
    return odds / (1.0 + odds)


@dataclass(frozen=True)
class VenueModel:
    """Logistic regression on standardised features; contributions are per-feature log-odds.

    The numbers mean what scikit-learn's fitted ``StandardScaler`` (``mean_``, ``scale_``) and
    ``LogisticRegression`` (``coef_[0]``, ``intercept_[0]``) hold, in FEATURE_NAMES order, so
    ``score`` of a model built from them gives scikit-learn's ``predict_proba``; ``fit`` finds
    them as scikit-learn does, with numpy.
    """

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    @classmethod
    def fit(cls, samples: Sequence[tuple[HoldFeatures, bool]]) -> VenueModel:
        """Fit on (features, went unpaid) pairs, which must include both kinds."""
        rows = np.array([features.vector() for features, _ in samples], dtype=np.float64)
        labels = np.array([unpaid for _, unpaid in samples], dtype=np.bool_)
        mean, scale = standardise(rows)
        weights, intercept = fit_logistic((rows - mean) / scale, labels, balanced_weights(labels))
        return cls(
            mean=tuple(float(v) for v in mean),
            scale=tuple(float(v) for v in scale),
            weights=tuple(float(v) for v in weights),
            intercept=intercept,
        )

    def scaled(self, features: HoldFeatures) -> list[float]:
        """The features standardised as in training."""
        values = features.vector()
        return [(v - m) / s for v, m, s in zip(values, self.mean, self.scale, strict=True)]

    def score(self, features: HoldFeatures) -> Score:
        """The probability that this hold goes unpaid, with each feature's share of the odds."""
        terms = [w * v for w, v in zip(self.weights, self.scaled(features), strict=True)]
        probability = sigmoid(sum(terms) + self.intercept)
        contributions = {
            name: round(term, 4) for name, term in zip(FEATURE_NAMES, terms, strict=True)
        }
        return Score(probability, "model", contributions)


def learnable(labels: Sequence[bool]) -> bool:
    """True when there are enough resolved holds of both kinds (went unpaid: True) to fit."""
    unpaid = sum(labels)
    return len(labels) >= MIN_SAMPLES and min(unpaid, len(labels) - unpaid) >= MIN_PER_CLASS
