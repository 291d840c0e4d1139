"""Held-out evaluation of the intent classifier: ``python -m bot.nlu.evaluate``.

The corpus (deduplicated on normalised text, so no example is on both sides) is split stratified
by intent; a fresh model is trained on one part and scored on the other exactly as the bot
answers (the exported arrays, the same decision rule, confidence threshold included): a correct
guess below the threshold counts as UNKNOWN, i.e. as a miss.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sklearn.metrics import accuracy_score, precision_recall_fscore_support
from sklearn.model_selection import train_test_split

from bot.nlu.classifier import CONFIDENCE_THRESHOLD, IntentClassifier
from bot.nlu.corpus import CORPUS_PATH, load_corpus
from bot.nlu.intents import Intent
from bot.nlu.training import train_model


@dataclass(frozen=True)
class IntentScore:
    """Precision, recall and F1 of one intent on the held-out split."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvalReport:
    """Scores per intent plus the macro average, and how the split was made."""

    per_intent: dict[Intent, IntentScore]
    macro_f1: float
    accuracy: float
    train_size: int
    test_size: int
    threshold: float
    train_seconds: float


def evaluate(seed: int = 7, test_size: float = 0.25) -> EvalReport:
    """Train on a stratified split of the corpus and score the held-out part."""
    utterances = load_corpus(CORPUS_PATH)
    train, test = train_test_split(
        utterances,
        test_size=test_size,
        random_state=seed,
        stratify=[u.intent.value for u in utterances],
    )
    started = time.perf_counter()
    classifier = IntentClassifier(train_model(train))
    train_seconds = time.perf_counter() - started
    expected = [u.intent.value for u in test]
    predicted = [p.intent.value for p in classifier.predict_many([u.text for u in test])]
    labels = [intent.value for intent in Intent]
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0.0
    )
    per_intent = {
        intent: IntentScore(float(precision[i]), float(recall[i]), float(f1[i]), int(support[i]))
        for i, intent in enumerate(Intent)
    }
    return EvalReport(
        per_intent=per_intent,
        macro_f1=sum(score.f1 for score in per_intent.values()) / len(per_intent),
        accuracy=float(accuracy_score(expected, predicted)),
        train_size=len(train),
        test_size=len(test),
        threshold=classifier.threshold,
        train_seconds=train_seconds,
    )


def format_report(report: EvalReport) -> str:
    """The report as a plain-text table."""
    lines = [f"{'intent':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for intent, score in report.per_intent.items():
        lines.append(
            f"{intent.value:<10} {score.precision:>9.3f} {score.recall:>7.3f} "
            f"{score.f1:>6.3f} {score.support:>8d}"
        )
    lines += [
        "-" * 44,
        f"{'macro-F1':<10} {report.macro_f1:>31.3f}",
        f"{'accuracy':<10} {report.accuracy:>31.3f}",
        f"train {report.train_size}, test {report.test_size}, "
        f"threshold {report.threshold:.2f} (default {CONFIDENCE_THRESHOLD:.2f}), "
        f"trained in {report.train_seconds:.2f}s",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_report(evaluate()))
