"""The senders and the payment gateway a process's settings call for, built in one place.

A provider in DISABLED_PROVIDERS gets a sender (or gateway) that fails each call for good,
saying why, so the row is marked failed and whom it concerns is told.
"""

from __future__ import annotations

from infra.senders.base import PermanentSendError, Sender
from infra.senders.disabled import DisabledSender
from infra.senders.razorpay import RazorpayGateway
from infra.senders.sms import TwilioSender
from infra.senders.whatsapp import WhatsAppSender
from infra.settings import Settings


def build_senders(settings: Settings) -> dict[str, Sender]:
    """One sender per transport: "sms", "twilio-whatsapp" and "whatsapp" (Cloud API)."""
    callback = settings.public_base_url.rstrip("/") + "/webhooks/twilio/status"
    sms: Sender = DisabledSender("twilio")
    via_twilio: Sender = sms
    if settings.enabled("twilio"):
        keys = settings.twilio()
        sms = TwilioSender(keys, status_callback=callback)
        via_twilio = TwilioSender(keys, status_callback=callback, prefix="whatsapp:")
    cloud: Sender = DisabledSender("whatsapp")
    if settings.enabled("whatsapp"):
        cloud = WhatsAppSender(settings.whatsapp())
    return {"sms": sms, "twilio-whatsapp": via_twilio, "whatsapp": cloud}


def build_gateway(settings: Settings) -> RazorpayGateway:
    """The Razorpay client; PermanentSendError when Razorpay is switched off."""
    if not settings.enabled("razorpay"):
        raise PermanentSendError("razorpay is disabled by DISABLED_PROVIDERS: not called.")
    return RazorpayGateway(settings.razorpay())
