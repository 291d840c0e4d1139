"""Demo seed: idempotent, and the demo it creates is the one the docs describe."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.accounts.enums import Role
from engine.accounts.models import User
from engine.accounts.service import verify_password
from engine.answers.service import Wording, owner_facts, replace_answers, venue_questions
from engine.answers.topics import FactTopic
from engine.db import Base
from engine.inventory.models import OpeningHours, RoomType
from engine.seed import OWNER_EMAIL, OWNER_PASSWORD, seed_demo
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue


def row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def test_seeding_twice_leaves_the_same_rows(sessions: sessionmaker[Session]) -> None:
    with sessions() as first:
        seed_demo(first)
        first.commit()
        once = row_counts(first)
    with sessions() as second:
        seed_demo(second)
        second.commit()
        assert row_counts(second) == once
    assert once["businesses"] == 1 and once["venues"] == 4  # two hotels and two restaurants
    assert (once["room_types"], once["rooms"], once["tables"]) == (3 + 3, 9 + 4, 10 + 4)
    # Spice Garden: lunch and dinner daily, dinner only on Mondays; Coast Kitchen: dinner daily
    assert once["opening_hours"] == 13 + 7
    assert once["users"] == 1 and once["bookings"] == once["claims"] == 0
    assert once["venue_questions"] == 18  # the demo's questions and answers, 10 + 8


def test_seeding_again_keeps_an_owners_edits(session: Session) -> None:
    seed_demo(session)
    standard = session.scalar(select(RoomType).where(RoomType.name == "Standard"))
    assert standard is not None
    standard.nightly_rate = 400_000
    session.commit()
    seed_demo(session)
    session.commit()
    session.refresh(standard)
    assert standard.nightly_rate == 400_000


def test_seeding_again_keeps_the_answers_an_owner_wrote(session: Session) -> None:
    seed_demo(session)
    hotel = session.scalars(select(Venue).where(Venue.slug == "seaside-hotel")).one()
    assert owner_facts(hotel)[FactTopic.PARKING].in_language("es").startswith("Sí: aparcamiento")
    parking = {FactTopic.PARKING: Wording("Valet only.")}
    replace_answers(session, venue=hotel, facts=parking, questions=[])
    session.commit()
    seed_demo(session)
    session.commit()
    session.refresh(hotel)
    assert owner_facts(hotel) == parking
    assert venue_questions(session, venue_id=hotel.id) == []


def test_demo_owner_can_log_in_with_the_published_password(session: Session) -> None:
    business = seed_demo(session)
    owner = session.scalar(select(User).where(User.email == OWNER_EMAIL))
    assert owner is not None
    assert (owner.role, owner.business_id) == (Role.OWNER, business.id)
    assert verify_password(owner.password_hash, OWNER_PASSWORD)
    assert not verify_password(owner.password_hash, OWNER_PASSWORD + "x")


def test_demo_venues_carry_their_policies(session: Session) -> None:
    seed_demo(session)
    venues = {v.slug: v for v in session.scalars(select(Venue))}
    hotel, restaurant = venues["seaside-hotel"], venues["spice-garden"]
    assert (hotel.kind, hotel.timezone, hotel.currency) == (VenueKind.HOTEL, "Asia/Kolkata", "INR")
    assert hotel.cancellation_tiers == [
        {"hours_before": 48, "refund_percent": 100},
        {"hours_before": 0, "refund_percent": 50},
    ]
    assert restaurant.kind == VenueKind.RESTAURANT
    assert (restaurant.deposit_for(4), restaurant.deposit_for(5)) == (0, 100_000)
    monday = session.scalars(
        select(OpeningHours.opens).where(
            OpeningHours.venue_id == restaurant.id, OpeningHours.weekday == 0
        )
    ).all()
    assert [t.hour for t in monday] == [19]
