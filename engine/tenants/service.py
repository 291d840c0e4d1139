"""Tenant and venue lookups: how inbound traffic and owners find their venue."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.availability.units import slot_unit
from engine.bookings.models import Claim
from engine.db import utcnow
from engine.exceptions import NotFoundError, ValidationError
from engine.guests.service import normalize_phone
from engine.reminders.schedule import stored_quiet, stored_rules
from engine.tenants.enums import VenueKind
from engine.tenants.models import Business, Venue

#: Venue settings kept in its JSON ``settings`` rather than in columns of their own.
SETTINGS = frozenset(
    {
        "staff_refund_limit",
        "arrival_grace_minutes",
        "no_show_deposit_after",
        "address",
        "latitude",
        "longitude",
        "reminders",
        "quiet_hours",
        "reminder_template",
        "feedback_enabled",
        "feedback_delay_minutes",
        "chat_max_rooms",
        "chat_max_guests",
        "approval_hours",
        "recommendations",
    }
)


def get_venue(session: Session, *, venue_id: int, business_id: int | None = None) -> Venue:
    """A venue by id, invisible (NotFoundError) to other businesses."""
    venue = session.get(Venue, venue_id)
    if venue is None or (business_id is not None and venue.business_id != business_id):
        raise NotFoundError("That venue does not exist.")
    return venue


def venue_by_slug(session: Session, *, slug: str) -> Venue:
    """A venue by its URL-friendly name (used by the CLI and the chat simulator)."""
    venue = session.scalar(select(Venue).where(Venue.slug == slug))
    if venue is None:
        raise NotFoundError(f"No venue is called '{slug}'.")
    return venue


def venue_by_channel_address(
    session: Session, *, sms_number: str | None = None, whatsapp_id: str | None = None
) -> Venue | None:
    """The venue an inbound message was sent to, by SMS number or WhatsApp phone number id."""
    if sms_number is not None:
        return session.scalar(select(Venue).where(Venue.sms_number == sms_number))
    if whatsapp_id is not None:
        return session.scalar(select(Venue).where(Venue.whatsapp_phone_number_id == whatsapp_id))
    return None


def slugify(name: str) -> str:
    """A URL-friendly form of ``name`` ("Café Azul" -> "cafe-azul"); never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "venue"


def _free_slug(session: Session, model: type[Business] | type[Venue], name: str) -> str:
    """``slugify(name)``, suffixed with -2, -3… until no row of ``model`` uses it."""
    base = slugify(name)
    taken = set(session.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    return next(s for n in count(1) if (s := base if n == 1 else f"{base}-{n}") not in taken)


def create_business(session: Session, *, name: str) -> Business:
    """A new tenant with a unique slug derived from its name."""
    if not name.strip():
        raise ValidationError("A business needs a name.")
    business = Business(name=name.strip(), slug=_free_slug(session, Business, name))
    session.add(business)
    session.flush()
    return business


def list_businesses(session: Session) -> list[Business]:
    """Every tenant, oldest first (the platform admin's view)."""
    return list(session.scalars(select(Business).order_by(Business.id)))


def list_venues(session: Session, *, business_id: int) -> list[Venue]:
    """The business's venues in creation order."""
    return list(
        session.scalars(select(Venue).where(Venue.business_id == business_id).order_by(Venue.id))
    )


def create_venue(session: Session, *, business_id: int, fields: Mapping[str, Any]) -> Venue:
    """A new venue for the business; checks zone, channel numbers and policies first."""
    venue = Venue(business_id=business_id, slug=_free_slug(session, Venue, fields["name"]))
    return _write_venue(session, venue, fields, now=utcnow())


def update_venue(
    session: Session, *, venue: Venue, fields: Mapping[str, Any], now: datetime | None = None
) -> Venue:
    """Change a venue's settings; the slot grid only while no table-slot is claimed.

    Opting in to automatic no-shows counts from ``now``: bookings that started before it
    were never expected to be marked arrived, so none of them becomes a no-show by itself.
    """
    grid = fields.get("slot_minutes", venue.slot_minutes)
    if grid != venue.slot_minutes and _has_future_table_claims(session, venue.id):
        raise ValidationError(
            "The slot length cannot change while the venue has bookings on the current grid."
        )
    return _write_venue(session, venue, fields, now=now or utcnow())


def _write_venue(
    session: Session, venue: Venue, fields: Mapping[str, Any], *, now: datetime
) -> Venue:
    """Validate the fields that need the database or a zone table, then apply them."""
    if "timezone" in fields:
        _check_timezone(fields["timezone"])
    if fields.get("sms_number"):
        fields = {**fields, "sms_number": normalize_phone(fields["sms_number"])}
    for column in ("sms_number", "whatsapp_phone_number_id"):
        _check_channel_free(session, venue, column, fields.get(column))
    kind = VenueKind(fields.get("kind", venue.kind))
    for name, value in fields.items():
        if name in SETTINGS:
            settings = venue.settings or {}
            venue.settings = {**settings, name: _setting(kind, settings, name, value)}
        elif name == "auto_no_show":
            _opt_in_auto_no_show(venue, value, now)
        else:
            setattr(venue, name, value)
    _check_no_show_deposit(venue)
    session.add(venue)
    session.flush()
    return venue


def _opt_in_auto_no_show(venue: Venue, on: bool, now: datetime) -> None:
    """Opt in from ``now`` (an opt-in already on keeps its moment), or opt out."""
    settings = {**(venue.settings or {})}
    if not on:
        settings.pop("auto_no_show_since", None)
    elif venue.auto_no_show_since is None:
        settings["auto_no_show_since"] = now.isoformat()
    venue.settings = settings


def _check_no_show_deposit(venue: Venue) -> None:
    """The rule asks guests with no-shows for the venue's deposit per person: it needs one."""
    if not venue.no_show_deposit_after:
        return
    if venue.kind == VenueKind.HOTEL:
        raise ValidationError("Hotels take the stay's payment up front: the rule is for tables.")
    if not venue.deposit_per_person:
        raise ValidationError(
            "Set a deposit per person first: guests with no-shows pay it for their table."
        )


def _setting(kind: VenueKind, settings: Mapping[str, Any], name: str, value: Any) -> Any:
    """A setting as stored: reminders merged into the venue's and checked against its kind,
    quiet hours as wall-clock text; the rest as given."""
    if name == "reminders":
        return stored_rules(kind, settings.get(name) or {}, value)
    if name == "quiet_hours":
        return stored_quiet(value)
    if name == "recommendations":  # kinds left out stay as they are
        return {**(settings.get(name) or {}), **{str(k): bool(v) for k, v in value.items()}}
    return value


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"'{name}' is not a known time zone (try 'Asia/Kolkata').") from exc


def _check_channel_free(session: Session, venue: Venue, column: str, value: str | None) -> None:
    """Each SMS number / WhatsApp id routes to one venue only."""
    if not value:
        return
    owner = session.scalar(select(Venue).where(getattr(Venue, column) == value))
    if owner is not None and owner is not venue:
        raise ValidationError(f"{value} is already used by another venue.")


def _has_future_table_claims(session: Session, venue_id: int) -> bool:
    query = select(Claim.id).where(
        Claim.venue_id == venue_id,
        Claim.resource.like("table:%"),
        Claim.unit >= slot_unit(utcnow()),
    )
    return session.scalar(query.limit(1)) is not None
