"""Venue models fitted once and reused, until the venue's history has moved on.

Fitting rebuilds the training set from up to HISTORY_LIMIT past holds and solves the logistic
regression (``engine.risk.logistic``); doing it for every scored hold made a venue with history
pay that on every payable booking. A fitted model is kept per venue and refitted when
REFIT_EVERY more holds have resolved (paid or let lapse) since, or when it is older than
MAX_AGE_SECONDS (the history window slides even when the count of resolved holds in it does
not change).

The models are kept in the process, not in the database: each worker fits its own (at most
once per venue per REFIT_EVERY resolved holds or MAX_AGE_SECONDS), and a scored hold costs no
extra read. Fitting needs numpy only (scikit-learn would add ~85 MB to every worker that
fits), and a model is a dozen floats. Processes that fit on the same history get the same
model; between refits they may differ by at most REFIT_EVERY resolved holds, which a risk score
can tolerate. Sharing models through the database would need a table, a read per scored hold
and a rule for concurrent refits, to save a fit per worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.risk.features import NoShows, PastHold, training_set
from engine.risk.scoring import VenueModel, learnable

REFIT_EVERY = 20
MAX_AGE_SECONDS = 15 * 60.0


@dataclass(frozen=True)
class Fitted:
    """A venue's model, how many resolved holds it learnt from, and when (monotonic seconds)."""

    model: VenueModel
    resolved: int
    at: float

    def stale(self, resolved: int, now: float) -> bool:
        """True once the history moved on enough to be worth a refit."""
        moved = abs(resolved - self.resolved) >= REFIT_EVERY
        return moved or now - self.at >= MAX_AGE_SECONDS


class VenueModels:
    """The fitted model of each venue, in this process.

    Threads may share it: at worst two fit the same venue at once and one result is kept.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._fitted: dict[int, Fitted] = {}

    def model(
        self, venue_id: int, history: Sequence[PastHold], no_shows: NoShows
    ) -> VenueModel | None:
        """The venue's model for ``history`` (oldest first) and its guests' ``no_shows``, or
        None while the history is too thin."""
        labels = [h.unpaid for h in history if h.unpaid is not None]
        if not learnable(labels):
            self._fitted.pop(venue_id, None)
            return None
        now = self._clock()
        fitted = self._fitted.get(venue_id)
        if fitted is None or fitted.stale(len(labels), now):
            fitted = Fitted(VenueModel.fit(training_set(history, no_shows)), len(labels), now)
            self._fitted[venue_id] = fitted
        return fitted.model

    def clear(self) -> None:
        """Forget every model (tests whose databases reuse venue ids)."""
        self._fitted.clear()


#: The process's models (the engine is stateless otherwise; this is a cache, never the truth).
MODELS = VenueModels()
