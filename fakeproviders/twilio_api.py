"""Fake Twilio Messages API: create, list and fetch, enough for the real ``twilio.rest.Client``.

The SDK is pointed here with ``client.api.base_url``; it sends form-encoded bodies with HTTP
Basic auth (account SID + auth token) and expects Twilio's JSON resources and error bodies.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, BackgroundTasks, Depends, Request

from fakeproviders.callbacks import PreparedCallback, Step, deliver_later
from fakeproviders.config import FakeConfig
from fakeproviders.deps import (
    ConfigDep,
    StateDep,
    basic_credentials,
    fault_injector,
    hang_after_accept,
)
from fakeproviders.exceptions import FakeProviderError
from fakeproviders.ids import twilio_sid
from fakeproviders.signing import TWILIO_SIGNATURE_HEADER, twilio_signature
from fakeproviders.state import Provider, SentMessage
from fakeproviders.twilio_listing import matches, page_body
from fakeproviders.twilio_payloads import (
    message_resource,
    status_callback_form,
    twilio_error,
)

BODY_MAX = 1600
ACCOUNT = "/2010-04-01/Accounts/{account_sid}"


async def require_auth(request: Request, account_sid: str, config: ConfigDep) -> None:
    """401 (code 20003) unless Basic auth carries the configured SID and token; 404 on a
    foreign account in the path, as Twilio answers."""
    expected = (config.twilio_account_sid, config.twilio_auth_token)
    if basic_credentials(request.headers.get("authorization")) != expected:
        raise FakeProviderError(401, twilio_error(20003, 401))
    if account_sid != config.twilio_account_sid:
        raise FakeProviderError(404, twilio_error(20404, 404))


router = APIRouter(
    tags=["fake twilio"],
    dependencies=[
        Depends(fault_injector(Provider.TWILIO, lambda: twilio_error(20500, 500))),
        Depends(require_auth),
    ],
)


async def _read_form(request: Request) -> dict[str, Any]:
    """The urlencoded body as a dict (``MediaUrl`` may repeat, so it is a list).

    Parsed by hand: ``request.form()`` needs python-multipart, which the product does not ship.
    """
    form: dict[str, Any] = {}
    for key, value in parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True):
        if key == "MediaUrl":
            form.setdefault(key, []).append(value)
        else:
            form[key] = value
    return form


def _check_create(form: dict[str, Any]) -> None:
    """Twilio's 400s for a message it would refuse."""
    problems = [
        (not form.get("To"), 21604),
        (not form.get("From") and not form.get("MessagingServiceSid"), 21603),
        (not form.get("Body") and not form.get("MediaUrl"), 21602),
        (len(form.get("Body", "")) > BODY_MAX, 21617),
    ]
    for failed, code in problems:
        if failed:
            raise FakeProviderError(400, twilio_error(code, 400))


def _reachable(config: FakeConfig, url: str) -> str:
    """Where to actually POST a callback addressed to ``url``.

    A URL under the configured public base goes to ``app_url`` instead, as a reverse proxy
    would forward it; the signature stays computed over ``url``, the one Twilio was given.
    """
    public, app = config.public_base_url, config.app_url
    if public and app and url.startswith(public.rstrip("/") + "/"):
        return app.rstrip("/") + url[len(public.rstrip("/")) :]
    return url


def _status_callback(config: FakeConfig, message: SentMessage) -> PreparedCallback | None:
    """The signed StatusCallback POST for a message's current status (None without a URL)."""
    url = message.status_callback
    if not url:
        return None
    form = status_callback_form(message, config.twilio_account_sid)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        TWILIO_SIGNATURE_HEADER: twilio_signature(config.twilio_auth_token, url, form),
        "User-Agent": "TwilioProxy/1.1",
    }
    body = urlencode(form).encode("utf-8")
    return PreparedCallback(_reachable(config, url), body, headers, dict(form))


@router.post(ACCOUNT + "/Messages.json", status_code=201)
async def create_message(
    account_sid: str,
    request: Request,
    background: BackgroundTasks,
    state: StateDep,
    config: ConfigDep,
) -> dict[str, Any]:
    """Accept a message, record it, and simulate delivery after the response is sent."""
    form = await _read_form(request)
    _check_create(form)
    if state.number_flag("sms_opted_out", form["To"]):
        raise FakeProviderError(400, twilio_error(21610, 400))
    sender = form.get("From") or form["MessagingServiceSid"]
    message = SentMessage(
        provider=Provider.TWILIO,
        id=twilio_sid("SM"),
        to=form["To"],
        from_=sender,
        body=form.get("Body"),
        payload=form,
        status_callback=form.get("StatusCallback"),
    )
    state.record_message(message)
    await hang_after_accept(state)
    if state.knobs().simulate_delivery:
        failed = state.number_flag("undeliverable", message.to)
        last = Step("undelivered", 30003) if failed else Step("delivered")
        build = partial(_status_callback, config)
        steps = [Step("sent"), last]
        deliver_later(background, state, Provider.TWILIO, message.id, steps, build)
    return message_resource(message, account_sid)


@router.get(ACCOUNT + "/Messages.json")
async def list_messages(account_sid: str, request: Request, state: StateDep) -> dict[str, Any]:
    """Twilio's paged list, newest first, with To/From/DateSent filters."""
    params = dict(request.query_params)
    found = [m for m in reversed(state.messages(provider=Provider.TWILIO)) if matches(m, params)]
    return page_body(account_sid, found, params)


@router.get(ACCOUNT + "/Messages/{sid}.json")
async def fetch_message(account_sid: str, sid: str, state: StateDep) -> dict[str, Any]:
    """One message by SID, with its current (possibly progressed) status."""
    message = state.get_message(sid)
    if message is None or message.provider != Provider.TWILIO:
        raise FakeProviderError(404, twilio_error(20404, 404))
    return message_resource(message, account_sid)
