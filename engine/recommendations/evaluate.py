"""Offline evaluation with a time split: fit on the past, test on the last weeks.

A random split would let the model learn from a guest's later visits to rank their earlier
ones; the time split asks what the owner cares about, how the ranking learnt from history does
on the recommendations that followed it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from engine.recommendations.ranking import Episode, Popularity, Ranker, rule_order

TEST_WEEKS = 3

Order = Callable[[list[list[float]]], list[int]]


@dataclass(frozen=True)
class Scores:
    """How often the taken offer came first, and within the first three."""

    acceptance_at_1: float
    hit_rate_at_3: float


@dataclass(frozen=True)
class Report:
    """The three rankings on the same test cases, and the split behind them."""

    train_cases: int
    test_cases: int
    #: Test recommendations the guest took none of (no ranking can score them).
    test_declined: int
    split_at: str
    learned: Scores | None
    rule: Scores
    popularity: Scores


def split(
    episodes: Sequence[Episode], weeks: int = TEST_WEEKS
) -> tuple[list[Episode], list[Episode]]:
    """(train, test): test is every episode of the last ``weeks`` weeks, train everything before."""
    ordered = sorted(episodes, key=lambda e: e.offered_at)
    if not ordered:
        return [], []
    cut = ordered[-1].offered_at - timedelta(weeks=weeks)
    return [e for e in ordered if e.offered_at <= cut], [e for e in ordered if e.offered_at > cut]


def _scores(order: Order, cases: Sequence[Episode]) -> Scores:
    first = top3 = 0
    for case in cases:
        ranked = order(case.rows)
        first += ranked[0] == case.chosen
        top3 += case.chosen in ranked[:3]
    count = max(len(cases), 1)
    return Scores(round(first / count, 3), round(top3 / count, 3))


def evaluate(episodes: Sequence[Episode], weeks: int = TEST_WEEKS) -> Report:
    """Fit on the train part, score the three rankings on the test part's taken offers."""
    train, test = split(episodes, weeks)
    taken = [e for e in test if e.chosen is not None]
    ranker = Ranker.fit(train)
    split_at = test[0].offered_at.isoformat(timespec="minutes") if test else "-"
    return Report(
        train_cases=len(train),
        test_cases=len(taken),
        test_declined=len(test) - len(taken),
        split_at=split_at,
        learned=_scores(ranker.order, taken) if ranker else None,
        rule=_scores(rule_order, taken),
        popularity=_scores(Popularity.fit(train).order, taken),
    )


def format_report(title: str, report: Report) -> str:
    """The report as the CLI prints it."""
    if not report.train_cases and not report.test_cases and not report.test_declined:
        return f"{title}: no ranked recommendations yet"
    lines = [
        f"{title}: trained on {report.train_cases} recommendations before {report.split_at}, "
        f"tested on the {report.test_cases} taken after ({report.test_declined} declined)",
        f"  {'ranking':<12} {'acceptance@1':>12} {'hit-rate@3':>10}",
    ]
    rows = [("learned", report.learned), ("rule", report.rule), ("popularity", report.popularity)]
    for name, scores in rows:
        if scores is None:
            lines.append(f"  {name:<12} {'too little history to learn from':>24}")
        else:
            lines.append(
                f"  {name:<12} {scores.acceptance_at_1:>12.3f} {scores.hit_rate_at_3:>10.3f}"
            )
    return "\n".join(lines)
