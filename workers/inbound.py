"""The inbound job: answer a stored guest message (``application.inbound_turn``).

A job goes on to answer the messages queued behind it (``take_queued_turns``) for up to
``TAKE_FOR_SECONDS``: in a rush a worker pays rq's bookkeeping once per run of jobs, not per
job. It stops when a payment follow-up waits (the worker serves those first) or the queue is
empty; the other worker takes jobs off the same queue meanwhile, so both stay busy.
"""

from __future__ import annotations

import logging
import time
import traceback

from application import inbound_turn
from infra.jobs import QueuedEvent, retry_taken, take_queued_turns, turn_events
from infra.runtime import Runtime, current

log = logging.getLogger(__name__)

#: How long a job takes further queued messages: well inside rq's job timeout (180 s), and
#: short enough that a worker soon returns to rq's loop (its heartbeat, a stop request).
TAKE_FOR_SECONDS = 5.0


def handle_inbound(event_id: int) -> None:
    """Handle the conversation of ``event_id`` up to its newest pending message."""
    runtime = current()
    inbound_turn.handle_inbound(runtime, event_id)
    _take_queued(runtime)


def handle_inbound_batch(events: list[QueuedEvent | int]) -> None:
    """Handle the events a webhook batch stored, each as ``handle_inbound`` would."""
    runtime = current()
    inbound_turn.handle_inbound_batch(runtime, events)
    _take_queued(runtime)


def _take_queued(runtime: Runtime) -> None:
    """Handle the events of the turn jobs queued behind this one until time is up.

    A taken job whose events fail is retried as rq would retry it, or with no retry left ends
    in rq's failed job registry (``retry_taken``); the failed attempt is counted on its event.
    """
    deadline = time.monotonic() + TAKE_FOR_SECONDS
    while time.monotonic() < deadline and (job := take_queued_turns(runtime)) is not None:
        try:
            inbound_turn.handle_inbound_batch(runtime, turn_events(job))
        except Exception:
            log.warning("taken inbound job %s failed", job.id, exc_info=True)
            retry_taken(runtime, job, traceback.format_exc())
