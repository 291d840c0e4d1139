"""The sweep forgets logins that ended long ago, and only those."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from application.sweeps import ENDED_LOGINS_KEPT, sweep
from engine.accounts.enums import Role
from engine.accounts.logins import open_login
from engine.accounts.models import LoginSession
from engine.accounts.service import create_user
from engine.db import utcnow
from infra.runtime import Runtime


def test_the_sweep_forgets_logins_ended_long_ago_and_keeps_recent_and_live_ones(
    queued_runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    now = utcnow()
    with sessions.begin() as session:
        user = create_user(
            session,
            email="owner@prune.test",
            password="longenough",
            role=Role.ADMIN,
            business_id=None,
        )
        old, recent, live = (open_login(session, user=user) for _ in range(3))
        old.ended_at = now - ENDED_LOGINS_KEPT - timedelta(days=1)
        recent.ended_at = now - ENDED_LOGINS_KEPT + timedelta(days=1)
        kept = {recent.id, live.id}

    assert sweep(queued_runtime)["logins_pruned"] == 1
    with sessions() as session:
        assert set(session.scalars(select(LoginSession.id))) == kept
    assert sweep(queued_runtime)["logins_pruned"] == 0
