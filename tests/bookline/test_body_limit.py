"""The owner API refuses an oversized body with 413 before parsing it, declared or chunked."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bookline.app import create_app
from bookline.body_limit import MAX_BODY_BYTES
from infra.runtime import Runtime
from tests.settings import sandbox_settings

REGISTER = "/api/v1/auth/register"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    settings = sandbox_settings(database_url, None)
    yield TestClient(create_app(settings, Runtime(settings)))


def _oversized() -> bytes:
    """Valid JSON a little over the cap (a parser would read it all)."""
    return json.dumps({"email": "a@example.com", "padding": "x" * MAX_BODY_BYTES}).encode()


def _chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_oversized_body_with_a_content_length_is_413(client: TestClient) -> None:
    headers = {"Content-Type": "application/json"}
    response = client.post(REGISTER, content=_oversized(), headers=headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large."}


def test_oversized_chunked_body_without_a_content_length_is_413(client: TestClient) -> None:
    headers = {"Content-Type": "application/json"}
    response = client.post(REGISTER, content=_chunks(_oversized()), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


def test_a_chunked_body_under_the_cap_reaches_the_route_whole(client: TestClient) -> None:
    body = b"grant_type=password&username=" + b"u" * 5000 + b"&scope=last"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    response = client.post("/api/v1/auth/token", content=_chunks(body, 1000), headers=headers)
    assert response.status_code == 422  # parsed: the form's last field arrived, and no password
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "password"]]
