"""Sign-up, login, refresh rotation (with replay detection), logout, and login throttling."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from admin_api.auth.ratelimit import PER_ACCOUNT_AT_ADDRESS, PER_ADDRESS
from engine.seed import OWNER_EMAIL
from infra.runtime import Runtime
from tests.admin_api.conftest import PASSWORD, STAFF_EMAIL, World


def login(client: TestClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_registering_creates_a_business_whose_owner_is_logged_in(client: TestClient) -> None:
    body = {"business_name": "Lake Inn", "email": "Me@Lake.test", "password": "long-enough"}
    tokens = client.post("/api/v1/auth/register", json=body).json()
    me = client.get("/api/v1/auth/me", headers=bearer(tokens["access_token"])).json()
    assert (me["email"], me["role"]) == ("me@lake.test", "owner")
    assert client.get("/api/v1/venues", headers=bearer(tokens["access_token"])).json() == []


def test_registering_twice_with_one_email_is_a_clear_422(client: TestClient) -> None:
    body = {"business_name": "Lake Inn", "email": "me@lake.test", "password": "long-enough"}
    client.post("/api/v1/auth/register", json=body)
    again = client.post("/api/v1/auth/register", json=body)
    assert again.status_code == 422 and "already exists" in again.json()["detail"]


def test_login_returns_a_bearer_pair_and_wrong_password_is_401(
    client: TestClient, world: World
) -> None:
    good = login(client, STAFF_EMAIL)
    assert good.status_code == 200 and good.json()["token_type"] == "bearer"
    assert login(client, STAFF_EMAIL, "wrong-password").status_code == 401
    assert login(client, "nobody@demo.test").status_code == 401


def test_refresh_rotates_and_a_replayed_refresh_token_revokes_the_session(
    client: TestClient, world: World
) -> None:
    first = login(client, STAFF_EMAIL).json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    rotated = second.json()["refresh_token"]
    assert rotated != first["refresh_token"]
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    # The replay revoked the family: the token issued by the rotation is dead too.
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": rotated}).status_code == 401


def test_logout_revokes_the_access_token_and_its_refresh_token(
    client: TestClient, world: World
) -> None:
    pair = login(client, STAFF_EMAIL).json()
    headers = bearer(pair["access_token"])
    out = client.post(
        "/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}, headers=headers
    )
    assert out.status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401


def test_a_logged_out_token_stays_revoked_after_redis_is_flushed(
    client: TestClient, world: World, runtime: Runtime
) -> None:
    pair = login(client, STAFF_EMAIL).json()
    headers = bearer(pair["access_token"])
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    runtime.redis.flushdb()  # the test Redis database only
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_logging_out_ends_only_that_login(client: TestClient, world: World) -> None:
    phone, laptop = login(client, STAFF_EMAIL).json(), login(client, STAFF_EMAIL).json()
    out = client.post("/api/v1/auth/logout", headers=bearer(phone["access_token"]))
    assert out.status_code == 204
    assert client.get("/api/v1/auth/me", headers=bearer(laptop["access_token"])).is_success
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]})
    assert again.status_code == 200


def test_expired_and_tampered_tokens_are_401(client: TestClient, world: World) -> None:
    assert client.get("/api/v1/auth/me", headers=world.headers["expired"]).status_code == 401
    tampered = world.tokens["owner"][:-3] + "abc"
    assert client.get("/api/v1/auth/me", headers=bearer(tampered)).status_code == 401


def test_deactivated_staff_lose_access_at_once(client: TestClient, world: World) -> None:
    user = f"/api/v1/users/{world.ids['user_id']}"
    assert client.patch(user, json={"active": False}, headers=world.headers["owner"]).is_success
    assert client.get("/api/v1/auth/me", headers=world.headers["staff"]).status_code == 401
    assert login(client, STAFF_EMAIL).status_code == 401


def test_a_reactivated_account_gets_none_of_its_old_logins_back(
    client: TestClient, world: World
) -> None:
    pair = login(client, STAFF_EMAIL).json()
    user = f"/api/v1/users/{world.ids['user_id']}"
    owner = world.headers["owner"]
    assert client.patch(user, json={"active": False}, headers=owner).is_success
    assert client.patch(user, json={"active": True}, headers=owner).is_success
    for token in (pair["access_token"], world.tokens["staff"]):
        assert client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refresh.status_code == 401
    assert login(client, STAFF_EMAIL).status_code == 200


def test_owner_cannot_deactivate_themselves(client: TestClient, world: World) -> None:
    me = client.get("/api/v1/auth/me", headers=world.headers["owner"]).json()
    answer = client.patch(
        f"/api/v1/users/{me['user_id']}", json={"active": False}, headers=world.headers["owner"]
    )
    assert answer.status_code == 422


def test_failed_logins_are_limited_per_account_even_with_the_right_password(
    client: TestClient, world: World
) -> None:
    for _ in range(PER_ACCOUNT_AT_ADDRESS.free):
        assert login(client, STAFF_EMAIL, "wrong-password").status_code == 401
    locked = login(client, STAFF_EMAIL)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert login(client, "owner@demo.test").status_code == 200  # other accounts unaffected


def test_failed_logins_are_limited_per_address_across_accounts(
    client: TestClient, world: World
) -> None:
    statuses = [
        login(client, f"guess{n}@demo.test", "wrong-password").status_code for n in range(21)
    ]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_the_right_password_gets_in_after_five_wrong_ones_once_a_short_wait_is_over(
    client: TestClient, world: World
) -> None:
    for _ in range(5):
        assert login(client, STAFF_EMAIL, "wrong-password").status_code == 401
    answer = login(client, STAFF_EMAIL)
    if answer.status_code == 429:  # still inside the wait the fifth failure started
        wait = int(answer.headers["Retry-After"])
        assert 0 < wait <= PER_ACCOUNT_AT_ADDRESS.first_seconds
        time.sleep(wait)
        answer = login(client, STAFF_EMAIL)
    assert answer.status_code == 200


def test_wrong_passwords_from_many_addresses_never_lock_the_owner_out_of_a_fresh_one(
    app: FastAPI, world: World
) -> None:
    for n in range(4):
        guesser = TestClient(app, client=(f"203.0.113.{n}", 40000))
        for _ in range(PER_ACCOUNT_AT_ADDRESS.free):
            assert login(guesser, OWNER_EMAIL, "wrong-password").status_code == 401
    owner = TestClient(app, client=("198.51.100.1", 40000))
    assert login(owner, OWNER_EMAIL).status_code == 200


def test_forwarded_for_from_a_peer_not_named_as_a_proxy_is_ignored_by_the_address_limit(
    app: FastAPI, world: World
) -> None:
    local = TestClient(app, client=("127.0.0.1", 40000))  # FORWARDED_ALLOW_IPS unset: nobody
    statuses = [
        local.post(
            "/api/v1/auth/token",
            data={"username": f"guess{n}@demo.test", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(PER_ADDRESS.free + 1)
    ]
    assert statuses[-1] == 429


def test_guesses_sent_all_at_once_are_checked_one_at_a_time(app: FastAPI, world: World) -> None:
    """Every guess would pass a wait that only a finished failure starts: 24 wrong passwords
    sent together get no more checks than the free ones and the one that starts the wait."""
    guesser = TestClient(app, client=("203.0.113.50", 40000))
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(
            pool.map(lambda _: login(guesser, OWNER_EMAIL, "wrong").status_code, range(24))
        )
    assert statuses.count(401) <= PER_ACCOUNT_AT_ADDRESS.free + 1
    assert statuses.count(401) + statuses.count(429) == 24


def test_an_ipv6_guesser_is_counted_by_its_64_not_by_each_address(
    app: FastAPI, world: World
) -> None:
    """One subscriber holds a whole /64: a fresh address per guess must not reset the count."""
    statuses = [
        login(TestClient(app, client=(f"2001:db8:1:2::{n:x}", 40000)), f"g{n}@x.test", "w")
        for n in range(PER_ADDRESS.free + 1)
    ]
    assert statuses[-1].status_code == 429


def test_a_replayed_refresh_token_ends_the_login_its_access_token_included(
    client: TestClient, world: World
) -> None:
    """Whoever refreshed first (the thief, perhaps) keeps no working access token."""
    first = login(client, STAFF_EMAIL).json()
    thief = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    stolen_access = thief.json()["access_token"]
    assert client.get("/api/v1/auth/me", headers=bearer(stolen_access)).status_code == 200
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert client.get("/api/v1/auth/me", headers=bearer(stolen_access)).status_code == 401
