"""HTTP front for the inbound helpers: ``POST /_fake/inbound/sms`` and ``/_fake/inbound/whatsapp``.

Lets a terminal or dashboard simulator play the guest without holding any secret: the fake signs
with its configured credentials. The routes are plain ``def`` so FastAPI runs them in a worker
thread: the product may answer inline and send its reply back to this very fake while we wait.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from fakeproviders import inbound
from fakeproviders.config import FakeConfig
from fakeproviders.credentials import FAKE_TWILIO_NUMBER, FAKE_WHATSAPP_PHONE_NUMBER_ID
from fakeproviders.deps import ConfigDep, StateDep
from fakeproviders.ids import twilio_sid, wamid
from fakeproviders.state import InboundRecord, Provider

router = APIRouter(prefix="/_fake/inbound", tags=["fake inbound"])

#: Twilio handles these keywords itself on its numbers (PROTOCOLS.md), before the webhook.
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})


class Reply(BaseModel):
    """An interactive reply the guest tapped."""

    id: str
    title: str


class InboundSmsIn(BaseModel):
    """A guest SMS; ``from`` may be sent as ``from`` or ``from_``."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str = FAKE_TWILIO_NUMBER
    body: str
    message_sid: str | None = None
    app_url: str | None = None
    public_base_url: str | None = None


class InboundWhatsAppIn(BaseModel):
    """A guest WhatsApp message: text, a reply (id + title), or a media type."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    phone_number_id: str = FAKE_WHATSAPP_PHONE_NUMBER_ID
    display_number: str | None = None
    text: str | None = None
    button_reply: Reply | None = None
    list_reply: Reply | None = None
    #: A template's quick-reply button: ``id`` is its payload, ``title`` its text.
    quick_reply: Reply | None = None
    media_type: str | None = None
    name: str = "Guest"
    message_id: str | None = None
    context_id: str | None = None
    app_url: str | None = None


def _app_url(given: str | None, config: FakeConfig) -> str:
    """The target app: the request's, else the configured one; 400 when neither is known."""
    url = given or config.app_url
    if not url:
        raise HTTPException(400, "No app_url given and none configured (POST /_fake/target).")
    return url


def _pair(reply: Reply | None) -> tuple[str, str] | None:
    """A Reply as the (id, title) pair the helpers take."""
    return (reply.id, reply.title) if reply is not None else None


def _summary(msg: InboundWhatsAppIn) -> str | None:
    """What the guest "said", for the inbound record: text, tapped title, or ``[type]``."""
    reply = msg.button_reply or msg.list_reply or msg.quick_reply
    if reply is not None:
        return reply.title
    return msg.text if msg.media_type is None else f"[{msg.media_type}]"


@router.post("/sms")
def inbound_sms(sms: InboundSmsIn, state: StateDep, config: ConfigDep) -> dict[str, Any]:
    """Deliver a signed inbound SMS; STOP/START words also flip Twilio's opt-out list."""
    app_url, sid = _app_url(sms.app_url, config), sms.message_sid or twilio_sid("SM")
    keyword = sms.body.strip().upper()
    if keyword in OPT_OUT_WORDS | OPT_IN_WORDS:
        state.set_number_flag("sms_opted_out", sms.from_, keyword in OPT_OUT_WORDS)
    response = inbound.send_sms(
        app_url,
        auth_token=config.twilio_auth_token,
        from_=sms.from_,
        to=sms.to,
        body=sms.body,
        message_sid=sid,
        public_base_url=sms.public_base_url or config.public_base_url,
        account_sid=config.twilio_account_sid,
    )
    record = InboundRecord(Provider.TWILIO, sid, sms.from_, sms.to, sms.body, response.status_code)
    state.record_inbound(record)
    return {"message_sid": sid, "status_code": response.status_code, "body": response.text}


@router.post("/whatsapp")
def inbound_whatsapp(msg: InboundWhatsAppIn, state: StateDep, config: ConfigDep) -> dict[str, Any]:
    """Deliver a signed inbound WhatsApp message; it reopens the sender's 24-hour window."""
    app_url, message_id = _app_url(msg.app_url, config), msg.message_id or wamid()
    state.set_number_flag("whatsapp_window_closed", msg.from_, False)
    response = inbound.send_whatsapp(
        app_url,
        app_secret=config.whatsapp_app_secret,
        phone_number_id=msg.phone_number_id,
        display_number=msg.display_number or config.display_number(msg.phone_number_id),
        from_=msg.from_,
        text=msg.text,
        button_reply=_pair(msg.button_reply),
        list_reply=_pair(msg.list_reply),
        quick_reply=_pair(msg.quick_reply),
        media_type=msg.media_type,
        name=msg.name,
        message_id=message_id,
        context_id=msg.context_id,
        waba_id=config.whatsapp_business_account_id,
    )
    record = InboundRecord(
        provider=Provider.WHATSAPP,
        id=message_id,
        from_=msg.from_,
        to=msg.phone_number_id,
        body=_summary(msg),
        status_code=response.status_code,
    )
    state.record_inbound(record)
    return {"message_id": message_id, "status_code": response.status_code, "body": response.text}
