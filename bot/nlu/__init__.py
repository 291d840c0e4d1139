"""Natural-language understanding for guest messages: intent classification and language.

The classifier is a small scikit-learn model trained on ``corpus/utterances.tsv`` the first time
it is needed (in a child process) and cached on disk as arrays that numpy answers with;
``load_classifier()`` returns the process-wide instance. The classifier names are imported
lazily, so modules of this package that do not classify (slots, dates, language) do not load
the model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from bot.nlu.intents import Intent
from bot.nlu.language import detect_language, requested_language

if TYPE_CHECKING:
    from bot.nlu.classifier import (
        CONFIDENCE_THRESHOLD,
        IntentClassifier,
        Prediction,
        load_classifier,
    )

_CLASSIFIER_NAMES = frozenset(
    {"CONFIDENCE_THRESHOLD", "IntentClassifier", "Prediction", "load_classifier"}
)

__all__ = [
    "CONFIDENCE_THRESHOLD",
    "Intent",
    "IntentClassifier",
    "Prediction",
    "detect_language",
    "load_classifier",
    "requested_language",
]


def __getattr__(name: str) -> object:
    """Import the classifier on first use of one of its names."""
    if name in _CLASSIFIER_NAMES:
        return getattr(importlib.import_module("bot.nlu.classifier"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
