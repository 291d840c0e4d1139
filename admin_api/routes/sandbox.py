"""Try the bot (sandbox mode only): a phone on the dashboard, driving the path ``bookline chat``
drives — a signed provider webhook to the app's PUBLIC_BASE_URL, the replies read back from
what the built-in fake provider received for the guest.

The app factory includes this router in sandbox mode only (outside it these paths are 404).
Even then, a channel whose provider has real keys answers 404 "sandbox mode is off": replies
would reach a real phone.
"""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, HTTPException, Query, status

from admin_api.deps import StaffUser, Tx, tenant
from admin_api.schemas.common import Problem, QueryId
from admin_api.schemas.sandbox import (
    E164,
    OptionOut,
    PhoneMessage,
    PhoneMessages,
    SandboxMessage,
    SandboxSent,
)
from engine.tenants.service import get_venue
from fakeproviders.phone import Channel, GuestPhone, Shown, VenueAddresses
from infra.deps import RuntimeDep

UNREACHABLE = {"model": Problem, "description": "The app could not reach its own PUBLIC_BASE_URL"}
router = APIRouter(prefix="/sandbox", tags=["sandbox"], responses={502: UNREACHABLE})
OFF = "sandbox mode is off"


def _fake_channel(runtime: RuntimeDep, channel: Channel) -> None:
    """404 unless ``channel`` goes to the sandbox's fake provider."""
    if not runtime.settings.faked("twilio" if channel == "sms" else "whatsapp"):
        raise HTTPException(status.HTTP_404_NOT_FOUND, OFF)


def _phone(
    session: Tx, runtime: RuntimeDep, business_id: int, venue_id: int, channel: Channel, phone: str
) -> GuestPhone:
    """The guest's phone at one of the caller's venues (404 for another business's venue)."""
    venue = get_venue(session, venue_id=venue_id, business_id=business_id)
    addresses = VenueAddresses(venue.sms_number or "", venue.whatsapp_phone_number_id or "")
    if not (addresses.sms_number if channel == "sms" else addresses.whatsapp_id):
        raise HTTPException(status.HTTP_409_CONFLICT, f"This venue has no {channel} number.")
    url = runtime.settings.public_base_url
    return GuestPhone(url, channel=channel, phone=phone, venue=addresses)


def _unreachable(exc: httpx.HTTPError) -> HTTPException:
    """The app could not reach itself at PUBLIC_BASE_URL: say so rather than fail blankly."""
    detail = f"Could not reach this app at PUBLIC_BASE_URL: {exc}"
    return HTTPException(status.HTTP_502_BAD_GATEWAY, detail)


@router.post("/messages", status_code=status.HTTP_202_ACCEPTED)
def send(
    body: SandboxMessage, principal: StaffUser, session: Tx, runtime: RuntimeDep
) -> SandboxSent:
    """Send a guest's message (or WhatsApp tap) to the bot as its provider would."""
    _fake_channel(runtime, body.channel)
    phone = _phone(session, runtime, tenant(principal), body.venue_id, body.channel, body.phone)
    try:
        choice = phone.offered(body.choice_id) if body.choice_id else None
        if body.choice_id and choice is None:
            raise HTTPException(status.HTTP_409_CONFLICT, "That option was never offered.")
        answer = phone.send(body.text, choice)
    except httpx.HTTPError as exc:
        raise _unreachable(exc) from exc
    if answer.is_error:
        detail = f"The webhook was refused ({answer.status_code}): {answer.text[:200]}"
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail)
    return SandboxSent()


@router.get("/messages")
def received(
    venue_id: QueryId,
    channel: Channel,
    phone: Annotated[str, Query(pattern=E164)],
    principal: StaffUser,
    session: Tx,
    runtime: RuntimeDep,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> PhoneMessages:
    """What the venue sent the guest on this channel after message number ``after``."""
    _fake_channel(runtime, channel)
    guest = _phone(session, runtime, tenant(principal), venue_id, channel, phone)
    try:
        inbox = guest.inbox()
    except httpx.HTTPError as exc:
        raise _unreachable(exc) from exc
    new = [_out(seq, shown) for seq, shown in enumerate(inbox, start=1) if seq > after]
    return PhoneMessages(messages=new, next=new[-1].seq if new else after)


def _out(seq: int, shown: Shown) -> PhoneMessage:
    options = [OptionOut(id=option.id, title=option.title) for option in shown.options]
    return PhoneMessage(seq=seq, text=shown.text, options=options, links=shown.links, at=shown.at)
