"""The answer index job: fit a venue's index after its owner saved new answers."""

from __future__ import annotations

from application.answer_indexes import prepare_answer_indexes
from infra.runtime import current


def prepare_answers(venue_id: int) -> None:
    """Fit the venue's answer index unless it is cached already."""
    prepare_answer_indexes(current(), venue_ids=[venue_id])
