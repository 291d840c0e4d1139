"""The fake providers against the REAL SDKs (twilio, heyoo) over real HTTP.

An "app double" (a tiny FastAPI app run with ``run_in_thread``) stands in for Bookline: it
verifies every webhook independently — Twilio's own ``RequestValidator`` and a plain HMAC —
and records what it received, so signatures are checked by code the fake does not share.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import heyoo
import httpx
import pytest
import requests
from fastapi import FastAPI, Request, Response
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.render import sms_segments as count_segments
from fakeproviders import (
    FAKE_TWILIO_ACCOUNT_SID,
    FAKE_TWILIO_AUTH_TOKEN,
    FAKE_TWILIO_NUMBER,
    FAKE_WHATSAPP_APP_SECRET,
    FAKE_WHATSAPP_DISPLAY_NUMBER,
    FAKE_WHATSAPP_PHONE_NUMBER_ID,
    FAKE_WHATSAPP_TOKEN,
    FAKE_WHATSAPP_VERIFY_TOKEN,
    FakeConfig,
    FakeState,
    Provider,
    RunningServer,
    callbacks,
    create_fake_app,
    inbound,
    run_in_thread,
)

GUEST = "+919800000001"
GUEST_WA = "919800000001"
PNID = FAKE_WHATSAPP_PHONE_NUMBER_ID
PUBLIC_BASE = "https://bookline.example.com"


# -- the app double: a stand-in for Bookline that verifies signatures --------------------------


class AppDouble:
    """Records every webhook it receives together with whether its signature verified."""

    def __init__(self) -> None:
        self.url = ""
        self.public_base_url: str | None = None  # what Twilio "called", when behind a proxy
        self._calls: list[dict[str, Any]] = []
        self._cond = threading.Condition()

    def calls(self, kind: str | None = None) -> list[dict[str, Any]]:
        with self._cond:
            return [c for c in self._calls if kind is None or c["kind"] == kind]

    def wait_for(self, predicate: Callable[[AppDouble], bool], timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout=timeout)

    def reset(self) -> None:
        with self._cond:
            self._calls.clear()
            self.public_base_url = None

    def _record(self, kind: str, valid: bool, data: Any, raw: bytes, signature: str) -> None:
        with self._cond:
            call = {"kind": kind, "valid": valid, "data": data, "raw": raw, "signature": signature}
            self._calls.append(call)
            self._cond.notify_all()

    def build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/webhooks/twilio/{kind}")
        async def twilio_hook(kind: str, request: Request) -> Response:
            raw = await request.body()
            params = dict(parse_qsl(raw.decode(), keep_blank_values=True))
            url = (self.public_base_url or self.url) + request.url.path
            signature = request.headers.get("X-Twilio-Signature", "")
            valid = RequestValidator(FAKE_TWILIO_AUTH_TOKEN).validate(url, params, signature)
            self._record(f"twilio_{kind}", valid, params, raw, signature)
            return Response("<Response/>", media_type="text/xml", status_code=200 if valid else 403)

        @app.post("/webhooks/whatsapp")
        async def whatsapp_hook(request: Request) -> Response:
            raw = await request.body()
            digest = hmac.new(FAKE_WHATSAPP_APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
            header = request.headers.get("X-Hub-Signature-256", "")
            valid = hmac.compare_digest(f"sha256={digest}", header)
            self._record("whatsapp", valid, json.loads(raw), raw, header)
            return Response(status_code=200 if valid else 403)

        @app.get("/webhooks/whatsapp")
        async def whatsapp_verify(request: Request) -> Response:
            q = request.query_params
            if q.get("hub.mode") == "subscribe" and q.get("hub.verify_token") == (
                FAKE_WHATSAPP_VERIFY_TOKEN
            ):
                return Response(q.get("hub.challenge", ""), media_type="text/plain")
            return Response(status_code=403)

        return app


@pytest.fixture(scope="module")
def double() -> Iterator[AppDouble]:
    app_double = AppDouble()
    with run_in_thread(app_double.build()) as server:
        app_double.url = server.url
        yield app_double


@pytest.fixture(scope="module")
def fake_server(double: AppDouble) -> Iterator[RunningServer]:
    config = FakeConfig(whatsapp_display_numbers={PNID: FAKE_WHATSAPP_DISPLAY_NUMBER})
    with run_in_thread(create_fake_app(config)) as server:
        httpx.post(f"{server.url}/_fake/target", json={"app_url": double.url}).raise_for_status()
        yield server


@pytest.fixture
def fake(fake_server: RunningServer, double: AppDouble) -> Iterator[RunningServer]:
    """The fake, reset (recordings and knobs) before and after each test."""
    state(fake_server).reset()
    double.reset()
    yield fake_server
    assert state(fake_server).wait_until(lambda s: s.deliveries_in_flight() == 0, timeout=10)
    state(fake_server).reset()


def state(server: RunningServer) -> FakeState:
    """The fake's in-process recorder."""
    app = server.server.config.app
    fake_state: FakeState = app.state.fake_state
    return fake_state


