"""Twilio's wire shapes: the Message resource JSON, error JSON, and the webhook forms.

Kept apart from the routes so the inbound helpers and the status-callback thread build exactly
the same fields the REST fake returns.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Any

from bot.render import sms_segments as count_segments
from fakeproviders.ids import twilio_sid
from fakeproviders.state import SentMessage

API_VERSION = "2010-04-01"

#: Error messages Twilio attaches to the error codes the fake produces.
ERROR_MESSAGES = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20500: "An internal server error has occurred",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21617: "The concatenated message body exceeds the 1600 character limit.",
    30003: "Unreachable destination handset",
}


def rfc2822(moment: datetime | None) -> str | None:
    """Twilio's date format (``Tue, 01 Dec 2026 06:30:00 +0000``)."""
    return format_datetime(moment) if moment is not None else None


def twilio_error(code: int, status: int, message: str | None = None) -> dict[str, Any]:
    """Twilio's legacy error body, which the SDK turns into ``TwilioRestException``."""
    return {
        "code": code,
        "message": message or ERROR_MESSAGES.get(code, "Error"),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def message_uri(account_sid: str, sid: str) -> str:
    """The resource's own URI, relative to the API base."""
    return f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}.json"


def message_resource(message: SentMessage, account_sid: str) -> dict[str, Any]:
    """The Message resource JSON for create, fetch and list."""
    uri = message_uri(account_sid, message.id)
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": rfc2822(message.created_at),
        "date_sent": rfc2822(message.sent_at),
        "date_updated": rfc2822(message.updated_at),
        "direction": "outbound-api",
        "error_code": message.error_code,
        "error_message": ERROR_MESSAGES.get(message.error_code or 0),
        "from": message.payload.get("From"),
        "messaging_service_sid": message.payload.get("MessagingServiceSid"),
        "num_media": str(len(message.payload.get("MediaUrl", []))),
        "num_segments": str(count_segments(message.body or "")),
        "price": None,
        "price_unit": "USD",
        "sid": message.id,
        "status": message.status,
        "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        "to": message.to,
        "uri": uri,
    }


def status_callback_form(message: SentMessage, account_sid: str) -> dict[str, str]:
    """The form Twilio posts to a StatusCallback URL when a message changes status."""
    form = {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "From": str(message.payload.get("From", "")),
        "MessageSid": message.id,
        "MessageStatus": message.status,
        "SmsSid": message.id,
        "SmsStatus": message.status,
        "To": message.to,
    }
    if message.error_code is not None:
        form["ErrorCode"] = str(message.error_code)
    return form


def inbound_sms_form(
    *, account_sid: str, from_: str, to: str, body: str, message_sid: str | None = None
) -> dict[str, str]:
    """The form Twilio posts to an SMS webhook when a guest texts a Twilio number."""
    sid = message_sid or twilio_sid("SM")
    return {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "Body": body,
        "From": from_,
        "MessageSid": sid,
        "NumMedia": "0",
        "NumSegments": str(count_segments(body)),
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "SmsStatus": "received",
        "To": to,
    }
