"""The deployment commands, run as an operator runs them: ``bookline`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bookline.app import create_app
from engine.accounts.enums import Role
from engine.accounts.models import User
from engine.seed import OWNER_EMAIL
from engine.tenants.models import Business
from infra.runtime import Runtime, set_current
from infra.settings import PROVIDER_VARIABLES, secret_problem
from tests.settings import SECRET_KEY, sandbox_settings
from tests.stack import free_port

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # a real stack whose Redis is never reached
PASSWORD = "harbour-view-2026"


def bookline(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """``bookline args`` with only ``env`` as Bookline configuration (none inherited)."""
    names = {"SECRET_KEY", "BOOKLINE_SANDBOX", "ALLOW_SIGNUP", "DISABLED_PROVIDERS"}
    names |= {name for variables in PROVIDER_VARIABLES.values() for name in variables}
    inherited = {k: v for k, v in os.environ.items() if k not in names | {"REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "bookline", *args],
        env={**inherited, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_prints_a_fresh_key_the_checks_accept() -> None:
    first, second = bookline("secret"), bookline("secret")
    key = first.stdout.strip()
    assert first.returncode == 0 and secret_problem("SECRET_KEY", key) is None
    assert key != second.stdout.strip()


def test_create_owner_makes_an_owner_who_can_log_in(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    made = bookline(
        "create-owner",
        "--email",
        "owner@harbour.test",
        "--business",
        "Harbour View",
        stdin=PASSWORD + "\n",
        DATABASE_URL=database_url,
    )
    assert made.returncode == 0, made.stderr
    with sessions() as session:
        owner = session.scalars(select(User).where(User.email == "owner@harbour.test")).one()
        business = session.get(Business, owner.business_id)
        assert owner.role == Role.OWNER and business is not None
        assert business.name == "Harbour View"
    settings = sandbox_settings(database_url, None)
    runtime = Runtime(settings)
    previous = set_current(runtime)
    try:
        client = TestClient(create_app(settings, runtime))
        form = {"username": "owner@harbour.test", "password": PASSWORD}
        login = client.post("/api/v1/auth/token", data=form)
    finally:
        runtime.close()
        set_current(previous)
    assert login.status_code == 200 and login.json()["access_token"]


def test_create_owner_refuses_an_email_in_use_and_changes_nothing(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    args = ("create-owner", "--email", "owner@harbour.test", "--business", "Harbour View")
    assert bookline(*args, stdin=PASSWORD, DATABASE_URL=database_url).returncode == 0
    again = bookline(*args[:-1], "Harbour Two", stdin=PASSWORD, DATABASE_URL=database_url)
    assert again.returncode != 0
    assert "already exists" in again.stderr and "Traceback" not in again.stderr
    with sessions() as session:
        assert len(session.scalars(select(User)).all()) == 1


def test_create_owner_refuses_a_short_password_or_a_bad_email(database_url: str) -> None:
    short = bookline(
        "create-owner",
        "--email",
        "a@b.test",
        "--business",
        "B",
        stdin="short",
        DATABASE_URL=database_url,
    )
    bad = bookline(
        "create-owner",
        "--email",
        "nobody",
        "--business",
        "B",
        stdin=PASSWORD,
        DATABASE_URL=database_url,
    )
    assert short.returncode != 0 and "password needs 8" in short.stderr
    assert bad.returncode != 0 and "email address is not valid" in bad.stderr


def test_seed_demo_is_refused_where_the_sandbox_is_off_unless_forced(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    stack = {"DATABASE_URL": database_url, "REDIS_URL": UNREACHABLE_REDIS}
    refused = bookline("seed", "--demo", **stack)
    with sessions() as session:
        seeded = session.scalar(select(User).where(User.email == OWNER_EMAIL))
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert seeded is None
    forced = bookline("seed", "--demo", "--force", **stack)
    assert forced.returncode == 0, forced.stderr
    with sessions() as session:
        assert session.scalar(select(User).where(User.email == OWNER_EMAIL)) is not None


def test_serve_refuses_an_example_key_without_a_traceback(database_url: str) -> None:
    started = bookline(
        "serve",
        "--port",
        str(free_port()),
        DATABASE_URL=database_url,
        REDIS_URL=UNREACHABLE_REDIS,
        SECRET_KEY="change-me-in-production",
        BOOKLINE_SANDBOX="1",
    )
    assert started.returncode != 0
    assert "SECRET_KEY is an example value" in started.stderr
    assert "Traceback" not in started.stderr


def test_worker_refuses_a_partial_provider_configuration_naming_what_is_missing(
    database_url: str,
) -> None:
    started = bookline(
        "worker",
        "--burst",
        DATABASE_URL=database_url,
        REDIS_URL=UNREACHABLE_REDIS,
        SECRET_KEY=SECRET_KEY,
        TWILIO_ACCOUNT_SID="AC" + "7e11" * 8,
        RAZORPAY_KEY_ID="rzp_live_RealVenue01",
        DISABLED_PROVIDERS="whatsapp",
    )
    assert started.returncode != 0 and "Traceback" not in started.stderr
    missing = ["TWILIO_AUTH_TOKEN", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"]
    assert all(name in started.stderr for name in missing)
    assert "WHATSAPP" not in started.stderr


def test_serve_refuses_a_sandbox_nobody_asked_for_on_every_interface(tmp_path: Path) -> None:
    """The Docker image run with no configuration: the fakes' open controls would face the
    network. Asked for (BOOKLINE_SANDBOX=1), or on loopback, it starts as before."""
    started = bookline(
        "serve",
        "--host",
        "0.0.0.0",
        "--port",
        str(free_port()),
        DATABASE_URL=f"sqlite:///{tmp_path / 'open.db'}",
    )
    assert started.returncode != 0 and "Traceback" not in started.stderr
    assert "BOOKLINE_SANDBOX=1" in started.stderr


def test_nlu_eval_prints_the_intents_the_questions_about_the_venue_then_the_corrections() -> None:
    result = bookline("nlu", "eval")
    assert result.returncode == 0, result.stderr
    intents, questions, corrections = result.stdout.strip().split("\n\n")
    assert "question" in intents and "macro-F1" in intents
    assert questions.startswith("questions about the venue")
    assert "retrieval accuracy" in questions and "out of scope to a person" in questions
    assert corrections.startswith("corrections (never trained on)")
    assert "details read right" in corrections
