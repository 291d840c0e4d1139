"""Venues' answer indexes are fitted when a process that answers guests starts, not when the
first guest asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from application.answer_indexes import prepare_answer_indexes, warm_up
from bot.flows.questions import venue_documents
from bot.nlu.child import CACHE_DIR_ENV
from bot.nlu.retrieval import Document, fit_missing
from engine.answers.service import questions_by_venue
from engine.seed import seed_demo
from infra.runtime import Runtime


@pytest.fixture
def demo_indexes(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[int, tuple[Document, ...]]:
    """The demo venues' answer documents, by venue, with an empty model cache at ``tmp_path``."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    with sessions.begin() as session:
        seed_demo(session)
    with sessions() as session:
        by_venue = questions_by_venue(session)
        return {venue_id: venue_documents(entries) for venue_id, entries in by_venue.items()}


def test_a_process_starting_up_fits_the_answer_index_of_every_venue(
    queued_runtime: Runtime, demo_indexes: dict[int, tuple[Document, ...]], tmp_path: Path
) -> None:
    assert len(demo_indexes) >= 2  # the demo hotel's and restaurant's questions at least

    warm_up(queued_runtime)

    assert fit_missing(list(demo_indexes.values()), tmp_path) == 0  # each one cached
    assert prepare_answer_indexes(queued_runtime) == 0  # the next process fits nothing


def test_only_the_venues_named_are_fitted(
    queued_runtime: Runtime, demo_indexes: dict[int, tuple[Document, ...]]
) -> None:
    first, *others = demo_indexes
    assert prepare_answer_indexes(queued_runtime, venue_ids=[first]) == 1
    assert prepare_answer_indexes(queued_runtime) == len(others)
