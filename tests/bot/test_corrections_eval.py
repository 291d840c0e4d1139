"""The corrections set of ``bookline nlu eval``: kept apart from training, scored on details."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.evaluate_corrections import (
    Correction,
    evaluate_corrections,
    format_corrections,
    load_corrections,
    read_right,
)
from bot.nlu.exceptions import CorpusError
from bot.nlu.intents import Intent


def _correction(text: str, venue: str = "restaurant", **expected: str) -> Correction:
    return Correction("en", Intent.CHANGE, venue, expected, text)


def test_the_shipped_set_loads_in_every_language_and_never_overlaps_the_corpus() -> None:
    corrections = load_corrections()
    assert {c.language for c in corrections} == {"en", "hi", "hi-latn", "es"}
    assert {c.venue for c in corrections} == {"restaurant", "hotel"}


def test_details_read_as_said_are_right() -> None:
    assert read_right(
        _correction("4 people, 6 June, 1pm", party="4", day="2026-06-06", time="13:00")
    )
    assert read_right(_correction("sorry, make that 3 nights", "hotel", nights="3"))


def test_a_wrong_value_or_an_invented_time_is_a_miss() -> None:
    assert not read_right(_correction("actually 3 people", party="4"))
    assert not read_right(_correction("make it 4", party="4"))  # read as 16:00 too


def test_a_line_the_model_trains_on_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrections.tsv"
    path.write_text(
        "language\tintent\tvenue\texpected\ttext\n"
        "en\tchange\trestaurant\tparty=5\tmake it 5 people\n",
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match="in the training corpus"):
        load_corrections(path)


def test_the_report_has_the_intent_table_and_the_details_line() -> None:
    report = evaluate_corrections()
    text = format_corrections(report)
    assert report.per_intent[Intent.CHANGE].support == len(load_corrections())
    assert "details read right" in text and "read as:" in text
