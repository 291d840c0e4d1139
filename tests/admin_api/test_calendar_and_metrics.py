"""The secret iCalendar feed and the Prometheus /metrics page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bookline.app import create_app
from infra.runtime import Runtime
from tests.admin_api.conftest import METRICS_TOKEN, World
from tests.settings import sandbox_settings

SCRAPER = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def _feed_url(client: TestClient, world: World) -> str:
    answer = client.get(
        f"/api/v1/venues/{world.ids['venue_id']}/calendar", headers=world.headers["owner"]
    )
    return answer.json()["url"].split("://", 1)[1].split("/", 1)[1]


def test_feed_lists_confirmed_stays_as_all_day_events(client: TestClient, world: World) -> None:
    answer = client.get("/" + _feed_url(client, world))
    assert answer.headers["content-type"].startswith("text/calendar")
    body = answer.text
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:{world.ids['reference']}@bookline" in body
    assert "DTSTART;VALUE=DATE:" in body and body.count("BEGIN:VEVENT") == 1
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_feed_can_be_narrowed_to_another_room_type(client: TestClient, world: World) -> None:
    url = "/" + _feed_url(client, world)
    suites = client.get(url, params={"room_type_id": world.ids["room_type_id"] + 2})
    assert "BEGIN:VEVENT" not in suites.text


def test_wrong_or_rotated_tokens_find_nothing(client: TestClient, world: World) -> None:
    old = "/" + _feed_url(client, world)
    assert client.get(old.replace(".ics", "0.ics")).status_code == 404
    rotate = f"/api/v1/venues/{world.ids['venue_id']}/calendar/rotate"
    new = client.post(rotate, headers=world.headers["owner"]).json()["token"]
    assert client.get(old).status_code == 404
    assert client.get(f"/api/v1/calendar/{new}.ics").status_code == 200


def test_metrics_expose_latency_queues_webhooks_and_bookings(
    client: TestClient, world: World
) -> None:
    client.get("/api/v1/venues", headers=world.headers["owner"])
    client.get("/" + _feed_url(client, world))
    client.post("/webhooks/twilio/sms", data={"Body": "unsigned"})
    text = client.get("/metrics", headers=SCRAPER).text
    assert (
        'bookline_http_request_duration_seconds_count{method="GET",route="/api/v1/venues"' in text
    )
    assert 'bookline_webhook_requests_total{provider="twilio",status="403"} 1.0' in text
    assert 'route="/api/v1/calendar/{token}.ics"' in text  # never the secret itself
    assert 'bookline_queue_depth{queue="outbound"}' in text
    assert 'bookline_bookings{status="confirmed"} 1.0' in text


def test_metrics_need_the_configured_bearer_token(client: TestClient) -> None:
    assert client.get("/metrics", headers=SCRAPER).status_code == 200
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert "bookline_" not in missing.text
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 403 and "bookline_" not in wrong.text
    basic = client.get("/metrics", headers={"Authorization": f"Basic {METRICS_TOKEN}"})
    assert basic.status_code == 401


def test_metrics_do_not_exist_without_a_configured_token(database_url: str) -> None:
    settings = sandbox_settings(database_url, None)
    client = TestClient(create_app(settings, Runtime(settings)))
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404
