"""Health probes: liveness always, readiness only when the database and Redis answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bookline.app import create_app
from infra.runtime import Runtime
from tests.settings import sandbox_settings


def _client(database_url: str, redis_url: str | None) -> TestClient:
    settings = sandbox_settings(database_url, redis_url)
    return TestClient(create_app(settings, Runtime(settings)))


def test_ready_when_database_and_redis_answer(database_url: str) -> None:
    import os

    client = _client(database_url, os.environ.get("REDIS_URL") or None)
    assert client.get("/api/health").json() == {"status": "ok"}
    ready = client.get("/api/health/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


def test_not_ready_names_the_dependency_that_failed(database_url: str) -> None:
    client = _client(database_url, "redis://127.0.0.1:1/0")
    ready = client.get("/api/health/ready")
    assert ready.status_code == 503
    assert list(ready.json()["failed"]) == ["redis"]
    broken_db = _client("postgresql+psycopg://nobody@127.0.0.1:1/none", None)
    answer = broken_db.get("/api/health/ready")
    assert answer.status_code == 503 and list(answer.json()["failed"]) == ["database"]
