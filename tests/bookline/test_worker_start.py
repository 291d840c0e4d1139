"""``bookline worker`` refuses to start, in one clear line, without its database and Redis:
a worker that started anyway would take jobs off the queue only to fail them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bookline.cli import masked

DEAD_DATABASE = "postgresql+psycopg://bookline:hunter2@127.0.0.1:1/bookline"
DEAD_REDIS = "redis://:redis-pass@127.0.0.1:1/0"


def _worker(tmp_path: Path, database_url: str, redis_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY="worker-start-tests-signing-key-0123456789abcdef",
        BOOKLINE_SANDBOX="1",  # provider keys are not what these tests are about
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(
        [sys.executable, "-m", "bookline", "worker", "--burst"],
        env=env,
        cwd=tmp_path,  # no .env of the checkout's
        capture_output=True,
        text=True,
        timeout=60,
    )


def _the_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_worker_with_an_unreachable_database_exits_naming_it_with_the_password_masked(
    tmp_path: Path,
) -> None:
    redis_url = os.environ.get("REDIS_URL") or DEAD_REDIS
    line = _the_line(_worker(tmp_path, DEAD_DATABASE, redis_url))
    assert line.startswith("bookline worker: cannot reach the database at ")
    assert "bookline:***@127.0.0.1:1/bookline" in line and "hunter2" not in line


def test_worker_with_an_unmigrated_database_exits_saying_to_migrate(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    line = _the_line(_worker(tmp_path, empty, DEAD_REDIS))
    assert "has no Bookline schema" in line and "bookline migrate" in line


def test_worker_with_unreachable_redis_exits_naming_it(tmp_path: Path, database_url: str) -> None:
    line = _the_line(_worker(tmp_path, database_url, DEAD_REDIS))
    assert line.startswith("bookline worker: cannot reach the Redis at redis://:***@127.0.0.1:1/0")
    assert "redis-pass" not in line


def test_masked_hides_only_the_password() -> None:
    assert (
        masked("postgresql+psycopg://u:p%40ss@db:5432/b") == "postgresql+psycopg://u:***@db:5432/b"
    )
    assert masked("redis://cache:6379/0") == "redis://cache:6379/0"