def status_of(fake_state: FakeState, message_id: str) -> str | None:
    """The recorded status of one message (None when unknown)."""
    message = fake_state.get_message(message_id)
    return message.status if message is not None else None


def set_knobs(server: RunningServer, **knobs: Any) -> dict[str, Any]:
    """Change knobs through the HTTP control API, as an out-of-process test would."""
    response = httpx.post(f"{server.url}/_fake/faults", json=knobs)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


# -- SDK clients pointed at the fake, the way the product will do it --------------------------


def twilio_client(base_url: str, token: str = FAKE_TWILIO_AUTH_TOKEN, **http: Any) -> Client:
    """A real twilio Client aimed at ``base_url``.

    ``environment={}`` would NOT isolate us from TWILIO_REGION/TWILIO_EDGE (an empty dict is
    falsy, so the SDK falls back to os.environ): pass a non-empty mapping that blanks them.
    """
    client = Client(
        FAKE_TWILIO_ACCOUNT_SID,
        token,
        environment={"TWILIO_REGION": "", "TWILIO_EDGE": ""},
        http_client=TwilioHttpClient(**http),
    )
    client.api.base_url = base_url
    return client


def whatsapp_client(base_url: str, token: str = FAKE_WHATSAPP_TOKEN) -> heyoo.WhatsApp:
    """A real heyoo client with its hard-coded v14 URLs overwritten."""
    wa = heyoo.WhatsApp(token, phone_number_id=PNID)
    wa.base_url = f"{base_url}/v21.0"
    wa.v15_base_url = wa.base_url
    wa.url = f"{wa.base_url}/{PNID}/messages"
    return wa


def status_callback_url(double: AppDouble) -> str:
    return f"{double.url}/webhooks/twilio/status"


# -- Twilio ---------------------------------------------------------------------------------


def test_twilio_sdk_create_goes_to_the_fake_and_returns_a_message_instance(
    fake: RunningServer,
) -> None:
    client = twilio_client(fake.url)

    message = client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Table for 2?")

    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.body, message.to) == ("queued", "Table for 2?", GUEST)
    assert message.num_segments == "1" and message.date_created is not None
    last_request = client.http_client._test_only_last_request
    assert last_request is not None and last_request.url.startswith(fake.url + "/2010-04-01/")
    [recorded] = state(fake).messages(provider=Provider.TWILIO)
    assert (recorded.id, recorded.to, recorded.from_) == (message.sid, GUEST, FAKE_TWILIO_NUMBER)
    assert recorded.payload["Body"] == "Table for 2?"


def test_empty_environment_dict_does_not_shield_twilio_from_region_env(
    fake: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    naive = Client(FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN, environment={})
    assert naive.region == "ie1"
    assert naive.get_hostname(f"{fake.url}/x") != f"{fake.url}/x"  # loopback base mangled

    client = twilio_client(fake.url)
    assert client.get_hostname(f"{fake.url}/x") == f"{fake.url}/x"
    client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="still reaches the fake")
    assert len(state(fake).messages(provider=Provider.TWILIO)) == 1


def test_twilio_fetch_shows_the_status_reached_in_the_background(fake: RunningServer) -> None:
    client = twilio_client(fake.url)
    sid = client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi").sid

    assert state(fake).wait_until(lambda s: status_of(s, sid) == "delivered")
    fetched = client.messages(sid).fetch()

    assert (fetched.sid, fetched.status, fetched.error_code) == (sid, "delivered", None)
    assert fetched.date_sent is not None


