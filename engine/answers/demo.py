"""The demo venues' facts and questions and answers (``demo.json``), for the seed and the
evaluation of question answering (``bot.nlu.questions_eval``), which names entries by key."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from engine.answers.service import (
    QuestionAnswer,
    Wording,
    owner_facts,
    replace_answers,
    venue_questions,
)
from engine.answers.topics import FactTopic
from engine.tenants.models import Venue

DEMO_PATH = Path(__file__).with_name("demo.json")


@dataclass(frozen=True)
class DemoAnswers:
    """One demo venue's facts, and its questions and answers with their keys."""

    facts: dict[FactTopic, Wording]
    questions: dict[str, QuestionAnswer]


@functools.cache
def demo_answers(slug: str) -> DemoAnswers:
    """What the demo venue ``slug`` tells guests."""
    data: dict[str, Any] = json.loads(DEMO_PATH.read_text("utf-8"))[slug]
    facts = {
        FactTopic(topic): Wording(value["text"], value.get("translations", {}))
        for topic, value in data["facts"].items()
    }
    questions = {
        entry["key"]: QuestionAnswer(
            question=entry["question"],
            answer=entry["answer"],
            phrasings=entry.get("phrasings", []),
            translations=entry.get("translations", {}),
        )
        for entry in data["questions"]
    }
    return DemoAnswers(facts, questions)


def seed_demo_answers(session: Session, venue: Venue) -> None:
    """Give a demo venue its facts and questions, unless the owner has written some."""
    if owner_facts(venue) or venue_questions(session, venue_id=venue.id):
        return
    demo = demo_answers(venue.slug)
    replace_answers(session, venue=venue, facts=demo.facts, questions=list(demo.questions.values()))
