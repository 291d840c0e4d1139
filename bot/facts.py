"""What the bot says about a venue's facts, in the guest's language.

Where the venue's own settings hold the fact (its address, opening hours, check-in and
check-out times, cancellation tiers), the answer is made from them, so it can never disagree
with what the bot books; otherwise it is the owner's text (their translation where given).
A fact the venue has neither for gives None: the question goes to a person.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from sqlalchemy.orm import Session

from bot.catalog import t
from bot.format import format_time, weekday_names
from engine.answers.service import owner_facts
from engine.answers.topics import FactTopic
from engine.inventory.service import list_opening_hours
from engine.tenants.enums import VenueKind
from engine.tenants.models import Venue

Derive = Callable[[Session, Venue, str | None], str | None]


def fact_text(session: Session, venue: Venue, topic: FactTopic, language: str | None) -> str | None:
    """The answer about ``topic``: from the venue's settings, else the owner's words."""
    derive = DERIVED.get(topic)
    derived = derive(session, venue, language) if derive is not None else None
    if derived is not None:
        return derived
    wording = owner_facts(venue).get(topic)
    return wording.in_language(language) if wording is not None else None


def _address(session: Session, venue: Venue, language: str | None) -> str | None:
    if not venue.address:
        return None
    return t("fact_address", language, venue=venue.name, address=venue.address)


def _hours(session: Session, venue: Venue, language: str | None) -> str | None:
    """The week's service windows, days with the same windows run together ("Tue-Sun")."""
    windows: dict[int, list[str]] = {day: [] for day in range(7)}
    rows = list_opening_hours(session, venue=venue)
    if not rows:
        return None
    for row in sorted(rows, key=lambda r: (r.weekday, r.opens)):
        windows[row.weekday].append(f"{format_time(row.opens)}-{format_time(row.closes)}")
    names = weekday_names(language)
    lines = []
    for times, days in groupby(range(7), key=lambda day: ", ".join(windows[day])):
        run = list(days)
        label = names[run[0]] if len(run) == 1 else f"{names[run[0]]}-{names[run[-1]]}"
        lines.append(f"{label}: {times or t('fact_closed', language)}")
    return t("fact_hours", language, venue=venue.name, hours="\n".join(lines))


def _check_in_out(session: Session, venue: Venue, language: str | None) -> str | None:
    if venue.kind != VenueKind.HOTEL:
        return None
    return t(
        "fact_check_in_out",
        language,
        check_in=format_time(venue.check_in_time),
        check_out=format_time(venue.check_out_time),
    )


def _cancellation(session: Session, venue: Venue, language: str | None) -> str | None:
    """The refund tiers of a paid booking, from the longest notice down."""
    tiers = sorted(venue.cancellation_tiers or [], key=lambda tier: -tier["hours_before"])
    if not tiers:
        return None
    lines = [
        t(
            "fact_cancellation_tier",
            language,
            hours=tier["hours_before"],
            percent=tier["refund_percent"],
        )
        if tier["hours_before"]
        else t("fact_cancellation_late", language, percent=tier["refund_percent"])
        for tier in tiers
    ]
    if tiers[-1]["hours_before"]:
        lines.append(t("fact_cancellation_none", language))
    return t("fact_cancellation", language, tiers="\n".join(lines))


DERIVED: dict[FactTopic, Derive] = {
    FactTopic.ADDRESS: _address,
    FactTopic.HOURS: _hours,
    FactTopic.CHECK_IN_OUT: _check_in_out,
    FactTopic.CANCELLATION: _cancellation,
}
