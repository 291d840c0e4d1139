"""Reading questions about the venue: the fact rules, the answer retrieval, and the decision
between a fact, the owner's answer, a person and the booking flow."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import hstack

from bot.asking import Asked, AskedKind, what_is_asked
from bot.nlu import retrieval
from bot.nlu.classifier import load_classifier
from bot.nlu.questions_eval import evaluate_questions, format_questions_report
from bot.nlu.retrieval import AnswerIndex, answer_index, documents, fit_missing, fitted_blocks
from bot.nlu.retrieval_training import vectorizers
from bot.nlu.slots import extract_slots
from bot.nlu.topics import fact_topic
from bot.understanding import Understanding
from engine.answers.demo import demo_answers
from engine.answers.topics import FactTopic

NOW = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("what time do you open?", FactTopic.HOURS),
        ("kal kab khulta hai", FactTopic.HOURS),
        ("¿a qué hora abren?", FactTopic.HOURS),
        ("do you have parking?", FactTopic.PARKING),
        ("क्या पार्किंग है", FactTopic.PARKING),
        ("check in time?", FactTopic.CHECK_IN_OUT),
        ("¿a qué hora es el check-in?", FactTopic.CHECK_IN_OUT),
        ("is breakfast included", FactTopic.BREAKFAST),
        ("can I bring my dog", FactTopic.PETS),
        ("do you have vegetarian breakfast", FactTopic.DIETARY),
        ("what is your cancellation policy", FactTopic.CANCELLATION),
        ("what if we cancel", FactTopic.CANCELLATION),
        ("do you take cards", FactTopic.PAYMENT),
        ("where are you located", FactTopic.ADDRESS),
        ("hotel kahan hai", FactTopic.ADDRESS),
    ],
)
def test_a_fact_is_named_by_its_words(text: str, topic: FactTopic) -> None:
    assert fact_topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "can I check out late?",  # the owner's to answer
        "when is my check in date",  # a booking's
        "is the pool open now",  # the pool's hours, not the venue's
        "do you sell gift cards",
        "cancel my booking",
        "table for 4 tomorrow 8pm",
        "my bookings",
    ],
)
def test_words_that_only_sound_like_a_fact_name_none(text: str) -> None:
    assert fact_topic(text) is None


def _hotel_index() -> tuple[AnswerIndex, list[str]]:
    questions = demo_answers("seaside-hotel").questions
    index = answer_index(documents([q.texts() for q in questions.values()]))
    return index, list(questions)


def test_the_nearest_owner_question_answers_a_paraphrase() -> None:
    index, keys = _hotel_index()
    match = index.nearest("can I leave my suitcase at reception")
    assert match is not None and keys[match.entry] == "luggage"


def test_a_word_no_answer_has_keeps_a_question_away_from_every_answer() -> None:
    index, _ = _hotel_index()
    match = index.nearest("do you have a gym?")
    assert match is None or match.score < 0.1


def test_document_vectors_are_scikit_learns_tf_idf(tmp_path: Path) -> None:
    """Every wording is vectorised exactly as the fitted TfidfVectorizers would."""
    docs = documents([q.texts() for q in demo_answers("spice-garden").questions.values()])
    index = AnswerIndex.build(*fitted_blocks(docs, tmp_path), docs)
    texts = [d.text for d in docs]
    words, chars = vectorizers()
    expected = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).toarray()
    vectors = np.zeros((len(docs), index.width))
    vectors[index.rows, index.columns] = index.values
    np.testing.assert_allclose(vectors, expected / np.sqrt(2.0), atol=1e-12)


def test_indexes_missing_from_the_cache_are_fitted_in_one_child_and_only_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    children: list[list[str]] = []
    run_child = retrieval.run_child

    def counted(module: str, args: list[str], *, what: str) -> None:
        children.append(args)
        run_child(module, args, what=what)

    monkeypatch.setattr(retrieval, "run_child", counted)
    hotel = documents([["Is there wifi?", "wifi password"], ["Is there a lift?"]])
    cafe = documents([["Do you serve vegan food?"]])
    assert fit_missing([hotel, cafe, ()], tmp_path) == 2
    assert len(children) == 1 and len(children[0]) == 4  # two (documents, cache) pairs
    files = sorted(tmp_path.glob("answers-*.npz"))
    assert len(files) == 2 and not list(tmp_path.glob("*.json"))  # the sources are gone
    written = [path.stat().st_mtime_ns for path in files]

    assert fit_missing([cafe, hotel], tmp_path) == 0
    words, _ = fitted_blocks(hotel, tmp_path)
    assert len(children) == 1 and [path.stat().st_mtime_ns for path in files] == written
    assert "lift" in words.vocabulary and "vegan" not in words.vocabulary


def _understood(text: str, venue_kind: str = "hotel") -> Understanding:
    prediction = load_classifier().predict(text)
    slots = extract_slots(text, now=NOW, timezone="Asia/Kolkata", venue_kind=venue_kind)
    return Understanding(prediction.intent, prediction.confidence, slots, None, None, None, text)


def _asked(text: str) -> Asked | None:
    index, _ = _hotel_index()
    return what_is_asked(_understood(text), lambda: index)


def test_a_fact_question_is_a_fact_even_when_read_as_my_bookings() -> None:
    assert _asked("do you have parking?") == Asked(AskedKind.FACT, topic=FactTopic.PARKING)


def test_a_booking_request_with_a_dietary_note_is_no_question() -> None:
    assert _asked("table for 2 tomorrow 8pm, we are vegetarian") is None


def test_an_unanswerable_question_goes_to_a_person() -> None:
    assert _asked("is there a casino nearby?") == Asked(AskedKind.PERSON)


def test_a_long_text_is_no_question_for_a_person() -> None:
    assert _asked(("lorem ipsum dolor sit amet " * 200)[:5000]) is None


def test_questions_are_answered_right_and_never_wrong_out_of_scope() -> None:
    report = evaluate_questions(seed=7)
    summary = format_questions_report(report)
    assert report.answers.share("right") >= 0.75, summary
    assert report.answers.share("wrong") <= 0.05, summary
    assert report.out_of_scope.share("wrong") == 0.0, summary  # never a wrong answer
    assert report.out_of_scope.share("right") >= 0.75, summary  # a person
    assert report.not_questions.share("right") == 1.0, summary
    assert all(tally.share("right") >= 0.8 for tally in report.facts.values()), summary
    assert report.in_intent_corpus == 0
    assert report.chosen_threshold == report.threshold  # the bot uses what dev chose
