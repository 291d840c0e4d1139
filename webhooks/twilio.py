"""Twilio webhooks: inbound SMS (and ``whatsapp:`` addressing) and delivery status callbacks.

The signature covers the exact public URL Twilio called, so it is rebuilt from
PUBLIC_BASE_URL rather than taken from the request (which differs behind a proxy).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request, status
from fastapi.responses import Response

from application.ingest import ProviderMessage, StatusUpdate, ingest, record_statuses
from engine.messaging.enums import MessageChannel, OutboxStatus
from infra.deps import get_runtime
from infra.runtime import Runtime
from webhooks import Endpoint
from webhooks.body import read_body
from webhooks.twilio_signature import signature_algorithm, valid_signature

log = logging.getLogger(__name__)
#: URLs already explained by ``_explain_url_mismatch`` (only correctly signed ones get in).
_explained: set[str] = set()

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
STATUS_MAP = {
    "sent": OutboxStatus.SENT,
    "delivered": OutboxStatus.DELIVERED,
    "read": OutboxStatus.READ,
    "undelivered": OutboxStatus.FAILED,
    "failed": OutboxStatus.FAILED,
}


@dataclass(frozen=True)
class Signed:
    """What a Twilio signature check needs besides the URL: the form, signature and key."""

    params: dict[str, str]
    signature: str
    secret: str
    algorithm: str

    def signs(self, url: str) -> bool:
        """True when the signature covers ``url`` and the form."""
        return valid_signature(
            self.secret, url, self.params, self.signature, algorithm=self.algorithm
        )


async def verified_params(request: Request, runtime: Runtime) -> dict[str, str]:
    """The form parameters, after the X-Twilio-Signature check (403 when it fails)."""
    body = await read_body(request)
    settings_header = request.headers.get("x-twilio-webhooks-signature-settings")
    signed = Signed(
        dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)),
        request.headers.get("x-twilio-signature", ""),
        runtime.settings.twilio_signing_secret(shared_key=settings_header is not None),
        signature_algorithm(settings_header),
    )
    url = runtime.settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    if not signed.signs(url):
        _explain_url_mismatch(signed, str(request.url), url)
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Invalid Twilio signature.")
    return signed.params


def _explain_url_mismatch(signed: Signed, called: str, checked: str) -> None:
    """Say so, once per URL, when Twilio signed the URL this server was called on and only
    PUBLIC_BASE_URL (host, port or scheme) made the check fail: otherwise every message is
    refused with nothing to say why. The request is refused all the same."""
    if not signed.signature or called in _explained or not signed.signs(called):
        return
    _explained.add(called)
    log.warning(
        "Twilio signed %s but the signature was checked against %s: set PUBLIC_BASE_URL to "
        "the base URL Twilio calls. Refusing its webhooks until then.",
        called,
        checked,
    )


def _require(params: dict[str, str], *names: str) -> None:
    missing = [name for name in names if not params.get(name)]
    if missing:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"Missing fields: {', '.join(missing)}")


def _count(params: dict[str, str], name: str) -> int:
    """A count Twilio sends as digits (0 when absent); 400 when it is anything else."""
    value = params.get(name) or "0"
    if not value.isascii() or not value.isdigit():
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"{name} must be a whole number.")
    return int(value)


def to_provider_message(params: dict[str, str]) -> ProviderMessage:
    """Normalise Twilio's inbound form; ``whatsapp:+…`` addresses mean the WhatsApp channel."""
    _require(params, "MessageSid", "From", "To")
    sender, recipient = params["From"], params["To"]
    channel = MessageChannel.WHATSAPP if sender.startswith("whatsapp:") else MessageChannel.SMS
    media = _count(params, "NumMedia")
    return ProviderMessage(
        provider="twilio",
        provider_id=params["MessageSid"],
        channel=channel,
        to_address=recipient.removeprefix("whatsapp:"),
        from_address=sender,
        kind="media" if media and not params.get("Body") else "text",
        text=params.get("Body", ""),
        profile_name=params.get("ProfileName"),
        raw=params,
    )


async def inbound_sms(request: Request) -> Response:
    """Accept a guest SMS: verify, store once, enqueue, answer an empty TwiML at once.

    Everything but the storing runs on the event loop: the runtime is looked up, not injected
    (FastAPI runs a sync dependency in the threadpool, a thread hop per request), and the
    database and Redis work goes to the ingest flusher, shared with concurrent requests.
    """
    runtime = get_runtime(request)
    params = await verified_params(request, runtime)
    await ingest(runtime, [to_provider_message(params)])
    return Response(EMPTY_TWIML, media_type="text/xml")


async def delivery_status(request: Request) -> Response:
    """Record a delivery status on the outbox row; unknown statuses are acknowledged."""
    runtime = get_runtime(request)
    params = await verified_params(request, runtime)
    _require(params, "MessageSid", "MessageStatus")
    mapped = STATUS_MAP.get(params["MessageStatus"])
    if mapped is not None:
        code = params.get("ErrorCode")
        error = f"twilio error {code}" if code else None
        await record_statuses(
            runtime, [StatusUpdate("twilio", params["MessageSid"], mapped, error)]
        )
    return Response(EMPTY_TWIML, media_type="text/xml")


#: Served ahead of the app's middleware and router (``bookline.webhook_front``): the hot path
#: needs none of FastAPI's request parsing, dependency solving or response validation (and
#: providers read no OpenAPI).
ENDPOINTS: dict[str, Endpoint] = {
    "/webhooks/twilio/sms": inbound_sms,
    "/webhooks/twilio/status": delivery_status,
}
