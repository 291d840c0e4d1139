"""What recommendations add to a chat turn: the same turns with them on and off, in one run.

What is measured
----------------
A fresh, migrated PostgreSQL database with the demo and ``--history`` (default 90) days of
history (simulated guests' recommendations included), the restaurant's ranker trained on it
(``recommend train``), 20:00 tomorrow taken for a party of 6, and a returning guest who has
come twice for 2 at 20:00. One dialogue turn is the bot's whole answer to one message, in
process (``ConversationDialogue.respond``: NLU, dialogue, engine reads, the records it writes,
rolled back after each turn so every turn starts alike), with Redis in memory. Pairs of turns
that do the same search and answer the same way, recommendations on and off:

* ``usual``: "table tomorrow please" from the returning guest with the usual on (its usual is
  looked up, filled in, proposed and recorded) against "table for 2 tomorrow at 8pm" with it
  off (the same search and proposal, details typed);
* ``alternatives``: "table for 6 tomorrow 8pm" (taken) with ranking on (the guest's habit read,
  features, the stored model scored, the recommendation recorded) and off (the search's order).

Each turn runs ``--turns`` times (default 200) per setting, interleaved, and the median CPU
(``time.process_time``) per turn is printed for both, with the difference against the
issue's ceiling of 2 ms per turn.

Run::

    .venv/bin/python bench/recommendation_turn.py [--database-url ...] [--turns 200]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import fakeredis
from benchdb import add_database_url, bench_database
from sqlalchemy import select
from sqlalchemy.orm import Session
from stackproc import seed_demo_venues

from bot.machine import ConversationDialogue, warm_up
from bot.messages import InboundMessage
from engine.availability.offers import TableOffer
from engine.bookings.enums import Channel
from engine.bookings.service import confirm, place_hold
from engine.db import make_engine, make_session_factory
from engine.exceptions import NotAvailableError
from engine.guests.models import Guest
from engine.guests.service import get_or_create_guest
from engine.messaging.enums import MessageChannel
from engine.recommendations.rankers import train
from engine.tenants.models import Venue

CEILING_MS = 2.0
REGULAR = "+919812340000"
STRANGER = "+919812349999"


def _table(venue: Venue, days: int, at: clock, party: int) -> TableOffer:
    local = datetime.combine(datetime.now(venue.tz).date() + timedelta(days=days), at, venue.tz)
    return TableOffer(venue.id, local.astimezone(UTC), local, party, 0, venue.currency, True)


def prepare(session: Session) -> Venue:
    """Train the ranker, take 20:00 tomorrow for six, and give the regular two visits."""
    venue = session.scalars(select(Venue).where(Venue.slug == "spice-garden")).one()
    now = datetime.now(UTC)
    trained = train(session, business_id=venue.business_id, venue_kind="restaurant", now=now)
    print(f"ranker: {'trained on the history' if trained else 'none (too little history)'}")
    for n in range(20):  # until no table for six is left at 20:00 (the history took some)
        guest = get_or_create_guest(
            session, business_id=venue.business_id, phone=f"+91981234{n:04d}1", name=f"Six {n}"
        )
        try:
            place_hold(
                session,
                offer=_table(venue, 1, clock(20), 6),
                guest=guest,
                channel=Channel.SMS,
                actor="bench",
                now=now,
            )
        except NotAvailableError:
            break
    regular = get_or_create_guest(
        session, business_id=venue.business_id, phone=REGULAR, name="Asha"
    )
    for days in (5, 6):
        booking = place_hold(
            session,
            offer=_table(venue, days, clock(20), 2),
            guest=regular,
            channel=Channel.SMS,
            actor="bench",
            now=now,
        )
        confirm(session, booking=booking, actor="bench", now=now)
    get_or_create_guest(session, business_id=venue.business_id, phone=STRANGER, name="Nora")
    session.commit()
    return venue


def _message(venue: Venue, phone: str, text: str) -> InboundMessage:
    return InboundMessage(
        event_id=0,
        business_id=venue.business_id,
        venue_id=venue.id,
        channel=MessageChannel.SMS,
        guest_phone=phone,
        text=text,
        choice_id=None,
        kind="text",
        provider_id="bench",
        received_at=datetime.now(UTC),
    )


class TurnRun:
    """One message answered again and again (recommendations ``on`` or off), timed."""

    def __init__(self, session: Session, venue: Venue, phone: str, text: str, on: bool) -> None:
        self.session, self.venue, self.phone, self.text, self.on = session, venue, phone, text, on
        self.dialogue, self.redis = ConversationDialogue(), fakeredis.FakeRedis()
        #: The first line of each reply given: both settings of a pair must answer alike.
        self.replies: set[str] = set()

    def __call__(self) -> float:
        """Answer the message once from a fresh conversation; the CPU seconds it took."""
        self.redis.flushall()
        kinds = dict.fromkeys(("usual", "alternatives"), self.on)
        self.venue.settings = {**self.venue.settings, "recommendations": kinds}
        guest = self.session.scalars(select(Guest).where(Guest.phone == self.phone)).one()
        message = _message(self.venue, self.phone, self.text)
        started = time.process_time()
        replies = self.dialogue.respond(
            self.session, message, venue=self.venue, guest=guest, redis=self.redis
        )
        spent = time.process_time() - started
        self.replies.add(replies[0].text.splitlines()[0][:60])
        self.session.rollback()  # every turn starts from the same database
        return spent


def measure(runs: dict[str, TurnRun], turns: int) -> dict[str, float]:
    """Median CPU ms per turn of each run, the runs interleaved."""
    spent: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(turns):
        for name, run in runs.items():
            spent[name].append(run() * 1000)
    return {name: statistics.median(values) for name, values in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_url(parser)
    parser.add_argument("--history", type=int, default=90, help="days of demo history")
    parser.add_argument("--turns", type=int, default=200, help="turns per setting")
    args = parser.parse_args()
    warm_up()
    with bench_database(args.database_url) as url:
        seed_demo_venues(url, args.history)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            venue = prepare(session)
            pairs = {
                "usual": (
                    TurnRun(session, venue, REGULAR, "table tomorrow please", True),
                    TurnRun(session, venue, REGULAR, "table for 2 tomorrow at 8pm", False),
                ),
                "alternatives": (
                    TurnRun(session, venue, STRANGER, "table for 6 tomorrow 8pm", True),
                    TurnRun(session, venue, STRANGER, "table for 6 tomorrow 8pm", False),
                ),
            }
            for run_on, run_off in pairs.values():  # warm each path once
                run_on(), run_off()
            runs = {
                f"{k} {s}": r
                for k, (on, off) in pairs.items()
                for s, r in (("on", on), ("off", off))
            }
            medians = measure(runs, args.turns)
        engine.dispose()
    print(f"median CPU per turn over {args.turns} turns each (ms):")
    for kind in pairs:
        on, off = medians[f"{kind} on"], medians[f"{kind} off"]
        verdict = "met" if on - off < CEILING_MS else "MISSED"
        print(
            f"  {kind:<13} on {on:6.2f}  off {off:6.2f}  added {on - off:+5.2f} "
            f"(ceiling {CEILING_MS:.1f}: {verdict})"
        )
        for setting in ("on", "off"):
            print(f"    {setting}: {' | '.join(sorted(runs[f'{kind} {setting}'].replies))}")


if __name__ == "__main__":
    main()
