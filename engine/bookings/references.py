"""Human-friendly booking references such as ``BK-7F3K2Q``."""

import secrets

#: No 0/O, 1/I/L: a reference read aloud or typed on a phone must not be ambiguous.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PREFIX = "BK-"
LENGTH = 6


def new_reference() -> str:
    """A random reference; uniqueness is enforced by the database and retried on collision."""
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_reference(text: str) -> str:
    """Canonical form of a reference typed by a person ("bk 7f3k2q" -> "BK-7F3K2Q")."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if compact.startswith("BK"):
        compact = compact[2:]
    return PREFIX + compact
