"""The conversations inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from admin_api.schemas.common import ORM
from engine.messaging.enums import MessageChannel


class ConversationOut(ORM):
    """One guest's thread; ``handed_off`` ones, and ones with ``questions`` the bot could not
    answer, wait for a person and are listed first."""

    venue_id: int
    channel: MessageChannel
    guest_phone: str
    guest_name: str | None
    last_at: datetime
    last_text: str
    last_direction: str
    messages: int
    handed_off: bool
    questions: list[str] = Field(
        default_factory=list, description="Guest questions the bot left for a person"
    )


class InboxThreadOut(ConversationOut):
    """A thread in the inbox page, with the guest's messages since the venue last wrote."""

    unanswered: int = Field(description="The guest's messages since the bot or staff last wrote")


class InboxPage(BaseModel):
    """One page of the inbox: threads handed to a person first, then those with open
    questions, then the latest active."""

    threads: list[InboxThreadOut]
    total: int = Field(description="Threads matching the search, on every page")
    waiting: int = Field(
        description="Of those, the ones waiting for a person: handed off or with open questions"
    )
    offset: int
    limit: int


class Line(ORM):
    at: datetime
    direction: str = Field(description='"in" from the guest, "out" to them')
    text: str


class Transcript(BaseModel):
    venue_id: int
    channel: MessageChannel
    guest_phone: str
    handed_off: bool
    questions: list[str] = Field(default_factory=list)
    lines: list[Line]


class StaffReply(BaseModel):
    """A message from staff; resending the same ``request_key`` sends it only once."""

    text: str = Field(min_length=1, max_length=1000)
    request_key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,64}$")


class Queued(BaseModel):
    outbox_id: int
    status: str
