"""How well questions about the venue are answered, on the demo's questions: part of
``bookline nlu eval``.

``corpus/questions.tsv`` holds guest questions to the two demo venues, labelled with what
should answer them: a fact (``fact:parking``), one of the owner's entries (``qa:wifi``, keys
of ``engine/answers/demo.json``), a person (``person``: nothing the venue wrote answers it),
or nothing (``none``: booking messages, from the intent corpus, that must go on to the booking
flow). No question is an owner's wording or in the intent corpus.

The entries' paraphrases and the questions for a person are split in two, stratified by
label: the retrieval threshold is chosen on the dev half (the lowest that answers none of it
wrongly) and everything is scored on the held-out half, through the bot's own decision
(``bot.asking``) with the bot's intent model and slot reader. Facts are read by rules, not
fitted, so all their lines are scored.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sklearn.model_selection import train_test_split

from bot.asking import Asked, AskedKind, what_is_asked
from bot.nlu.classifier import load_classifier
from bot.nlu.corpus import known_phrases
from bot.nlu.normalize import normalize
from bot.nlu.retrieval import ANSWER_THRESHOLD, AnswerIndex, answer_index, documents
from bot.nlu.slots import extract_slots
from bot.understanding import Understanding
from engine.answers.demo import demo_answers

QUESTIONS_PATH = Path(__file__).with_name("corpus") / "questions.tsv"
VENUE_KINDS = {"seaside-hotel": "hotel", "spice-garden": "restaurant"}
#: Thresholds tried on the dev half.
GRID = [round(0.05 * step, 2) for step in range(1, 20)]
#: A fixed moment, so "tomorrow" in a line always reads the same.
NOW = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)
PERSON, NONE = "person", "none"


@dataclass(frozen=True)
class LabelledQuestion:
    """One line of the questions set."""

    venue: str
    language: str
    label: str
    text: str


@dataclass(frozen=True)
class Tally:
    """What became of one group of questions: counts by outcome."""

    outcomes: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    def share(self, outcome: str) -> float:
        return self.outcomes[outcome] / self.total if self.total else 0.0


@dataclass(frozen=True)
class QuestionsReport:
    """Outcomes per group on the held-out half (facts: all lines), and the thresholds."""

    answers: Tally
    out_of_scope: Tally
    facts: dict[str, Tally]
    not_questions: Tally
    threshold: float
    chosen_threshold: float
    dev_size: int
    test_size: int
    in_intent_corpus: int


def load_questions(path: Path = QUESTIONS_PATH) -> list[LabelledQuestion]:
    """The questions set in file order (a header line, then venue, language, label, text)."""
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [LabelledQuestion(*line.split("\t")) for line in lines if line.strip()]


@functools.cache
def _index(venue: str) -> tuple[AnswerIndex, tuple[str, ...]]:
    """The demo venue's answer index, and its entries' keys in index order."""
    questions = demo_answers(venue).questions
    return answer_index(documents([q.texts() for q in questions.values()])), tuple(questions)


def _understood(line: LabelledQuestion) -> Understanding:
    """The line read as the bot reads a message (no option on screen)."""
    prediction = load_classifier().predict(line.text)
    slots = extract_slots(
        line.text, now=NOW, timezone="Asia/Kolkata", venue_kind=VENUE_KINDS[line.venue]
    )
    return Understanding(
        intent=prediction.intent,
        confidence=prediction.confidence,
        slots=slots,
        choice=None,
        language=None,
        requested_language=None,
        text=line.text,
    )


def outcome(line: LabelledQuestion, understood: Understanding, threshold: float) -> str:
    """What the bot made of the line, as a label: ``fact:…``, ``qa:…``, person or none."""
    index, keys = _index(line.venue)
    asked = what_is_asked(understood, lambda: index, threshold=threshold)
    return _label(asked, keys)


def _label(asked: Asked | None, keys: tuple[str, ...]) -> str:
    if asked is None:
        return NONE
    if asked.kind == AskedKind.FACT:
        return f"fact:{asked.topic}"
    if asked.kind == AskedKind.ANSWER:
        assert asked.match is not None
        return f"qa:{keys[asked.match.entry]}"
    return PERSON


def _verdict(label: str, said: str) -> str:
    """right (what the label says: for ``person`` a person, for ``none`` nothing), else
    person, none (not taken as a question: asked again or served as a request) or wrong (an
    answer, and not the right one)."""
    if said == label:
        return "right"
    return said if said in (PERSON, NONE) else "wrong"


def choose_threshold(lines: list[tuple[LabelledQuestion, Understanding]]) -> float:
    """The lowest threshold of the grid with the fewest wrong answers on ``lines`` (none,
    unless a rule answers one wrongly whatever the threshold)."""

    def wrong(threshold: float) -> int:
        return sum(
            _verdict(line.label, outcome(line, understood, threshold)) == "wrong"
            for line, understood in lines
        )

    return min(GRID, key=lambda threshold: (wrong(threshold), threshold))


def _tally(
    lines: list[tuple[LabelledQuestion, Understanding]], keep: Callable[[str], bool]
) -> Tally:
    outcomes = Counter(
        _verdict(line.label, outcome(line, understood, ANSWER_THRESHOLD))
        for line, understood in lines
        if keep(line.label)
    )
    return Tally(outcomes)


def evaluate_questions(seed: int = 7) -> QuestionsReport:
    """Choose the threshold on the dev half, score the held-out half at the bot's threshold."""
    read = [(line, _understood(line)) for line in load_questions()]
    retrieval = [
        pair for pair in read if pair[0].label.startswith("qa:") or pair[0].label == PERSON
    ]
    dev, test = train_test_split(
        retrieval, test_size=0.5, random_state=seed, stratify=[line.label for line, _ in retrieval]
    )
    facts = sorted({line.label for line, _ in read if line.label.startswith("fact:")})
    phrases = known_phrases()
    return QuestionsReport(
        answers=_tally(test, lambda label: label.startswith("qa:")),
        out_of_scope=_tally(test, lambda label: label == PERSON),
        facts={label: _tally(read, label.__eq__) for label in facts},
        not_questions=_tally(read, lambda label: label == NONE),
        threshold=ANSWER_THRESHOLD,
        chosen_threshold=choose_threshold(dev),
        dev_size=len(dev),
        test_size=len(test),
        in_intent_corpus=sum(
            line.label != NONE and normalize(line.text) in phrases for line, _ in read
        ),
    )


