"""``bookline recommend eval|train`` through the real command entry, on the demo history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bookline.cli import main
from engine.recommendations.models import RankingModel


def test_recommend_eval_prints_learned_rule_and_popularity_then_train_stores_a_ranker(
    database_url: str,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOOKLINE_SANDBOX", "1")
    main(["seed", "--demo", "--history", "60"])
    capsys.readouterr()
    main(["recommend", "eval", "--business", "demo-hospitality"])
    out = capsys.readouterr().out
    restaurants = out.split("Demo Hospitality, restaurants:")[1]
    figures = {
        name: (float(first), float(third))
        for name, first, third in re.findall(
            r"(learned|rule|popularity)\s+([\d.]+)\s+([\d.]+)", restaurants
        )
    }
    assert set(figures) == {"learned", "rule", "popularity"}
    assert figures["learned"][0] >= figures["rule"][0]
    assert re.search(r"tested on the \d+ taken after", restaurants)
    main(["recommend", "train"])
    assert "ranker fitted on" in capsys.readouterr().out
    with sessions() as session:
        assert session.scalar(select(RankingModel.venue_kind)) == "restaurant"
    with pytest.raises(SystemExit, match="nowhere"):
        main(["recommend", "eval", "--business", "nowhere"])
