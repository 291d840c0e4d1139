"""WhatsApp Cloud API webhooks: subscription check, messages and delivery statuses.

The X-Hub-Signature-256 HMAC covers the raw bytes, so it is checked before any parsing.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse, PlainTextResponse

from application.ingest import StatusUpdate, ingest, record_statuses
from engine.messaging.enums import OutboxStatus
from infra.deps import RuntimeDep, get_runtime
from webhooks import Endpoint
from webhooks.body import read_body
from webhooks.payload import MalformedPayloadError, parse_json
from webhooks.whatsapp_payload import DeliveryStatus, parse_payload

router = APIRouter(prefix="/webhooks/whatsapp", tags=["webhooks"])


@router.get("", response_class=PlainTextResponse)
def verify_subscription(
    runtime: RuntimeDep,
    mode: str = Query("", alias="hub.mode"),
    token: str = Query("", alias="hub.verify_token"),
    challenge: str = Query("", alias="hub.challenge"),
) -> str:
    """Echo the challenge when Meta subscribes with our verify token; 403 otherwise."""
    expected = runtime.settings.whatsapp().verify_token
    if mode != "subscribe" or not expected or not hmac.compare_digest(token, expected):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Verification failed.")
    return challenge


def check_signature(body: bytes, header: str | None, app_secret: str) -> None:
    """403 unless ``header`` is ``sha256=<hex HMAC-SHA256(app secret, body)>``."""
    expected = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    if not header or not hmac.compare_digest(header.strip().lower(), expected):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Invalid signature.")


async def receive(request: Request) -> JSONResponse:
    """Verify, then store and enqueue every message and apply every status in the POST.

    A message that cannot be stored is dropped (and logged) by the ingest, not failed with its
    POST: Meta repeats a POST until it is answered 200, and the good messages in it with it.

    The runtime is looked up rather than injected: a sync dependency is a threadpool hop.
    """
    runtime = get_runtime(request)
    body = await read_body(request)
    check_signature(
        body, request.headers.get("x-hub-signature-256"), runtime.settings.whatsapp().app_secret
    )
    try:
        messages, statuses = parse_payload(parse_json(body))
    except MalformedPayloadError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"Malformed payload: {exc}") from exc
    if messages:
        await ingest(runtime, messages)
    if updates := _updates(statuses):
        await record_statuses(runtime, updates)
    return JSONResponse({"status": "ok"})


STATUS_MAP = {
    "sent": OutboxStatus.SENT,
    "delivered": OutboxStatus.DELIVERED,
    "read": OutboxStatus.READ,
    "failed": OutboxStatus.FAILED,
}


def _updates(statuses: list[DeliveryStatus]) -> list[StatusUpdate]:
    """The statuses the outbox records (others, such as "deleted", are acknowledged only)."""
    return [
        StatusUpdate("whatsapp", item.message_id, mapped, item.error, item.outbox_key)
        for item in statuses
        if (mapped := STATUS_MAP.get(item.status)) is not None
    ]


#: The deliveries, served as the other webhooks (see ``webhooks.twilio.ENDPOINTS``); the
#: subscription check is a FastAPI route (``router``) for its query aliases.
ENDPOINTS: dict[str, Endpoint] = {"/webhooks/whatsapp": receive}
