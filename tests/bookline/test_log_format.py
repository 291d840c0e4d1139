"""LOG_FORMAT=json: one JSON object a line, with the context bound for the work as fields."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from bot.choices import conversation_key
from engine.messaging.enums import MessageChannel
from infra.log_context import bound, conversation_id
from infra.logs import configure_logging
from tests.settings import sandbox_env


def test_migrate_with_json_logs_writes_only_json_objects(tmp_path: Path) -> None:
    env = sandbox_env(DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}", LOG_FORMAT="json")
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bookline", "migrate"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines, "migrate logged nothing"
    for line in lines:
        record = json.loads(line)
        assert {"time", "level", "logger", "message"} <= record.keys(), record


def test_a_json_line_carries_the_context_bound_for_its_work(tmp_path: Path) -> None:
    path = tmp_path / "bookline.log"
    configure_logging("INFO", "json", file=path)
    log = logging.getLogger("bookline.test")
    with bound(conversation_id="c-0123456789ab"):
        log.info("guest wrote")
    log.info("outside")
    inside, outside = (json.loads(line) for line in path.read_text().splitlines())
    assert inside["conversation_id"] == "c-0123456789ab" and inside["message"] == "guest wrote"
    assert "conversation_id" not in outside


def test_a_conversation_id_is_stable_and_does_not_carry_the_guests_number() -> None:
    key = conversation_key(3, MessageChannel.SMS, "+919800000001")
    assert conversation_id(key) == conversation_id(key)
    assert conversation_id(key) != conversation_id(
        conversation_key(4, MessageChannel.SMS, "+919800000001")
    )
    assert "9800000001" not in conversation_id(key)