@pytest.mark.parametrize("provider", [Provider.TWILIO, Provider.WHATSAPP])
def test_a_delivery_is_counted_in_flight_before_the_send_is_answered(
    fake: RunningServer, monkeypatch: pytest.MonkeyPatch, provider: Provider
) -> None:
    """A waiter for no delivery in flight (a fixture's teardown) cannot pass while a delivery
    thread has yet to start: it would post its callbacks into the next test, or after it."""
    started = threading.Event()
    deliver = callbacks._deliver

    def held(*args: Any) -> None:
        started.wait(10)
        deliver(*args)

    monkeypatch.setattr(callbacks, "_deliver", held)
    try:
        if provider == Provider.TWILIO:
            twilio_client(fake.url).messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi")
        else:
            whatsapp_client(fake.url).send_message("Hi", GUEST_WA)
        assert state(fake).deliveries_in_flight() == 1
    finally:
        started.set()
    assert state(fake).wait_until(lambda s: s.deliveries_in_flight() == 0)
    assert state(fake).messages()[0].status == "delivered"


def test_twilio_fetch_of_unknown_sid_raises_404(fake: RunningServer) -> None:
    with pytest.raises(TwilioRestException) as raised:
        twilio_client(fake.url).messages("SM" + "0" * 32).fetch()
    assert (raised.value.status, raised.value.code) == (404, 20404)


def test_twilio_list_filters_by_to_from_and_date_sent(fake: RunningServer) -> None:
    set_knobs(fake, simulate_delivery=False)
    client = twilio_client(fake.url)
    first = client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="one").sid
    second = client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="two").sid
    client.messages.create(to="+14155550100", from_=FAKE_TWILIO_NUMBER, body="other guest")
    hour_ago, in_an_hour = (datetime.now(UTC) + timedelta(hours=h) for h in (-1, 1))

    assert [m.sid for m in client.messages.list(to=GUEST)] == [second, first]  # newest first
    assert client.messages.list(from_="+15550000000") == []
    assert len(client.messages.list(date_sent_after=hour_ago)) == 3
    assert client.messages.list(to=GUEST, date_sent_after=in_an_hour) == []
    assert len(client.messages.list(date_sent_before=in_an_hour)) == 3


def test_twilio_list_follows_next_page_uri_across_pages(fake: RunningServer) -> None:
    set_knobs(fake, simulate_delivery=False)
    client = twilio_client(fake.url)
    sids = {
        client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body=str(i)).sid
        for i in range(5)
    }

    first_page = client.messages.page(to=GUEST, page_size=2)
    listed = client.messages.list(to=GUEST, page_size=2)

    assert first_page.next_page_url is not None
    assert len(listed) == 5 and {m.sid for m in listed} == sids


def test_twilio_wrong_auth_token_raises_401_and_records_nothing(fake: RunningServer) -> None:
    client = twilio_client(fake.url, token="not-the-token")

    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi")

    assert (raised.value.status, raised.value.code) == (401, 20003)
    assert state(fake).messages() == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"from_": FAKE_TWILIO_NUMBER}, 21602),
        ({"from_": FAKE_TWILIO_NUMBER, "body": "x" * 1601}, 21617),
        ({"body": "no sender"}, 21603),
    ],
)
def test_twilio_refuses_messages_twilio_would_refuse(
    fake: RunningServer, kwargs: dict[str, str], code: int
) -> None:
    with pytest.raises(TwilioRestException) as raised:
        twilio_client(fake.url).messages.create(to=GUEST, **kwargs)
    assert (raised.value.status, raised.value.code) == (400, code)


def test_twilio_status_callbacks_arrive_signed_after_the_send_returned(
    fake: RunningServer, double: AppDouble
) -> None:
    set_knobs(fake, status_step_seconds=0.3)
    message = twilio_client(fake.url).messages.create(
        to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi", status_callback=status_callback_url(double)
    )
    assert double.calls() == []  # the send answered before any callback

    assert double.wait_for(lambda d: len(d.calls("twilio_status")) == 2)
    calls = double.calls("twilio_status")
    assert all(c["valid"] for c in calls)
    assert [c["data"]["MessageStatus"] for c in calls] == ["sent", "delivered"]
    assert {c["data"]["MessageSid"] for c in calls} == {message.sid}
    assert calls[0]["data"]["AccountSid"] == FAKE_TWILIO_ACCOUNT_SID
    assert "ErrorCode" not in calls[1]["data"]


