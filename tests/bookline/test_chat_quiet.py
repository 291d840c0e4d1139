"""``bookline chat`` shows the conversation only: its logs go to a file, money reads as money."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bookline.chat import paid_line
from tests.settings import sandbox_env

LOG_LINE = re.compile(r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b")


def _bookline(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = sandbox_env(DATABASE_URL=f"sqlite:///{cwd / 'bookline.db'}", LOG_LEVEL="INFO")
    env.pop("REDIS_URL", None)  # the embedded default, as an operator first tries it
    env.pop("PUBLIC_BASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bookline", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_chat_prints_the_conversation_and_no_log_lines(tmp_path: Path) -> None:
    assert _bookline("seed", "--demo", cwd=tmp_path).returncode == 0
    chatted = _bookline("chat", cwd=tmp_path, stdin="hello\n/quit\n")
    assert chatted.returncode == 0, chatted.stderr
    output = chatted.stdout + chatted.stderr
    assert "bot> " in chatted.stdout, output  # the bot answered
    assert not LOG_LINE.search(output), output
    log_file = tmp_path / ".bookline" / "chat.log"
    assert f"logs go to {log_file}" in chatted.stdout
    assert LOG_LINE.search(log_file.read_text()), "the logs went nowhere"


def test_a_payment_is_shown_as_money() -> None:
    line = paid_line({"amount": 1050000, "currency": "INR", "id": "pay_F4k3"})
    assert line == "(paid ₹10,500, payment pay_F4k3)"
