"""Built-in local fake providers (Twilio SMS, WhatsApp Cloud API, Razorpay).

A small FastAPI app that accepts calls from the real SDKs, records them, injects failures on
demand, and posts correctly signed webhooks back to Bookline. This is the sandbox: in sandbox
mode (BOOKLINE_SANDBOX) the app mounts it and points the SDKs of providers without credentials
here; tests and the chat simulator drive it. Production code never imports it.

Public API:
- ``create_fake_app(FakeConfig) -> FastAPI`` (``app.state.fake_state`` is the ``FakeState``)
- ``run_in_thread(app, host, port) -> RunningServer`` (``.url``, ``.stop()``), for any ASGI app
- ``inbound.send_sms / send_whatsapp / whatsapp_verify / post_whatsapp_payload`` (be the guest)
- ``inbound.post_razorpay_event`` and ``razorpay_control.pay`` (be the guest paying)
- ``FAKE_*`` credentials in ``credentials``
"""

from __future__ import annotations

from fakeproviders.app import create_fake_app
from fakeproviders.config import FakeConfig
from fakeproviders.credentials import (
    FAKE_GRAPH_VERSION,
    FAKE_TWILIO_ACCOUNT_SID,
    FAKE_TWILIO_AUTH_TOKEN,
    FAKE_TWILIO_NUMBER,
    FAKE_WHATSAPP_APP_SECRET,
    FAKE_WHATSAPP_DISPLAY_NUMBER,
    FAKE_WHATSAPP_PHONE_NUMBER_ID,
    FAKE_WHATSAPP_TOKEN,
    FAKE_WHATSAPP_VERIFY_TOKEN,
)
from fakeproviders.inbound import (
    post_whatsapp_payload,
    send_sms,
    send_whatsapp,
    whatsapp_verify,
)
from fakeproviders.server import RunningServer, run_in_thread
from fakeproviders.state import FakeState, Knobs, Provider, SentMessage

__all__ = [
    "FAKE_GRAPH_VERSION",
    "FAKE_TWILIO_ACCOUNT_SID",
    "FAKE_TWILIO_AUTH_TOKEN",
    "FAKE_TWILIO_NUMBER",
    "FAKE_WHATSAPP_APP_SECRET",
    "FAKE_WHATSAPP_DISPLAY_NUMBER",
    "FAKE_WHATSAPP_PHONE_NUMBER_ID",
    "FAKE_WHATSAPP_TOKEN",
    "FAKE_WHATSAPP_VERIFY_TOKEN",
    "FakeConfig",
    "FakeState",
    "Knobs",
    "Provider",
    "RunningServer",
    "SentMessage",
    "create_fake_app",
    "post_whatsapp_payload",
    "run_in_thread",
    "send_sms",
    "send_whatsapp",
    "whatsapp_verify",
]
