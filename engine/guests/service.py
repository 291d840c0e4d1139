"""Guest lookups and upserts; the only code that writes the guests table."""

from __future__ import annotations

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.exceptions import ValidationError
from engine.guests.models import Guest


def normalize_phone(raw: str, *, default_region: str = "IN") -> str:
    """Return ``raw`` in E.164, or raise ValidationError when it is not a phone number."""
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
    guest = session.scalar(
        select(Guest).where(Guest.business_id == business_id, Guest.phone == e164)
    )
    if guest is None:
        guest = Guest(business_id=business_id, phone=e164, name=name)
        session.add(guest)
        session.flush()
    elif name and not guest.name:
        guest.name = name
    return guest
