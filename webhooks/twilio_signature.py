"""Twilio's webhook signature, checked without the SDK's per-request work.

Twilio signs base64(HMAC(secret, URL + every POST parameter's name and value, sorted by
name)), with SHA-1 under the account's auth token, or with the algorithm a SharedKey names in
``X-Twilio-Webhooks-Signature-Settings``. The SDK's ``RequestValidator`` builds a validator,
parses the URL and compares character by character for every request: about 50 µs, a sixth
of the whole acknowledgement. This computes the same thing directly (a test checks it agrees
with the SDK on random requests, URL forms with and without a port, and what it refuses), and
compares in constant time.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlparse

#: The algorithms Twilio signs with, by the name its settings header gives them.
ALGORITHMS = {"HMAC_SHA1": "sha1", "HMAC_SHA256": "sha256"}


def signature_algorithm(settings_header: str | None) -> str:
    """The algorithm a SharedKey names (``key=…,algorithm=HMAC_SHA256``); HMAC_SHA1 without."""
    for part in (settings_header or "").split(","):
        name, separator, value = part.partition("=")
        if separator and name.strip() == "algorithm" and value.strip():
            return value.strip().upper()
    return "HMAC_SHA1"


def valid_signature(
    secret: str,
    url: str,
    params: Mapping[str, str],
    signature: str,
    *,
    algorithm: str = "HMAC_SHA1",
) -> bool:
    """True when ``signature`` signs ``url`` (with or without its port: Twilio signs either)
    and ``params`` under ``secret``; False for an algorithm Twilio does not use."""
    digest = ALGORITHMS.get(algorithm.upper())
    if digest is None or not signature:
        return False
    signed = "".join(name + params[name] for name in sorted(params))
    key, given = secret.encode(), signature.encode()
    return any(
        hmac.compare_digest(_sign(key, form + signed, digest), given) for form in _url_forms(url)
    )


def _sign(key: bytes, data: str, digest: str) -> bytes:
    return base64.b64encode(hmac.new(key, data.encode(), digest).digest())


@lru_cache(maxsize=64)
def _url_forms(url: str) -> tuple[str, str]:
    """``url`` without its port and with it (the scheme's default port when it names none),
    each normalised as Twilio's own validator does. Remembered: a webhook's URL is one of a
    few, and parsing it twice per request was a third of the check."""
    parts = urlparse(url)
    if parts.port:
        return parts._replace(netloc=parts.netloc.split(":")[0]).geturl(), parts.geturl()
    port = 443 if parts.scheme == "https" else 80
    return parts.geturl(), parts._replace(netloc=f"{parts.netloc}:{port}").geturl()
