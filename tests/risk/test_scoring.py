"""Scoring: transparent rules until the venue has history enough for its own model."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from engine.risk.features import FEATURE_NAMES, HoldFeatures
from engine.risk.scoring import MIN_SAMPLES, VenueModel, learnable, rule_score, sigmoid

PLAIN = HoldFeatures(holds_last_hour=0, unpaid_ratio=0, party_ratio=1, new_number=0, no_shows=0)
BURST = HoldFeatures(holds_last_hour=4, unpaid_ratio=0.8, party_ratio=3, new_number=1, no_shows=2)


def test_rules_explain_every_point_of_the_score() -> None:
    plain, burst = rule_score(PLAIN), rule_score(BURST)
    assert plain.value == 0 and plain.method == "rules"
    assert burst.value == pytest.approx(min(1.0, sum(burst.contributions.values())))
    assert all(v > 0 for v in burst.contributions.values())


def test_no_model_without_enough_history_of_both_kinds() -> None:
    assert not learnable([])
    assert not learnable([False] * MIN_SAMPLES * 2)
    assert learnable([False] * MIN_SAMPLES + [True] * 10)
    model = VenueModel.fit([(PLAIN, False)] * MIN_SAMPLES + [(BURST, True)] * 10)
    assert model.score(BURST).value > 0.5 > model.score(PLAIN).value


def _holds(rng: random.Random, count: int) -> list[tuple[HoldFeatures, bool]]:
    """Noisy holds: bursts from new numbers with lapses behind them tend to go unpaid."""
    samples = []
    for _ in range(count):
        unpaid = rng.random() < 0.3
        features = HoldFeatures(
            holds_last_hour=float(rng.randint(0, 5 if unpaid else 2)),
            unpaid_ratio=rng.uniform(0.3, 0.9) if unpaid else rng.uniform(0, 0.4),
            party_ratio=rng.uniform(0.5, 3.5),
            new_number=float(rng.random() < (0.7 if unpaid else 0.2)),
            no_shows=float(rng.randint(0, 3 if unpaid else 1)),
        )
        samples.append((features, unpaid))
    return samples


def test_the_stored_model_scores_exactly_as_scikit_learn_does() -> None:
    """Workers score with the stored numbers alone; they must say what scikit-learn says."""
    rng = random.Random(5)
    samples = _holds(rng, 300)
    rows = [f.vector() for f, _ in samples]
    scaler = StandardScaler().fit(rows)
    reference = LogisticRegression(class_weight="balanced").fit(
        scaler.transform(rows), [int(u) for _, u in samples]
    )
    model = VenueModel.fit(samples)
    for features, _ in _holds(rng, 200) + [(PLAIN, False), (BURST, True)]:
        scaled = scaler.transform([features.vector()])
        expected = reference.predict_proba(scaled)[0][1]
        score = model.score(features)
        assert score.value == pytest.approx(expected, abs=1e-9, rel=0)
        assert score.contributions == {
            name: round(float(w * v), 4)
            for name, w, v in zip(FEATURE_NAMES, reference.coef_[0], scaled[0], strict=True)
        }


def test_sigmoid_survives_extreme_log_odds() -> None:
    assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0 and sigmoid(0.0) == 0.5


def test_a_stored_model_scores_without_importing_scikit_learn() -> None:
    """Only fitting needs scikit-learn: importing it would cost every worker ~100 MB."""
    code = (
        "import sys; from engine.risk.features import HoldFeatures; "
        "from engine.risk.scoring import VenueModel; "
        "VenueModel((0.0,) * 5, (1.0,) * 5, (0.5,) * 5, 0.0).score(HoldFeatures(1, 0, 1, 0, 0)); "
        "import engine.risk.service; print('sklearn' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
