"""A venue's answers to guest questions: read (staff too) and replace (owners)."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks
from sqlalchemy.orm import Session

from admin_api.deps import OwnerUser, StaffUser, Tx
from admin_api.routes.scoped import own_venue
from admin_api.schemas.answers import Answers, Fact, Question
from admin_api.schemas.common import PathId
from application.answer_indexes import answers_changed
from engine.answers.service import owner_facts, replace_answers, venue_questions
from engine.tenants.models import Venue
from infra.deps import RuntimeDep

router = APIRouter(prefix="/venues", tags=["venues"])


@router.get("/{venue_id}/answers")
def answers(venue_id: PathId, principal: StaffUser, session: Tx) -> Answers:
    """The facts and questions the bot answers guests from."""
    return _answers(session, own_venue(session, principal, venue_id))


@router.put("/{venue_id}/answers")
def replace(
    venue_id: PathId,
    body: Answers,
    principal: OwnerUser,
    session: Tx,
    runtime: RuntimeDep,
    after: BackgroundTasks,
) -> Answers:
    """Replace the venue's facts and questions with these; the new answer index is fitted
    once they are committed (a background task runs after the unit of work ends)."""
    venue = own_venue(session, principal, venue_id)
    entries = [question.entry() for question in body.questions]
    replace_answers(session, venue=venue, facts=body.wordings(), questions=entries)
    after.add_task(answers_changed, runtime, venue.id)
    return _answers(session, venue)


def _answers(session: Session, venue: Venue) -> Answers:
    facts = {
        topic: Fact.model_validate({"text": w.text, "translations": w.translations})
        for topic, w in owner_facts(venue).items()
    }
    questions = [
        Question.model_validate(
            {
                "question": row.question,
                "answer": row.answer,
                "phrasings": row.phrasings,
                "translations": row.translations,
            }
        )
        for row in venue_questions(session, venue_id=venue.id)
    ]
    return Answers(facts=facts, questions=questions)