def format_questions_report(report: QuestionsReport) -> str:
    """The report as plain text, after the intent table."""

    def row(name: str, tally: Tally) -> str:
        shares = " ".join(f"{tally.share(kind):>6.3f}" for kind in ("right", "wrong", PERSON, NONE))
        return f"{name:<18} {shares} {tally.total:>8d}"

    lines = [
        "questions about the venue",
        f"{'':<18} {'right':>6} {'wrong':>6} {'person':>6} {'none':>6} {'support':>8}",
        row("owner's answers", report.answers),
        row("out of scope", report.out_of_scope),
        *(row(label, tally) for label, tally in report.facts.items()),
        row("not questions", report.not_questions),
        "-" * 52,
        f"retrieval accuracy {report.answers.share('right'):.3f} on the held-out paraphrases; "
        f"out of scope to a person {report.out_of_scope.share('right'):.3f}, "
        f"answered {report.out_of_scope.share('wrong'):.3f}",
        f"dev {report.dev_size}, test {report.test_size}, threshold {report.threshold:.2f} "
        f"(dev chooses {report.chosen_threshold:.2f}); "
        f"{report.in_intent_corpus} of the questions are in the intent corpus",
        "(right: the answer the label names; out of scope: a person; not questions: left to "
        "the booking flow)",
    ]
    return "\n".join(lines)
