"""Provider-shaped identifiers, so product code that checks prefixes or lengths sees real ones."""

from __future__ import annotations

import base64
import secrets
import string

BASE62 = string.digits + string.ascii_letters


def twilio_sid(prefix: str = "SM") -> str:
    """A Twilio SID: two-letter type prefix + 32 lowercase hex characters."""
    return prefix + secrets.token_hex(16)


def wamid() -> str:
    """A WhatsApp message id: ``wamid.`` + base64 text, as the Cloud API returns."""
    raw = base64.b64encode(secrets.token_bytes(30)).decode("ascii")
    return "wamid." + raw.replace("+", "A").replace("/", "B")


def fbtrace_id() -> str:
    """The opaque trace id Graph puts in every error body."""
    return base64.b64encode(secrets.token_bytes(9)).decode("ascii")


def media_id() -> str:
    """A numeric media id like those in inbound WhatsApp media messages."""
    return str(10**15 + secrets.randbelow(9 * 10**15))


def razorpay_id(prefix: str) -> str:
    """A Razorpay id: type prefix, underscore, 14 base62 characters (``plink_KBnb7I424Rc1R9``)."""
    return f"{prefix}_" + "".join(secrets.choice(BASE62) for _ in range(14))