def test_twilio_callback_to_public_url_is_forwarded_like_a_proxy_and_signed_over_it(
    fake: RunningServer, double: AppDouble
) -> None:
    target = f"{fake.url}/_fake/target"
    httpx.post(target, json={"public_base_url": PUBLIC_BASE}).raise_for_status()
    double.public_base_url = PUBLIC_BASE  # the double rebuilds the public URL, as Bookline must
    try:
        twilio_client(fake.url).messages.create(
            to=GUEST,
            from_=FAKE_TWILIO_NUMBER,
            body="Hi",
            status_callback=PUBLIC_BASE + "/webhooks/twilio/status",
        )
        assert double.wait_for(lambda d: len(d.calls("twilio_status")) == 2)
    finally:
        httpx.post(target, json={"public_base_url": None}).raise_for_status()
    assert all(c["valid"] for c in double.calls("twilio_status"))


def test_twilio_undeliverable_number_reports_undelivered_with_error_code(
    fake: RunningServer, double: AppDouble
) -> None:
    set_knobs(fake, undeliverable=[GUEST])
    client = twilio_client(fake.url)
    sid = client.messages.create(
        to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi", status_callback=status_callback_url(double)
    ).sid

    assert double.wait_for(lambda d: len(d.calls("twilio_status")) == 2)
    last = double.calls("twilio_status")[-1]["data"]
    assert (last["MessageStatus"], last["ErrorCode"]) == ("undelivered", "30003")
    assert client.messages(sid).fetch().error_code == 30003


def test_twilio_callbacks_can_be_switched_off(fake: RunningServer, double: AppDouble) -> None:
    set_knobs(fake, status_callbacks=False)
    sid = (
        twilio_client(fake.url)
        .messages.create(
            to=GUEST,
            from_=FAKE_TWILIO_NUMBER,
            body="Hi",
            status_callback=status_callback_url(double),
        )
        .sid
    )

    assert state(fake).wait_until(lambda s: status_of(s, sid) == "delivered")
    assert double.calls() == [] and state(fake).callbacks() == []


def test_injected_500_fails_the_next_call_only(fake: RunningServer) -> None:
    set_knobs(fake, fail_next=1, fail_provider="twilio")
    client = twilio_client(fake.url)

    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi")
    message = client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi again")

    assert raised.value.status == 500
    assert [m.id for m in state(fake).messages()] == [message.sid]


def test_injected_delay_trips_the_sdk_timeout(fake: RunningServer) -> None:
    set_knobs(fake, delay_seconds=1.0)
    client = twilio_client(fake.url, timeout=0.2)

    with pytest.raises(requests.exceptions.Timeout):
        client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Hi")


# -- WhatsApp -------------------------------------------------------------------------------


def test_heyoo_send_message_goes_to_the_fake(fake: RunningServer) -> None:
    response = whatsapp_client(fake.url).send_message("Hello!", GUEST_WA)

    assert response["messaging_product"] == "whatsapp"
    assert response["contacts"] == [{"input": GUEST_WA, "wa_id": GUEST_WA}]
    wamid = response["messages"][0]["id"]
    [recorded] = state(fake).messages(provider=Provider.WHATSAPP)
    assert (recorded.id, recorded.to, recorded.from_, recorded.body) == (
        wamid,
        GUEST_WA,
        PNID,
        "Hello!",
    )
    assert wamid.startswith("wamid.") and recorded.payload["text"]["body"] == "Hello!"


def test_heyoo_wrong_token_gets_graph_error_190(fake: RunningServer) -> None:
    response = whatsapp_client(fake.url, token="expired").send_message("Hello!", GUEST_WA)

    assert response["error"]["code"] == 190
    assert response["error"]["type"] == "OAuthException"
    assert state(fake).messages() == []


def _buttons(n: int, title_len: int = 5) -> dict[str, Any]:
    buttons = [
        {"type": "reply", "reply": {"id": f"b{i}", "title": "T" * title_len}} for i in range(n)
    ]
    return {"type": "button", "body": {"text": "Pick one"}, "action": {"buttons": buttons}}


def _list(rows: int, title_len: int = 5, desc_len: int = 5, body_len: int = 8) -> dict[str, Any]:
    row_items = [
        {"id": f"r{i}", "title": "R" * title_len, "description": "d" * desc_len}
        for i in range(rows)
    ]
    return {
        "type": "list",
        "body": {"text": "B" * body_len},
        "action": {"button": "Choose", "sections": [{"title": "Tables", "rows": row_items}]},
    }


