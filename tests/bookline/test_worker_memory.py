"""A worker never imports scikit-learn: it would hold ~85 MB of the worker's memory (the goal is
180 MB) for as long as the worker lives, and workers live for days.

The worker's part is played by a fresh process (this one imports scikit-learn for other tests):
it loads what ``bookline worker`` loads, warms up on an empty intent-model cache (so the model is
trained), scores a hold at a venue whose 90 days of history are enough for a fitted model,
classifies a message and finds the owner's answer to a question (so the venue's answer index is
fitted too).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from engine.db import utcnow
from engine.guests.service import get_or_create_guest
from engine.history.service import seed_history
from engine.seed import seed_demo
from tests.engine.conftest import Demo
from tests.engine.factories import hold_room

REPO_ROOT = Path(__file__).resolve().parents[2]

WORKER = textwrap.dedent(
    """
    import sys

    import bookline.cli, rq, workers.maintenance
    import workers.inbound, workers.outbound, workers.payments
    from bot.machine import warm_up
    from bot.nlu import load_classifier
    from bot.nlu.retrieval import answer_index, documents
    from engine.answers.service import venue_questions
    from engine.bookings.models import Booking
    from engine.db import make_engine, make_session_factory
    from engine.risk.service import score_hold

    warm_up()
    with make_session_factory(make_engine(sys.argv[1]))() as session:
        booking = session.get_one(Booking, int(sys.argv[2]))
        _, score = score_hold(session, booking=booking)
        entries = venue_questions(session, venue_id=booking.venue_id)
    intent = load_classifier().predict("please cancel my booking").intent
    index = answer_index(documents([entry.texts() for entry in entries]))
    match = index.nearest("what's the wifi password?")
    print(score.method, intent.value, entries[match.entry].question, "sklearn" in sys.modules)
    """
)


def _hold_at_a_venue_with_history(session: Session) -> int:
    """The id of a new hold at the demo hotel, after 90 days of history there."""
    business = seed_demo(session)
    seed_history(session, business=business, days=90)
    venues = {venue.slug: venue for venue in business.venues}
    guest = get_or_create_guest(session, business_id=business.id, phone="+919800000001")
    demo = Demo(venues["seaside-hotel"], venues["spice-garden"], guest)
    check_in = utcnow().date() + timedelta(days=60)
    booking = hold_room(session, demo, "Standard", check_in, check_in + timedelta(days=1))
    session.commit()
    return booking.id


def test_a_worker_trains_fits_scores_classifies_and_answers_without_importing_scikit_learn(
    tmp_path: Path, database_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        booking_id = _hold_at_a_venue_with_history(session)
    env = {**os.environ, "BOOKLINE_CACHE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", WORKER, database_url, str(booking_id)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.split() == ["model", "cancel", "Is", "there", "wifi?", "False"], (
        result.stderr
    )
    # It trained the intent model and fitted the answer index.
    assert sorted(path.name.split("-")[0] for path in tmp_path.iterdir()) == ["answers", "intent"]
