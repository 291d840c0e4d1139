"""The conversations inbox: threads (waiting for a person first), transcripts, staff replies,
hand back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from admin_api.deps import StaffUser, Tx, Work, tenant
from admin_api.schemas.common import PathId, QueryId
from admin_api.schemas.conversations import (
    ConversationOut,
    InboxPage,
    InboxThreadOut,
    Line,
    Queued,
    StaffReply,
    Transcript,
)
from application.staff import staff_reply
from bot.choices import Thread
from bot.open_questions import open_questions
from bot.staff import hand_back, handed_off
from engine.db import utcnow
from engine.frontdesk.service import find_guest
from engine.guests.models import Guest
from engine.messaging.enums import MessageChannel
from engine.messaging.inbox import inbox_threads, thread_keys
from engine.messaging.service import conversation_transcript, list_conversations
from engine.tenants.models import Venue
from engine.tenants.service import get_venue
from infra.deps import RuntimeDep

router = APIRouter(prefix="/conversations", tags=["conversations"])
THREAD = "/{venue_id}/{channel}/{guest_phone}"


@router.get("")
def conversations(
    principal: StaffUser, session: Tx, runtime: RuntimeDep, venue_id: QueryId | None = None
) -> list[ConversationOut]:
    """Recent threads, the ones waiting for a person first."""
    rows = list_conversations(session, business_id=tenant(principal), venue_id=venue_id)
    threads = [Thread(r.venue_id, r.channel, r.guest_phone) for r in rows]
    waiting = handed_off(runtime.redis, threads, now=utcnow())
    asked = open_questions(runtime.redis, threads)
    out = [
        ConversationOut.model_validate({**vars(row), "handed_off": flag, "questions": questions})
        for row, flag, questions in zip(rows, waiting, asked, strict=True)
    ]
    return sorted(out, key=lambda c: not (c.handed_off or c.questions))


@router.get("/inbox")
def inbox(
    principal: StaffUser,
    session: Tx,
    runtime: RuntimeDep,
    venue_id: QueryId | None = None,
    q: Annotated[str, Query(max_length=64, description="Guest name, phone or reference")] = "",
    waiting: Annotated[
        bool, Query(description="Only threads waiting for a person (handed off or asked)")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> InboxPage:
    """Threads matching the search a page at a time: those handed to a person first, then those
    with questions the bot left for one, then the rest, most recently active first."""
    keys = thread_keys(session, business_id=tenant(principal), venue_id=venue_id, query=q)
    threads = [Thread(k.venue_id, k.channel, k.guest_phone) for k in keys]
    flags = handed_off(runtime.redis, threads, now=utcnow())
    asked = dict(zip(keys, open_questions(runtime.redis, threads), strict=True))
    first = [key for key, flag in zip(keys, flags, strict=True) if flag]
    handed = set(first)
    second = [key for key in keys if asked[key] and key not in handed]
    rest = [] if waiting else [key for key in keys if not asked[key] and key not in handed]
    ordered = first + second + rest
    rows = inbox_threads(session, business_id=tenant(principal), keys=ordered[offset:][:limit])
    out = [
        InboxThreadOut.model_validate(
            {**vars(row), "handed_off": row.key in handed, "questions": asked[row.key]}
        )
        for row in rows
    ]
    return InboxPage(
        threads=out,
        total=len(ordered),
        waiting=len(first) + len(second),
        offset=offset,
        limit=limit,
    )


@dataclass(frozen=True)
class Found:
    """The thread a path names: a guest of the caller's business at one of its venues."""

    venue: Venue
    guest: Guest
    thread: Thread


def found_thread(
    venue_id: PathId,
    channel: MessageChannel,
    guest_phone: str,
    principal: StaffUser,
    session: Tx,
) -> Found:
    """Venue, guest and thread named by the path (404 for another business's)."""
    business_id = tenant(principal)
    venue = get_venue(session, venue_id=venue_id, business_id=business_id)
    guest = find_guest(session, business_id=business_id, phone=guest_phone)
    return Found(venue, guest, Thread(venue_id, channel, guest.phone))


ThreadOf = Annotated[Found, Depends(found_thread)]


@router.get(THREAD)
def transcript(found: ThreadOf, session: Tx, runtime: RuntimeDep) -> Transcript:
    """Everything said in one thread, oldest first."""
    thread = found.thread
    lines = conversation_transcript(
        session, venue_id=thread.venue_id, channel=thread.channel, guest_phone=thread.guest_phone
    )
    (waiting,) = handed_off(runtime.redis, [thread], now=utcnow())
    (questions,) = open_questions(runtime.redis, [thread])
    return Transcript(
        venue_id=thread.venue_id,
        channel=thread.channel,
        guest_phone=thread.guest_phone,
        handed_off=waiting,
        questions=questions,
        lines=[Line.model_validate(line) for line in lines],
    )


@router.post(THREAD + "/reply", status_code=202)
def reply(found: ThreadOf, body: StaffReply, principal: StaffUser, uow: Work) -> Queued:
    """Send a message to the guest on this channel; the bot pauses until handed back."""
    message = staff_reply(
        uow,
        venue=found.venue,
        guest=found.guest,
        thread=found.thread,
        text=body.text,
        request_key=f"{principal.user_id}:{body.request_key or uuid.uuid4().hex}",
        now=utcnow(),
    )
    return Queued(outbox_id=message.id, status=message.status.value)


@router.post(THREAD + "/hand-back", status_code=204)
def give_back(found: ThreadOf, runtime: RuntimeDep) -> Response:
    """Let the bot answer this guest again."""
    hand_back(runtime.redis, found.thread)
    return Response(status_code=204)
