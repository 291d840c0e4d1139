"""The environment's HTTP settings for a provider's client, read once.

``requests`` reads the proxy variables (scanning ``os.environ`` twice) and the CA bundle
variables on every call: about a third of the client CPU of a provider call on loopback, paid
on every reply a guest gets. A sender talks to one API base for its whole life, so what the
environment says for that base is read when the sender is built (a process reads its
settings at start anyway): ``pin_environment`` gives it to a requests session, which then
stops looking, and ``connection_pool`` to a urllib3 pool.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import certifi
import requests
import urllib3
from requests.utils import (
    get_auth_from_url,
    get_environ_proxies,
    prepend_scheme_if_needed,
    select_proxy,
)

CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


class Environment(NamedTuple):
    """What the environment sets for one API base, as ``requests`` reads it."""

    proxies: dict[str, str]  # scheme -> proxy URL, ``no_proxy`` applied
    ca_bundle: str | None  # a file or a directory of certificates

    def proxy(self, api_base: str) -> str | None:
        """The proxy a request to ``api_base`` goes through, if any; ``http://`` when its URL
        names no scheme (``proxy.internal:3128``), as ``requests`` reads it."""
        proxy = select_proxy(api_base, self.proxies)
        return None if proxy is None else prepend_scheme_if_needed(proxy, "http")


def environment_for(api_base: str) -> Environment:
    """The proxies and CA bundle the environment sets for ``api_base`` now."""
    bundle = next((os.environ[name] for name in CA_BUNDLE_VARIABLES if os.environ.get(name)), None)
    return Environment(get_environ_proxies(api_base), bundle)


def pin_environment(session: requests.Session, api_base: str) -> None:
    """Give ``session`` the proxies (``no_proxy`` applied) and CA bundle the environment sets
    for ``api_base`` now, and stop it reading the environment per request.

    Both SDKs send their own credentials, so the ``.netrc`` lookup that ``trust_env`` also
    governs never applied to them.
    """
    environment = environment_for(api_base)
    session.proxies.update(environment.proxies)
    if environment.ca_bundle is not None:
        session.verify = environment.ca_bundle
    session.trust_env = False


def connection_pool(api_base: str, *, maxsize: int) -> urllib3.PoolManager:
    """Kept-alive connections to ``api_base``, through the environment's proxy for it (with
    the credentials its URL carries) and verified against its CA bundle, else certifi's, as
    ``requests`` would."""
    environment = environment_for(api_base)
    bundle = environment.ca_bundle or certifi.where()
    directory = os.path.isdir(bundle)
    verified: dict[str, Any] = {  # urllib3 takes them as its pools' keywords
        "cert_reqs": "CERT_REQUIRED",
        "ca_certs": None if directory else bundle,
        "ca_cert_dir": bundle if directory else None,
    }
    proxy = environment.proxy(api_base)
    if proxy is None:
        return urllib3.PoolManager(maxsize=maxsize, **verified)
    user, password = get_auth_from_url(proxy)
    headers = urllib3.make_headers(proxy_basic_auth=f"{user}:{password}") if user else None
    return urllib3.ProxyManager(proxy, proxy_headers=headers, maxsize=maxsize, **verified)
