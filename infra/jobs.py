"""Enqueueing jobs by name with their retry policy, in one place (adapters share it)."""

from __future__ import annotations

from collections.abc import Sequence
from weakref import WeakKeyDictionary

from redis.commands.core import Script
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.results import Result

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


def enqueue_inbound_batch(runtime: Runtime, events: Sequence[QueuedEvent | int]) -> None:
    """Queue the handling of stored inbound events, in one job: a webhook batch costs one
    Redis round trip and one job's bookkeeping however many messages it stored.

    Each event is handled as its own job would (``workers.inbound.handle_inbound``), in the
    order given; a conversation's messages stay in arrival order because whichever handles
    one drains its conversation oldest first. An event may be given by its id alone (read
    first), as the sweep's jobs give it.
    """
    first, last = (
        event if isinstance(event, int) else event[0] for event in (events[0], events[-1])
    )
    job_id = f"inbound-{first}-{last}-{len(events)}"
    _on_inbound(runtime, "inbound.handle_inbound_batch", events, job_id=job_id)


def enqueue_payment_event(runtime: Runtime, event_id: int) -> None:
    """Queue the handling of one stored payment provider event (a Razorpay webhook)."""
    _on_inbound(
        runtime,
        "payments.handle_payment_event",
        event_id,
        job_id=f"payment-event-{event_id}",
        retry=PAYMENT_EVENT_RETRY,
    )


def enqueue_answer_fit(runtime: Runtime, venue_id: int) -> None:
    """Queue the fitting of a venue's answer index (``workers.answers.prepare_answers``)."""
    runtime.queue("default").enqueue(
        "workers.answers.prepare_answers", venue_id, failure_ttl=FAILURE_TTL
    )


def _on_inbound(
    runtime: Runtime,
    job: str,
    argument: object,
    *,
    job_id: str,
    retry: Retry = INBOUND_RETRY,
) -> None:
    """Queue ``workers.{job}(argument)`` on "inbound", where provider deliveries wait."""
    runtime.queue("inbound").enqueue(
        f"workers.{job}", argument, job_id=job_id, retry=retry, failure_ttl=FAILURE_TTL
    )


#: Takes the job ARGV[1] off the head of the queue KEYS[1] and deletes its hash KEYS[2] in one
#: step, if it is still at the head (another worker may have taken it since it was read).
_TAKE_HEAD = """
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('DEL', KEYS[2])
return 1
"""
#: ``_TAKE_HEAD`` registered once per runtime (a worker has one): registering encodes and
#: hashes the script, which ``take_queued_turns`` would otherwise do on every call. Keyed
#: weakly: a runtime that is gone (tests make many) takes its script with it.
_registered: WeakKeyDictionary[Runtime, Script] = WeakKeyDictionary()


def _take_head(runtime: Runtime) -> Script:
    """``_TAKE_HEAD`` as a script of the runtime's Redis, registered on first use."""
    script = _registered.get(runtime)
    if script is None:
        script = _registered[runtime] = runtime.redis.register_script(_TAKE_HEAD)
    return script


def take_queued_turns(runtime: Runtime) -> Job | None:
    """Take the job at the head of "inbound" off the queue and delete it, if it answers guest
    messages and no payment follow-up is waiting; else None (any other job stays where it is).

    A worker's bookkeeping of one rq job (~17 Redis round trips, four log lines) costs a
    tenth of a turn. An inbound job that takes the jobs queued behind it pays three round
    trips for each instead. The job is read first and leaves the queue and Redis in one
    step, so a worker dying at any point leaves it queued whole or gone, never a hash that
    no queue or registry knows; gone, it loses nothing, as its events are stored and the
    maintenance sweep queues any left pending. A taken job that fails is ``retry_taken``'s.
    """
    if runtime.inline_jobs:
        return None
    inbound, take = runtime.queue("inbound"), _take_head(runtime)
    while True:
        with runtime.redis.pipeline(transaction=False) as pipe:
            pipe.llen(runtime.queue("followup").key)
            pipe.lindex(inbound.key, 0)
            followups, job_id = pipe.execute()
        if followups or job_id is None:
            return None
        job_id = job_id.decode() if isinstance(job_id, bytes) else job_id
        try:
            job = Job.fetch(job_id, connection=runtime.redis)
        except NoSuchJobError:
            return None  # rq's own dequeue drops an id whose job is gone
        if job.func_name not in TURN_JOBS:
            return None
        if take(keys=[inbound.key, job.key], args=[job_id]):
            return job


def turn_events(job: Job) -> list[QueuedEvent | int]:
    """The events a turn job answers (``handle_inbound`` carries one, a batch a list)."""
    (events,) = job.args
    return events if isinstance(events, list) else [events]


def retry_taken(runtime: Runtime, job: Job, error: str) -> None:
    """A taken job failed: retry it as rq retries a job it runs (the same job, one retry
    fewer, after that retry's wait), or with none left fail it as rq fails one: in the
    queue's failed job registry, where operators look, with ``error`` (the traceback) as its
    latest result."""
    queue = runtime.queue("inbound")
    with runtime.redis.pipeline() as pipe:
        if job.should_retry:
            job.retry(queue, pipe)
        else:
            job.set_status(JobStatus.FAILED, pipeline=pipe)
            queue.failed_job_registry.add(job, ttl=job.failure_ttl, exc_string=error, pipeline=pipe)
            Result.create_failure(job, job.failure_ttl, error, pipeline=pipe)
        pipe.execute()
