"""Running the maintenance sweep (``application.sweeps``) every few seconds, in one process.

On the embedded default the API process runs it itself; with Redis, every worker offers to and
a short Redis lock picks one per interval.
"""

from __future__ import annotations

import logging
import threading

from application.sweeps import sweep
from infra.runtime import Runtime

log = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 15


def run_periodically(
    runtime: Runtime, stop: threading.Event, interval: float = SWEEP_INTERVAL_SECONDS
) -> None:
    """Sweep every ``interval`` seconds; one worker process per interval does it (Redis lock)."""
    while not stop.wait(interval):
        try:
            if runtime.redis.set("bookline:maintenance", "1", nx=True, ex=int(interval)):
                counts = sweep(runtime)
                if any(counts.values()):
                    log.info("maintenance sweep: %s", counts)
        except Exception:
            log.exception("maintenance sweep failed; will retry")
