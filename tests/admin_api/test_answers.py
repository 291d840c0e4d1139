"""A venue's answers to guest questions in the owner API, and questions the bot left for a
person in the conversations inbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rq import SimpleWorker
from sqlalchemy.orm import Session, sessionmaker

from admin_api.api import PREFIX
from bot.choices import conversation_key
from bot.flows.questions import venue_documents
from bot.nlu.child import CACHE_DIR_ENV
from bot.nlu.retrieval import fit_missing
from bot.open_questions import leave_question
from engine.answers.service import venue_questions
from engine.messaging.enums import MessageChannel
from infra.runtime import Runtime
from tests.admin_api.conftest import GUEST_PHONE, World

NEW: dict[str, Any] = {
    "facts": {
        "parking": {"text": "Street parking only.", "translations": {"hi": "सिर्फ़ सड़क पर पार्किंग।"}},
        "pets": {"text": "No pets, sorry."},
    },
    "questions": [
        {
            "question": "Is there a lift?",
            "answer": "Yes, to every floor.",
            "phrasings": ["elevator?"],
            "translations": {
                "es": {"question": "¿Hay ascensor?", "answer": "Sí, a todas las plantas."}
            },
        }
    ],
}


def _url(world: World, key: str = "venue_id") -> str:
    return f"{PREFIX}/venues/{world.ids[key]}/answers"


def test_the_demo_hotel_answers_from_its_facts_and_questions(
    client: TestClient, world: World
) -> None:
    answers = client.get(_url(world), headers=world.headers["staff"]).json()
    assert set(answers["facts"]) == {"hours", "parking", "breakfast", "pets", "dietary", "payment"}
    assert answers["facts"]["parking"]["translations"]["es"].startswith("Sí: aparcamiento")
    first = answers["questions"][0]
    assert first["question"] == "Is there wifi?" and first["phrasings"] == [
        "wifi password",
        "do you have internet",
    ]
    assert first["translations"]["hi"]["question"] == "क्या वाईफ़ाई है?"


def test_an_owner_replaces_the_answers_and_reads_them_back(
    client: TestClient, world: World
) -> None:
    owner = world.headers["owner"]
    saved = client.put(_url(world), json=NEW, headers=owner)
    assert saved.status_code == 200, saved.text
    assert client.get(_url(world), headers=owner).json() == saved.json()
    assert saved.json()["facts"]["pets"] == {"text": "No pets, sorry.", "translations": {}}
    (lift,) = saved.json()["questions"]
    assert lift["translations"] == {
        "es": {"question": "¿Hay ascensor?", "answer": "Sí, a todas las plantas."}
    }


def test_saved_answers_have_their_index_fitted_before_a_guest_asks(
    client: TestClient,
    world: World,
    runtime: Runtime,
    sessions: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A job fits the new index once the save has committed: the first guest who asks does
    not wait for it (nor does every worker behind the cache's lock)."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    assert client.put(_url(world), json=NEW, headers=world.headers["owner"]).status_code == 200
    if not runtime.inline_jobs:  # queued for a worker: run it as one would
        SimpleWorker([runtime.queue("default")], connection=runtime.redis).work(burst=True)
    with sessions() as session:
        saved = venue_documents(venue_questions(session, venue_id=world.ids["venue_id"]))
    assert {"Is there a lift?", "elevator?", "¿Hay ascensor?"} <= {d.text for d in saved}
    assert fit_missing([saved], tmp_path) == 0  # cached already


def test_answers_in_a_language_the_bot_does_not_speak_or_on_no_topic_are_refused(
    client: TestClient, world: World
) -> None:
    owner = world.headers["owner"]
    french = {"facts": {"pets": {"text": "No pets.", "translations": {"fr": "Pas d'animaux."}}}}
    topic = {"facts": {"spa": {"text": "No spa."}}}
    empty = {"questions": [{"question": "", "answer": "Yes."}]}
    for body in (french, topic, empty):
        assert client.put(_url(world), json=body, headers=owner).status_code == 422
    assert len(client.get(_url(world), headers=owner).json()["questions"]) == 10  # unchanged


def test_staff_read_the_answers_but_only_owners_change_them_and_other_businesses_see_none(
    client: TestClient, world: World
) -> None:
    assert client.put(_url(world), json=NEW, headers=world.headers["staff"]).status_code == 403
    assert client.get(_url(world), headers=world.headers["other"]).status_code == 404
    assert client.put(_url(world), json=NEW, headers=world.headers["other"]).status_code == 404


def test_a_question_left_for_a_person_waits_first_in_the_inbox_until_staff_reply(
    client: TestClient, world: World, runtime: Runtime
) -> None:
    staff = world.headers["staff"]
    key = conversation_key(world.ids["venue_id"], MessageChannel.SMS, GUEST_PHONE)
    leave_question(runtime.redis, key, "is there a casino nearby?")
    (first, *_) = client.get(f"{PREFIX}/conversations", headers=staff).json()
    assert (first["guest_phone"], first["handed_off"]) == (GUEST_PHONE, False)
    assert first["questions"] == ["is there a casino nearby?"]
    thread = f"{PREFIX}/conversations/{world.ids['venue_id']}/sms/{GUEST_PHONE}"
    assert client.get(thread, headers=staff).json()["questions"] == ["is there a casino nearby?"]
    body = {"text": "No casino, but the beach is lovely.", "request_key": "answer-0001"}
    assert client.post(f"{thread}/reply", json=body, headers=staff).status_code == 202
    assert client.get(thread, headers=staff).json()["questions"] == []
