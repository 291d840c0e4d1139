"""Scoring: transparent rules until the venue has history enough for its own model."""

from __future__ import annotations

import pytest

from engine.risk.features import HoldFeatures
from engine.risk.scoring import MIN_SAMPLES, rule_score, train

PLAIN = HoldFeatures(holds_last_hour=0, unpaid_ratio=0, party_ratio=1, new_number=0)
BURST = HoldFeatures(holds_last_hour=4, unpaid_ratio=0.8, party_ratio=3, new_number=1)


def test_rules_explain_every_point_of_the_score() -> None:
    plain, burst = rule_score(PLAIN), rule_score(BURST)
    assert plain.value == 0 and plain.method == "rules"
    assert burst.value == pytest.approx(min(1.0, sum(burst.contributions.values())))
    assert all(v > 0 for v in burst.contributions.values())


def test_no_model_without_enough_history_of_both_kinds() -> None:
    assert train([]) is None
    assert train([(PLAIN, False)] * MIN_SAMPLES * 2) is None
    model = train([(PLAIN, False)] * MIN_SAMPLES + [(BURST, True)] * 10)
    assert model is not None
    assert model.score(BURST).value > 0.5 > model.score(PLAIN).value
