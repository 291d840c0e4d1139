"""Messages from one guest are handled strictly in arrival order, even with two workers."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.messaging.models import TranscriptEntry
from tests.stack import Stack, wait_for

ROUNDS = 50


def _inbound_texts(sessions: sessionmaker[Session], guest: str) -> list[str]:
    with sessions() as session:
        rows = session.scalars(
            select(TranscriptEntry.text)
            .where(TranscriptEntry.guest_phone == guest, TranscriptEntry.direction == "in")
            .order_by(TranscriptEntry.id)
        )
        return list(rows)


def test_two_messages_ten_ms_apart_are_handled_in_order_fifty_times(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guests = [f"+91970000{n:04d}" for n in range(ROUNDS)]
    for guest in guests:
        live.sms("first", guest=guest)
        time.sleep(0.01)
        live.sms("second", guest=guest)
    for guest in guests:
        wait_for(lambda g=guest: len(_inbound_texts(sessions, g)) == 2, timeout=60)
        assert _inbound_texts(sessions, guest) == ["first", "second"], guest
