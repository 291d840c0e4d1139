"""Enqueueing jobs by name with their retry policy, in one place (adapters share it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job

from infra.runtime import Runtime

FAILURE_TTL = 7 * 24 * 3600
#: Outbox rows one batch job delivers (``enqueue_sends``).
SEND_BATCH = 100
SEND_RETRY = Retry(max=5, interval=[1, 5, 15, 60, 300])
#: A stored guest message as the inbound batch job carries it: (event id, venue id, channel,
#: guest phone). The conversation rides along so the job takes its lock without first reading
#: the event (a round trip and a session per message).
QueuedEvent = tuple[int, int, str, str]
INBOUND_RETRY = Retry(max=2, interval=[2, 10])
#: When a failed turn taken off the queue is tried again: the first retry's wait.
TAKEN_RETRY_AFTER = timedelta(seconds=INBOUND_RETRY.intervals[0])
#: The jobs that answer guest messages: what ``take_queued_turns`` may take off "inbound".
TURN_JOBS = ("workers.inbound.handle_inbound_batch", "workers.inbound.handle_inbound")
PAYMENT_EVENT_RETRY = Retry(max=4, interval=[2, 10, 30, 120])


def enqueue_send(runtime: Runtime, outbox_id: int, *, followup: bool = False) -> None:
    """Queue the delivery of one outbox row (safe to call twice: the row decides).

    ``followup`` rows finish a turn the guest is waiting on (the payment link its reply
    promised) and jump ahead of other guests' messages; the rest wait on "outbound".
    """
    runtime.queue("followup" if followup else "outbound").enqueue(
        "workers.outbound.send_outbound",
        outbox_id,
        job_id=f"send-{outbox_id}",
        retry=SEND_RETRY,
        failure_ttl=FAILURE_TTL,
    )


def enqueue_sends(runtime: Runtime, outbox_ids: list[int]) -> None:
    """Queue the delivery of many outbox rows on "outbound", ``SEND_BATCH`` to a job.

    A sweep may write thousands of rows at once: a job each would cost the sweep a Redis
    round trip and a job's bookkeeping per row. A batch job delivers its rows one by one and
    hands any that fails to a send job of its own (``workers.outbound.send_outbound_batch``).
    """
    for first in range(0, len(outbox_ids), SEND_BATCH):
        batch = outbox_ids[first : first + SEND_BATCH]
        runtime.queue("outbound").enqueue(
            "workers.outbound.send_outbound_batch",
            batch,
            job_id=f"send-batch-{batch[0]}-{batch[-1]}",
            retry=SEND_RETRY,
            failure_ttl=FAILURE_TTL,
        )


def enqueue_inbound(runtime: Runtime, event_id: int) -> None:
    """Queue the handling of one stored inbound event (the sweep's re-enqueue)."""
    _on_inbound(runtime, "inbound.handle_inbound", event_id, job_id=f"inbound-{event_id}")


def enqueue_inbound_batch(
    runtime: Runtime, events: Sequence[QueuedEvent | int], *, after: timedelta | None = None
) -> None:
    """Queue the handling of stored inbound events, in one job: a webhook batch costs one
    Redis round trip and one job's bookkeeping however many messages it stored.

    Each event is handled as its own job would (``workers.inbound.handle_inbound``), in the
    order given; a conversation's messages stay in arrival order because whichever handles
    one drains its conversation oldest first. An event may be given by its id alone (read
    first), as the sweep's jobs give it. ``after`` delays the job (rq's scheduler queues it).
    """
    first, last = (
        event if isinstance(event, int) else event[0] for event in (events[0], events[-1])
    )
    job_id = f"inbound-{first}-{last}-{len(events)}"
    _on_inbound(runtime, "inbound.handle_inbound_batch", events, job_id=job_id, after=after)


def enqueue_payment_event(runtime: Runtime, event_id: int) -> None:
    """Queue the handling of one stored payment provider event (a Razorpay webhook)."""
    _on_inbound(
        runtime,
        "payments.handle_payment_event",
        event_id,
        job_id=f"payment-event-{event_id}",
        retry=PAYMENT_EVENT_RETRY,
    )


def _on_inbound(
    runtime: Runtime,
    job: str,
    argument: object,
    *,
    job_id: str,
    retry: Retry = INBOUND_RETRY,
    after: timedelta | None = None,
) -> None:
    """Queue ``workers.{job}(argument)`` on "inbound", where provider deliveries wait."""
    queue, options = runtime.queue("inbound"), {"job_id": job_id, "retry": retry}
    if after is None:
        queue.enqueue(f"workers.{job}", argument, failure_ttl=FAILURE_TTL, **options)
    else:
        queue.enqueue_in(after, f"workers.{job}", argument, failure_ttl=FAILURE_TTL, **options)


def take_queued_turns(runtime: Runtime) -> list[QueuedEvent | int] | None:
    """Take the job at the head of "inbound" off the queue, delete it and return its events,
    if it answers guest messages and no payment follow-up is waiting; else None.

    A worker's bookkeeping of one rq job (~17 Redis round trips, four log lines) costs a
    tenth of a turn. An inbound job that takes the jobs queued behind it pays three round
    trips for each instead. The job is deleted before its events are handled: a worker dying
    meanwhile loses nothing, as the events are stored and the maintenance sweep queues any
    left pending. Any other job goes back to the head of the queue.
    """
    if runtime.inline_jobs:
        return None
    inbound = runtime.queue("inbound")
    with runtime.redis.pipeline(transaction=False) as pipe:
        pipe.llen(runtime.queue("followup").key)
        pipe.lpop(inbound.key)
        followups, job_id = pipe.execute()
    if job_id is None:
        return None
    job_id = job_id.decode() if isinstance(job_id, bytes) else job_id
    try:
        job = Job.fetch(job_id, connection=runtime.redis)
    except NoSuchJobError:
        return None
    if followups or job.func_name not in TURN_JOBS:
        inbound.enqueue_job(job, at_front=True)
        return None
    runtime.redis.delete(job.key)  # a queued job is in no registry: its hash is all of it
    (events,) = job.args
    return events if isinstance(events, list) else [events]
