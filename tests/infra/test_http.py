"""A provider's requests session takes the environment's proxy and CA settings once."""

from __future__ import annotations

import pytest
import requests

from infra.senders.http import pin_environment

API = "https://api.provider.example/2010-04-01"


@pytest.fixture
def proxied(clean_environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/bundle.pem")


@pytest.mark.usefixtures("proxied")
def test_the_proxy_and_bundle_for_the_api_base_are_kept() -> None:
    session = requests.Session()
    pin_environment(session, API)
    assert session.proxies["https"] == "http://proxy.internal:3128"
    assert session.verify == "/etc/ssl/bundle.pem"
    assert session.trust_env is False


@pytest.mark.usefixtures("proxied")
def test_an_api_base_the_environment_exempts_gets_no_proxy() -> None:
    session = requests.Session()
    pin_environment(session, "http://127.0.0.1:8000")
    assert session.proxies == {}


@pytest.mark.usefixtures("proxied")
def test_later_changes_to_the_environment_are_not_read_per_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = requests.Session()
    pin_environment(session, API)
    monkeypatch.setenv("HTTPS_PROXY", "http://elsewhere.internal:8080")
    settings = session.merge_environment_settings(API, {}, None, None, None)
    assert settings["proxies"]["https"] == "http://proxy.internal:3128"
    assert settings["verify"] == "/etc/ssl/bundle.pem"


@pytest.mark.usefixtures("clean_environment")
def test_without_proxies_or_bundle_the_defaults_stay() -> None:
    session = requests.Session()
    pin_environment(session, API)
    assert session.proxies == {} and session.verify is True
