"""Enqueueing jobs by name with their retry policy, in one place (adapters share it)."""

from __future__ import annotations

from rq import Retry

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


def enqueue_inbound_batch(runtime: Runtime, events: list[QueuedEvent]) -> None:
    """Queue the handling of stored inbound events, in one job: a webhook batch costs one
    Redis round trip and one job's bookkeeping however many messages it stored.

    Each event is handled as its own job would (``workers.inbound.handle_inbound``), in the
    order given; a conversation's messages stay in arrival order because whichever handles
    one drains its conversation oldest first.
    """
    job_id = f"inbound-{events[0][0]}-{events[-1][0]}-{len(events)}"
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


def _on_inbound(
    runtime: Runtime, job: str, argument: object, *, job_id: str, retry: Retry = INBOUND_RETRY
) -> None:
    """Queue ``workers.{job}(argument)`` on "inbound", where provider deliveries wait."""
    runtime.queue("inbound").enqueue(
        f"workers.{job}", argument, job_id=job_id, retry=retry, failure_ttl=FAILURE_TTL
    )
