"""Every command that needs the database checks it first: against one that is down it exits
non-zero at once, in a line or two naming the database (password masked), no traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.settings import sandbox_env

DEAD_DATABASE = "postgresql+psycopg://bookline:hunter2@127.0.0.1:1/bookline"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # never reached: the database is checked first
COMMANDS = [
    ["migrate"],
    ["seed", "--demo"],
    ["serve"],
    ["worker", "--burst"],
    ["create-owner", "--email", "owner@harbour.test", "--business", "Harbour View"],
    ["chat"],
]


def _run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = sandbox_env(DATABASE_URL=DEAD_DATABASE, REDIS_URL=DEAD_REDIS, LOG_LEVEL="INFO")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bookline", *args],
        env=env,
        cwd=cwd,  # no .env of the checkout's
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, time.monotonic() - started


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_a_command_against_a_dead_database_exits_at_once_naming_it(
    args: list[str], tmp_path: Path
) -> None:
    done, took = _run(args, tmp_path)
    output = (done.stdout + done.stderr).strip()
    assert done.returncode != 0
    assert took < 10, f"took {took:.1f} s"
    assert len(output.splitlines()) <= 3, output
    assert f"bookline {args[0]}: cannot reach the database at " in output
    assert "bookline:***@127.0.0.1:1/bookline" in output and "hunter2" not in output
    assert "Traceback" not in output


def test_verbose_adds_the_traceback_of_what_failed(tmp_path: Path) -> None:
    done, _ = _run(["migrate", "--verbose"], tmp_path)
    assert done.returncode != 0
    assert "Traceback" in done.stderr and "bookline migrate: cannot reach" in done.stderr
