"""Sending WhatsApp messages through the Cloud API with heyoo.

heyoo fixes its Graph URL (v14.0, retired) at construction and sets no HTTP timeout, and it
reports API errors as a JSON ``error`` object instead of raising. So the URL attributes are set
from WHATSAPP_API_BASE, every call runs under a deadline, and the answer is checked here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from heyoo import WhatsApp

from infra.senders.base import PermanentSendError, SendTask, TransientSendError
from infra.settings import WhatsAppKeys

CALL_TIMEOUT_SECONDS = 10
#: Graph error codes worth retrying: rate limits, temporary and unknown server errors.
TRANSIENT_CODES = {1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004}
_calls = ThreadPoolExecutor(max_workers=8, thread_name_prefix="whatsapp-send")


class WhatsAppSender:
    """Cloud API sender for one set of credentials (any of the business's numbers)."""

    def __init__(self, keys: WhatsAppKeys) -> None:
        self.keys = keys

    def client(self, phone_number_id: str) -> WhatsApp:
        """A heyoo client whose URLs point at the configured Graph base."""
        client = WhatsApp(self.keys.token, phone_number_id=phone_number_id)
        client.base_url = self.keys.graph_base
        client.v15_base_url = self.keys.graph_base
        client.url = f"{self.keys.graph_base}/{phone_number_id}/messages"
        return client

    def send(self, task: SendTask) -> str:
        """Send the rendered Cloud API message; the outbox key rides along for reconciliation."""
        data = {
            **task.payload,
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": task.to.lstrip("+"),
            "biz_opaque_callback_data": task.key,
        }
        client = self.client(task.sender_address)
        future = _calls.submit(client.send_custom_json, data)
        try:
            answer: Any = future.result(timeout=CALL_TIMEOUT_SECONDS)
        except FutureTimeout as exc:
            raise TransientSendError("whatsapp call timed out") from exc
        except (OSError, ValueError) as exc:
            raise TransientSendError(f"whatsapp unreachable or garbled: {exc}") from exc
        return _message_id(answer)

    def find_sent(self, task: SendTask) -> str | None:
        """The Cloud API cannot list sent messages; status callbacks carry the outbox key."""
        return None


def _message_id(answer: Any) -> str:
    if isinstance(answer, dict) and answer.get("messages"):
        return str(answer["messages"][0]["id"])
    error = answer.get("error", {}) if isinstance(answer, dict) else {}
    code = error.get("code")
    text = f"whatsapp error {code}: {error.get('message', answer)}"
    if code in TRANSIENT_CODES:
        raise TransientSendError(text)
    raise PermanentSendError(text)
