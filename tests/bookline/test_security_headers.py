"""Every response carries the security headers, the ones that went wrong included; HSTS only
when the public URL is https."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bookline.app import create_app
from infra.runtime import Runtime
from tests.settings import sandbox_settings

EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _app(database_url: str, public_base_url: str) -> FastAPI:
    settings = sandbox_settings(database_url, None, public_base_url=public_base_url)
    app = create_app(settings, Runtime(settings))

    @app.get("/test-only/unexpected-error")
    def unexpected_error() -> None:
        raise RuntimeError("a bug")

    return app


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    yield TestClient(_app(database_url, "http://127.0.0.1:8000"), raise_server_exceptions=False)


def _assert_protected(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.request.url)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy


def test_api_dashboard_webhook_and_error_responses_all_carry_the_headers(
    client: TestClient,
) -> None:
    responses = [
        client.get("/api/health"),
        client.get("/dashboard"),
        client.get("/dashboard/static/js/main.js"),
        client.post("/webhooks/twilio/sms", data={"Body": "unsigned"}),
        client.get("/api/v1/venues"),
        client.get("/no/such/page"),
        client.post("/api/v1/auth/token", content=b"x" * (2 * 1024 * 1024)),
        client.get("/test-only/unexpected-error"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 403, 401, 404, 413, 500]
    for response in responses:
        _assert_protected(response)
        assert "strict-transport-security" not in response.headers


def test_the_dashboard_may_load_nothing_but_its_own_origin(client: TestClient) -> None:
    policy = client.get("/dashboard").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "http" not in policy


def test_the_api_docs_page_may_load_swagger_from_its_cdn(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "https://cdn.jsdelivr.net" in response.headers["content-security-policy"]
    _assert_protected(response)


def test_hsts_only_when_the_public_url_is_https(database_url: str) -> None:
    secure = TestClient(_app(database_url, "https://book.example.com"))
    for path in ("/api/health", "/dashboard", "/no/such/page"):
        hsts = secure.get(path).headers.get("strict-transport-security", "")
        assert hsts.startswith("max-age=") and int(hsts.split("=")[1]) >= 15_552_000
