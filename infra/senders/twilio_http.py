"""The twilio SDK's HTTP client on a urllib3 connection pool.

The SDK's own client sends through ``requests``, which prepares each request again (cookies,
hooks, auth, body, settings merged from the session) before urllib3 sends it: about a third
of a message's client CPU against a local API, paid for every reply a guest gets. The SDK hands its
client a finished request (method, URL, form fields, basic auth, timeout), so this one encodes
it as ``requests`` would and sends it on urllib3, which does the sending in both. The SDK
documents a custom ``HttpClient`` as the way to change its transport.

Proxy and CA bundle come from the environment, read once for the API base
(``infra.senders.http``). Nothing is retried here (the outbox retries a send): a failure to
connect or read raises one of ``urllib3``'s ``HTTPError``.
"""

from __future__ import annotations

import json
import logging
import os
from urllib.parse import urlencode

import urllib3
from twilio.http import HttpClient
from twilio.http.response import Response

from infra.senders.http import connection_pool

#: The SDK's own pool size for HTTPS (``TwilioHttpClient``): every delivery thread keeps one.
POOL_SIZE = min(32, (os.cpu_count() or 1) + 4)
JSON_TYPES = ("application/json", "application/scim+json")
#: Redirects are followed only when the SDK asks (at most as many as ``requests`` follows);
#: nothing else is tried again.
NO_RETRIES = urllib3.Retry(total=None, connect=0, read=0, other=0, status=0, redirect=30)

_logger = logging.getLogger("twilio.http_client")


class PooledTwilioClient(HttpClient):  # type: ignore[misc]
    """Sends the SDK's requests to one API base on kept-alive connections."""

    def __init__(self, api_base: str, *, timeout: float) -> None:
        super().__init__(_logger, is_async=False, timeout=timeout)
        self.pool = connection_pool(api_base, maxsize=POOL_SIZE)

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """Send one request and read its whole answer (the SDK parses it as text)."""
        fields = dict(headers or {})
        if auth is not None:
            fields.update(urllib3.make_headers(basic_auth=":".join(auth)))
        seconds = self.timeout if timeout is None else timeout
        answer = self.pool.request(
            method.upper(),
            _url(uri, params),
            body=_body(data, fields.get("Content-Type")),
            headers=fields,
            timeout=urllib3.Timeout(connect=seconds, read=seconds),
            retries=NO_RETRIES,
            redirect=allow_redirects,
        )
        return Response(answer.status, answer.data.decode("utf-8", "replace"), answer.headers)


def _url(uri: str, params: dict[str, object] | None) -> str:
    """``uri`` with the query parameters added to any it has."""
    query = _form(params or {})
    if not query:
        return uri
    return f"{uri}{'&' if '?' in uri else '?'}{query}"


def _body(data: dict[str, object] | None, content_type: str | None) -> bytes | None:
    """The SDK's fields as ``requests`` encodes them: JSON for its JSON APIs (an empty object
    too), else a form (none when there are no fields)."""
    if content_type in JSON_TYPES:
        return None if data is None else json.dumps(data, allow_nan=False).encode()
    return _form(data or {}).encode() or None


def _form(fields: dict[str, object]) -> str:
    """Fields URL-encoded as ``requests`` does: one pair per item of a list (``MediaUrl`` and
    the like), and none for a value of None."""
    pairs = [
        (name, value)
        for name, values in fields.items()
        for value in (values if isinstance(values, list | tuple) else [values])
        if value is not None
    ]
    return urlencode(pairs)
