"""Reading and replacing what a venue tells guests: its facts and its questions and answers.

Facts live in the venue's settings (``facts``: topic → the owner's text and its
translations); the questions and answers are rows, in the owner's order. Saving replaces both
lists whole, as the settings page edits them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, delete, select
from sqlalchemy.orm import Session

from engine.answers.models import VenueQuestion, wordings
from engine.answers.topics import LANGUAGES, FactTopic
from engine.db import as_loaded, core_rows, utcnow
from engine.exceptions import ValidationError
from engine.tenants.models import Venue


@dataclass(frozen=True)
class Wording:
    """The owner's text and its translations by language."""

    text: str
    translations: dict[str, str] = field(default_factory=dict)

    def in_language(self, language: str | None) -> str:
        """The text in ``language`` where the owner translated it, else as written."""
        return self.translations.get(language or "") or self.text


@dataclass(frozen=True)
class QuestionAnswer:
    """One question and answer as the owner writes it (see ``VenueQuestion``)."""

    question: str
    answer: str
    phrasings: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def texts(self) -> list[str]:
        """Every wording of the question (see ``wordings``)."""
        return wordings(self.question, self.answer, self.phrasings, self.translations)


def owner_facts(venue: Venue) -> dict[FactTopic, Wording]:
    """The facts the owner wrote, by topic."""
    stored: dict[str, Any] = (venue.settings or {}).get("facts", {})
    return {
        FactTopic(topic): Wording(value["text"], dict(value.get("translations", {})))
        for topic, value in stored.items()
    }


def venue_questions(session: Session, *, venue_id: int) -> list[VenueQuestion]:
    """The venue's questions and answers in the owner's order.

    Read through Core with a statement built once and made the session's objects by
    ``as_loaded``: a guest's question reads them all, and ORM loading cost more CPU than the
    statement.
    """
    rows = core_rows(session, _venue_questions(), {"venue_id": venue_id})
    return [as_loaded(session, VenueQuestion, row) for row in rows]


def questions_by_venue(
    session: Session, *, venue_ids: Sequence[int] | None = None
) -> dict[int, list[VenueQuestion]]:
    """The questions of every venue that has some (or of ``venue_ids``), in the owner's order."""
    query = select(VenueQuestion).order_by(VenueQuestion.venue_id, VenueQuestion.position)
    if venue_ids is not None:
        query = query.where(VenueQuestion.venue_id.in_(venue_ids))
    grouped: dict[int, list[VenueQuestion]] = {}
    for question in session.scalars(query):
        grouped.setdefault(question.venue_id, []).append(question)
    return grouped


@cache
def _venue_questions() -> Select[Any]:
    table = cast(Table, VenueQuestion.__table__)
    return select(table).where(table.c.venue_id == bindparam("venue_id")).order_by(table.c.position)


def replace_answers(
    session: Session,
    *,
    venue: Venue,
    facts: Mapping[FactTopic, Wording],
    questions: Sequence[QuestionAnswer],
    now: datetime | None = None,
) -> None:
    """Make ``facts`` and ``questions`` the venue's, replacing what it had."""
    for wording in facts.values():
        _check_languages(wording.translations)
    for entry in questions:
        _check_languages(entry.translations)
    stored = {
        topic.value: {"text": w.text, "translations": dict(w.translations)}
        for topic, w in facts.items()
    }
    venue.settings = {**(venue.settings or {}), "facts": stored}
    session.execute(delete(VenueQuestion).where(VenueQuestion.venue_id == venue.id))
    for position, entry in enumerate(questions):
        session.add(_row(venue.id, position, entry, now or utcnow()))
    session.flush()


def _row(venue_id: int, position: int, entry: QuestionAnswer, now: datetime) -> VenueQuestion:
    return VenueQuestion(
        venue_id=venue_id,
        position=position,
        question=entry.question,
        answer=entry.answer,
        phrasings=list(entry.phrasings),
        translations={lang: dict(t) for lang, t in entry.translations.items()},
        updated_at=now,
    )


def _check_languages(translations: Mapping[str, object]) -> None:
    """Translations are for the languages the bot speaks."""
    unknown = sorted(set(translations) - set(LANGUAGES))
    if unknown:
        raise ValidationError(
            f"Translations are for {', '.join(LANGUAGES)}; not for {', '.join(unknown)}."
        )
