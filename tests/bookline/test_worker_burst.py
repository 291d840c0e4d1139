"""``bookline worker --burst`` returns as soon as the queues are empty.

What this guards against is a stop that waits out a 60-second pub/sub wait (redis 8.2 with rq
2.12): a worker that returns within 30 s, start-up on a loaded machine included, did not. It
is not a measure of start-up time (that is the benches' business).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from infra.jobs import enqueue_send
from infra.runtime import Runtime
from tests.settings import sandbox_env, sandbox_settings

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="a worker needs a Redis server (set REDIS_URL)"
)


def test_a_burst_worker_with_one_job_returns_without_waiting_out_a_timeout(
    tmp_path: Path, database_url: str, sessions: sessionmaker[Session]
) -> None:
    redis_url = os.environ["REDIS_URL"]
    runtime = Runtime(sandbox_settings(database_url, redis_url))
    try:
        enqueue_send(runtime, 987654)  # no such row: the job finds nothing to send
        started = time.monotonic()
        burst = subprocess.run(
            [sys.executable, "-m", "bookline", "worker", "--burst"],
            env=sandbox_env(DATABASE_URL=database_url, REDIS_URL=redis_url, LOG_LEVEL="WARNING"),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        took = time.monotonic() - started
        left = runtime.queue("outbound").count
    finally:
        runtime.close()
    assert burst.returncode == 0, burst.stderr
    assert left == 0, "the job was not taken"
    assert took < 30, f"the burst took {took:.1f} s"
