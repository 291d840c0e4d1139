"""Guest lookups and upserts; the only code that writes the guests table."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engine.db import insert_or_skip, on_postgresql, utcnow
from engine.exceptions import ValidationError
from engine.guests.models import Guest


@lru_cache(maxsize=4096)
def normalize_phone(raw: str, *, default_region: str = "IN") -> str:
    """Return ``raw`` in E.164, or raise ValidationError when it is not a phone number.

    Remembered for the last few thousand numbers (a refusal is not): every inbound message
    is routed by its sender's number, and parsing one with ``phonenumbers`` cost more CPU
    than storing the message. Guests write several times in a conversation.
    """
    cleaned = raw.strip()
    if cleaned.startswith("whatsapp:"):
        cleaned = cleaned.removeprefix("whatsapp:")
    if cleaned.isdigit() and len(cleaned) > 10 and not cleaned.startswith("0"):
        # WhatsApp wa_id: country code without the plus. No country code starts with 0, so
        # "09800000001" is a national number with its trunk prefix, not a wa_id.
        cleaned = "+" + cleaned
    try:
        parsed = phonenumbers.parse(cleaned, default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(f"'{raw}' is not a phone number.") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError(f"'{raw}' is not a possible phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def get_or_create_guest(
    session: Session, *, business_id: int, phone: str, name: str | None = None
) -> Guest:
    """Find the business's guest by phone (normalised), creating them on first contact."""
    e164 = normalize_phone(phone)
    if on_postgresql(session):
        guest = _find_or_insert_guest(session, business_id, e164, name)
    else:
        guest = _find_guest(session, business_id, e164) or _insert_guest(
            session, business_id, e164, name
        )
    return named(guest, name)


def named(guest: Guest, name: str | None) -> Guest:
    """The guest, called ``name`` from now on if they had no name (a WhatsApp profile's)."""
    if name and not guest.name:
        guest.name = name
    return guest


def _find_guest(session: Session, business_id: int, e164: str) -> Guest | None:
    return session.scalar(
        select(Guest).where(Guest.business_id == business_id, Guest.phone == e164)
    )


#: One round trip for "find, or insert on first contact" (PostgreSQL: DML in a CTE). The
#: insert runs only when the lookup found nothing, so a known guest costs no write.
_FIND_OR_INSERT = select(Guest).from_statement(
    text(
        """
        WITH found AS (
            SELECT * FROM guests WHERE business_id = :business_id AND phone = :phone
        ), inserted AS (
            INSERT INTO guests (business_id, phone, name, opted_out_sms, opted_out_whatsapp,
                                created_at)
            SELECT :business_id, :phone, :name, false, false, :created_at
            WHERE NOT EXISTS (SELECT 1 FROM found)
            ON CONFLICT (business_id, phone) DO NOTHING
            RETURNING *
        )
        SELECT * FROM found UNION ALL SELECT * FROM inserted
        """
    ).columns(*Guest.__table__.columns)  # typed like the table: timestamps come back in UTC
)


def _find_or_insert_guest(session: Session, business_id: int, e164: str, name: str | None) -> Guest:
    """The guest in one statement; a concurrent first message costs a re-read.

    The statement's snapshot predates a row another transaction inserted just before ours
    (ON CONFLICT then skips it, and ``found`` cannot see it): the next statement can.
    """
    params = {"business_id": business_id, "phone": e164, "name": name, "created_at": utcnow()}
    guest = session.scalar(_FIND_OR_INSERT, params) or _find_guest(session, business_id, e164)
    assert guest is not None, "a conflicting guest row must be visible once the insert returns"
    return guest


def _insert_guest(session: Session, business_id: int, e164: str, name: str | None) -> Guest:
    """Insert the guest, or read the row a concurrent first message inserted just before us.

    Looked up first (almost every message comes from a known guest) and inserted with ON
    CONFLICT DO NOTHING, so a race on the first message costs a re-read, not an aborted
    transaction.
    """
    guest: Guest | None = session.scalar(
        insert_or_skip(session, Guest, "business_id", "phone").returning(Guest),
        {"business_id": business_id, "phone": e164, "name": name},
    )
    if guest is None:
        guest = _find_guest(session, business_id, e164)
    assert guest is not None, "a conflicting guest row must be visible once the insert returns"
    return guest
