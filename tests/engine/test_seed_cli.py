"""``bookline seed --demo --history 90`` through the real command entry: run twice, same rows."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bookline.cli import main
from tests.engine.test_seed import row_counts


def test_seeding_the_demo_history_twice_from_the_command_line_changes_nothing(
    database_url: str,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOOKLINE_SANDBOX", "1")  # the demo's login is for sandboxes only
    main(["seed", "--demo", "--history", "90"])
    with sessions() as session:
        once = row_counts(session)
    main(["seed", "--demo", "--history", "90"])
    with sessions() as session:
        assert row_counts(session) == once
    first, second = capsys.readouterr().out.split("Demo data ready")[1:]
    assert "Demo history ready" in first and "already present" in second
    assert once["bookings"] > 1500 and once["claims"] > once["bookings"]
    assert once["payments"] > once["refunds"] > 0 and once["transcript"] > once["bookings"]
    assert once["outbox"] == 0


def test_history_needs_the_demo_and_stays_within_a_year(
    database_url: str,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOOKLINE_SANDBOX", "1")
    with pytest.raises(SystemExit, match="--demo"):
        main(["seed", "--history", "90"])
    with pytest.raises(SystemExit) as refused:  # the argument is refused before anything runs
        main(["seed", "--demo", "--history", "400"])
    assert refused.value.code != 0 and "366" in capsys.readouterr().err