@pytest.mark.parametrize(
    ("interactive", "accepted"),
    [
        (_buttons(3, title_len=20), True),
        (_buttons(4), False),
        (_buttons(2, title_len=21), False),
        (_list(10, title_len=24, desc_len=72, body_len=1024), True),
        (_list(11), False),
        (_list(3, title_len=25), False),
        (_list(3, desc_len=73), False),
        (_list(3, body_len=1025), False),
    ],
)
def test_interactive_limits_are_enforced_like_meta(
    fake: RunningServer, interactive: dict[str, Any], accepted: bool
) -> None:
    response = whatsapp_client(fake.url).send_reply_button(interactive, GUEST_WA)

    if accepted:
        assert response["messages"][0]["id"].startswith("wamid.")
    else:
        assert response["error"]["code"] == 131009
        assert response["error"]["error_data"]["details"]
        assert state(fake).messages() == []


@pytest.mark.parametrize(("length", "accepted"), [(4096, True), (4097, False)])
def test_text_length_limit(fake: RunningServer, length: int, accepted: bool) -> None:
    response = whatsapp_client(fake.url).send_message("x" * length, GUEST_WA)
    assert ("error" not in response) is accepted


def test_closed_window_refuses_free_form_but_accepts_templates(fake: RunningServer) -> None:
    set_knobs(fake, whatsapp_window_closed=[GUEST])  # formatting differs from GUEST_WA on purpose
    wa = whatsapp_client(fake.url)

    refused = wa.send_message("Your table is ready", GUEST_WA)
    body = [{"type": "body", "parameters": [{"type": "text", "text": "Your table is ready"}]}]
    template = wa.send_template("bookline_update", GUEST_WA, components=body, lang="en")

    assert refused["error"]["code"] == 131047
    assert template["messages"][0]["id"].startswith("wamid.")
    assert [m.body for m in state(fake).messages()] == ["template:bookline_update"]


def _reminder_template(
    *,
    name: str = "bookline_reminder",
    language: str = "en",
    text: str = "Reminder: table for 2 on Wed 9 Dec at 20:00 (BK-7F3K2Q).",
    payloads: tuple[str, ...] = ("remind:confirm:BK-7F3K2Q", "remind:change:BK-7F3K2Q", "x"),
    indexes: tuple[str, ...] = ("0", "1", "2"),
    parameter: str = "payload",
) -> list[dict[str, Any]]:
    """The components of a reminder as the Cloud API takes them: one body parameter, then a
    quick-reply button per payload."""
    buttons = [
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": index,
            "parameters": [{"type": parameter, parameter: value}],
        }
        for index, value in zip(indexes, payloads, strict=True)
    ]
    return [{"type": "body", "parameters": [{"type": "text", "text": text}]}, *buttons]


@pytest.mark.parametrize(
    ("name", "language", "components", "error"),
    [
        ("bookline_reminder", "hi", _reminder_template(), None),
        (
            "bookline_reminder",
            "en",
            _reminder_template(payloads=("a", "b"), indexes=("0", "1")),
            132000,
        ),
        ("bookline_update", "en", _reminder_template(), 132000),
        ("bookline_reminderz", "en", _reminder_template(), 132001),
        ("bookline_reminder", "fr", _reminder_template(), 132001),
        ("bookline_reminder", "en", _reminder_template(parameter="text"), 131009),
        ("bookline_reminder", "en", _reminder_template(indexes=("0", "1", "1")), 131009),
        ("bookline_reminder", "en", _reminder_template(payloads=("a", "", "c")), 100),
        ("bookline_reminder", "en", _reminder_template(text="Reminder\nMap: x"), 132018),
        ("bookline_reminder", "en", _reminder_template(text="Reminder     x"), 132018),
    ],
)
def test_templates_must_be_approved_and_fill_their_parameters_and_quick_replies(
    fake: RunningServer,
    name: str,
    language: str,
    components: list[dict[str, Any]],
    error: int | None,
) -> None:
    response = whatsapp_client(fake.url).send_template(
        name, GUEST_WA, components=components, lang=language
    )

    if error is None:
        assert response["messages"][0]["id"].startswith("wamid.")
        assert [m.body for m in state(fake).messages()] == [f"template:{name}"]
    else:
        assert response["error"]["code"] == error
        assert response["error"]["error_data"]["details"]
        assert state(fake).messages() == []


def test_closed_window_in_webhook_mode_fails_asynchronously(
    fake: RunningServer, double: AppDouble
) -> None:
    set_knobs(fake, whatsapp_window_closed=[GUEST_WA], whatsapp_window_error="webhook")

    response = whatsapp_client(fake.url).send_message("Late reply", GUEST_WA)

    assert double.wait_for(lambda d: len(d.calls("whatsapp")) == 1)
    [status] = double.calls("whatsapp")[0]["data"]["entry"][0]["changes"][0]["value"]["statuses"]
    assert status["id"] == response["messages"][0]["id"]
    assert (status["status"], status["errors"][0]["code"]) == ("failed", 131047)


