"""Opt-out / opt-in keywords (⚑ DESIGN 7) in the languages Bookline speaks.

On Twilio numbers a body that is exactly one of the carrier keywords opts the sender out, so a
bare "cancel" is an opt-out, never a booking cancellation; matching is on the whole message.
"""

from __future__ import annotations

from enum import StrEnum

from engine.messaging.enums import MessageChannel


class OptKeyword(StrEnum):
    """What a keyword message asks for."""

    STOP = "stop"
    START = "start"


#: Carrier keywords that only opt out on SMS (on WhatsApp "cancel" means the booking).
SMS_ONLY_STOP_WORDS = frozenset({"cancel", "end", "quit"})
#: English, Hindi and Spanish opt-out words, on every channel.
STOP_WORDS = frozenset(
    {
        "stop",
        "stopall",
        "unsubscribe",
        "रोकें",
        "बंद करो",
        "बंद",
        "रुको",
        "baja",
        "darse de baja",
        "alto",
        "parar",
        "detener",
    }
)
START_WORDS = frozenset({"start", "yes", "unstop", "शुरू", "शुरू करें", "alta", "reanudar"})


def opt_keyword(text: str, channel: MessageChannel) -> OptKeyword | None:
    """STOP or START when the whole message is one of the channel's keywords, else None."""
    normalized = " ".join(text.strip().strip(".!").lower().split())
    if normalized in STOP_WORDS or (
        channel == MessageChannel.SMS and normalized in SMS_ONLY_STOP_WORDS
    ):
        return OptKeyword.STOP
    if normalized in START_WORDS:
        return OptKeyword.START
    return None
