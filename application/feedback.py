"""The question after a visit, "how was it?", once per booking, to guests who can be asked.

One transaction marks each booking asked and queues its question (outbox key
``feedback:{booking}``); once it has committed, each guest's conversation is set to expect
the score, before the messages go out, as for a waitlist offer. A guest in the middle of
something else (a booking being made, a person answering them) is asked on a later sweep:
a question dropped into a conversation about something else could not be answered in it.
"""

from __future__ import annotations

from datetime import datetime

from redis import Redis

from application.messenger import Recipient, tell_once
from application.notices import expect_answers
from application.unit_of_work import unit_of_work
from bot.choices import conversation_key
from bot.conversation import ConversationStore, State
from bot.flows.feedback import FeedbackQuestion, question
from engine.feedback.service import ask_key, mark_asked, visits_to_ask_about
from engine.messaging.service import last_provider
from engine.payments.service import guest_channel
from infra.runtime import Runtime


def ask_for_feedback(runtime: Runtime, now: datetime) -> int:
    """Ask the guests whose question is due at ``now``; returns how many were asked."""
    asked: list[FeedbackQuestion] = []
    with unit_of_work(runtime) as uow:
        session = uow.session
        for booking in visits_to_ask_about(session, now=now):
            venue, guest, channel = booking.venue, booking.guest, guest_channel(booking)
            if _busy(runtime.redis, conversation_key(venue.id, channel, guest.phone)):
                continue
            if not mark_asked(session, booking=booking, now=now):
                continue  # another sweep asked meanwhile
            provider = last_provider(
                session, venue_id=venue.id, channel=channel, guest_phone=guest.phone
            )
            found = question(booking, venue=venue, guest=guest, channel=channel)
            to = Recipient(venue, guest, channel, provider)
            tell_once(session, to, found.reply, key=ask_key(booking.id), now=now)
            asked.append(found)
        uow.after_commit(lambda: expect_answers(runtime, asked))
    return len(asked)


def _busy(redis: Redis, conversation: str) -> bool:
    """True while the guest's conversation is about something else."""
    return ConversationStore(redis).load(conversation).state != State.IDLE
