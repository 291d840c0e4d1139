"""The webhook ingest path below HTTP: batched storing, the venue directory and group commit."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest
from rq import Queue
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker

from application.group_commit import GroupCommit
from application.ingest import Ingestor, ProviderMessage
from application.sweeps import sweep
from application.venues import VenueDirectory
from engine.db import utcnow
from engine.messaging.enums import InboundStatus, MessageChannel
from engine.messaging.models import InboundEvent
from engine.messaging.service import record_inbound, record_inbounds
from engine.seed import seed_demo
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue
from infra.runtime import Runtime
from tests.stack import HOTEL_SMS

SPARE_SMS = "+15005550099"  # no demo venue has it


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _venue(sessions: sessionmaker[Session], slug: str) -> int:
    with sessions() as session:
        venue_id = session.scalar(select(Venue.id).where(Venue.slug == slug))
        assert venue_id is not None
        return venue_id


def _set_sms_numbers(sessions: sessionmaker[Session], numbers: dict[str, str | None]) -> None:
    with sessions.begin() as session:
        for slug in numbers:  # free every number first: they are unique
            session.execute(update(Venue).where(Venue.slug == slug).values(sms_number=None))
        for slug, number in numbers.items():
            session.execute(update(Venue).where(Venue.slug == slug).values(sms_number=number))


def test_a_moved_number_routes_to_its_new_venue_once_the_ttl_has_passed(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    hotel, restaurant = _venue(sessions, "seaside-hotel"), _venue(sessions, "spice-garden")
    clock = Clock()
    venues = VenueDirectory(ttl=5.0, clock=clock)
    with sessions() as session:
        assert venues.venue_id(session, whatsapp=False, address=HOTEL_SMS) == hotel
    _set_sms_numbers(sessions, {"seaside-hotel": SPARE_SMS, "spice-garden": HOTEL_SMS})
    clock.now += 4.9
    with sessions() as session:
        assert venues.venue_id(session, whatsapp=False, address=HOTEL_SMS) == hotel
    clock.now += 0.2
    with sessions() as session:
        assert venues.venue_id(session, whatsapp=False, address=HOTEL_SMS) == restaurant


def test_a_number_nobody_had_works_as_soon_as_an_owner_assigns_it(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    venues = VenueDirectory(ttl=60.0, clock=Clock())
    with sessions() as session:
        assert venues.venue_id(session, whatsapp=False, address=SPARE_SMS) is None
    _set_sms_numbers(sessions, {"seaside-hotel": SPARE_SMS})
    with sessions() as session:
        found = venues.venue_id(session, whatsapp=False, address=SPARE_SMS)
    assert found == _venue(sessions, "seaside-hotel")


def _row(venue_id: int, sid: str) -> dict[str, object]:
    return {
        "provider": "twilio",
        "provider_id": sid,
        "venue_id": venue_id,
        "channel": MessageChannel.SMS,
        "guest_phone": "+919800000001",
        "text": "hello",
    }


def test_a_batch_stores_each_provider_id_once_even_when_it_repeats_inside_the_batch(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    hotel = _venue(sessions, "seaside-hotel")
    with sessions.begin() as session:
        earlier = record_inbound(session, **_row(hotel, "SM-old"))  # type: ignore[arg-type]
    with sessions.begin() as session:
        ids = record_inbounds(
            session, [_row(hotel, "SM-a"), _row(hotel, "SM-old"), _row(hotel, "SM-a")]
        )
    assert earlier is not None and ids[0] is not None and ids[1:] == [None, None]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 2


def test_a_batch_stores_every_character_and_field_as_given_and_defaults_the_rest(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    hotel = _venue(sessions, "seaside-hotel")
    text = 'a "quoted" back\\slash, {braces}, new\nline, \u00e9t\u00e9 and \U0001f600'
    payload = {"Body": text, "NumMedia": "0", "nested": {"list": [1, None, "x"]}}
    rows = [
        {**_row(hotel, f"SM-{n}"), "text": text, "payload": payload, "profile_name": None}
        for n in range(3)
    ]
    with sessions.begin() as session:
        ids = record_inbounds(session, rows)
    assert None not in ids
    with sessions() as session:
        events = session.scalars(select(InboundEvent).order_by(InboundEvent.id)).all()
    assert [e.id for e in events] == ids
    for event in events:
        assert (event.text, event.payload, event.profile_name) == (text, payload, None)
        assert (event.status, event.attempts, event.kind) == (InboundStatus.PENDING, 0, "text")
        assert event.channel is MessageChannel.SMS and event.received_at.tzinfo is not None


def test_a_provider_id_too_long_for_its_column_is_refused_never_cut_short(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    hotel = _venue(sessions, "seaside-hotel")
    long_id = "SM" + "9" * 200  # the column holds 128
    try:
        with sessions.begin() as session:
            record_inbounds(session, [_row(hotel, "SM-short"), _row(hotel, long_id)])
    except DataError:  # PostgreSQL refuses the batch; the ingest then stores one by one
        stored: list[str] = []
    else:  # SQLite does not enforce a VARCHAR's length: stored whole
        stored = [long_id, "SM-short"]
    with sessions() as session:
        ids = session.scalars(select(InboundEvent.provider_id).order_by(InboundEvent.id)).all()
    assert sorted(ids) == sorted(stored)


def _sms(sid: str, *, to: str = HOTEL_SMS) -> list[ProviderMessage]:
    return [
        ProviderMessage(
            provider="twilio",
            provider_id=sid,
            channel=MessageChannel.SMS,
            to_address=to,
            from_address="+919800000001",
            kind="text",
            text="hello",
        )
    ]


def test_a_batch_enqueues_only_what_is_new_and_answers_each_delivery(
    queued_runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    ingestor = Ingestor(queued_runtime)
    assert ingestor.flush([_sms("SM-1")]) == [1]
    outcomes = ingestor.flush([_sms("SM-1"), _sms("SM-2"), _sms("SM-3", to=SPARE_SMS)])
    assert outcomes == [0, 1, 0]  # a duplicate, a new one, one to a number nobody has
    assert Queue("inbound", connection=queued_runtime.redis).count == 2


def test_a_delivery_stored_while_redis_is_down_is_answered_and_enqueued_by_the_sweep(
    queued_runtime: Runtime, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        seed_demo(session)
    ingestor = Ingestor(queued_runtime)
    server = queued_runtime.redis.connection_pool.connection_kwargs["server"]
    server.connected = False
    assert ingestor.flush([_sms("SM-1")]) == [1]  # committed, so the provider hears 200
    server.connected = True
    with sessions.begin() as session:
        event = session.scalars(select(InboundEvent)).one()
        assert event.status == InboundStatus.PENDING
        event.received_at = utcnow() - timedelta(minutes=5)
    assert sweep(queued_runtime)["inbound"] == 1
    assert Queue("inbound", connection=queued_runtime.redis).count == 1


def test_a_venue_deleted_after_it_was_remembered_is_routed_again(
    queued_runtime: Runtime, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    with sessions.begin() as session:
        business_id = seed_demo(session).id
        popup = Venue(
            business_id=business_id,
            kind=VenueKind.RESTAURANT,
            name="Pop-up",
            slug="pop-up",
            timezone="Asia/Kolkata",
            currency="INR",
            sms_number=SPARE_SMS,
        )
        session.add(popup)
    ingestor = Ingestor(queued_runtime)
    assert ingestor.flush([_sms("SM-1", to=SPARE_SMS)]) == [1]  # the pop-up is remembered
    with sessions.begin() as session:
        session.execute(delete(InboundEvent))
        session.execute(delete(Venue).where(Venue.slug == "pop-up"))
    _set_sms_numbers(sessions, {"spice-garden": SPARE_SMS})
    assert ingestor.flush([_sms("SM-2", to=SPARE_SMS), _sms("SM-3")]) == [1, 1]
    assert "each alone" in caplog.text  # the batch failed on the foreign key, then recovered
    with sessions() as session:
        stored = session.scalar(select(InboundEvent).where(InboundEvent.provider_id == "SM-2"))
        assert stored is not None and stored.venue_id == _venue(sessions, "spice-garden")


def test_concurrent_submissions_share_batches_and_one_failure_fails_only_its_caller() -> None:
    batches: list[list[int]] = []
    first_batch_started, release = threading.Event(), threading.Event()

    def flush(items: list[int]) -> list[int | Exception]:
        batches.append(items)
        first_batch_started.set()
        release.wait(5)
        return [ValueError(item) if item == 13 else item * 2 for item in items]

    commits: GroupCommit[int, int] = GroupCommit(flush)

    async def scenario() -> list[int | BaseException]:
        first = asyncio.ensure_future(commits.submit(0))
        await asyncio.to_thread(first_batch_started.wait, 5)
        rest = [asyncio.ensure_future(commits.submit(n)) for n in range(1, 20)]
        await asyncio.sleep(0.05)
        release.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    results = asyncio.run(scenario())
    assert batches == [[0], list(range(1, 20))]
    assert isinstance(results[13], ValueError)
    assert [r for n, r in enumerate(results) if n != 13] == [n * 2 for n in range(20) if n != 13]
