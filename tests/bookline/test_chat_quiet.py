"""``bookline chat`` shows the conversation only: its logs go to a file, money reads as money,
and a message the server refuses, or a server that is not there, is said at once."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bookline.chat import paid_line, rendered
from fakeproviders.phone import shown
from tests.settings import sandbox_env
from tests.stack import free_port, wait_for

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


def test_chat_with_a_server_that_refuses_its_messages_says_why(tmp_path: Path) -> None:
    assert _bookline("seed", "--demo", cwd=tmp_path).returncode == 0
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = sandbox_env(DATABASE_URL=f"sqlite:///{tmp_path / 'bookline.db'}")
    env.pop("REDIS_URL", None)
    env["PUBLIC_BASE_URL"] = "http://127.0.0.1:1"  # set, and not where the server listens
    server = subprocess.Popen(
        [sys.executable, "-m", "bookline", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _answers(url), timeout=60)
        started = time.monotonic()
        chatted = _bookline("chat", "--url", url, cwd=tmp_path, stdin="hello\n/quit\n")
        took = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert chatted.returncode == 0, chatted.stderr
    assert "Bookline refused the message: 403 Invalid Twilio signature" in chatted.stdout
    assert f"signed for {url}" in chatted.stdout
    assert took < 15, f"the chat waited {took:.1f} s for a reply that could not come"


def test_chat_with_nothing_at_its_url_exits_saying_so(tmp_path: Path) -> None:
    assert _bookline("seed", "--demo", cwd=tmp_path).returncode == 0
    url = f"http://127.0.0.1:{free_port()}"
    chatted = _bookline("chat", "--url", url, cwd=tmp_path, stdin="hello\n")
    assert chatted.returncode != 0
    assert f"bookline chat: cannot talk to Bookline at {url}" in chatted.stderr
    assert "Traceback" not in chatted.stderr


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_a_list_shows_each_rows_description_after_its_title() -> None:
    rows = [
        {"id": "offer:0", "title": "Standard", "description": "₹10,500 in total, up to 2 guests"},
        {"id": "waitlist", "title": "Join the waitlist"},
    ]
    interactive = {
        "type": "list",
        "body": {"text": "Which would you like?"},
        "action": {"button": "Choose", "sections": [{"title": "Choose", "rows": rows}]},
    }
    message = {
        "payload": {"type": "interactive", "interactive": interactive},
        "created_at": "2026-12-05T08:00:00+00:00",
    }
    assert rendered(shown(message)).splitlines() == [
        "Which would you like?",
        "  [1] Standard · ₹10,500 in total, up to 2 guests",
        "  [2] Join the waitlist",
    ]
