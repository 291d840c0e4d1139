"""Venue models are fitted once and reused until the venue's history has moved on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from engine.bookings.enums import BookingStatus
from engine.risk.features import HoldFeatures, PastHold
from engine.risk.fitted import MAX_AGE_SECONDS, REFIT_EVERY, VenueModels
from engine.risk.scoring import VenueModel
from tests.conftest import NOW

VENUE = 1


def history(paid: int, lapsed: int, open_: int = 0) -> list[PastHold]:
    """Regulars who paid, numbers whose holds lapsed in bursts, and holds still open."""
    holds = []
    for n in range(paid):
        at = NOW - timedelta(days=n + 1)
        holds.append(_hold(n, 1000 + n, at, BookingStatus.COMPLETED, 100, at - timedelta(days=60)))
    for n in range(lapsed):
        at = NOW - timedelta(hours=n + 1)
        holds.append(_hold(paid + n, 2000 + n // 3, at, BookingStatus.EXPIRED, 0, at))
    for n in range(open_):
        holds.append(_hold(paid + lapsed + n, 3000 + n, NOW, BookingStatus.HELD, 0, NOW))
    return sorted(holds, key=lambda h: h.created_at)


def _hold(
    n: int, guest: int, at: datetime, status: BookingStatus, paid: int, since: datetime
) -> PastHold:
    return PastHold(n, guest, at, 2 + n % 3, status, paid, since)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the fits (the size of each training set)."""
    counted: list[int] = []
    real = VenueModel.fit

    def fit(samples: Sequence[tuple[HoldFeatures, bool]]) -> VenueModel:
        counted.append(len(samples))
        return real(samples)

    monkeypatch.setattr(VenueModel, "fit", fit)
    return counted


def test_a_venue_with_thin_history_gets_no_model_and_no_fit(fits: list[int]) -> None:
    assert VenueModels().model(VENUE, history(paid=40, lapsed=2), {}) is None
    assert fits == []


def test_the_model_is_reused_while_holds_keep_coming_and_few_resolve(fits: list[int]) -> None:
    clock = Clock()
    models = VenueModels(clock)
    first = models.model(VENUE, history(paid=40, lapsed=9), {})
    clock.now += 60
    again = models.model(VENUE, history(paid=40 + REFIT_EVERY - 1, lapsed=9, open_=30), {})
    assert first is not None and again is first
    assert fits == [49]


def test_it_is_refitted_once_enough_holds_resolved(fits: list[int]) -> None:
    models = VenueModels()
    first = models.model(VENUE, history(paid=40, lapsed=9), {})
    later = models.model(VENUE, history(paid=40 + REFIT_EVERY, lapsed=9), {})
    assert later is not None and later is not first
    assert fits == [49, 49 + REFIT_EVERY]


def test_it_is_refitted_when_old_even_if_the_count_stood_still(fits: list[int]) -> None:
    clock = Clock()
    models = VenueModels(clock)
    models.model(VENUE, history(paid=40, lapsed=9), {})
    clock.now += MAX_AGE_SECONDS
    models.model(VENUE, history(paid=40, lapsed=9), {})
    assert fits == [49, 49]


def test_each_venue_has_its_own_model(fits: list[int]) -> None:
    models = VenueModels()
    models.model(VENUE, history(paid=40, lapsed=9), {})
    models.model(VENUE + 1, history(paid=40, lapsed=9), {})
    assert len(fits) == 2