def test_rate_limit_knob_answers_130429_then_recovers(fake: RunningServer) -> None:
    set_knobs(fake, whatsapp_rate_limit_next=1)
    wa = whatsapp_client(fake.url)

    assert wa.send_message("one", GUEST_WA)["error"]["code"] == 130429
    assert "messages" in wa.send_message("two", GUEST_WA)


def test_whatsapp_status_webhooks_are_signed_and_echo_callback_data(
    fake: RunningServer, double: AppDouble
) -> None:
    payload = {
        "messaging_product": "whatsapp",
        "type": "text",
        "text": {"body": "Confirmed: BK-7F3K2Q"},
        "biz_opaque_callback_data": "outbox:reply:42:0",
    }
    response = whatsapp_client(fake.url).send_custom_json(payload, GUEST_WA)
    wamid = response["messages"][0]["id"]

    assert double.wait_for(lambda d: len(d.calls("whatsapp")) == 2)
    calls = double.calls("whatsapp")
    assert all(c["valid"] for c in calls)
    values = [c["data"]["entry"][0]["changes"][0]["value"] for c in calls]
    statuses = [v["statuses"][0] for v in values]
    assert [s["status"] for s in statuses] == ["sent", "delivered"]
    assert {s["id"] for s in statuses} == {wamid}
    assert {s["recipient_id"] for s in statuses} == {GUEST_WA}
    assert {s["biz_opaque_callback_data"] for s in statuses} == {"outbox:reply:42:0"}
    assert values[0]["metadata"] == {
        "display_phone_number": FAKE_WHATSAPP_DISPLAY_NUMBER,
        "phone_number_id": PNID,
    }


def test_mark_as_read_is_accepted_and_not_recorded_as_a_message(fake: RunningServer) -> None:
    assert whatsapp_client(fake.url).mark_as_read("wamid.abc") == {"success": True}
    assert state(fake).messages() == []


# -- inbound helpers ------------------------------------------------------------------------


def test_send_sms_signs_over_the_public_url_not_the_one_called(
    fake: RunningServer, double: AppDouble
) -> None:
    response = inbound.send_sms(
        double.url,
        auth_token=FAKE_TWILIO_AUTH_TOKEN,
        from_=GUEST,
        to=FAKE_TWILIO_NUMBER,
        body="Table for 4 tonight at 8",
        public_base_url=PUBLIC_BASE,
    )

    assert response.status_code == 403  # the double checked against the URL it saw: mismatch
    first = double.calls("twilio_sms")[0]
    assert RequestValidator(FAKE_TWILIO_AUTH_TOKEN).validate(
        PUBLIC_BASE + "/webhooks/twilio/sms", first["data"], first["signature"]
    )
    double.public_base_url = PUBLIC_BASE  # now it rebuilds the public URL, as Bookline must
    again = inbound.send_sms(
        double.url,
        auth_token=FAKE_TWILIO_AUTH_TOKEN,
        from_=GUEST,
        to=FAKE_TWILIO_NUMBER,
        body="Table for 4 tonight at 8",
        public_base_url=PUBLIC_BASE,
        message_sid="SM" + "a" * 32,
    )
    assert again.status_code == 200 and again.text == "<Response/>"
    form = double.calls("twilio_sms")[1]["data"]
    assert form["MessageSid"] == "SM" + "a" * 32
    assert (form["From"], form["To"], form["Body"]) == (
        GUEST,
        FAKE_TWILIO_NUMBER,
        "Table for 4 tonight at 8",
    )
    assert (form["NumMedia"], form["SmsStatus"], form["ApiVersion"]) == (
        "0",
        "received",
        "2010-04-01",
    )
    assert form["AccountSid"] == FAKE_TWILIO_ACCOUNT_SID and form["NumSegments"] == "1"


def test_send_sms_without_public_url_signs_over_the_app_url(
    fake: RunningServer, double: AppDouble
) -> None:
    response = inbound.send_sms(
        double.url, auth_token=FAKE_TWILIO_AUTH_TOKEN, from_=GUEST, to=FAKE_TWILIO_NUMBER, body="hi"
    )
    assert response.status_code == 200
    assert double.calls("twilio_sms")[0]["data"]["MessageSid"].startswith("SM")


