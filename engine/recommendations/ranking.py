"""Ranking offers by how likely this guest is to take each: a learnt model, today's rule, or
what is popular.

The model is scikit-learn's ``StandardScaler`` + ``LogisticRegression`` (one row per offer
shown, labelled taken or not), fitted with numpy by ``engine.risk.logistic`` so no long-lived
process imports scikit-learn; scoring is a dot product over plain arrays (microseconds).
Today's rule is the engine's order (the nearest time first); popularity ranks by how often
offers at that hour (and that many days away) were taken in the business's history.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from engine.recommendations.features import FEATURE_NAMES
from engine.risk.logistic import Floats, fit_logistic, standardise

#: Fewer taken offers than this and the rule ranks: a model needs examples to learn from.
MIN_ACCEPTED = 30
#: The hour and days away of an offer, read from its features (popularity's key).
HOURS_AWAY = FEATURE_NAMES.index("hours_away")
LATER = FEATURE_NAMES.index("later")
DAYS_AWAY = FEATURE_NAMES.index("days_away")


@dataclass(frozen=True)
class Episode:
    """One recommendation as training and evaluation see it."""

    offered_at: datetime
    rows: list[list[float]]
    #: The index the guest took (None: they took none).
    chosen: int | None


@dataclass(frozen=True)
class Ranker:
    """A fitted model: the scaler's mean and scale, the weights and the intercept."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    @classmethod
    def fit(cls, episodes: Sequence[Episode]) -> Ranker | None:
        """Fit on the episodes' offers, labelled taken or not; None with too few taken."""
        rows = [row for e in episodes for row in e.rows]
        labels = [n == e.chosen for e in episodes for n in range(len(e.rows))]
        if sum(labels) < MIN_ACCEPTED or all(labels):
            return None
        x = np.array(rows, dtype=np.float64)
        y = np.array(labels, dtype=np.bool_)
        mean, scale = standardise(x)
        weights, intercept = fit_logistic((x - mean) / scale, y, np.ones(len(y)))
        return cls(
            tuple(float(v) for v in mean),
            tuple(float(v) for v in scale),
            tuple(float(v) for v in weights),
            intercept,
        )

    def terms(self, rows: Sequence[Sequence[float]]) -> Floats:
        """Each feature's log-odds term, per row."""
        x = np.asarray(rows, dtype=np.float64)
        terms: Floats = ((x - np.asarray(self.mean)) / np.asarray(self.scale)) * np.asarray(
            self.weights
        )
        return terms

    def order(self, rows: Sequence[Sequence[float]]) -> list[int]:
        """Row indices, most likely taken first (ties keep the rule's order)."""
        scores = self.terms(rows).sum(axis=1)
        return sorted(range(len(rows)), key=lambda n: (-float(scores[n]), n))

    def why(self, row: Sequence[float]) -> dict[str, float]:
        """Each feature's share of this offer's score, for the owner."""
        terms = self.terms([row])[0]
        return {name: round(float(t), 4) for name, t in zip(FEATURE_NAMES, terms, strict=True)}


def rule_order(rows: Sequence[Sequence[float]]) -> list[int]:
    """Today's rule: the order the search returned (nearest first)."""
    return list(range(len(rows)))


def _key(row: Sequence[float]) -> tuple[float, int]:
    """Popularity's bucket: signed hours from the request (to the half hour), and days away."""
    return round(row[HOURS_AWAY] * row[LATER] * 2) / 2, int(row[DAYS_AWAY])


@dataclass(frozen=True)
class Popularity:
    """How often offers of each bucket were taken in training."""

    taken: Counter[tuple[float, int]]

    @classmethod
    def fit(cls, episodes: Sequence[Episode]) -> Popularity:
        """Count what was taken."""
        return cls(Counter(_key(e.rows[e.chosen]) for e in episodes if e.chosen is not None))

    def order(self, rows: Sequence[Sequence[float]]) -> list[int]:
        """Most often taken bucket first (ties keep the rule's order)."""
        return sorted(range(len(rows)), key=lambda n: (-self.taken[_key(rows[n])], n))
