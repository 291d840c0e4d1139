"""Tenant and venue lookups: how inbound traffic and owners find their venue."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.exceptions import NotFoundError
from engine.tenants.models import Venue


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
