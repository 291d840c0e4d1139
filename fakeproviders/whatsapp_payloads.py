"""WhatsApp Cloud API wire shapes: Graph errors, webhook envelopes, inbound messages, statuses.

Shared by the send route, the status-webhook thread and the inbound helpers, so every webhook the
fake emits has the same envelope the real platform sends.
"""

from __future__ import annotations

import json
import time
from typing import Any

from fakeproviders.ids import fbtrace_id, media_id, wamid

#: Graph error titles of the codes the fake produces.
ERROR_TITLES = {
    1: "An unknown error has occurred.",
    100: "Invalid parameter",
    190: "Invalid OAuth access token - Cannot parse access token",
    2500: "Unknown path components",
    130429: "Rate limit hit",
    131009: "Parameter value is not valid",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    132000: "Number of parameters does not match the expected number of params",
    132001: "Template name does not exist in the translation",
    132018: "There was an issue with the parameters in your template.",
}

#: mime types the platform reports for inbound media of each type.
MEDIA_MIME = {
    "image": "image/jpeg",
    "audio": "audio/ogg; codecs=opus",
    "video": "video/mp4",
    "document": "application/pdf",
    "sticker": "image/webp",
}


def graph_error(
    code: int, details: str | None = None, *, error_type: str = "OAuthException"
) -> dict[str, Any]:
    """Graph's error body: ``{"error": {message, type, code, error_data?, fbtrace_id}}``."""
    title = ERROR_TITLES.get(code, "Error")
    error: dict[str, Any] = {
        "message": title if code in (1, 190) else f"(#{code}) {title}",
        "type": error_type,
        "code": code,
        "fbtrace_id": fbtrace_id(),
    }
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return {"error": error}


def webhook_error(code: int, details: str) -> dict[str, Any]:
    """An ``errors[]`` item as carried by a failed status webhook."""
    title = ERROR_TITLES.get(code, "Error")
    return {"code": code, "title": title, "message": title, "error_data": {"details": details}}


def envelope(
    *, waba_id: str, phone_number_id: str, display_number: str, value: dict[str, Any]
) -> dict[str, Any]:
    """Wrap one ``changes[].value`` in the ``whatsapp_business_account`` webhook envelope."""
    metadata = {"display_phone_number": display_number, "phone_number_id": phone_number_id}
    change_value = {"messaging_product": "whatsapp", "metadata": metadata, **value}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, "changes": [{"value": change_value, "field": "messages"}]}],
    }


def raw_json(payload: dict[str, Any]) -> bytes:
    """Serialise like Meta does: ASCII with ``\\uXXXX`` escapes and ``/`` escaped as ``\\/``.

    Re-serialising a parsed body therefore never reproduces these bytes: a receiver has to
    verify the signature over the raw body, exactly as with the real platform.
    """
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")


def status_item(
    *,
    message_id: str,
    status: str,
    recipient_id: str,
    biz_opaque_callback_data: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One ``statuses[]`` entry for a sent/delivered/read/failed notification."""
    item: dict[str, Any] = {
        "id": message_id,
        "status": status,
        "timestamp": str(int(time.time())),
        "recipient_id": recipient_id,
    }
    if status in ("sent", "delivered"):
        item["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "service"}
    if biz_opaque_callback_data is not None:
        item["biz_opaque_callback_data"] = biz_opaque_callback_data
    if errors:
        item["errors"] = errors
    return item


def message_content(
    *,
    text: str | None = None,
    button_reply: tuple[str, str] | None = None,
    list_reply: tuple[str, str] | None = None,
    quick_reply: tuple[str, str] | None = None,
    media_type: str | None = None,
) -> dict[str, Any]:
    """The type-specific part of an inbound message (``type`` plus its object).

    ``quick_reply`` is (payload, button text) of a template's quick-reply button tapped: it
    arrives as ``type: button``, not as an interactive reply.
    """
    if quick_reply is not None:
        return {"type": "button", "button": {"payload": quick_reply[0], "text": quick_reply[1]}}
    if button_reply is not None:
        reply = {"id": button_reply[0], "title": button_reply[1]}
        return {
            "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": reply},
        }
    if list_reply is not None:
        reply = {"id": list_reply[0], "title": list_reply[1]}
        return {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": reply}}
    if media_type == "location":
        return {"type": "location", "location": {"latitude": 19.076, "longitude": 72.8777}}
    if media_type is not None:
        mime = MEDIA_MIME.get(media_type, "application/octet-stream")
        return {"type": media_type, media_type: {"id": media_id(), "mime_type": mime}}
    return {"type": "text", "text": {"body": text or ""}}


def inbound_message(
    *,
    from_: str,
    message_id: str | None = None,
    timestamp: int | None = None,
    context_id: str | None = None,
    business_number: str = "",
    **content: Any,
) -> dict[str, Any]:
    """One ``messages[]`` entry; ``content`` goes to :func:`message_content`."""
    message: dict[str, Any] = {
        "from": from_,
        "id": message_id or wamid(),
        "timestamp": str(timestamp if timestamp is not None else int(time.time())),
        **message_content(**content),
    }
    if context_id is not None:
        message["context"] = {"from": business_number, "id": context_id}
    return message
