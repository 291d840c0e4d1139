"""Parsing the Cloud API webhook document into guest messages and delivery statuses.

One POST may carry several entries, changes and messages; every one is handled. Message types
other than text and interactive replies become ``kind="media"`` so the guest gets a polite
"text only" answer instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from application.ingest import ProviderMessage
from engine.messaging.enums import MessageChannel
from webhooks.payload import MalformedPayloadError, as_object


@dataclass(frozen=True)
class DeliveryStatus:
    """One ``statuses[]`` item: what happened to a message we sent."""

    message_id: str
    status: str
    error: str | None
    outbox_key: str | None


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedPayloadError(f"{where} must be an array")
    return value


def parse_payload(document: Any) -> tuple[list[ProviderMessage], list[DeliveryStatus]]:
    """Every message and status in the document, in order."""
    root = as_object(document, "body")
    if "entry" not in root:
        raise MalformedPayloadError("missing entry")
    messages: list[ProviderMessage] = []
    statuses: list[DeliveryStatus] = []
    for entry in _list(root["entry"], "entry"):
        for change in _list(as_object(entry, "entry[]").get("changes"), "changes"):
            value = as_object(as_object(change, "changes[]").get("value"), "value")
            messages.extend(_messages(value))
            statuses.extend(_statuses(value))
    return messages, statuses


def _messages(value: dict[str, Any]) -> list[ProviderMessage]:
    items = _list(value.get("messages"), "messages")
    if not items:
        return []
    metadata = as_object(value.get("metadata"), "metadata")
    phone_number_id = str(metadata.get("phone_number_id", ""))
    if not phone_number_id:
        raise MalformedPayloadError("missing metadata.phone_number_id")
    names = {
        str(c.get("wa_id")): str(as_object(c.get("profile", {}), "profile").get("name", ""))
        for c in _list(value.get("contacts"), "contacts")
        if isinstance(c, dict)
    }
    return [_message(as_object(item, "messages[]"), phone_number_id, names) for item in items]


def _message(item: dict[str, Any], phone_number_id: str, names: dict[str, str]) -> ProviderMessage:
    for name in ("id", "from", "type"):
        if not isinstance(item.get(name), str) or not item[name]:
            raise MalformedPayloadError(f"message without {name}")
    kind, text, choice = _content(item)
    return ProviderMessage(
        provider="whatsapp",
        provider_id=item["id"],
        channel=MessageChannel.WHATSAPP,
        to_address=phone_number_id,
        from_address=item["from"],
        kind=kind,
        text=text,
        choice_id=choice,
        profile_name=names.get(item["from"]) or None,
        raw={"type": item["type"], "timestamp": _timestamp(item.get("timestamp"))},
    )


def _timestamp(value: Any) -> str:
    """Meta's epoch seconds as text; anything else is not kept (it would be stored as is)."""
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _content(item: dict[str, Any]) -> tuple[str, str, str | None]:
    """(kind, text, choice id) of one message."""
    kind = item["type"]
    if kind == "text":
        return "text", str(as_object(item.get("text"), "text").get("body", "")), None
    if kind == "interactive":
        interactive = as_object(item.get("interactive"), "interactive")
        reply = interactive.get("button_reply") or interactive.get("list_reply")
        reply = as_object(reply, "interactive reply")
        return "choice", str(reply.get("title", "")), str(reply.get("id", "")) or None
    if kind == "button":
        button = as_object(item.get("button"), "button")
        return "choice", str(button.get("text", "")), str(button.get("payload", "")) or None
    return "media", "", None


def _statuses(value: dict[str, Any]) -> list[DeliveryStatus]:
    result = []
    for item in _list(value.get("statuses"), "statuses"):
        item = as_object(item, "statuses[]")
        if not item.get("id") or not item.get("status"):
            raise MalformedPayloadError("status without id or status")
        errors = _list(item.get("errors"), "errors")
        error = None
        if errors and isinstance(errors[0], dict):
            error = f"whatsapp error {errors[0].get('code')}: {errors[0].get('title', '')}"
        result.append(
            DeliveryStatus(
                str(item["id"]), str(item["status"]), error, item.get("biz_opaque_callback_data")
            )
        )
    return result
