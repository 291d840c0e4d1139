"""The messenger: one way to speak to a guest, rendered for their channel and provider,
written once per key, and leaving a bare "2" meaning what the last offer numbered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from application.messenger import Recipient, render, tell, tell_once
from application.unit_of_work import unit_of_work
from bot.choices import conversation_key, resolve_choice
from bot.messages import Option, Reply
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import MessageChannel
from engine.messaging.models import OutboxMessage
from engine.seed import seed_demo
from engine.tenants.models import Venue
from infra.runtime import Runtime
from tests.conftest import NOW

OFFER = Reply("Which room?", options=[Option("std", "Standard"), Option("dlx", "Deluxe")])


@pytest.fixture
def runtime(queued_runtime: Runtime, sessions: sessionmaker[Session]) -> Iterator[Runtime]:
    with sessions.begin() as session:
        seed_demo(session)
    yield queued_runtime


def _to(session: Session, channel: MessageChannel, provider: str | None = None) -> Recipient:
    hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
    guest = get_or_create_guest(session, business_id=hotel.business_id, phone="+919811100043")
    return Recipient(hotel, guest, channel, provider)


def test_whatsapp_through_twilio_is_plain_text_marked_for_twilio() -> None:
    assert render(OFFER, MessageChannel.WHATSAPP, "twilio")["transport"] == "twilio"
    assert "transport" not in render(OFFER, MessageChannel.WHATSAPP)
    assert render(OFFER, MessageChannel.SMS) == render(OFFER, MessageChannel.SMS, "twilio")


def test_the_same_key_twice_writes_one_message(
    runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    for _ in range(2):
        with unit_of_work(runtime) as uow:
            to = _to(uow.session, MessageChannel.SMS)
            tell(uow.session, runtime.redis, to, [Reply("Hello")], key="greeting", now=NOW)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_numbered_offer_is_remembered_and_a_staff_line_leaves_it_alone(
    runtime: Runtime,
) -> None:
    with unit_of_work(runtime) as uow:
        to = _to(uow.session, MessageChannel.SMS)
        tell(uow.session, runtime.redis, to, [OFFER], key="offer", now=NOW)
        tell_once(uow.session, to, Reply("A person here: take your time."), key="staff", now=NOW)
    conversation = conversation_key(to.venue.id, MessageChannel.SMS, to.guest.phone)
    assert resolve_choice(runtime.redis, conversation, "2") == "dlx"
    with unit_of_work(runtime) as uow:
        tell(uow.session, runtime.redis, to, [Reply("Booked.")], key="done", now=NOW)
    assert resolve_choice(runtime.redis, conversation, "2") is None
