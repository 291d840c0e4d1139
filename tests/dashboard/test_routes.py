"""The dashboard is served by the app itself: the page, its modules and styles, and ``/``."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bookline.app import create_app
from infra.runtime import Runtime
from tests.settings import sandbox_settings


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[TestClient]:
    settings = sandbox_settings(database_url, os.environ.get("REDIS_URL") or None)
    runtime = Runtime(settings)
    yield TestClient(create_app(settings, runtime))
    runtime.close()


def test_dashboard_page_is_html_with_its_landmarks(client: TestClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for landmark in ("<main", "<nav", "<header", 'type="module"', 'for="login-email"'):
        assert landmark in response.text


def test_root_redirects_to_the_dashboard(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307)
    assert response.headers["location"] == "/dashboard"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("js/main.js", "text/javascript"),
        ("js/views/analytics.js", "text/javascript"),
        ("app.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_static_files_are_served_with_their_content_type(
    client: TestClient, path: str, content_type: str
) -> None:
    response = client.get(f"/dashboard/static/{path}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.text


@pytest.mark.parametrize("path", ["../routes.py", "..%2Froutes.py", "js/nope.js", "js/"])
def test_nothing_outside_static_files_is_served(client: TestClient, path: str) -> None:
    assert client.get(f"/dashboard/static/{path}").status_code == 404


def test_every_module_the_page_imports_is_served(client: TestClient) -> None:
    """A module missing from the package would break the page only in a browser."""
    main = client.get("/dashboard/static/js/main.js").text
    imported = [line.split('"')[1] for line in main.splitlines() if line.startswith("import ")]
    for relative in imported:
        path = relative.removeprefix("./")
        assert client.get(f"/dashboard/static/js/{path}").status_code == 200, path


def test_the_vendored_chart_library_is_served_as_javascript(client: TestClient) -> None:
    response = client.get("/dashboard/static/vendor/chart.umd.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "Chart.js v4" in response.text[:200]


def test_every_static_file_is_in_the_package_data() -> None:
    """A file left out of ``package-data`` works from a checkout and 404s once installed."""
    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["admin_api.dashboard"]
    package = root / "admin_api" / "dashboard"
    shipped = {path for pattern in globs for path in package.glob(pattern)}
    files = {path for path in (package / "static").rglob("*") if path.is_file()}
    assert files <= shipped, sorted(str(path) for path in files - shipped)


def test_the_dashboard_stays_out_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not any(path.startswith("/dashboard") or path == "/" for path in paths)
