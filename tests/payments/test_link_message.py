"""The payment link's message goes out from the job that made the link, right after it commits,
instead of from a send job waiting on the "outbound" queue behind every guest's turn; a failed
send goes back to that send job, and the guest still gets the link exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import event, select

from engine.messaging.enums import OutboxStatus
from engine.messaging.models import OutboxMessage
from tests.dialogue.harness import ChatGuest
from tests.payments.checkout import Checkout, book_hotel

Make = Callable[..., ChatGuest]


def _link_message(checkout: Checkout, guest: ChatGuest) -> OutboxMessage:
    (booking,) = guest.bookings()
    with checkout.sessions() as session:
        key = f"paylink-msg:{booking.id}:0"
        return session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()


def _send_job_for(checkout: Checkout, row: OutboxMessage) -> bool:
    """True when a send job was queued for ``row`` (ids of earlier tests' rows may repeat)."""
    try:
        job = Job.fetch(f"send-{row.id}", connection=checkout.stack.runtime.redis)
    except NoSuchJobError:
        return False
    queued = job.enqueued_at
    return queued is not None and queued.replace(tzinfo=queued.tzinfo or UTC) >= row.created_at


def test_the_link_message_is_sent_by_the_payment_job_itself(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    book_hotel(guest)
    row = _link_message(checkout, guest)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    assert not _send_job_for(checkout, row)


def test_a_failed_inline_send_falls_back_to_the_send_job_and_arrives_once(
    guest_factory: Make, checkout: Checkout
) -> None:
    guest = guest_factory("hotel", "sms")
    offer = guest.say("deluxe room 24-27 Dec for 2")[0]
    assert offer.has("confirm_offer_name")
    checkout.stack.fake.update_knobs(fail_next=1, fail_provider="twilio")
    (held,) = guest.say(guest.name)
    assert held.has("held_payment")
    row = _link_message(checkout, guest)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert _send_job_for(checkout, row)
    assert guest.receive() == []


def test_the_link_job_reads_no_venue_or_guest_of_its_own(
    guest_factory: Make, checkout: Checkout
) -> None:
    """The link's job reads its booking with the venue and guest in one statement and keeps
    them for the message it sends after its commit: no statement of its own reads either."""
    guest = guest_factory("hotel", "sms")
    offer = guest.say("deluxe room 24-27 Dec for 2")[0]
    assert offer.has("confirm_offer_name")
    reads: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith(("SELECT venues.", "SELECT guests.")):
            reads.append(statement.split(",")[0])

    engine = checkout.stack.runtime.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        (held,) = guest.say(guest.name)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert held.has("held_payment")
    assert _link_message(checkout, guest).status == OutboxStatus.SENT
    assert reads == []
