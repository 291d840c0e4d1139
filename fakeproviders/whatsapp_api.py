"""Fake WhatsApp Cloud API: ``POST /{version}/{phone_number_id}/messages``, as heyoo calls it.

Checks the bearer token and Meta's payload limits, answers Graph-shaped errors (heyoo hands
those back as a dict with an ``error`` key, not as an exception), and posts signed status
webhooks to the product afterwards.
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request

from fakeproviders.callbacks import PreparedCallback, Step, deliver_later
from fakeproviders.config import FakeConfig
from fakeproviders.deps import ConfigDep, StateDep, fault_injector, hang_after_accept
from fakeproviders.exceptions import FakeProviderError
from fakeproviders.ids import wamid
from fakeproviders.signing import META_SIGNATURE_HEADER, meta_signature
from fakeproviders.state import FakeState, Provider, SentMessage, phone_key
from fakeproviders.whatsapp_limits import check_approved, check_send
from fakeproviders.whatsapp_payloads import (
    envelope,
    graph_error,
    raw_json,
    status_item,
    webhook_error,
)

VERSION = re.compile(r"v\d+\.\d+")
ERROR_DETAILS = {
    130429: "Cloud API message throughput has been reached.",
    131026: "Message Undeliverable.",
    131047: "Message failed to send because more than 24 hours have passed since the "
    "customer last replied to this number.",
}


async def require_token(request: Request, config: ConfigDep) -> None:
    """401 with Graph's code 190 unless the bearer token (or ``access_token``) matches."""
    header = request.headers.get("authorization", "")
    token = header[7:] if header.lower().startswith("bearer ") else None
    token = token or request.query_params.get("access_token")
    if token != config.whatsapp_token:
        raise FakeProviderError(401, graph_error(190))


router = APIRouter(
    tags=["fake whatsapp"],
    dependencies=[
        Depends(fault_injector(Provider.WHATSAPP, lambda: graph_error(1))),
        Depends(require_token),
    ],
)


async def _read_payload(request: Request, version: str) -> dict[str, Any]:
    """The JSON body, after checking the path's Graph version looks like ``v21.0``."""
    if not VERSION.fullmatch(version):
        raise FakeProviderError(400, graph_error(2500, f"Unknown path component: {version}"))
    try:
        payload = json.loads(await request.body())
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise FakeProviderError(400, graph_error(100, "The request body is not a JSON object."))
    return payload


def _refuse_if_blocked(state: FakeState, config: FakeConfig, payload: dict[str, Any]) -> None:
    """Throughput, payload-limit, template and 24-hour-window errors, in that order, as Meta
    answers."""
    if state.take_rate_limit():
        raise FakeProviderError(400, graph_error(130429, ERROR_DETAILS[130429]))
    violation = check_send(payload) or check_approved(payload, config.whatsapp_templates)
    if violation is not None:
        raise FakeProviderError(400, graph_error(violation.code, violation.details))
    if _window_closed(state, payload) and state.knobs().whatsapp_window_error == "sync":
        raise FakeProviderError(400, graph_error(131047, ERROR_DETAILS[131047]))


def _window_closed(state: FakeState, payload: dict[str, Any]) -> bool:
    """True for a free-form (non-template) message to a recipient outside the 24-hour window."""
    free_form = payload.get("type", "text") != "template"
    return free_form and state.number_flag("whatsapp_window_closed", str(payload["to"]))


def _readable(payload: dict[str, Any]) -> str:
    """The text a guest would read first: text body, interactive body, or template name."""
    kind = payload.get("type", "text")
    if kind == "text":
        return str(payload["text"]["body"])
    if kind == "interactive":
        return str((payload["interactive"].get("body") or {}).get("text", ""))
    if kind == "template":
        return f"template:{payload['template']['name']}"
    return f"[{kind}]"


def _steps(state: FakeState, payload: dict[str, Any]) -> list[Step]:
    """The statuses this message will go through."""
    if _window_closed(state, payload):
        return [Step("failed", 131047)]
    if state.number_flag("undeliverable", str(payload["to"])):
        return [Step("sent"), Step("failed", 131026)]
    return [Step("sent"), Step("delivered")]


def _status_webhook(config: FakeConfig, message: SentMessage) -> PreparedCallback | None:
    """The signed ``statuses[]`` webhook for a message's current status (None without app)."""
    if not config.app_url:
        return None
    code = message.error_code
    item = status_item(
        message_id=message.id,
        status=message.status,
        recipient_id=phone_key(message.to),
        biz_opaque_callback_data=message.payload.get("biz_opaque_callback_data"),
        errors=[webhook_error(code, ERROR_DETAILS.get(code, ""))] if code else None,
    )
    payload = envelope(
        waba_id=config.whatsapp_business_account_id,
        phone_number_id=message.from_,
        display_number=config.display_number(message.from_),
        value={"statuses": [item]},
    )
    body = raw_json(payload)
    headers = {
        "Content-Type": "application/json",
        META_SIGNATURE_HEADER: meta_signature(config.whatsapp_app_secret, body),
    }
    return PreparedCallback(
        config.app_url.rstrip("/") + "/webhooks/whatsapp", body, headers, payload
    )


@router.post("/{version}/{phone_number_id}/messages")
async def send_message(
    version: str,
    phone_number_id: str,
    request: Request,
    background: BackgroundTasks,
    state: StateDep,
    config: ConfigDep,
) -> dict[str, Any]:
    """Accept a send (or a mark-as-read), record it, and simulate delivery afterwards."""
    payload = await _read_payload(request, version)
    if payload.get("status") == "read":
        return {"success": True}
    _refuse_if_blocked(state, config, payload)
    to = str(payload["to"])
    message = SentMessage(
        provider=Provider.WHATSAPP,
        id=wamid(),
        to=to,
        from_=phone_number_id,
        body=_readable(payload),
        payload=payload,
        status="accepted",
    )
    state.record_message(message)
    await hang_after_accept(state)
    if state.knobs().simulate_delivery:
        build = partial(_status_webhook, config)
        steps = _steps(state, payload)
        deliver_later(background, state, Provider.WHATSAPP, message.id, steps, build)
    contact = {"input": to, "wa_id": phone_key(to)}
    return {
        "messaging_product": "whatsapp",
        "contacts": [contact],
        "messages": [{"id": message.id}],
    }
