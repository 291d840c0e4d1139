"""The rq worker bookline runs: in-process, and terse about each job.

``SimpleWorker`` runs jobs in its own process: models and pools stay loaded, no fork per job.
rq logs four lines a job by default; two of them say nothing an operator acts on (the result
is kept for 500 s) or repeat the job's arguments (a guest's phone number, every event of a
batch) in the log. Those two are off; the job id still names the job.
"""

from __future__ import annotations

from collections.abc import Sequence

from redis import Redis
from rq import SimpleWorker


class BooklineWorker(SimpleWorker):
    """A ``SimpleWorker`` that logs no job arguments and no result lifespan."""

    log_result_lifespan = False

    def __init__(self, queues: Sequence[str], *, connection: Redis) -> None:
        super().__init__(list(queues), connection=connection, log_job_description=False)