def _wa_value(double: AppDouble, index: int = 0) -> dict[str, Any]:
    value: dict[str, Any] = double.calls("whatsapp")[index]["data"]["entry"][0]["changes"][0][
        "value"
    ]
    return value


def test_send_whatsapp_text_is_signed_over_the_raw_bytes(
    fake: RunningServer, double: AppDouble
) -> None:
    response = inbound.send_whatsapp(
        double.url,
        app_secret=FAKE_WHATSAPP_APP_SECRET,
        phone_number_id=PNID,
        display_number=FAKE_WHATSAPP_DISPLAY_NUMBER,
        from_=GUEST_WA,
        text="Room for 2/3 nights, ₹ ok?",
        name="Asha",
        message_id="wamid.fixed",
    )

    assert response.status_code == 200
    [call] = double.calls("whatsapp")
    assert call["valid"]
    # Meta-style escaping: re-serialising the parsed body would not reproduce the signed bytes.
    assert b"\\/" in call["raw"] and json.dumps(call["data"]).encode() != call["raw"]
    value = _wa_value(double)
    assert value["metadata"] == {
        "display_phone_number": FAKE_WHATSAPP_DISPLAY_NUMBER,
        "phone_number_id": PNID,
    }
    assert value["contacts"] == [{"profile": {"name": "Asha"}, "wa_id": GUEST_WA}]
    [message] = value["messages"]
    assert (message["from"], message["id"], message["type"]) == (GUEST_WA, "wamid.fixed", "text")
    assert message["text"] == {"body": "Room for 2/3 nights, ₹ ok?"}
    assert call["data"]["object"] == "whatsapp_business_account"
    assert call["data"]["entry"][0]["changes"][0]["field"] == "messages"


BUTTON_REPLY = {"type": "button_reply", "button_reply": {"id": "slot-20", "title": "8 pm"}}
LIST_REPLY = {"type": "list_reply", "list_reply": {"id": "deluxe", "title": "Deluxe room"}}


@pytest.mark.parametrize(
    ("kwargs", "expected_type", "expected_subset"),
    [
        ({"button_reply": ("slot-20", "8 pm")}, "interactive", BUTTON_REPLY),
        ({"list_reply": ("deluxe", "Deluxe room")}, "interactive", LIST_REPLY),
        ({"media_type": "image"}, "image", {"mime_type": "image/jpeg"}),
        ({"media_type": "audio"}, "audio", {"mime_type": "audio/ogg; codecs=opus"}),
        ({"media_type": "location"}, "location", {"latitude": 19.076}),
    ],
)
def test_send_whatsapp_builds_each_message_type(
    fake: RunningServer,
    double: AppDouble,
    kwargs: dict[str, Any],
    expected_type: str,
    expected_subset: dict[str, Any],
) -> None:
    inbound.send_whatsapp(
        double.url,
        app_secret=FAKE_WHATSAPP_APP_SECRET,
        phone_number_id=PNID,
        display_number=FAKE_WHATSAPP_DISPLAY_NUMBER,
        from_=GUEST_WA,
        **kwargs,
    )

    [message] = _wa_value(double)["messages"]
    assert double.calls("whatsapp")[0]["valid"]
    assert message["type"] == expected_type
    assert expected_subset.items() <= message[expected_type].items()
    if expected_type in ("image", "audio"):
        assert message[expected_type]["id"].isdigit()


def test_wrong_app_secret_does_not_verify(fake: RunningServer, double: AppDouble) -> None:
    response = inbound.send_whatsapp(
        double.url,
        app_secret="someone-else",
        phone_number_id=PNID,
        display_number=FAKE_WHATSAPP_DISPLAY_NUMBER,
        from_=GUEST_WA,
        text="hi",
    )
    assert response.status_code == 403 and not double.calls("whatsapp")[0]["valid"]


def test_whatsapp_verify_sends_the_subscription_handshake(double: AppDouble) -> None:
    ok = inbound.whatsapp_verify(
        double.url, verify_token=FAKE_WHATSAPP_VERIFY_TOKEN, challenge="1158201444"
    )
    bad = inbound.whatsapp_verify(double.url, verify_token="wrong", challenge="1158201444")

    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert bad.status_code == 403


# -- the /_fake control and simulation API --------------------------------------------------


