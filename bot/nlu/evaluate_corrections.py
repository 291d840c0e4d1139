"""How the NLU reads corrections; ``bookline nlu eval`` runs it after the held-out split.

A correction ("actually 3 people", "no, tomorrow at 1pm") changes the request in progress in
any state by the details it carries (``bot.machine.CORRECT``), so what matters most is that
the details are read right, and that no party or time is read that was not said (a "4" read
as 16:00). The set is kept apart from the training corpus (a line that normalises like a
corpus line is refused) and scored twice: the intent per label, by a model trained on the
whole corpus, and the details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sklearn.metrics import precision_recall_fscore_support

from bot.nlu.classifier import IntentClassifier
from bot.nlu.corpus import CORPUS_PATH, LANGUAGES, load_corpus
from bot.nlu.evaluate import IntentScore
from bot.nlu.exceptions import CorpusError
from bot.nlu.intents import Intent
from bot.nlu.normalize import normalize
from bot.nlu.slots import Slots, extract_slots
from bot.nlu.training import train_model

CORRECTIONS_PATH = CORPUS_PATH.with_name("corrections.tsv")
_HEADER = ["language", "intent", "venue", "expected", "text"]
#: The set's dates are read as if the messages were sent then ("tomorrow" is 2 June 2026).
SENT_AT = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
ROOM_TYPES = ("Standard", "Deluxe", "Suite")
#: Details a bare or stray number is misread into; one read but not expected is a miss.
NUMBER_DETAILS = ("party", "time")


@dataclass(frozen=True)
class Correction:
    """One correction and the details it says (``expected``: detail -> value as text)."""

    language: str
    intent: Intent
    venue: str
    expected: dict[str, str]
    text: str


@dataclass(frozen=True)
class CorrectionsReport:
    """Intent scores per label, and how many corrections had their details read right."""

    per_intent: dict[Intent, IntentScore]
    #: What the classifier read the corrections as (intent -> how many): all but "change"
    #: would go astray if the dialogue followed the intent instead of the details.
    read_as: dict[str, int]
    details_right: dict[str, tuple[int, int]]  # language -> (right, total)
    misread: list[str]


def load_corrections(path: Path = CORRECTIONS_PATH) -> list[Correction]:
    """The corrections set; CorpusError names a malformed line or one the model trains on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != _HEADER:
        raise CorpusError(f"{path}: the first line must be {'<TAB>'.join(_HEADER)}")
    trained = {normalize(utterance.text) for utterance in load_corpus()}
    corrections = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(_HEADER) or fields[0] not in LANGUAGES:
            raise CorpusError(f"line {number}: expected {'<TAB>'.join(_HEADER)}")
        language, intent, venue, expected, text = fields
        if normalize(text) in trained:
            raise CorpusError(f"line {number}: {text!r} is in the training corpus")
        details = dict(pair.split("=", 1) for pair in expected.split())
        corrections.append(Correction(language, Intent(intent), venue, details, text))
    return corrections


def _details(slots: Slots) -> dict[str, str | None]:
    """The slots as the set writes them: ISO dates, "HH:MM", counts, room names."""
    values: dict[str, object] = {
        "day": slots.day,
        "check_in": slots.check_in,
        "check_out": slots.check_out,
        "nights": slots.nights,
        "time": slots.time.strftime("%H:%M") if slots.time else None,
        "party": slots.party_size,
        "room": slots.room_type,
    }
    return {name: None if value is None else str(value) for name, value in values.items()}


def read_right(correction: Correction) -> bool:
    """Every detail said is read as said, and no party or time is read that was not said."""
    slots = extract_slots(
        correction.text,
        now=SENT_AT,
        timezone=str(SENT_AT.tzinfo),
        venue_kind=correction.venue,
        room_types=ROOM_TYPES,
    )
    read = _details(slots)
    said = all(read[name] == value for name, value in correction.expected.items())
    invented = any(read[name] for name in NUMBER_DETAILS if name not in correction.expected)
    return said and not invented


def evaluate_corrections(path: Path = CORRECTIONS_PATH) -> CorrectionsReport:
    """Score the corrections set with a model trained on the whole corpus."""
    corrections = load_corrections(path)
    classifier = IntentClassifier(train_model(load_corpus()))
    predicted = [p.intent.value for p in classifier.predict_many([c.text for c in corrections])]
    expected = [c.intent.value for c in corrections]
    labels = sorted(set(expected))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0.0
    )
    per_intent = {
        Intent(label): IntentScore(
            float(precision[i]), float(recall[i]), float(f1[i]), int(support[i])
        )
        for i, label in enumerate(labels)
    }
    details_right: dict[str, tuple[int, int]] = {}
    misread = []
    for correction in corrections:
        right, total = details_right.get(correction.language, (0, 0))
        good = read_right(correction)
        details_right[correction.language] = (right + good, total + 1)
        if not good:
            misread.append(correction.text)
    read_as = {label: predicted.count(label) for label in sorted(set(predicted))}
    return CorrectionsReport(per_intent, read_as, details_right, misread)


def format_corrections(report: CorrectionsReport) -> str:
    """The corrections report as plain text, under the held-out table."""
    lines = [
        "corrections (never trained on)",
        f"{'intent':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}",
    ]
    for intent, score in report.per_intent.items():
        lines.append(
            f"{intent.value:<10} {score.precision:>9.3f} {score.recall:>7.3f} "
            f"{score.f1:>6.3f} {score.support:>8d}"
        )
    read_as = ", ".join(f"{label} {count}" for label, count in report.read_as.items())
    lines.append(f"read as: {read_as}")
    right = sum(good for good, _ in report.details_right.values())
    total = sum(count for _, count in report.details_right.values())
    by_language = ", ".join(
        f"{language} {good}/{count}" for language, (good, count) in report.details_right.items()
    )
    lines.append(f"details read right {right}/{total} ({by_language})")
    lines += [f"  misread: {text}" for text in report.misread]
    return "\n".join(lines)
