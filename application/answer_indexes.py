"""Venues' answer indexes fitted before a guest asks.

A venue's first question in a process reads its index (``bot.nlu.retrieval``) from a cache
file fitted by a child process; when the file is missing the question waits for a child to
start, import scikit-learn and fit it (half a second or more), and so does every question a
worker holding the cache's lock keeps waiting. So the files are fitted ahead: every venue's
when a process that answers guests starts (one child for all those missing), and a venue's
again once its owner has saved new answers (a job, after the save commits).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from application.sessions import autocommit
from bot.flows.questions import venue_documents
from bot.machine import warm_up as warm_up_dialogue
from bot.nlu.exceptions import TrainingError
from bot.nlu.retrieval import fit_missing
from engine.answers.service import questions_by_venue
from infra.jobs import enqueue_answer_fit
from infra.runtime import Runtime

log = logging.getLogger(__name__)


def warm_up(runtime: Runtime) -> None:
    """What a process that answers guests loads before its first one: the intent model,
    dateparser, and every venue's answer index."""
    warm_up_dialogue()
    prepare_answer_indexes(runtime)


def prepare_answer_indexes(runtime: Runtime, *, venue_ids: Sequence[int] | None = None) -> int:
    """Fit the answer indexes of every venue (or of ``venue_ids``) not cached yet; returns
    how many were fitted. A failed fit is logged: the question that needs it tries again."""
    with autocommit(runtime) as session:
        grouped = questions_by_venue(session, venue_ids=venue_ids)
        sets = [venue_documents(entries) for entries in grouped.values()]
    try:
        fitted = fit_missing(sets)
    except TrainingError:
        log.exception("fitting answer indexes failed")
        return 0
    if fitted:
        log.info("fitted the answer index of %d venue(s)", fitted)
    return fitted


def answers_changed(runtime: Runtime, venue_id: int) -> None:
    """The owner saved the venue's answers (committed): fit its new index in a job."""
    enqueue_answer_fit(runtime, venue_id)
