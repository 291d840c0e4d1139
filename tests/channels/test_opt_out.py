"""Opt-out ⚑: STOP silences a guest on that channel until START."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.catalog import t
from engine.messaging.enums import OutboxStatus
from engine.messaging.models import OutboxMessage
from tests.stack import Stack, wait_for


def test_stop_then_booking_attempt_sends_nothing_and_start_resumes(live: Stack) -> None:
    guest = "+919812340001"
    live.sms("STOP", guest=guest)
    (confirmation,) = live.wait_sent(guest, 1)
    assert confirmation.body == t("opted_out", "en", venue="Seaside Hotel")
    live.sms("double room 24-27 Dec for 2", guest=guest)
    live.settle()
    assert len(live.sent_to(guest)) == 1
    live.sms("START", guest=guest)
    messages = live.wait_sent(guest, 2)
    assert messages[1].body == t("opted_in", "en", venue="Seaside Hotel")
    live.sms("hello", guest=guest)
    live.wait_sent(guest, 3)


def test_bare_cancel_on_sms_is_an_opt_out_but_not_on_whatsapp(live: Stack) -> None:
    live.sms("cancel", guest="+919812340002")
    (reply,) = live.wait_sent("+919812340002", 1)
    assert reply.body == t("opted_out", "en", venue="Seaside Hotel")
    live.whatsapp("cancel", guest="919812340003")
    (reply,) = live.wait_sent("919812340003", 1)
    assert reply.body != t("opted_out", "en", venue="Seaside Hotel")


def test_opt_out_is_per_channel(live: Stack) -> None:
    live.whatsapp("STOP", guest="919812340004")
    live.wait_sent("919812340004", 1)
    live.sms("hello", guest="+919812340004")
    live.wait_sent("+919812340004", 1)


def test_reply_queued_before_stop_is_suppressed_not_sent(
    live: Stack, sessions: sessionmaker[Session]
) -> None:
    guest = "+919812340005"
    live.sms("STOP", guest=guest)
    live.wait_sent(guest, 1)
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert all(r.status != OutboxStatus.PENDING for r in rows)
    wait_for(lambda: len(live.sent_to(guest)) == 1)
