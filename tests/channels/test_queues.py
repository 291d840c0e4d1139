"""Which queue a send waits on: what finishes a guest's turn goes ahead of new messages.

rq workers drain their queues in order, so a payment link queued behind "inbound" would wait
for every other guest's message first, while its own guest waits for the link.
"""

from __future__ import annotations

from rq import Queue

from application.sending import Outgoing, dispatch
from infra.jobs import enqueue_send
from infra.runtime import QUEUE_NAMES, Runtime


def _waiting(runtime: Runtime) -> dict[str, list[str]]:
    return {name: Queue(name, connection=runtime.redis).job_ids for name in QUEUE_NAMES}


def test_what_a_turn_leaves_queued_goes_ahead_of_new_messages(queued_runtime: Runtime) -> None:
    dispatch(queued_runtime, Outgoing(claimed=[], queued=[7]))  # e.g. the turn's payment link
    enqueue_send(queued_runtime, 8)  # anything else: a retry, a notice
    assert _waiting(queued_runtime) == {
        "followup": ["send-7"],
        "inbound": [],
        "outbound": ["send-8"],
        "default": [],
    }
    assert QUEUE_NAMES.index("followup") < QUEUE_NAMES.index("inbound")  # workers' order
