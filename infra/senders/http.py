"""The environment's HTTP settings for a provider's requests session, read once.

``requests`` reads the proxy variables (scanning ``os.environ`` twice) and the CA bundle
variables on every call: about a third of the client CPU of a provider call on loopback, paid
on every reply a guest gets. A sender talks to one API base for its whole life, so what the
environment says for that base is read when the sender is built (a process reads its
settings at start anyway) and the session stops looking.
"""

from __future__ import annotations

import os

import requests
from requests.utils import get_environ_proxies

CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def pin_environment(session: requests.Session, api_base: str) -> None:
    """Give ``session`` the proxies (``no_proxy`` applied) and CA bundle the environment sets
    for ``api_base`` now, and stop it reading the environment per request.

    Both SDKs send their own credentials, so the ``.netrc`` lookup that ``trust_env`` also
    governs never applied to them.
    """
    session.proxies.update(get_environ_proxies(api_base))
    bundle = next((os.environ[name] for name in CA_BUNDLE_VARIABLES if os.environ.get(name)), None)
    if bundle is not None:
        session.verify = bundle
    session.trust_env = False