def test_fake_inbound_sms_endpoint_signs_and_tracks_opt_out(
    fake: RunningServer, double: AppDouble
) -> None:
    response = httpx.post(f"{fake.url}/_fake/inbound/sms", json={"from": GUEST, "body": "STOP"})

    assert response.status_code == 200 and response.json()["status_code"] == 200
    assert double.calls("twilio_sms")[0]["valid"]
    client = twilio_client(fake.url)
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Booking confirmed")
    assert raised.value.code == 21610

    httpx.post(f"{fake.url}/_fake/inbound/sms", json={"from": GUEST, "body": " start "})
    assert client.messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="Welcome back").sid


def test_fake_inbound_whatsapp_endpoint_reopens_the_window(
    fake: RunningServer, double: AppDouble
) -> None:
    set_knobs(fake, whatsapp_window_closed=[GUEST_WA])
    body = {"from": GUEST_WA, "button_reply": {"id": "yes", "title": "Yes"}, "name": "Ravi"}

    response = httpx.post(f"{fake.url}/_fake/inbound/whatsapp", json=body)

    assert response.status_code == 200 and double.calls("whatsapp")[0]["valid"]
    assert _wa_value(double)["messages"][0]["id"] == response.json()["message_id"]
    assert "messages" in whatsapp_client(fake.url).send_message("Great, booked!", GUEST_WA)
    inbound_log = httpx.get(f"{fake.url}/_fake/inbound").json()["inbound"]
    assert [(r["provider"], r["from_"], r["body"]) for r in inbound_log] == [
        ("whatsapp", GUEST_WA, "Yes")
    ]


def test_fake_messages_endpoint_filters_by_recipient_and_reset_clears(fake: RunningServer) -> None:
    set_knobs(fake, simulate_delivery=False)
    twilio_client(fake.url).messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="sms")
    whatsapp_client(fake.url).send_message("wa", GUEST_WA)
    whatsapp_client(fake.url).send_message("other", "14155550100")

    mine = httpx.get(f"{fake.url}/_fake/messages", params={"to": GUEST}).json()["messages"]
    assert [(m["provider"], m["body"]) for m in mine] == [("twilio", "sms"), ("whatsapp", "wa")]

    reset = httpx.post(f"{fake.url}/_fake/reset").json()
    assert reset["knobs"]["simulate_delivery"] is True
    assert httpx.get(f"{fake.url}/_fake/messages").json()["messages"] == []


def test_a_poller_reads_only_the_messages_recorded_since_its_last_read(
    fake: RunningServer,
) -> None:
    set_knobs(fake, simulate_delivery=False)
    recorder = state(fake)
    twilio_client(fake.url).messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="one")
    first = recorder.messages_from(0)
    twilio_client(fake.url).messages.create(to=GUEST, from_=FAKE_TWILIO_NUMBER, body="two")
    whatsapp_client(fake.url).send_message("three", GUEST_WA)
    later = recorder.messages_from(len(first))
    assert [m.body for m in first] == ["one"]
    assert [(m.provider, m.body) for m in later] == [
        (Provider.TWILIO, "two"),
        (Provider.WHATSAPP, "three"),
    ]
    assert recorder.messages_from(3) == []


def test_fake_faults_roundtrip_and_reject_unknown_provider(fake: RunningServer) -> None:
    knobs = set_knobs(fake, fail_next=2, delay_seconds=0.0, undeliverable=["+91 98000 00001"])
    assert (knobs["fail_next"], knobs["undeliverable"]) == (2, [GUEST_WA])
    assert httpx.get(f"{fake.url}/_fake/faults").json()["fail_next"] == 2
    assert (
        httpx.post(f"{fake.url}/_fake/faults", json={"fail_provider": "paypal"}).status_code == 422
    )


def test_inbound_endpoint_without_app_url_is_a_clear_400() -> None:
    with run_in_thread(create_fake_app(FakeConfig())) as server:
        response = httpx.post(f"{server.url}/_fake/inbound/sms", json={"from": GUEST, "body": "hi"})
    assert response.status_code == 400 and "app_url" in response.json()["detail"]


# -- server and helpers ---------------------------------------------------------------------


def test_run_in_thread_serves_on_a_free_port_and_stops() -> None:
    server = run_in_thread(create_fake_app())
    assert httpx.get(f"{server.url}/_fake/faults").status_code == 200
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/_fake/faults", timeout=1)


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("₹" * 70, 1),
        ("₹" * 71, 2),
        ("नमस्ते" * 12, 2),
    ],
)
def test_sms_segments_follow_gsm7_and_ucs2_rules(body: str, segments: int) -> None:
    assert count_segments(body) == segments
