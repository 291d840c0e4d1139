"""Human-friendly booking references such as ``BK-7F3K2Q``."""

import secrets

#: No 0/O, 1/I/L: a reference read aloud or typed on a phone must not be ambiguous.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PREFIX = "BK-"
LENGTH = 6


def new_reference() -> str:
    """A random reference; uniqueness is enforced by the database and retried on collision.

    The letters are the base-31 digits of one 64-bit random number: one call for random bytes
    rather than one per letter (a hold draws several references). 31**6 is under 2**36, so
    the remainder's bias is below one in ten billion.
    """
    number = secrets.randbits(64)
    letters = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return PREFIX + "".join(letters)


def normalize_reference(text: str) -> str:
    """Canonical form of a reference typed by a person ("bk 7f3k2q" -> "BK-7F3K2Q")."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if compact.startswith("BK"):
        compact = compact[2:]
    return PREFIX + compact
