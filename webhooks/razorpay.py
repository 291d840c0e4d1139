"""Razorpay webhooks: verify, store each event once, enqueue, answer at once.

``X-Razorpay-Signature`` is the hex HMAC-SHA256 of the raw body with the webhook secret; the
SDK's utility checks it on the body as text, before anything is parsed (403 when it fails, and
nothing is stored). ``x-razorpay-event-id`` is unique per event and Razorpay repeats events, so
it goes in under the inbound events' unique key: a repeat is acknowledged and dropped.
Deciding what a payment means is the job's business (``workers.payments``), not this route's.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache, partial

import razorpay
from fastapi import HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from razorpay.errors import SignatureVerificationError

from application.ingest import ingest_payment_event
from application.storable import unstorable
from infra.deps import get_runtime
from webhooks import Endpoint
from webhooks.body import read_body
from webhooks.payload import MalformedPayloadError, parse_json
from webhooks.razorpay_payload import parse_event

log = logging.getLogger(__name__)


@cache
def _sdk() -> razorpay.Client:
    """An SDK client for its webhook utility (no credentials or network needed)."""
    return razorpay.Client()


def check_signature(body: bytes, signature: str | None, secret: str) -> str:
    """The body as text once the signature matches; 403 otherwise."""
    try:
        text = body.decode("utf-8")
        _sdk().utility.verify_webhook_signature(text, signature or "", secret)
    except (UnicodeDecodeError, SignatureVerificationError) as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Invalid Razorpay signature.") from exc
    return text


async def receive(request: Request) -> JSONResponse:
    """Store a verified event once and enqueue its handling; events we do not use are acked."""
    runtime = get_runtime(request)
    body = await read_body(request)
    secret = runtime.settings.razorpay().webhook_secret
    text = check_signature(body, request.headers.get("x-razorpay-signature"), secret)
    try:
        document = parse_json(text)
        if unstorable(document):  # the event is stored whole: refuse it rather than rewrite ids
            raise MalformedPayloadError("a NUL character or a lone surrogate in the event")
        notice = parse_event(document)
    except MalformedPayloadError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"Malformed payload: {exc}") from exc
    if notice is None:
        return JSONResponse({"status": "ignored"})
    event_id = (request.headers.get("x-razorpay-event-id") or _body_id(body))[:128]
    await run_in_threadpool(
        partial(ingest_payment_event, runtime, event_id=event_id, notice=notice, document=document)
    )
    return JSONResponse({"status": "ok"})


def _body_id(body: bytes) -> str:
    """Without an event id header, the body itself identifies the event (repeats match)."""
    return "sha256:" + hashlib.sha256(body).hexdigest()[:48]


#: Served as the other webhooks (see ``webhooks.twilio.ENDPOINTS``).
ENDPOINTS: dict[str, Endpoint] = {"/webhooks/razorpay": receive}
