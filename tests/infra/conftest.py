"""An environment without proxy or CA bundle variables, whatever the machine running the tests
sets, so each test sets only what it is about."""

from __future__ import annotations

import pytest

from infra.senders.http import CA_BUNDLE_VARIABLES

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name in CA_BUNDLE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
