"""When a booking's reminders are due: the venue's schedule and its quiet hours.

A venue sends each kind of reminder a number of real hours before the start (the seating, or
check-in time on the arrival date), computed in UTC so a DST change between the two moves
nothing. Quiet hours are wall-clock times on the venue's clock (default 22:00–08:00): a
reminder whose time falls inside them is due ``QUIET_MARGIN`` before they begin that evening
instead — earlier, never at night — and nothing is written while they last. The evening is
found on the venue's own calendar and turned into an instant by its zone, so the night a clock
goes forward or back is handled like any other.

Settings live in ``Venue.settings`` (``reminders``, ``quiet_hours``, ``reminder_template``); a
venue that never set them has the defaults below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from engine.exceptions import ValidationError
from engine.tenants.enums import VenueKind


class ReminderKind(StrEnum):
    """Which reminder of a booking: the one the day before, or the one on the day."""

    DAY_BEFORE = "day_before"
    SAME_DAY = "same_day"


#: The reminders each kind of venue sends, and their default hours before the start.
DEFAULT_HOURS: dict[VenueKind, dict[ReminderKind, int]] = {
    VenueKind.RESTAURANT: {ReminderKind.DAY_BEFORE: 24, ReminderKind.SAME_DAY: 2},
    VenueKind.HOTEL: {ReminderKind.DAY_BEFORE: 24},
}
MAX_HOURS_BEFORE = 7 * 24
DEFAULT_QUIET = (time(22, 0), time(8, 0))
#: The approved WhatsApp template reminders go as outside the 24-hour window.
DEFAULT_TEMPLATE = "bookline_reminder"
#: A reminder moved out of quiet hours is due this long before they begin: the sweep runs
#: every 15 seconds, so it goes out well before the night even when a sweep runs late.
QUIET_MARGIN = timedelta(minutes=30)


@dataclass(frozen=True)
class Rule:
    """One kind of reminder as a venue sends it."""

    kind: ReminderKind
    hours_before: int
    enabled: bool = True

    @property
    def offset(self) -> timedelta:
        """How long before the start the reminder is due (before quiet hours move it)."""
        return timedelta(hours=self.hours_before)


@dataclass(frozen=True)
class QuietHours:
    """Wall-clock hours in which no reminder goes out; ``start == end`` means none."""

    start: time
    end: time

    def contains(self, at: time) -> bool:
        """True when the wall-clock time ``at`` is inside the quiet hours."""
        if self.start <= self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end

    def began(self, local: datetime) -> datetime | None:
        """When the quiet spell around ``local`` (an aware venue-clock time) began, in UTC;
        None outside quiet hours."""
        if not self.contains(local.time()):
            return None
        evening = local.date()
        if self.start > self.end and local.time() < self.end:
            evening -= timedelta(days=1)  # after midnight: the spell began the evening before
        return _instant(evening, self.start, local.tzinfo)

    def ends(self, local: datetime) -> datetime | None:
        """When the quiet spell around ``local`` (an aware venue-clock time) ends, in UTC;
        None outside quiet hours."""
        began = self.began(local)
        if began is None:
            return None
        evening = began.astimezone(local.tzinfo).date()
        morning = evening + timedelta(days=1) if self.start > self.end else evening
        return _instant(morning, self.end, local.tzinfo)

    def next_spell(self, local: datetime) -> tuple[datetime, datetime] | None:
        """(begins, ends) in UTC of the first quiet spell that begins after ``local``."""
        if self.start == self.end:
            return None
        evening = local.date()
        if _instant(evening, self.start, local.tzinfo) <= local:
            evening += timedelta(days=1)
        morning = evening + timedelta(days=1) if self.start > self.end else evening
        tz = local.tzinfo
        return _instant(evening, self.start, tz), _instant(morning, self.end, tz)


def _instant(day: date, at: time, tz: Any) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in zone ``tz``."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def rules_for(kind: VenueKind, settings: Mapping[str, Any]) -> dict[ReminderKind, Rule]:
    """The venue's reminders: its own settings over the defaults of its kind."""
    stored = settings.get("reminders") or {}
    rules = {}
    for name, hours in DEFAULT_HOURS[kind].items():
        given = stored.get(name.value) or {}
        rules[name] = Rule(
            name, int(given.get("hours_before", hours)), bool(given.get("enabled", True))
        )
    return rules


def quiet_hours_for(settings: Mapping[str, Any]) -> QuietHours:
    """The venue's quiet hours, or the default night."""
    stored = settings.get("quiet_hours")
    if not stored:
        return QuietHours(*DEFAULT_QUIET)
    return QuietHours(time.fromisoformat(stored["start"]), time.fromisoformat(stored["end"]))


def due_at(start: datetime, rule: Rule, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """When the reminder ``rule`` of a booking starting at ``start`` is due (UTC).

    Subtracted in UTC: Python adds to a zoned datetime by wall clock, an hour off across DST.
    """
    plain = start.astimezone(UTC) - rule.offset
    began = quiet.began(plain.astimezone(tz))
    return plain if began is None else began - QUIET_MARGIN


def latest_start(now: datetime, rule: Rule, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """No booking starting after this has its reminder ``rule`` due at ``now`` (a bound for
    the search: ``due_at`` decides for each booking).

    ``now`` is outside quiet hours (nothing is written inside them). Until the margin before
    the next spell, what is due is what starts within the rule's offset; from then on, also
    what would have been reminded during that spell.
    """
    now = now.astimezone(UTC)  # real hours, not the wall clock's (see ``due_at``)
    spell = quiet.next_spell(now.astimezone(tz))
    if spell is not None and now >= spell[0] - QUIET_MARGIN:
        return spell[1] + rule.offset
    return now + rule.offset


def is_quiet(now: datetime, quiet: QuietHours, tz: ZoneInfo) -> bool:
    """True when ``now`` falls inside the venue's quiet hours."""
    return quiet.contains(now.astimezone(tz).time())


def stored_rules(
    kind: VenueKind, stored: Mapping[str, Any], given: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The ``reminders`` setting after an owner's change: each kind given replaces its rule,
    the others stay; a kind this venue does not send is refused."""
    allowed = DEFAULT_HOURS[kind]
    unknown = sorted(set(given) - {name.value for name in allowed})
    if unknown:
        names = ", ".join(name.value for name in allowed)
        raise ValidationError(f"A {kind.value} sends no '{unknown[0]}' reminder (only {names}).")
    result = dict(stored)
    for name, rule in given.items():
        hours = int(rule["hours_before"])
        if not 1 <= hours <= MAX_HOURS_BEFORE:
            raise ValidationError(f"A reminder goes 1 to {MAX_HOURS_BEFORE} hours before.")
        result[name] = {"enabled": bool(rule["enabled"]), "hours_before": hours}
    return result


def stored_quiet(given: Mapping[str, time]) -> dict[str, str]:
    """The ``quiet_hours`` setting as stored ("HH:MM" on the venue's clock)."""
    return {name: given[name].strftime("%H:%M") for name in ("start", "end")}
