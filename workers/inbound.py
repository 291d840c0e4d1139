"""The inbound job: answer a stored guest message (``application.inbound_turn``).

A job goes on to answer the messages queued behind it (``take_queued_turns``) for up to
``TAKE_FOR_SECONDS``: in a rush a worker pays rq's bookkeeping once per run of jobs, not per
job. It stops when a payment follow-up waits (the worker serves those first) or the queue is
empty; the other worker takes jobs off the same queue meanwhile, so both stay busy.
"""

from __future__ import annotations

import logging
import time

from application import inbound_turn
from infra.jobs import TAKEN_RETRY_AFTER, QueuedEvent, enqueue_inbound_batch, take_queued_turns
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

    A taken job whose events fail is queued again as a job of its own, after the wait of an
    inbound job's first retry and with its retries (the failed attempt is counted on its event).
    """
    deadline = time.monotonic() + TAKE_FOR_SECONDS
    while time.monotonic() < deadline and (events := take_queued_turns(runtime)) is not None:
        try:
            inbound_turn.handle_inbound_batch(runtime, events)
        except Exception:
            log.warning("a taken inbound job failed; queued again", exc_info=True)
            enqueue_inbound_batch(runtime, events, after=TAKEN_RETRY_AFTER)
