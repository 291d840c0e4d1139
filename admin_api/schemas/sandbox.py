"""The "try the bot" page: what the dashboard's phone sends and what it shows."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from admin_api.schemas.common import BodyId

#: A phone number in E.164 form, as providers write it.
E164 = r"^\+[1-9][0-9]{6,14}$"


class SandboxMessage(BaseModel):
    """One thing the guest does: type ``text``, or (WhatsApp) tap the option ``choice_id``."""

    venue_id: BodyId
    channel: Literal["sms", "whatsapp"]
    phone: str = Field(pattern=E164, examples=["+919800000001"])
    text: str | None = Field(default=None, min_length=1, max_length=1600)
    choice_id: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def one_action(self) -> Self:
        """Exactly one of text and choice; only WhatsApp has buttons to tap."""
        if (self.text is None) == (self.choice_id is None):
            raise ValueError("Send either text or choice_id.")
        if self.choice_id is not None and self.channel != "whatsapp":
            raise ValueError("choice_id is for WhatsApp buttons and lists; SMS sends text.")
        return self


class SandboxSent(BaseModel):
    """The app accepted the guest's message; replies appear in ``GET /sandbox/messages``."""

    sent: Literal[True] = True


class OptionOut(BaseModel):
    """A WhatsApp button or list row the guest can tap (send its ``id`` as ``choice_id``)."""

    id: str
    title: str


class PhoneMessage(BaseModel):
    """One message the venue sent the guest, as their phone shows it."""

    seq: int = Field(description="1, 2, … in the order the provider received them")
    text: str
    options: list[OptionOut]
    links: list[str] = Field(description="URLs in the text, such as payment links")
    at: datetime


class PhoneMessages(BaseModel):
    """Messages after the ``after`` asked for; pass ``next`` as ``after`` to poll for more."""

    messages: list[PhoneMessage]
    next: int
