"""``bookline recommend eval|train``: the learned ranking of alternatives, measured and refitted."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from application.unit_of_work import unit_of_work
from engine.db import utcnow
from engine.recommendations.evaluate import evaluate, format_report
from engine.recommendations.rankers import episodes, train
from engine.tenants.models import Business
from infra.runtime import Runtime
from infra.settings import get_settings


def _each_kind(session: Session, slug: str | None) -> Iterator[tuple[Business, str]]:
    """(business, venue kind) pairs to work on: one business's, or every business's."""
    query = select(Business).order_by(Business.id)
    if slug is not None:
        query = query.where(Business.slug == slug)
    businesses = list(session.scalars(query))
    if slug is not None and not businesses:
        raise SystemExit(f"No business with the slug {slug!r}.")
    for business in businesses:
        for kind in sorted({venue.kind.value for venue in business.venues}):
            yield business, kind


def _evaluate(args: argparse.Namespace) -> None:
    runtime = Runtime(get_settings())
    try:
        with unit_of_work(runtime, live=False) as uow:
            now = utcnow()
            for business, kind in _each_kind(uow.session, args.business):
                history = episodes(uow.session, business_id=business.id, venue_kind=kind, now=now)
                report = evaluate(history, weeks=args.test_weeks)
                print(format_report(f"{business.name}, {kind}s", report))
    finally:
        runtime.close()


def _train(args: argparse.Namespace) -> None:
    runtime = Runtime(get_settings())
    try:
        with unit_of_work(runtime, live=False) as uow:
            now = utcnow()
            for business, kind in _each_kind(uow.session, args.business):
                stored = train(uow.session, business_id=business.id, venue_kind=kind, now=now)
                if stored is None:
                    print(f"{business.name}, {kind}s: too little history yet; the rule ranks.")
                else:
                    print(
                        f"{business.name}, {kind}s: ranker fitted on {stored.cases} "
                        f"recommendations ({stored.accepted} taken)."
                    )
    finally:
        runtime.close()


def add_recommend_commands(
    sub: argparse._SubParsersAction[Any],
    parents: Sequence[argparse.ArgumentParser],
) -> None:
    """``recommend eval`` and ``recommend train`` under ``sub``."""
    recommend = sub.add_parser("recommend", help="learned recommendations: evaluate, refit")
    commands = recommend.add_subparsers(dest="recommend_command", required=True)
    evaluate_cmd = commands.add_parser(
        "eval",
        help="acceptance@1 and hit-rate@3 of the learned ranking vs the rule and popularity, "
        "on the last weeks (trained on what came before)",
        parents=list(parents),
    )
    evaluate_cmd.add_argument("--business", default=None, help="business slug (default: all)")
    evaluate_cmd.add_argument(
        "--test-weeks", type=int, default=3, help="weeks at the end held out for testing"
    )
    evaluate_cmd.set_defaults(func=_evaluate)
    train_cmd = commands.add_parser(
        "train", help="refit each business's ranker on its history", parents=parents
    )
    train_cmd.add_argument("--business", default=None, help="business slug (default: all)")
    train_cmd.set_defaults(func=_train)
