"""Enumerations of the messaging domain."""

from enum import StrEnum


class MessageChannel(StrEnum):
    """The channel a guest talks on."""

    SMS = "sms"
    WHATSAPP = "whatsapp"


class InboundStatus(StrEnum):
    """Where an inbound message is in its handling."""

    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"
    IGNORED = "ignored"


class OutboxStatus(StrEnum):
    """Life of an outbound message; SENDING marks "provider may have it" for crash recovery."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    SUPPRESSED = "suppressed"


#: Statuses after which a message must never be sent again.
FINAL_OUTBOX_STATUSES = (
    OutboxStatus.SENT,
    OutboxStatus.DELIVERED,
    OutboxStatus.READ,
    OutboxStatus.FAILED,
    OutboxStatus.SUPPRESSED,
)
